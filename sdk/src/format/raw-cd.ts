/**
 * DiscFormat2RawCD: writes a DAO-96 raw image to blank CD-R/RW (IDiscFormat2RawCD).
 *
 *   const raw = new DiscFormat2RawCD();
 *   raw.recorder = recorder; raw.clientName = 'my app';
 *   await raw.prepareMedia();                // exclusive access, tray locked, MCN off
 *   raw.on('update', (u) => ...);            // cancelWrite() may be called from here
 *   await raw.writeMedia('image.bin');       // or a Buffer, or a Readable
 *   await raw.releaseMedia();                // always, after a write or a cancel
 *
 * The image: whole raw sectors of `requestedSectorType` (PQ-only 2368 bytes, cooked P-W 2448 — the
 * default, as IMAPI2's — or raw P-W 2448; RawCDImageCreator's default output is raw, so say so),
 * its first sector at MSF 95:00:00 (LBA −22650; 22 500 sectors before absolute time 00:00:00) for
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
 */
import { ImapiError } from '../errors/imapi-error.js';
import type { ScsiDevice } from '../device/scsi-device.js';
import type { DiscRecorder2 } from '../recorder/disc-recorder2.js';
import { FormatBase, type FormatCodes } from './format-base.js';
import { MediaPhysicalType } from './media-type.js';
import { SectorSource, SourceError, isSourceInput, type SourceInput } from './source.js';
import { Profile } from '../scsi/commands/get-configuration.js';
import { DiscStatus } from '../scsi/commands/read-disc-information.js';
import { DataBlockType, WriteType, MultiSession } from '../scsi/commands/mode-page-write-parameters.js';
import { selectWriteParameters, readAtip } from './track-at-once.js';
import { WriteSpeedSettings, readWriteSpeedDescriptors, type IWriteSpeedDescriptor } from './write-speed.js';
import { encodeWrite10Cdb } from '../scsi/commands/write-10.js';
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

/** DDiscFormat2RawCDEvents::Update arguments (IDiscFormat2RawCDEventArgs + IWriteEngine2EventArgs). */
export interface RawCdUpdate {
  readonly currentAction: number;
  /** Seconds since the write started. */
  readonly elapsedTime: number;
  /** Estimated seconds left. */
  readonly remainingTime: number;
  readonly startLba: number;
  readonly sectorCount: number;
  readonly lastReadLba: number;
  readonly lastWrittenLba: number;
  /** Host-side buffer, in bytes. */
  readonly totalSystemBuffer: number;
  readonly usedSystemBuffer: number;
  readonly freeSystemBuffer: number;
}

