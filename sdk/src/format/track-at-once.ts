/**
 * DiscFormat2TrackAtOnce: audio CDs written track at once (IDiscFormat2TrackAtOnce).
 *
 *   const tao = new DiscFormat2TrackAtOnce();
 *   tao.recorder = recorder; tao.clientName = 'my app';
 *   await tao.prepareMedia();                 // exclusive access, tray locked, MCN off
 *   await tao.addAudioTrack('track1.pcm');    // 2352-byte CD-DA sectors (44.1 kHz 16-bit stereo)
 *   await tao.addAudioTrack(stream2);
 *   await tao.releaseMedia();                 // closes the session (finalizes unless doNotFinalizeMedia)
 *
 * A track shorter than 4 seconds (300 sectors) is padded with silence to 4 seconds, as IMAPI2 does.
 * Each track: mode page 05h (write type TAO, data block type 0 = raw 2352, track mode 0 = 2-channel
 * audio, multi-session 00b or 11b per doNotFinalizeMedia, BUFE unless bufferUnderrunFreeDisabled),
 * the speed (SET CD SPEED), READ TRACK INFORMATION of the invisible track for its NWA and free
 * blocks, WRITE(10) from the NWA, SYNCHRONIZE CACHE, CLOSE TRACK (MMC-6 §4.3.5 track at once
 * recording). RESERVE TRACK is not used: a stream's length is not always known, and the drive sizes
 * the track when it is closed. releaseMedia sends CLOSE SESSION when a track was added.
 *
 * Choices the docs leave open:
 *   - prepareMedia accepts blank CD-R/RW and appendable ones (disc status incomplete: a session left
 *     open for another by doNotFinalizeMedia); a finalized disc is E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK.
 *   - A null source is E_POINTER, a value that is no source E_INVALIDARG; a source that is not whole
 *     2352-byte sectors (or ends inside one) E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED; a source that fails
 *     while read E_FAIL.
 *   - After a cancel or a failure inside a track, the cache is flushed and the track closed as far as
 *     the drive allows, so releaseMedia can close the session; the disc's content is then undefined.
 *   - expectedTableOfContents is the READ TOC format 0000b reply (LBA form, MMC-6 Table 483) the disc
 *     will have once the session is closed, built from READ TRACK INFORMATION of each track.
 */
import type { ScsiDevice } from '../device/scsi-device.js';
import { ImapiError } from '../errors/imapi-error.js';
import type { DiscRecorder2 } from '../recorder/disc-recorder2.js';
import { FormatBase, recorderHas, type FormatCodes, type RecorderRequirement } from './format-base.js';
import { MediaPhysicalType } from './media-type.js';
import { SectorSource, isSourceInput, SOURCE_KINDS, type SourceInput } from './source.js';
import { writeTrack, writeSectors, sourceFailure, idleProgress, type WriteEngineProgress } from './track-writer.js';
import { WriteSpeedSettings, readWriteSpeedDescriptors, type IWriteSpeedDescriptor } from './write-speed.js';
import { Profile } from '../scsi/commands/get-configuration.js';
import { DiscStatus } from '../scsi/commands/read-disc-information.js';
import { encodeReadTrackInformationCdb, decodeTrackInformationReply, TrackAddressType, INVISIBLE_TRACK, type TrackInformationDecoded } from '../scsi/commands/read-track-information.js';
import { encodeTocReply, encodeReadTocCdb, decodeAtipReply, TocFormat, LEAD_OUT_TRACK, type AtipDecoded } from '../scsi/commands/read-toc-pma-atip.js';
import { encodeModeSense10Cdb, decodeModeSense10Reply, PageControl } from '../scsi/commands/mode-sense-10.js';
import { encodeModeSelect10Cdb, encodeModeSelect10Parameters } from '../scsi/commands/mode-select-10.js';
import { DataBlockType, WriteType, MultiSession, writeParametersPage, type WriteParametersPage } from '../scsi/commands/mode-page-write-parameters.js';
import { encodeSynchronizeCache10Cdb } from '../scsi/commands/synchronize-cache-10.js';
import { encodeCloseTrackSessionCdb, CloseFunction } from '../scsi/commands/close-track-session.js';

/** IMAPI_FORMAT2_TAO_WRITE_ACTION */
export const TaoWriteAction = { UNKNOWN: 0, PREPARING: 1, WRITING: 2, FINISHING: 3, VERIFYING: 4 } as const;

