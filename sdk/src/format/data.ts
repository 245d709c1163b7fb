/**
 * DiscFormat2Data: writes a data image (ISO 9660, UDF, any 2048-byte-sector image) (IDiscFormat2Data).
 *
 *   const data = new DiscFormat2Data();
 *   data.recorder = recorder; data.clientName = 'my app';
 *   data.on('update', (u) => ...);     // cancelWrite() may be called from here
 *   await data.write('image.iso');     // takes and gives back exclusive access and the tray lock itself
 *
 * Per medium (MMC-6 §4 recording models):
 *   - CD-R/RW: a TAO mode 1 track (page 05h: write type TAO, data block type 8, track mode 4 data
 *     uninterrupted, multi-session 11b — or 00b with forceMediaToBeClosed), WRITE(10) from the
 *     invisible track's NWA, SYNCHRONIZE CACHE, CLOSE TRACK, CLOSE SESSION.
 *   - DVD-R/-RW sequential (incl. DL): the same with write type 0 (incremental).
 *   - DVD+R (DL), BD-R: no write parameters page; CLOSE TRACK, then CLOSE SESSION (010b), or
 *     finalize (110b) with forceMediaToBeClosed.
 *   - DVD+RW (DL), BD-RE, DVD-RW restricted overwrite, DVD-RAM: written from LBA 0, SYNCHRONIZE CACHE.
 * A sequential disc that is appendable gets a new session at its NWA (multisession: read
 * nextWritableAddress / startAddressOfPreviousSession / lastWrittenAddressOfPreviousSession to build
 * the image); a finalized one is E_IMAPI_DF2DATA_INVALID_MEDIA_STATE. Overwrite-only media that hold
 * data (track 1 not blank) need forceOverwrite, else E_IMAPI_DF2DATA_MEDIA_NOT_BLANK.
 * A sequential disc is closed after the write (no next session: page 05h multi-session 00b before
 * CLOSE SESSION, or finalize 110b) with forceMediaToBeClosed, and also when the write leaves 2% of
 * the disc or less free, as IMAPI2 does (`closesMedia`).
 * A recorder with none of the data write features (DATA_WRITE_FEATURES, GET CONFIGURATION) is
 * E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED, before anything is locked or written.
 *
 * The media properties cost commands, so they are async getter methods (getCurrentMediaStatus(), …),
 * each answering from a fresh identification.
 */
import type { ScsiDevice } from '../device/scsi-device.js';
import { ImapiError } from '../errors/imapi-error.js';
import type { DiscRecorder2 } from '../recorder/disc-recorder2.js';
import { FormatBase, recorderHas, type FormatCodes } from './format-base.js';
import { MediaPhysicalType } from './media-type.js';
import { SectorSource, isSourceInput, SOURCE_KINDS, type SourceInput } from './source.js';
import { writeTrack, sourceFailure, idleProgress, type WriteEngineProgress } from './track-writer.js';
import { WriteSpeedSettings, readWriteSpeedDescriptors, type IWriteSpeedDescriptor } from './write-speed.js';
import { readTrackInfo, selectWriteParameters } from './track-at-once.js';
import { Profile, Feature } from '../scsi/commands/get-configuration.js';
import { DiscStatus, SessionState, type DiscInformationDecoded } from '../scsi/commands/read-disc-information.js';
import { encodeReadTrackInformationCdb, decodeTrackInformationReply, TrackAddressType, INVISIBLE_TRACK } from '../scsi/commands/read-track-information.js';
import { encodeRead10Cdb } from '../scsi/commands/read-10.js';
import { encodeReadCapacity10Cdb, decodeReadCapacity10Reply } from '../scsi/commands/read-capacity-10.js';
import { encodeModeSense10Cdb, decodeModeSense10Reply, PageControl } from '../scsi/commands/mode-sense-10.js';
import { DataBlockType, WriteType, MultiSession } from '../scsi/commands/mode-page-write-parameters.js';
import { encodeSynchronizeCache10Cdb } from '../scsi/commands/synchronize-cache-10.js';
import { encodeCloseTrackSessionCdb, CloseFunction } from '../scsi/commands/close-track-session.js';

