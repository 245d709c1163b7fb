/**
 * DiscFormat2RawCD: writes a DAO-96 raw image to blank CD-R/RW (IDiscFormat2RawCD).
 *
 *   const raw = new DiscFormat2RawCD();
 *   raw.recorder = recorder; raw.clientName = 'my app';
 *   await raw.prepareMedia();                // exclusive access, tray locked, MCN off
 *   raw.requestedSectorType = RawCdSectorType.SUBCODE_IS_RAW;   // once prepared (RawCDImageCreator's default)
 *   await raw.setWriteSpeed(1800);           // optional: 24x, sent to the drive now
 *   raw.on('update', (u) => ...);            // cancelWrite() may be called from here
 *   await raw.writeMedia('image.bin');       // or a Buffer, or a Readable
 *   await raw.releaseMedia();                // always, after a write or a cancel
 *
 * The image: whole raw sectors of `requestedSectorType` (PQ-only 2368 bytes, cooked P-W 2448 — the
 * default, as IMAPI2's — or raw P-W 2448; RawCDImageCreator's default output is raw, so say so once
 * the media is prepared), its first sector at MSF 95:00:00 (LBA −22650; 22 500 sectors before absolute time 00:00:00) for
 * writeMedia, or `streamLeadInSectors` sectors before 00:00:00 for writeMedia2. The media's lead-in
 * starts later (ATIP, e.g. −11634): the sectors before it are skipped — seeked over, or read and
 * discarded when the source cannot seek — and the drive is written from its lead-in start in RAW mode
 * (write parameters page: write type RAW, data block type 1/2/3), then SYNCHRONIZE CACHE closes the
 * DAO session.
 *
 * Return codes: the tables of IDiscFormat2RawCD::WriteMedia, ReleaseMedia and CancelWrite; the
 * conformance suite (features/IDiscFormat2RawCD-*.feature) drives every row. Choices the docs leave
 * open: a null source is E_POINTER, a value that is no source E_INVALIDARG; a source that is not whole
 * sectors (or ends inside one) E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED; a source that fails while read E_FAIL;
 * cancelWrite once the drive is finishing the session (SYNCHRONIZE CACHE sent) E_FAIL.
 * A write that ends early (cancel, source failure, drive error) after sectors reached the drive still
 * sends SYNCHRONIZE CACHE, so the drive is not left mid-stream; the disc is then indeterminate (not
 * blank: erase a CD-RW to reuse it), as IMAPI2 documents for CancelWrite.
 *
 * The write loop is the one TrackAtOnce and Data share (track-writer.ts): one WRITE(10) in flight, the
 * next chunk read ahead, updates (PREPARING, WRITING per chunk, FINISHING) with the drive's buffer level.
 */
import { ImapiError } from '../errors/imapi-error.js';
import type { ScsiDevice } from '../device/scsi-device.js';
import type { DiscRecorder2 } from '../recorder/disc-recorder2.js';
import { FormatBase, type FormatCodes, type MediaSnapshot } from './format-base.js';
import { MediaPhysicalType } from './media-type.js';
import { SectorSource, isSourceInput, SOURCE_KINDS, type SourceInput } from './source.js';
import { writeTrack, sourceFailure, idleProgress, type WriteEngineProgress } from './track-writer.js';
import { Profile, Feature } from '../scsi/commands/get-configuration.js';
import { DiscStatus } from '../scsi/commands/read-disc-information.js';
import { DataBlockType, WriteType, MultiSession } from '../scsi/commands/mode-page-write-parameters.js';
import { selectWriteParameters, readAtip } from './track-at-once.js';
import { WriteSpeedSettings, readWriteSpeedDescriptors, type IWriteSpeedDescriptor } from './write-speed.js';
import { encodeSynchronizeCache10Cdb } from '../scsi/commands/synchronize-cache-10.js';
import { MSF_ZERO_LBA, RAW_IMAGE_START_LBA, MIN_MSF_LBA } from '../wire/msf.js';

/** IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE */
export const RawCdSectorType = {
  /** 2368 bytes: 2352 + 16 bytes of formatted Q. */
  SUBCODE_PQ_ONLY: 1,
  /** 2448 bytes: 2352 + 96 bytes of de-interleaved (cooked) P-W. */
  SUBCODE_IS_COOKED: 2,
  /** 2448 bytes: 2352 + 96 bytes of raw (interleaved) P-W. */
  SUBCODE_IS_RAW: 3,
} as const;

/** IMAPI_FORMAT2_RAW_CD_WRITE_ACTION */
export const RawCdWriteAction = { UNKNOWN: 0, PREPARING: 1, WRITING: 2, FINISHING: 3 } as const;

/**
 * DDiscFormat2RawCDEvents::Update arguments (IDiscFormat2RawCDEventArgs + IWriteEngine2EventArgs):
 * current action, elapsed/remaining seconds, the sectors of the write (startLba, sectorCount,
 * lastReadLba, lastWrittenLba) and the buffer levels (drive: READ BUFFER CAPACITY; host: read-ahead).
 */
export interface RawCdUpdate extends WriteEngineProgress {
  readonly currentAction: number;
}

const STREAM_NOT_SUPPORTED = 'E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED';
const SECTOR_BYTES: Record<number, number> = { 1: 2368, 2: 2448, 3: 2448 };
const DATA_BLOCK: Record<number, number> = { 1: DataBlockType.RAW_PQ, 2: DataBlockType.RAW_PW_PACKED, 3: DataBlockType.RAW_PW_RAW };
/** Lead-out length written after the last track of a session (MMC: at least 6750 blocks on CD). */
const LEAD_OUT_BLOCKS = 6750;
/** Lead-in sectors in front of MSF 00:00:00 in a writeMedia image (95:00:00 → 00:00:00). */
export const WRITE_MEDIA_LEAD_IN_SECTORS = MSF_ZERO_LBA - RAW_IMAGE_START_LBA;

export class DiscFormat2RawCD extends FormatBase<RawCdUpdate> {
  protected readonly codes: FormatCodes = {
    noRecorder: 'E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED',
    clientName: 'E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID',
    mediaIsPrepared: 'E_IMAPI_DF2RAW_MEDIA_IS_PREPARED',
    mediaIsNotPrepared: 'E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED',
    writeInProgress: 'E_IMAPI_DF2RAW_WRITE_IN_PROGRESS',
    writeNotInProgress: 'E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS',
    mediaNotSupported: 'E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED',
    mediaNotBlank: 'E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK',
  };

  /** Disables BUFE (buffer underrun free recording) when true. */
  bufferUnderrunFreeDisabled = false;
  /** IDiscFormat2RawCD::put_RequestedSectorType: "The default is IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_COOKED". */
  private _requestedSectorType: number = RawCdSectorType.SUBCODE_IS_COOKED;
  private readonly speed = new WriteSpeedSettings();
  private media: { physicalType: number; leadInStart: number; lastPossibleLeadOut: number; sectorTypes: readonly number[] } | undefined;
  private finishing = false;

  get requestedSectorType(): number {
    return this._requestedSectorType;
  }
  /**
   * put_RequestedSectorType, as its table says: during a write E_IMAPI_DF2RAW_WRITE_IN_PROGRESS; a value
   * that is no sector type E_INVALIDARG; before prepareMedia E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (the
   * recorder's types are known once the media is prepared, as in IMAPI2's own sample, which sets it
   * after PrepareMedia); a type the recorder cannot write (not in supportedSectorTypes, read by
   * prepareMedia) E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED.
   */
  set requestedSectorType(t: number) {
    if (this.writing) throw this.fail('E_IMAPI_DF2RAW_WRITE_IN_PROGRESS');
    if (!Number.isInteger(t) || !(t in SECTOR_BYTES)) throw this.fail('E_INVALIDARG', `requestedSectorType must be 1 (PQ only), 2 (cooked) or 3 (raw), got ${String(t)}`);
    const media = this.needMedia();
    if (!media.sectorTypes.includes(t)) throw this.fail('E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED', `the recorder writes sector types [${media.sectorTypes.join(', ')}], not ${t}`);
    this._requestedSectorType = t;
  }