/** DDiscFormat2TrackAtOnceEvents::Update arguments (IDiscFormat2TrackAtOnceEventArgs + IWriteEngine2EventArgs). */
export interface TaoUpdate extends WriteEngineProgress {
  readonly currentTrackNumber: number;
  readonly currentAction: number;
}

/** CD-DA sector: 588 stereo 16-bit samples. */
export const AUDIO_SECTOR_BYTES = 2352;
const MAX_TRACKS = 99;
/** 4 seconds: a shorter track is padded with silence to this length. */
const MIN_TRACK_SECTORS = 300;

interface TaoMedia {
  physicalType: number;
  /** Tracks on the disc before the invisible one. */
  existingTracks: number;
  /** First track of the disc's current (open) session. */
  firstTrackOfSession: number;
  invisible: TrackInformationDecoded;
  /** Tracks added in this preparation. */
  added: number;
}

/** A TAO recorder lists the CD Track at Once feature (002Dh, MMC-6 §5.3.23). */
const TAO_RECORDER: RecorderRequirement = {
  has: async (r) => (await r.getSupportedFeaturePages()).includes(0x2d),
  code: 'E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED',
  why: 'no CD Track at Once feature (002Dh)',
};

export class DiscFormat2TrackAtOnce extends FormatBase<TaoUpdate> {
  protected readonly codes: FormatCodes = {
    noRecorder: 'E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED',
    clientName: 'E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID',
    mediaIsPrepared: 'E_IMAPI_DF2TAO_MEDIA_IS_PREPARED',
    mediaIsNotPrepared: 'E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED',
    writeInProgress: 'E_IMAPI_DF2TAO_WRITE_IN_PROGRESS',
    writeNotInProgress: 'E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS',
    mediaNotSupported: 'E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED',
    mediaNotBlank: 'E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK',
  };

  /** Disables BUFE (buffer underrun free recording) when true. */
  bufferUnderrunFreeDisabled = false;
  private _doNotFinalizeMedia = false;
  private readonly speed = new WriteSpeedSettings();
  private media: TaoMedia | undefined;
  /** The track is being closed (SYNCHRONIZE CACHE, CLOSE TRACK): too late to cancel it. */
  private finishing = false;

  /**
   * Leave the disc open for another session (multi-session 11b) instead of finalizing it. Set it before
   * prepareMedia or after releaseMedia: during a track E_IMAPI_DF2TAO_WRITE_IN_PROGRESS; while prepared
   * media holds tracks (written to in this preparation, or an appendable disc) "the property cannot be
   * changed once the media has been written to", E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY; while
   * prepared blank media holds none, E_IMAPI_DF2TAO_MEDIA_IS_PREPARED.
   */
  get doNotFinalizeMedia(): boolean {
    return this._doNotFinalizeMedia;
  }
  set doNotFinalizeMedia(v: boolean) {
    if (this.writing) throw this.fail('E_IMAPI_DF2TAO_WRITE_IN_PROGRESS', 'doNotFinalizeMedia cannot change while a track is written');
    if (this.prepared && this.media && this.media.existingTracks > 0) {
      throw this.fail('E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY', `the prepared disc holds ${this.media.existingTracks} track(s): doNotFinalizeMedia cannot change once the media has been written to`);
    }
    if (this.prepared) throw this.fail('E_IMAPI_DF2TAO_MEDIA_IS_PREPARED', 'doNotFinalizeMedia is read-only while the media is prepared');
    this._doNotFinalizeMedia = Boolean(v);
  }

  get currentPhysicalMediaType(): number {
    return this.media?.physicalType ?? MediaPhysicalType.UNKNOWN;
  }
  /** Tracks already on the disc, including those added since prepareMedia. */
  get numberOfExistingTracks(): number {
    return this.need().existingTracks;
  }
  /** Sectors used plus free, from the first track of the disc to the last possible lead-out. */
  get totalSectorsOnMedia(): number {
    return this.usedSectorsOnMedia + this.freeSectorsOnMedia;
  }
  get freeSectorsOnMedia(): number {
    return this.need().invisible.freeBlocks;
  }
  get usedSectorsOnMedia(): number {
    return Math.max(0, this.need().invisible.nextWritableAddress);
  }