/** IMAPI_FORMAT2_DATA_MEDIA_STATE flags. */
export const DataMediaState = {
  UNKNOWN: 0,
  OVERWRITE_ONLY: 0x1,
  RANDOMLY_WRITABLE: 0x1,
  BLANK: 0x2,
  APPENDABLE: 0x4,
  FINAL_SESSION: 0x8,
  INFORMATIONAL_MASK: 0xf,
  DAMAGED: 0x400,
  ERASE_REQUIRED: 0x800,
  NON_EMPTY_SESSION: 0x1000,
  WRITE_PROTECTED: 0x2000,
  FINALIZED: 0x4000,
  UNSUPPORTED_MEDIA: 0x8000,
  UNSUPPORTED_MASK: 0xfc00,
} as const;

/** IMAPI_MEDIA_WRITE_PROTECT_STATE flags (IDiscFormat2Data::WriteProtectStatus). */
export const MediaWriteProtectState = {
  UNTIL_POWERDOWN: 0x1,
  BY_CARTRIDGE: 0x2,
  BY_MEDIA_SPECIFIC_REASON: 0x4,
  BY_SOFTWARE_WRITE_PROTECT: 0x8,
  BY_DISC_CONTROL_BLOCK: 0x10,
  READ_ONLY_MEDIA: 0x4000,
} as const;

/** IMAPI_FORMAT2_DATA_WRITE_ACTION */
export const DataWriteAction = {
  VALIDATING_MEDIA: 0,
  FORMATTING_MEDIA: 1,
  INITIALIZING_HARDWARE: 2,
  CALIBRATING_POWER: 3,
  WRITING_DATA: 4,
  FINALIZATION: 5,
  COMPLETED: 6,
  VERIFYING: 7,
} as const;

/** DDiscFormat2DataEvents::Update arguments (IDiscFormat2DataEventArgs + IWriteEngine2EventArgs). */
export interface DataUpdate extends WriteEngineProgress {
  readonly currentAction: number;
  /** Estimated total seconds (elapsed + remaining). */
  readonly totalTime: number;
}

type Recording = 'cd' | 'dvd-r' | 'plus' | 'overwrite';

const RECORDING: ReadonlyMap<number, Recording> = new Map<number, Recording>([
  [Profile.CD_R, 'cd'], [Profile.CD_RW, 'cd'],
  [Profile.DVD_R_SEQUENTIAL, 'dvd-r'], [Profile.DVD_RW_SEQUENTIAL, 'dvd-r'], [Profile.DVD_R_DL_SEQUENTIAL, 'dvd-r'],
  [Profile.DVD_PLUS_R, 'plus'], [Profile.DVD_PLUS_R_DL, 'plus'], [Profile.BD_R_SRM, 'plus'],
  [Profile.DVD_PLUS_RW, 'overwrite'], [Profile.DVD_PLUS_RW_DL, 'overwrite'], [Profile.BD_RE, 'overwrite'], [Profile.DVD_RW_RESTRICTED_OVERWRITE, 'overwrite'], [Profile.DVD_RAM, 'overwrite'],
]);

/** What one identification of the media says. */
export interface DataMediaInfo {
  readonly profile: number;
  readonly physicalType: number;
  readonly recording: Recording | undefined;
  readonly status: number;
  /** IMAPI_MEDIA_WRITE_PROTECT_STATE flags: READ_ONLY_MEDIA for media the drive cannot write (ROM),
   *  BY_SOFTWARE_WRITE_PROTECT when the drive reports the medium write-protected (WP, mode parameter header). */
  readonly writeProtectStatus: number;
  /** Where a write would start, and how many sectors it may take. */
  readonly nextWritableAddress: number;
  readonly freeSectors: number;
  readonly totalSectors: number;
  readonly startAddressOfPreviousSession: number;
  readonly lastWrittenAddressOfPreviousSession: number;
  /** Overwrite-only media holding data. */
  readonly holdsData: boolean;
}

export const DATA_SECTOR_BYTES = 2048;

export class DiscFormat2Data extends FormatBase<DataUpdate> {
  protected readonly codes: FormatCodes = {
    noRecorder: 'E_IMAPI_RECORDER_REQUIRED',
    clientName: 'E_IMAPI_DF2DATA_CLIENT_NAME_IS_NOT_VALID',
    writeInProgress: 'E_IMAPI_DF2DATA_WRITE_IN_PROGRESS',
    writeNotInProgress: 'E_IMAPI_DF2DATA_WRITE_NOT_IN_PROGRESS',
    mediaNotSupported: 'E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED',
    mediaNotBlank: 'E_IMAPI_DF2DATA_MEDIA_NOT_BLANK',
  };

  bufferUnderrunFreeDisabled = false;
  private _forceMediaToBeClosed = false;
  /** The session is being closed: too late to cancel the write. */
  private finishing = false;