const SECTOR_BYTES: Record<number, number> = { 1: 2368, 2: 2448, 3: 2448 };
const DATA_BLOCK: Record<number, number> = { 1: DataBlockType.RAW_PQ, 2: DataBlockType.RAW_PW_PACKED, 3: DataBlockType.RAW_PW_RAW };
/** Lead-out length written after the last track of a session (MMC: at least 6750 blocks on CD). */
const LEAD_OUT_BLOCKS = 6750;
/** Sectors per WRITE(10): ~1 MiB of 2448-byte sectors. */
const CHUNK_SECTORS = 428;
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
  private media: { physicalType: number; leadInStart: number; lastPossibleLeadOut: number } | undefined;
  private finishing = false;

  get requestedSectorType(): number {
    return this._requestedSectorType;
  }
  set requestedSectorType(t: number) {
    if (this.prepared && this.writing) throw this.fail('E_IMAPI_DF2RAW_WRITE_IN_PROGRESS');
    if (!(t in SECTOR_BYTES)) throw this.fail('E_INVALIDARG', `requestedSectorType must be 1 (PQ only), 2 (cooked) or 3 (raw), got ${String(t)}`);
    this._requestedSectorType = t;
  }

  /** Sector types this format writes: all three (drives without raw-96 refuse the mode page). */
  get supportedSectorTypes(): number[] {
    return [RawCdSectorType.SUBCODE_PQ_ONLY, RawCdSectorType.SUBCODE_IS_COOKED, RawCdSectorType.SUBCODE_IS_RAW];
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

  /** Sets the write speed (sectors per second, -1 for the fastest) used by the next write. */
  setWriteSpeed(sectorsPerSecond: number, rotationTypeIsPureCAV = false): void {
    this.speed.set(sectorsPerSecond, rotationTypeIsPureCAV);
  }

  async isRecorderSupported(recorder: unknown): Promise<boolean> {
    try {
      const features = await (recorder as DiscRecorder2).getSupportedFeaturePages();
      return features.includes(0x2e);
    } catch {
      return false;
    }
  }

  /** Locks the media for exclusive access: blank CD-R/RW only (else MEDIA_IS_NOT_SUPPORTED / MEDIA_IS_NOT_BLANK). */
  async prepareMedia(): Promise<void> {
    await this.prepareWith(async (device) => {
      const snap = await this.identifyMedia(device);
      if (snap.profile !== Profile.CD_R && snap.profile !== Profile.CD_RW) {
        throw this.fail('E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED', `current media profile 0x${snap.profile.toString(16)} is not CD-R/RW`);
      }
      // A DAO-96 image is a whole disc, lead-in to lead-out: only blank media (the PrepareMedia table).
      if (snap.disc && snap.disc.discStatus !== DiscStatus.EMPTY) throw this.fail('E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK', 'the disc is not blank');
      const atip = await readAtip(device);
      this.media = { physicalType: snap.physicalType, leadInStart: atip.leadInStartLba, lastPossibleLeadOut: atip.lastPossibleLeadOutStartLba };
    });
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
    if (!isSourceInput(data)) throw this.fail('E_INVALIDARG', 'data must be a file path, a Uint8Array or a Readable stream');
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
        throw sourceFailure(e);
      }
      if (source.size !== undefined && (source.size === 0 || source.size % sectorBytes !== 0)) {
        throw this.fail('E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED', `the stream is ${source.size} bytes, not a whole number of ${sectorBytes}-byte sectors`);
      }
      const disc = await this.discInformation(device);
      if (disc.discStatus !== DiscStatus.EMPTY) throw this.fail('E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK');
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

      await this.setWriteParameters(device);
      await this.speed.apply(device, media.physicalType);

      const skipped = await source.skip(skip * sectorBytes).catch((e: unknown) => Promise.reject(sourceFailure(e)));
      if (skipped < skip * sectorBytes) throw this.fail('E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT', "the image ends before the media's lead-in start");

      await this.writeLoop(device, source, sectorBytes, media.leadInStart, total, limit);

      this.finishing = true;
      this.report(RawCdWriteAction.FINISHING, media.leadInStart, total ?? 0, media.leadInStart + (total ?? 0) - 1);
      await device.exec(encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 }));
    } finally {
      await source?.close().catch(() => undefined);
      this.finishing = false;
      this.started = undefined;
      end();
    }
  }

  private started: bigint | undefined;

  private async writeLoop(device: ScsiDevice, source: SectorSource, sectorBytes: number, start: number, total: number | undefined, limit: number) {
    this.started = process.hrtime.bigint();
    let lba = start;
    const read = () => source.readSectors(CHUNK_SECTORS, sectorBytes).catch((e: unknown) => Promise.reject(sourceFailure(e)));
    let next = read();
    this.report(RawCdWriteAction.WRITING, start, total ?? 0, start - 1);
    this.throwIfCancelled();
    for (;;) {
      const chunk = await next;
      if (chunk.length === 0) break;
      const n = chunk.length / sectorBytes;
      if (lba + n > limit) throw this.fail('E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE', `the image runs past the end of the media at LBA ${limit}`);
      next = read();
      next.catch(() => undefined); // a failure surfaces when awaited
      await device.write(encodeWrite10Cdb({ lba, transferLength: n }), chunk);
      lba += n;
      this.report(RawCdWriteAction.WRITING, start, total ?? lba - start, lba - 1, source.position);
      this.throwIfCancelled();
    }
    if (lba === start) throw this.fail('E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT', "the image ends at the media's lead-in start");
  }

  private report(action: number, start: number, count: number, lastWritten: number, lastReadByte?: number) {
    const elapsed = this.started === undefined ? 0 : Number(process.hrtime.bigint() - this.started) / 1e9;
    const done = lastWritten - start + 1;
    const remaining = done > 0 && count > done ? (elapsed / done) * (count - done) : 0;
    const sectorBytes = SECTOR_BYTES[this._requestedSectorType]!;
    const total = 2 * CHUNK_SECTORS * sectorBytes;
    const used = action === RawCdWriteAction.WRITING ? CHUNK_SECTORS * sectorBytes : 0;
    this.emitUpdate({
      currentAction: action,
      elapsedTime: Math.floor(elapsed),
      remainingTime: Math.ceil(remaining),
      startLba: start,
      sectorCount: count,
      lastReadLba: lastReadByte === undefined ? lastWritten : start + Math.floor(lastReadByte / sectorBytes) - 1,
      lastWrittenLba: lastWritten,
      totalSystemBuffer: total,
      usedSystemBuffer: used,
      freeSystemBuffer: total - used,
    });
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

function sourceFailure(e: unknown): unknown {
  if (e instanceof SourceError) {
    return e.reason === 'short'
      ? new ImapiError('E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED', `E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED: ${e.message}`, { cause: e })
      : new ImapiError('E_FAIL', `E_FAIL: ${e.message}`, { cause: e });
  }
  return e;
}