  /**
   * SupportedSectorTypes: the sector types the recorder can write, from its CD Mastering feature
   * (GET CONFIGURATION 002Eh, MMC-6 §5.3.24): Raw → PQ-only raw (2368); Raw and R-W (the drive records
   * host R-W sub-channel) → cooked and raw P-W (2448). None when the drive has no raw recording.
   */
  async getSupportedSectorTypes(): Promise<number[]> {
    const { recorder } = this.requireRecorder();
    const f = await recorder.getFeaturePage(Feature.CD_MASTERING).catch((e: unknown) => {
      if (e instanceof ImapiError && e.hresultName === 'E_IMAPI_RECORDER_NO_SUCH_FEATURE') return undefined;
      throw e;
    });
    if (f?.kind !== 'cdMastering' || !f.raw) return [];
    return f.rw ? [RawCdSectorType.SUBCODE_PQ_ONLY, RawCdSectorType.SUBCODE_IS_COOKED, RawCdSectorType.SUBCODE_IS_RAW] : [RawCdSectorType.SUBCODE_PQ_ONLY];
  }

  /** First sector of the next session: the media's ATIP lead-in start (negative on blank media). */
  get startOfNextSession(): number {
    return this.needMedia().leadInStart;
  }
  /** ATIP last possible start of the lead-out. */
  get lastPossibleStartOfLeadout(): number {
    return this.needMedia().lastPossibleLeadOut;
  }
  get currentPhysicalMediaType(): number {
    return this.media?.physicalType ?? MediaPhysicalType.UNKNOWN;
  }
  /** Sectors per second asked for (-1: the drive's fastest). */
  get requestedWriteSpeed(): number {
    return this.speed.requestedWriteSpeed;
  }
  get requestedRotationTypeIsPureCAV(): boolean {
    return this.speed.requestedRotationTypeIsPureCAV;
  }
  /** What the last write sent to the drive (sectors per second, -1 = fastest). */
  get currentWriteSpeed(): number {
    return this.speed.currentWriteSpeed;
  }
  get currentRotationTypeIsPureCAV(): boolean {
    return this.speed.currentRotationTypeIsPureCAV;
  }
  /** SupportedWriteSpeeds: sectors per second, fastest first (GET PERFORMANCE type 03h). */
  async getSupportedWriteSpeeds(): Promise<number[]> {
    return (await this.getSupportedWriteSpeedDescriptors()).map((d) => d.writeSpeed);
  }
  async getSupportedWriteSpeedDescriptors(): Promise<IWriteSpeedDescriptor[]> {
    const { device } = this.requireRecorder();
    return readWriteSpeedDescriptors(device, this.needMedia().physicalType);
  }

  private needMedia() {
    if (!this.prepared || !this.media) throw this.fail('E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED');
    return this.media;
  }

  /**
   * Sends the write speed (sectors per second, -1 for the fastest) now; the write sends it again
   * (write-speed.ts). Prepared media was checked by prepareMedia; otherwise the checks of its table
   * come first: a valid client name, CD-R/RW media (MEDIA_IS_NOT_SUPPORTED), blank (MEDIA_IS_NOT_BLANK).
   */
  setWriteSpeed(sectorsPerSecond: number, rotationTypeIsPureCAV = false): Promise<void> {
    return this.requestWriteSpeed(this.speed, sectorsPerSecond, rotationTypeIsPureCAV, async (device) => {
      if (this.prepared && this.media) return this.media.physicalType;
      this.requireClientName();
      const snap = await this.identifyMedia(device);
      this.requireCdMedia(snap);
      this.requireBlank(snap);
      return snap.physicalType;
    });
  }

  /** Raw writing is for CD-R/RW media only (else MEDIA_IS_NOT_SUPPORTED). */
  private requireCdMedia(snap: MediaSnapshot): void {
    if (snap.profile !== Profile.CD_R && snap.profile !== Profile.CD_RW) {
      throw this.fail('E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED', `current media profile 0x${snap.profile.toString(16)} is not CD-R/RW`);
    }
  }