  /** Close the disc (no further sessions) after this write. Cannot change while a write is in progress. */
  get forceMediaToBeClosed(): boolean {
    return this._forceMediaToBeClosed;
  }
  set forceMediaToBeClosed(v: boolean) {
    if (this.writing) throw this.fail('E_IMAPI_DF2DATA_WRITE_IN_PROGRESS', 'forceMediaToBeClosed cannot change while a write is in progress');
    this._forceMediaToBeClosed = Boolean(v);
  }
  /** Allow overwriting overwrite-only media that hold data. */
  forceOverwrite = false;
  private readonly speed = new WriteSpeedSettings();

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
  /** Sends the write speed (sectors per second, -1 for the fastest) for the current media now; every write sends it again (write-speed.ts). */
  setWriteSpeed(requestedSectorsPerSecond: number, rotationTypeIsPureCAV = false): Promise<void> {
    return this.requestWriteSpeed(this.speed, requestedSectorsPerSecond, rotationTypeIsPureCAV, async (device) => (await this.identifyMedia(device)).physicalType);
  }

  /** True when the recorder has a feature a data write records with (DATA_WRITE_FEATURES). */
  async isRecorderSupported(recorder: unknown): Promise<boolean> {
    try {
      return await writesData(recorder as DiscRecorder2);
    } catch {
      return false;
    }
  }

  /** A fresh identification of the current media (no exclusive access taken). */
  async getMediaInfo(): Promise<DataMediaInfo> {
    const { device } = this.requireRecorder();
    return this.inspect(device);
  }
  async getCurrentMediaStatus(): Promise<number> {
    return (await this.getMediaInfo()).status;
  }
  /** WriteProtectStatus: IMAPI_MEDIA_WRITE_PROTECT_STATE flags (0: not write-protected). */
  async getWriteProtectStatus(): Promise<number> {
    return (await this.getMediaInfo()).writeProtectStatus;
  }
  async getNextWritableAddress(): Promise<number> {
    return (await this.getMediaInfo()).nextWritableAddress;
  }
  async getStartAddressOfPreviousSession(): Promise<number> {
    return (await this.getMediaInfo()).startAddressOfPreviousSession;
  }
  async getLastWrittenAddressOfPreviousSession(): Promise<number> {
    return (await this.getMediaInfo()).lastWrittenAddressOfPreviousSession;
  }
  async getTotalSectorsOnMedia(): Promise<number> {
    return (await this.getMediaInfo()).totalSectors;
  }
  async getFreeSectorsOnMedia(): Promise<number> {
    return (await this.getMediaInfo()).freeSectors;
  }
  async getCurrentPhysicalMediaType(): Promise<number> {
    return (await this.getMediaInfo()).physicalType;
  }
  async getSupportedWriteSpeeds(): Promise<number[]> {
    return (await this.getSupportedWriteSpeedDescriptors()).map((d) => d.writeSpeed);
  }
  async getSupportedWriteSpeedDescriptors(): Promise<IWriteSpeedDescriptor[]> {
    const { device } = this.requireRecorder();
    return readWriteSpeedDescriptors(device, (await this.inspect(device)).physicalType);
  }

  /** Cancels the write in progress (from the Update handler); write ends with E_IMAPI_REQUEST_CANCELLED; E_FAIL once the session is being closed. */
  cancelWrite(): void {
    if (!this.writing) throw this.fail('E_IMAPI_DF2DATA_WRITE_NOT_IN_PROGRESS');
    if (this.finishing) throw this.fail('E_FAIL', 'too late to cancel: the drive is closing the track and session');
    this.cancelRequested = true;
  }