  get requestedWriteSpeed(): number {
    return this.speed.requestedWriteSpeed;
  }
  get requestedRotationTypeIsPureCAV(): boolean {
    return this.speed.requestedRotationTypeIsPureCAV;
  }
  get currentWriteSpeed(): number {
    return this.speed.currentWriteSpeed;
  }
  get currentRotationTypeIsPureCAV(): boolean {
    return this.speed.currentRotationTypeIsPureCAV;
  }
  /** Sends the write speed (sectors per second, -1 = fastest) for the media now; every track sends it again (write-speed.ts). */
  setWriteSpeed(requestedSectorsPerSecond: number, rotationTypeIsPureCAV = false): Promise<void> {
    return this.requestWriteSpeed(this.speed, requestedSectorsPerSecond, rotationTypeIsPureCAV, async (device) => this.media?.physicalType ?? (await this.identifyMedia(device)).physicalType);
  }
  /** SupportedWriteSpeeds: sectors per second, fastest first (GET PERFORMANCE type 03h). */
  async getSupportedWriteSpeeds(): Promise<number[]> {
    return (await this.getSupportedWriteSpeedDescriptors()).map((d) => d.writeSpeed);
  }
  async getSupportedWriteSpeedDescriptors(): Promise<IWriteSpeedDescriptor[]> {
    const { device } = this.requireRecorder();
    return readWriteSpeedDescriptors(device, this.need().physicalType);
  }

  private need(): TaoMedia {
    if (!this.prepared || !this.media) throw this.fail('E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED');
    return this.media;
  }

  async isRecorderSupported(recorder: unknown): Promise<boolean> {
    try {
      return await recorderHas(() => TAO_RECORDER.has(recorder as DiscRecorder2));
    } catch {
      return false;
    }
  }

  /**
   * Locks the media: blank or appendable CD-R/RW (see the header). Like IMAPI2's, it reads the ATIP,
   * selects TAO audio write parameters (MODE SENSE/MODE SELECT page 05h) and sends the write speed, so
   * a drive that cannot write this media fails here, not in the first addAudioTrack.
   */
  async prepareMedia(): Promise<void> {
    await this.prepareWith(async (device) => {
      const snap = await this.identifyMedia(device);
      if (snap.profile !== Profile.CD_R && snap.profile !== Profile.CD_RW) {
        throw this.fail('E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED', `current media profile 0x${snap.profile.toString(16)} is not CD-R/RW`);
      }
      const disc = snap.disc!;
      if (disc.discStatus !== DiscStatus.EMPTY && disc.discStatus !== DiscStatus.INCOMPLETE) {
        throw this.fail('E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK', 'the disc is finalized');
      }
      // The ATIP (READ TOC format 0100b): recordable CD media carry it; none is an unreadable disc.
      await readAtip(device);
      // The drive must accept TAO audio writing and the speed before any track is added.
      await this.setWriteParameters(device);
      await this.speed.apply(device, snap.physicalType);
      const invisible = await readTrackInfo(device, INVISIBLE_TRACK);
      if (!invisible.nwaValid) throw this.fail('E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK', 'the drive reports no next writable address');
      this.media = {
        physicalType: snap.physicalType,
        existingTracks: invisible.trackNumber - 1,
        firstTrackOfSession: disc.firstTrackInLastSession,
        invisible,
        added: 0,
      };
    }, TAO_RECORDER);
  }

  /** Closes the session (finalizing unless doNotFinalizeMedia) when tracks were added, then releases the lock. */
  async releaseMedia(): Promise<void> {
    if (!this.prepared) throw this.fail('E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED');
    if (this.writing) throw this.fail('E_IMAPI_DF2TAO_WRITE_IN_PROGRESS');
    const media = this.media;
    let closeError: unknown;
    if (media && media.added > 0) {
      try {
        const { device } = this.requireRecorder();
        await device.exec(encodeCloseTrackSessionCdb({ immed: false, closeFunction: CloseFunction.CLOSE_SESSION, trackNumber: 0 }));
      } catch (e) {
        closeError = e;
      }
    }
    await this.releasePrepared();
    this.media = undefined;
    if (closeError !== undefined) throw closeError;
  }