  /** A DAO-96 image is a whole disc, lead-in to lead-out: only blank media (else MEDIA_IS_NOT_BLANK). */
  private requireBlank(snap: MediaSnapshot): void {
    if (snap.disc && snap.disc.discStatus !== DiscStatus.EMPTY) throw this.fail('E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK', 'the disc is not blank');
  }

  /** True when the recorder's CD Mastering feature (002Eh) has Raw: what prepareMedia needs. */
  async isRecorderSupported(recorder: unknown): Promise<boolean> {
    try {
      const f = await (recorder as DiscRecorder2).getFeaturePage(Feature.CD_MASTERING);
      return f.kind === 'cdMastering' && f.raw;
    } catch {
      return false;
    }
  }

  /** Locks the media for exclusive access: blank CD-R/RW (else MEDIA_IS_NOT_SUPPORTED / MEDIA_IS_NOT_BLANK) in a drive with raw recording. */
  async prepareMedia(): Promise<void> {
    let sectorTypes: number[] = [];
    const raw = { has: async () => (sectorTypes = await this.getSupportedSectorTypes()).length > 0, code: 'E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED', why: 'no raw (DAO-96) recording (no CD Mastering feature with Raw)' } as const;
    await this.prepareWith(async (device) => {
      const snap = await this.identifyMedia(device);
      this.requireCdMedia(snap);
      this.requireBlank(snap);
      const atip = await readAtip(device);
      this.media = { physicalType: snap.physicalType, leadInStart: atip.leadInStartLba, lastPossibleLeadOut: atip.lastPossibleLeadOutStartLba, sectorTypes };
    }, raw);
  }

  /** Releases the lock prepareMedia took (after every write and after a cancel). */
  async releaseMedia(): Promise<void> {
    await this.releasePrepared();
    this.media = undefined;
  }

  /** Cancels the write in progress; call it from the Update handler. The write ends with E_IMAPI_REQUEST_CANCELLED. */
  cancelWrite(): void {
    if (!this.writing) throw this.fail('E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS');
    if (this.finishing) throw this.fail('E_FAIL', 'too late to cancel: the drive is finishing the session');
    this.cancelRequested = true;
  }

  /** Writes a DAO-96 raw image whose first sector is MSF 95:00:00. */
  writeMedia(data: SourceInput): Promise<void> {
    return this.write(data, WRITE_MEDIA_LEAD_IN_SECTORS);
  }

  /** Writes a DAO-96 raw image whose first `streamLeadInSectors` sectors precede MSF 00:00:00. */
  writeMedia2(data: SourceInput, streamLeadInSectors: number): Promise<void> {
    return this.write(data, streamLeadInSectors);
  }