  /** Writes a 2048-byte-sector image (see the header). */
  async write(data: SourceInput): Promise<void> {
    if (data === null || data === undefined) throw this.fail('E_POINTER', 'no data stream');
    if (!isSourceInput(data)) throw this.fail('E_INVALIDARG', `data must be ${SOURCE_KINDS}`);
    if (this.writing) throw this.fail('E_IMAPI_DF2DATA_WRITE_IN_PROGRESS');
    const { recorder, device } = this.requireRecorder();
    this.requireClientName();
    if (!(await writesData(recorder))) throw this.fail('E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED', `${recorder.activeDiscRecorder} has none of the write features a data write needs`);
    let source: SectorSource | undefined;
    try {
      source = await SectorSource.open(data);
    } catch (e) {
      throw sourceFailure(e, 'E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED');
    }
    let end: (() => void) | undefined;
    let failure: unknown;
    try {
      if (source.size !== undefined && (source.size === 0 || source.size % DATA_SECTOR_BYTES !== 0)) {
        throw this.fail('E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED', `the stream is ${source.size} bytes, not a whole number of ${DATA_SECTOR_BYTES}-byte sectors`);
      }
      let info: DataMediaInfo | undefined;
      await this.prepareWith(async (dev) => {
        info = await this.inspect(dev);
        this.check(info, source!.size);
      });
      end = this.beginWrite();
      await this.record(device, source, info!);
    } catch (e) {
      failure = e;
    } finally {
      await source.close().catch(() => undefined);
      this.finishing = false;
      end?.();
    }
    if (this.prepared) {
      try {
        await this.releasePrepared();
      } catch (e) {
        failure ??= e;
      }
    }
    if (failure !== undefined) throw failure;
  }

  private check(info: DataMediaInfo, size: number | undefined): void {
    if (!info.recording) throw this.fail('E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED', `media profile 0x${info.profile.toString(16)} is not a writable disc`);
    if (info.writeProtectStatus & MediaWriteProtectState.BY_SOFTWARE_WRITE_PROTECT) throw new ImapiError('E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED');
    if (info.recording === 'overwrite') {
      if (info.holdsData && !this.forceOverwrite) throw this.fail('E_IMAPI_DF2DATA_MEDIA_NOT_BLANK');
    } else if (info.status & DataMediaState.FINALIZED) {
      throw this.fail('E_IMAPI_DF2DATA_INVALID_MEDIA_STATE', 'the disc is finalized: nothing more can be written' + (info.profile === Profile.CD_RW ? ' (erase it first)' : ''));
    } else if (info.status & DataMediaState.DAMAGED) {
      throw this.fail('E_IMAPI_DF2DATA_INVALID_MEDIA_STATE', 'the last session is damaged');
    }
    if (size !== undefined && size / DATA_SECTOR_BYTES > info.freeSectors) {
      throw this.fail('E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA', `the image needs ${size / DATA_SECTOR_BYTES} sectors; ${info.freeSectors} are free`);
    }
  }