  /** Cancels the track being written; call it from the Update handler. addAudioTrack ends with E_IMAPI_REQUEST_CANCELLED; E_FAIL once the track is being closed. */
  cancelAddTrack(): void {
    if (!this.writing) throw this.fail('E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS');
    if (this.finishing) throw this.fail('E_FAIL', 'too late to cancel: the track is being closed');
    this.cancelRequested = true;
  }

  /** The TOC the disc will have once the session is closed (READ TOC format 0 reply, LBA form). */
  async getExpectedTableOfContents(): Promise<Buffer> {
    if (this.writing) throw this.fail('E_IMAPI_DF2TAO_WRITE_IN_PROGRESS', 'the table of contents changes while a track is written');
    const media = this.need();
    if (media.existingTracks === 0) throw this.fail('E_IMAPI_DF2TAO_TABLE_OF_CONTENTS_EMPTY_DISC');
    const { device } = this.requireRecorder();
    const tracks = [];
    let end = 0;
    for (let n = 1; n <= media.existingTracks; n++) {
      const t = await readTrackInfo(device, n);
      tracks.push({ adr: 1, control: t.trackMode & 0x0d, trackNumber: n, startLba: t.trackStartAddress });
      end = t.trackStartAddress + t.trackSize;
    }
    tracks.push({ adr: 1, control: tracks[tracks.length - 1]!.control, trackNumber: LEAD_OUT_TRACK, startLba: end });
    return encodeTocReply({ firstTrack: 1, lastTrack: media.existingTracks, tracks }, { msf: false });
  }

  /** Writes one audio track of 2352-byte sectors. */
  async addAudioTrack(data: SourceInput): Promise<void> {
    if (data === null || data === undefined) throw this.fail('E_POINTER', 'no audio stream');
    if (!isSourceInput(data)) throw this.fail('E_INVALIDARG', `data must be ${SOURCE_KINDS}`);
    const media = this.need();
    const { device } = this.requireRecorder();
    const end = this.beginWrite();
    let source: SectorSource | undefined;
    let trackNumber = media.existingTracks + 1;
    /** Sectors reached the drive: the track must be closed even if the write fails. */
    let opened = false;
    try {
      try {
        source = await SectorSource.open(data);
      } catch (e) {
        throw sourceFailure(e, 'E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED');
      }
      if (source.size !== undefined && (source.size === 0 || source.size % AUDIO_SECTOR_BYTES !== 0)) {
        throw this.fail('E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED', `the stream is ${source.size} bytes, not a whole number of ${AUDIO_SECTOR_BYTES}-byte sectors`);
      }
      if (media.existingTracks >= MAX_TRACKS) throw this.fail('E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED');
      const total = source.size === undefined ? undefined : source.size / AUDIO_SECTOR_BYTES;
      this.report(trackNumber, TaoWriteAction.PREPARING, undefined);
      await this.setWriteParameters(device);
      await this.speed.apply(device, media.physicalType);
      const inv = await readTrackInfo(device, INVISIBLE_TRACK);
      trackNumber = inv.trackNumber;
      if (!inv.nwaValid) throw new ImapiError('E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE', 'the invisible track has no next writable address');
      const limit = inv.nextWritableAddress + inv.freeBlocks;
      if (total !== undefined && total > inv.freeBlocks) {
        throw this.fail('E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE', `the track needs ${total} sectors; ${inv.freeBlocks} are free`);
      }
      this.throwIfCancelled();
      const written = await writeTrack({
        device,
        source,
        sectorBytes: AUDIO_SECTOR_BYTES,
        startLba: inv.nextWritableAddress,
        totalSectors: total,
        limitLba: limit,
        noSpace: 'E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE',
        streamNotSupported: 'E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED',
        report: (p) => {
          opened = p.lastWrittenLba >= p.startLba;
          this.report(trackNumber, TaoWriteAction.WRITING, p);
        },
        checkCancel: () => this.throwIfCancelled(),
      });
      if (written === 0) throw this.fail('E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED', 'the audio stream is empty');
      if (written < MIN_TRACK_SECTORS) {
        // AddAudioTrack remarks: "The minimum track size is 4 seconds and if needed, the track data
        // will be enlarged": silence up to 300 sectors (Red Book's minimum track length).
        const pad = MIN_TRACK_SECTORS - written;
        if (written + pad > inv.freeBlocks) throw this.fail('E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE', `a ${MIN_TRACK_SECTORS}-sector track does not fit in ${inv.freeBlocks} free blocks`);
        await writeSectors(device, inv.nextWritableAddress + written, Buffer.alloc(pad * AUDIO_SECTOR_BYTES), AUDIO_SECTOR_BYTES);
      }
      this.finishing = true;
      this.report(trackNumber, TaoWriteAction.FINISHING, undefined);
      opened = false;
      await device.exec(encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 }));
      await device.exec(encodeCloseTrackSessionCdb({ immed: false, closeFunction: CloseFunction.CLOSE_TRACK, trackNumber }));
      media.added++;
      media.existingTracks = trackNumber;
    } catch (e) {
      if (opened) {
        // Leave the drive in a defined state: whatever reached it is flushed and the track closed.
        await device.exec(encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 })).catch(() => undefined);
        const closed = await device.exec(encodeCloseTrackSessionCdb({ immed: false, closeFunction: CloseFunction.CLOSE_TRACK, trackNumber })).then(() => true, () => false);
        if (closed) {
          media.added++;
          media.existingTracks = trackNumber;
        }
      }
      throw e;
    } finally {
      await source?.close().catch(() => undefined);
      media.invisible = await readTrackInfo(device, INVISIBLE_TRACK).catch(() => media.invisible);
      this.finishing = false;
      end();
    }
  }

  private report(track: number, action: number, p: WriteEngineProgress | undefined): void {
    const base: WriteEngineProgress = p ?? idleProgress();
    this.emitUpdate({ ...base, currentTrackNumber: track, currentAction: action });
  }

  /** MODE SENSE page 05h, then MODE SELECT it for a TAO audio track. */
  private async setWriteParameters(device: ScsiDevice): Promise<void> {
    await selectWriteParameters(device, {
      bufe: !this.bufferUnderrunFreeDisabled,
      writeType: WriteType.TRACK_AT_ONCE,
      multiSession: this._doNotFinalizeMedia ? MultiSession.NEXT_SESSION_ALLOWED : MultiSession.NO_NEXT_SESSION,
      trackMode: 0,
      dataBlockType: DataBlockType.RAW,
      sessionFormat: 0,
    });
  }
}