  private async write(data: SourceInput | null | undefined, leadInSectors: number): Promise<void> {
    if (data === null || data === undefined) throw this.fail('E_POINTER', 'no data stream');
    if (!isSourceInput(data)) throw this.fail('E_INVALIDARG', `data must be ${SOURCE_KINDS}`);
    if (!Number.isInteger(leadInSectors) || leadInSectors < 0 || MSF_ZERO_LBA - leadInSectors < MIN_MSF_LBA) {
      throw this.fail('E_INVALIDARG', `streamLeadInSectors must be an integer from 0 to ${MSF_ZERO_LBA - MIN_MSF_LBA}, got ${String(leadInSectors)}`);
    }
    if (!this.prepared) throw this.fail('E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED');
    const { device } = this.requireRecorder();
    const media = this.needMedia();
    const end = this.beginWrite();
    this.finishing = false;
    let source: SectorSource | undefined;
    try {
      const sectorBytes = SECTOR_BYTES[this._requestedSectorType]!;
      try {
        source = await SectorSource.open(data);
      } catch (e) {
        throw sourceFailure(e, STREAM_NOT_SUPPORTED);
      }
      if (source.size !== undefined && (source.size === 0 || source.size % sectorBytes !== 0)) {
        throw this.fail('E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED', `the stream is ${source.size} bytes, not a whole number of ${sectorBytes}-byte sectors`);
      }
      const disc = await this.discInformation(device);
      if (disc.discStatus !== DiscStatus.EMPTY) throw this.fail('E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK');
      if (!(await this.getSupportedSectorTypes()).includes(this._requestedSectorType)) {
        throw this.fail('E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED', `the drive cannot write sector type ${this._requestedSectorType} (its CD Mastering feature lacks R-W sub-channel recording)`);
      }
      // The lead-in start of the media in the drive now (ATIP), where the write begins.
      const atip = await readAtip(device);
      media.leadInStart = atip.leadInStartLba;
      media.lastPossibleLeadOut = atip.lastPossibleLeadOutStartLba;

      const imageStart = MSF_ZERO_LBA - leadInSectors;
      const skip = media.leadInStart - imageStart;
      if (skip < 0) throw this.fail('E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT', `the image starts at LBA ${imageStart}, after the media's lead-in start ${media.leadInStart}`);
      const limit = media.lastPossibleLeadOut + LEAD_OUT_BLOCKS;
      let total: number | undefined;
      if (source.size !== undefined) {
        const sectors = source.size / sectorBytes;
        if (sectors <= skip) throw this.fail('E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT', `the image (${sectors} sectors) ends before the media's lead-in start`);
        total = sectors - skip;
        if (media.leadInStart + total > limit) {
          throw this.fail('E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE', `the image needs ${total} sectors from LBA ${media.leadInStart}; the media ends at ${limit}`);
        }
      }

      this.emitUpdate({ ...idleProgress(media.leadInStart, total ?? 0), currentAction: RawCdWriteAction.PREPARING });
      await this.setWriteParameters(device);
      await this.speed.apply(device, media.physicalType);

      const skipped = await source.skip(skip * sectorBytes).catch((e: unknown) => Promise.reject(sourceFailure(e, STREAM_NOT_SUPPORTED)));
      if (skipped < skip * sectorBytes) throw this.fail('E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT', "the image ends before the media's lead-in start");

      let last: WriteEngineProgress | undefined;
      const written = await writeTrack({
        device,
        source,
        sectorBytes,
        startLba: media.leadInStart,
        totalSectors: total,
        limitLba: limit,
        noSpace: 'E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE',
        streamNotSupported: STREAM_NOT_SUPPORTED,
        report: (p) => {
          last = p;
          this.emitUpdate({ ...p, currentAction: RawCdWriteAction.WRITING });
        },
        checkCancel: () => this.throwIfCancelled(),
      }).catch(async (e: unknown) => {
        // Leave the drive in a defined state: what reached it is flushed and the recording run ends
        // (the disc is then indeterminate, as after IMAPI2's CancelWrite: erase a CD-RW to reuse it).
        if (last && last.lastWrittenLba >= last.startLba) await device.exec(encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 })).catch(() => undefined);
        throw e;
      });
      if (written === 0) throw this.fail('E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT', "the image ends at the media's lead-in start");

      this.finishing = true;
      this.emitUpdate({ ...last!, sectorCount: written, remainingTime: 0, currentAction: RawCdWriteAction.FINISHING });
      await device.exec(encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 }));
    } finally {
      await source?.close().catch(() => undefined);
      this.finishing = false;
      end();
    }
  }

  /** MODE SENSE page 05h, then MODE SELECT it with RAW / the sector type / BUFE / no multi-session. */
  private setWriteParameters(device: ScsiDevice): Promise<void> {
    return selectWriteParameters(device, {
      bufe: !this.bufferUnderrunFreeDisabled,
      testWrite: false,
      writeType: WriteType.RAW,
      multiSession: MultiSession.NO_NEXT_SESSION,
      fp: false,
      trackMode: 0,
      dataBlockType: DATA_BLOCK[this._requestedSectorType]!,
      sessionFormat: 0,
    });
  }
}