  private async record(device: ScsiDevice, source: SectorSource, info: DataMediaInfo): Promise<void> {
    const total = source.size === undefined ? undefined : source.size / DATA_SECTOR_BYTES;
    this.report(DataWriteAction.VALIDATING_MEDIA, undefined);
    this.report(DataWriteAction.INITIALIZING_HARDWARE, undefined);
    const sequential = info.recording !== 'overwrite';
    if (info.recording === 'cd' || info.recording === 'dvd-r') {
      await selectWriteParameters(device, {
        bufe: !this.bufferUnderrunFreeDisabled,
        writeType: info.recording === 'cd' ? WriteType.TRACK_AT_ONCE : WriteType.PACKET_INCREMENTAL,
        multiSession: this.forceMediaToBeClosed ? MultiSession.NO_NEXT_SESSION : MultiSession.NEXT_SESSION_ALLOWED,
        trackMode: 4,
        dataBlockType: DataBlockType.MODE_1,
        sessionFormat: 0,
      });
    }
    await this.speed.apply(device, info.physicalType);
    let start = info.nextWritableAddress;
    let limit = start + info.freeSectors;
    let trackNumber = 0;
    if (sequential) {
      const inv = await readTrackInfo(device, INVISIBLE_TRACK);
      start = inv.nextWritableAddress;
      limit = start + inv.freeBlocks;
      trackNumber = inv.trackNumber;
    }
    this.throwIfCancelled();
    let written = false;
    let sectors = 0;
    try {
      sectors = await writeTrack({
        device,
        source,
        sectorBytes: DATA_SECTOR_BYTES,
        startLba: start,
        totalSectors: total,
        limitLba: limit,
        noSpace: 'E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA',
        streamNotSupported: 'E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED',
        report: (p) => {
          written = p.lastWrittenLba >= p.startLba;
          this.report(DataWriteAction.WRITING_DATA, p);
        },
        checkCancel: () => this.throwIfCancelled(),
      });
      if (!written) throw this.fail('E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED', 'the data stream is empty');
    } catch (e) {
      if (written) {
        // Leave the drive in a defined state: what it has is recorded, the track (if any) closed.
        await device.exec(encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 })).catch(() => undefined);
        if (sequential) await device.exec(encodeCloseTrackSessionCdb({ immed: false, closeFunction: CloseFunction.CLOSE_TRACK, trackNumber })).catch(() => undefined);
      }
      throw e;
    }
    this.finishing = true;
    this.report(DataWriteAction.FINALIZATION, undefined);
    await device.exec(encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 }));
    if (sequential) {
      await device.exec(encodeCloseTrackSessionCdb({ immed: false, closeFunction: CloseFunction.CLOSE_TRACK, trackNumber }));
      // Closed when forced, or when the write left 2% of the disc or less (see closesMedia): what was
      // free at the NWA less what this write took.
      const close = this.forceMediaToBeClosed || closesMedia(limit - start - sectors, info.totalSectors);
      if (close && !this.forceMediaToBeClosed && (info.recording === 'cd' || info.recording === 'dvd-r')) {
        // The write parameters page asked for a next session; CLOSE SESSION follows what it says then.
        await selectWriteParameters(device, { multiSession: MultiSession.NO_NEXT_SESSION });
      }
      const finalize = info.recording === 'plus' && close;
      await device.exec(encodeCloseTrackSessionCdb({ immed: false, closeFunction: finalize ? CloseFunction.FINALIZE_DISC : CloseFunction.CLOSE_SESSION, trackNumber: 0 }));
    }
    this.report(DataWriteAction.COMPLETED, undefined);
  }

  private lastProgress: WriteEngineProgress | undefined;
  private report(action: number, p: WriteEngineProgress | undefined): void {
    if (p) this.lastProgress = p;
    const base: WriteEngineProgress = p ?? this.lastProgress ?? idleProgress();
    this.emitUpdate({ ...base, currentAction: action, totalTime: base.elapsedTime + base.remainingTime });
    if (action === DataWriteAction.COMPLETED) this.lastProgress = undefined;
  }

  /** Identifies the media and works out where a write would go. */
  private async inspect(device: ScsiDevice): Promise<DataMediaInfo> {
    const snap = await this.identifyMedia(device);
    const recording = RECORDING.get(snap.profile);
    const header = await device.read({
      cdb: (n) => encodeModeSense10Cdb({ llbaa: false, dbd: true, pageControl: PageControl.CURRENT, pageCode: 0x2a, subpageCode: 0, allocationLength: n }),
      allocationLength: 8,
      decode: decodeModeSense10Reply,
    }).catch(() => undefined);
    const writeProtectStatus = (((header?.deviceSpecificParameter ?? 0) & 0x80) !== 0 ? MediaWriteProtectState.BY_SOFTWARE_WRITE_PROTECT : 0)
      | (snap.profile !== 0 && !recording ? MediaWriteProtectState.READ_ONLY_MEDIA : 0);
    const base = { profile: snap.profile, physicalType: snap.physicalType, recording, writeProtectStatus };
    const wp = writeProtectStatus ? DataMediaState.WRITE_PROTECTED : 0;
    if (!recording || !snap.disc) {
      return { ...base, status: DataMediaState.UNSUPPORTED_MEDIA | wp, nextWritableAddress: 0, freeSectors: 0, totalSectors: 0, startAddressOfPreviousSession: -1, lastWrittenAddressOfPreviousSession: -1, holdsData: false };
    }
    if (recording === 'overwrite') {
      const cap = await device.read({ cdb: () => encodeReadCapacity10Cdb(), allocationLength: 8, decode: decodeReadCapacity10Reply });
      const holdsData = !(await looksBlank(device));
      const total = cap.lastLba + 1;
      const status = DataMediaState.OVERWRITE_ONLY | (holdsData ? 0 : DataMediaState.BLANK) | wp;
      return { ...base, status, nextWritableAddress: 0, freeSectors: total, totalSectors: total, startAddressOfPreviousSession: -1, lastWrittenAddressOfPreviousSession: -1, holdsData };
    }
    const seq = await this.sequentialState(device, snap.disc);
    return { ...base, ...seq, status: seq.status | wp, holdsData: false };
  }

  private async sequentialState(device: ScsiDevice, disc: DiscInformationDecoded) {
    const finalized = disc.discStatus === DiscStatus.FINALIZED;
    let status: number = finalized ? DataMediaState.FINALIZED : disc.discStatus === DiscStatus.EMPTY ? DataMediaState.BLANK : DataMediaState.APPENDABLE;
    if (disc.stateOfLastSession === SessionState.RESERVED_DAMAGED) status |= DataMediaState.DAMAGED;
    let nwa = 0;
    let free = 0;
    let used = 0;
    if (!finalized) {
      const inv = await readTrackInfo(device, INVISIBLE_TRACK);
      nwa = inv.nwaValid ? inv.nextWritableAddress : 0;
      free = inv.freeBlocks;
      used = Math.max(0, inv.trackStartAddress);
      if (disc.stateOfLastSession === SessionState.INCOMPLETE && inv.trackNumber > disc.firstTrackInLastSession) status |= DataMediaState.NON_EMPTY_SESSION;
    }
    // The previous session: the last closed one (the one before the open session, or the last).
    let prevStart = -1;
    let prevEnd = -1;
    const lastClosedTrack = finalized ? disc.lastTrackInLastSession : disc.firstTrackInLastSession - 1;
    if (disc.discStatus !== DiscStatus.EMPTY && lastClosedTrack >= 1) {
      const last = await readTrackInfo(device, lastClosedTrack);
      const first = await device.read({
        cdb: (n) => encodeReadTrackInformationCdb({ open: false, addressType: TrackAddressType.SESSION, address: last.sessionNumber, allocationLength: n }),
        allocationLength: 48,
        decode: decodeTrackInformationReply,
      });
      prevStart = first.trackStartAddress;
      prevEnd = last.trackStartAddress + last.trackSize - 1;
      if (finalized) used = prevEnd + 1;
    }
    return { status, nextWritableAddress: nwa, freeSectors: free, totalSectors: used + free, startAddressOfPreviousSession: prevStart, lastWrittenAddressOfPreviousSession: prevEnd };
  }
}