/** READ TOC format 0100b (ATIP); recordable CD media carry one, so none is an invalid response. */
export async function readAtip(device: ScsiDevice): Promise<AtipDecoded> {
  const reply = await device.read({
    cdb: (n) => encodeReadTocCdb({ msf: true, format: TocFormat.ATIP, trackSessionNumber: 0, allocationLength: n }),
    allocationLength: 28,
    decode: decodeAtipReply,
  });
  if (!reply.atip) throw new ImapiError('E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE', 'the drive returned no ATIP for recordable CD media');
  return reply.atip;
}

/** READ TRACK INFORMATION by track number (0xFF: the invisible track). */
export function readTrackInfo(device: ScsiDevice, track: number): Promise<TrackInformationDecoded> {
  return device.read({
    cdb: (n) => encodeReadTrackInformationCdb({ open: false, addressType: TrackAddressType.TRACK, address: track, allocationLength: n }),
    allocationLength: 48,
    decode: decodeTrackInformationReply,
  });
}

/** MODE SENSE(10) page 05h (current), change `fields`, MODE SELECT(10) it (PF=1, SP=0). */
export async function selectWriteParameters(device: ScsiDevice, fields: Partial<Omit<WriteParametersPage, 'kind'>>): Promise<void> {
  const sense = await device.read({
    cdb: (n) => encodeModeSense10Cdb({ llbaa: false, dbd: true, pageControl: PageControl.CURRENT, pageCode: 0x05, subpageCode: 0, allocationLength: n }),
    allocationLength: 8 + 2 + 0x36,
    decode: decodeModeSense10Reply,
  });
  const current = sense.pages.find((p): p is WriteParametersPage => p.kind === 'writeParameters');
  const page: WriteParametersPage = { ...(current ?? writeParametersPage()), ps: false, testWrite: false, fp: false, ...fields };
  const params = encodeModeSelect10Parameters({ mediumType: 0, deviceSpecificParameter: 0, longLba: false, blockDescriptors: Buffer.alloc(0), pages: [page] });
  await device.write(encodeModeSelect10Cdb({ pf: true, sp: false, parameterListLength: params.length }), params);
}