/**
 * IDiscFormat2Data::put_ForceMediaToBeClosed remarks: "When the free space on a disc reaches 2% or
 * less, the write process marks the disc closed, regardless of the value of this property", so that a
 * session never leaves too little room for another session's file system. True when `freeSectors`
 * (after the write) is at most 2% of `totalSectors` (the disc's capacity).
 */
export function closesMedia(freeSectors: number, totalSectors: number): boolean {
  return freeSectors * 50 <= totalSectors;
}

/**
 * The features (MMC-6 §5.3) a data write records with, one per recording model of the header: random
 * writable and restricted overwrite (DVD+RW, BD-RE, DVD-RAM, DVD-RW RO), incremental streaming (CD and
 * DVD-R TAO/packet), CD track at once, DVD-R/-RW write, layer jump, DVD+R, DVD+RW, their dual-layer
 * forms, BD write. A recorder with none of them cannot take DiscFormat2Data's commands.
 */
export const DATA_WRITE_FEATURES: ReadonlySet<number> = new Set([
  Feature.RANDOM_WRITABLE, Feature.INCREMENTAL_STREAMING_WRITABLE, Feature.RESTRICTED_OVERWRITE, Feature.DVD_PLUS_RW,
  Feature.DVD_PLUS_R, Feature.RIGID_RESTRICTED_OVERWRITE, Feature.CD_TRACK_AT_ONCE, Feature.DVD_R_RW_WRITE,
  Feature.LAYER_JUMP_RECORDING, Feature.DVD_PLUS_RW_DUAL_LAYER, Feature.DVD_PLUS_R_DUAL_LAYER, Feature.BD_WRITE,
]);

/**
 * Whether the recorder lists one of DATA_WRITE_FEATURES (GET CONFIGURATION, every feature). A drive
 * without GET CONFIGURATION (05/20/00: a CD-ROM drive of before MMC-2) writes nothing this format
 * can send; any other failure is the drive's condition and is thrown as it is.
 */
function writesData(recorder: DiscRecorder2): Promise<boolean> {
  return recorderHas(async () => (await recorder.getSupportedFeaturePages()).some((f) => DATA_WRITE_FEATURES.has(f)));
}

/**
 * Overwrite-only media report their whole formatted area as one recorded track (MMC-6: a formatted
 * DVD+RW / BD-RE has no blank state), so whether one holds data is a heuristic: the first 32 sectors
 * (where ISO 9660 and UDF put their volume recognition sequence, from LBA 16) are all zeros.
 */
async function looksBlank(device: ScsiDevice): Promise<boolean> {
  const res = await device.run({ cdb: encodeRead10Cdb({ lba: 0, transferLength: 32 }), direction: 'in', dataInLength: 32 * DATA_SECTOR_BYTES }).catch(() => undefined);
  if (!res) return false;
  return res.dataIn.every((b) => b === 0);
}
