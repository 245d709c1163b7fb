/**
 * What every IMAPI2 format object shares: the recorder and client-name properties and their checks,
 * the prepare/release pairing (exclusive access + tray lock + MCN off while prepared, undone on any
 * failure), media identification, and the write-in-progress/cancel state machine.
 *
 * Each format reports its own HRESULT family (DF2RAW, DF2TAO, DF2DATA, ERASE) for the same conditions;
 * `codes` maps the shared condition names to that family's codes.
 *
 * While the media is prepared the recorder refuses ejectMedia/closeTray (DiscRecorder2.holdMedia).
 *
 * Checks on the recorder property, in this order (the conformance suite asserts them):
 *   - null/undefined                         → *_NO_RECORDER_SPECIFIED (E_IMAPI_RECORDER_REQUIRED where the family has none)
 *   - not a DiscRecorder2                     → E_POINTER
 *   - a DiscRecorder2 never initialized       → E_INVALIDARG
 *   - a closed DiscRecorder2                  → HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)
 * (SetWriteSpeed has no family code: without a recorder it is E_IMAPI_RECORDER_REQUIRED for all, as its tables say.)
 * IMAPI2 also refuses, when the recorder is set, one that cannot record this format (*_RECORDER_NOT_SUPPORTED);
 * the recorder setter here cannot ask the drive, so prepareMedia / eraseMedia / write do, after the client
 * name and before anything is locked (RecorderRequirement; a drive without GET CONFIGURATION has nothing).
 */
import { ImapiError } from '../errors/imapi-error.js';
import type { HResultName } from '../errors/hresult.js';
import { DiscRecorder2 } from '../recorder/disc-recorder2.js';
import { isValidClientName } from '../recorder/client-name.js';
import type { ScsiDevice } from '../device/scsi-device.js';
import { UpdateEmitter } from './updates.js';
import type { WriteSpeedSettings } from './write-speed.js';
import { physicalTypeOfProfile, isDvdOrBdProfile } from './media-type.js';
import { encodeGetConfigurationCdb, decodeGetConfigurationReply } from '../scsi/commands/get-configuration.js';
import { encodeReadDiscInformationCdb, decodeDiscInformationReply, type DiscInformationDecoded } from '../scsi/commands/read-disc-information.js';
import { encodePreventAllowMediumRemovalCdb, MediumRemoval } from '../scsi/commands/prevent-allow-medium-removal.js';
import { encodeTestUnitReadyCdb } from '../scsi/commands/unit-ready.js';
import { encodeReadDiscStructureCdb, DiscStructureMediaType, DiscStructureFormat, DVD_PHYSICAL_FORMAT_REPLY_LENGTH } from '../scsi/commands/read-disc-structure.js';

/** What a format needs of the recorder (its *_RECORDER_NOT_SUPPORTED check). */
export interface RecorderRequirement {
  /** Whether the recorder has it (GET CONFIGURATION features or profiles). */
  has(recorder: DiscRecorder2): Promise<boolean>;
  code: HResultName;
  /** What the recorder lacks, for the message. */
  why: string;
}

/**
 * `has()`, where a drive without GET CONFIGURATION (a plain CD-ROM drive) has nothing; other device
 * errors are thrown (they are the device's condition, not an answer).
 */
export async function recorderHas(has: () => Promise<boolean>): Promise<boolean> {
  try {
    return await has();
  } catch (e) {
    if (e instanceof ImapiError && e.hresultName === 'E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED') return false;
    throw e;
  }
}

export interface FormatCodes {
  readonly noRecorder: HResultName;
  readonly clientName: HResultName;
  readonly mediaIsPrepared?: HResultName;
  readonly mediaIsNotPrepared?: HResultName;
  readonly writeInProgress: HResultName;
  readonly writeNotInProgress: HResultName;
  readonly mediaNotSupported: HResultName;
  readonly mediaNotBlank?: HResultName;
}

/** One identification of the current media: the drive's current profile, disc information. */
export interface MediaSnapshot {
  readonly profile: number;
  readonly physicalType: number;
  readonly disc: DiscInformationDecoded | undefined;
}

export abstract class FormatBase<U> extends UpdateEmitter<U> {
  /** The recorder to use. Checked when used, not when set (IMAPI2's put_Recorder takes any pointer). */
  recorder: unknown = undefined;
  protected _clientName = '';
  protected prepared: { release: () => Promise<void> } | undefined;
  protected writing = false;
  protected cancelRequested = false;
  protected abstract readonly codes: FormatCodes;

  /** The name that identifies this application as the exclusive-access owner. */
  get clientName(): string {
    return this._clientName;
  }
  set clientName(name: string) {
    this._clientName = typeof name === 'string' ? name : String(name);
  }

  /** True when the object's recorder is a drive this format can use (overridden per format). */
  abstract isRecorderSupported(recorder: unknown): Promise<boolean>;

  protected fail(name: HResultName, detail?: string): ImapiError {
    return new ImapiError(name, detail === undefined ? undefined : `${name}: ${detail}`);
  }

  /** The recorder, checked (see the header for the order), and its device. */
  protected requireRecorder(noRecorder: HResultName = this.codes.noRecorder): { recorder: DiscRecorder2; device: ScsiDevice } {
    const r = this.recorder;
    if (r === undefined || r === null) throw this.fail(noRecorder);
    if (!(r instanceof DiscRecorder2)) throw this.fail('E_POINTER', 'the recorder property does not hold a DiscRecorder2');
    if (r.activeDiscRecorder === '') throw this.fail('E_INVALIDARG', 'the recorder was never initialized (initializeDiscRecorder)');
    return { recorder: r, device: r.device };
  }

  /**
   * SetWriteSpeed (write-speed.ts): the recorder (E_IMAPI_RECORDER_REQUIRED without one, as the
   * SetWriteSpeed tables of all three formats say), not during a write, then the request sent to the
   * drive for the media `physicalType` resolves.
   */
  protected async requestWriteSpeed(speed: WriteSpeedSettings, sectorsPerSecond: number, rotationTypeIsPureCAV: boolean, physicalType: (device: ScsiDevice) => Promise<number>): Promise<void> {
    const { device } = this.requireRecorder('E_IMAPI_RECORDER_REQUIRED');
    if (this.writing) throw this.fail(this.codes.writeInProgress, 'the write speed cannot change while a write is in progress');
    await speed.request(device, sectorsPerSecond, rotationTypeIsPureCAV, () => physicalType(device));
  }

  protected requireClientName(): string {
    if (!isValidClientName(this._clientName)) throw this.fail(this.codes.clientName, `client name ${JSON.stringify(this._clientName)} is not valid`);
    return this._clientName;
  }

  /** Identifies the current media: TEST UNIT READY, current profile, DVD structure, disc information. */
  protected async identifyMedia(device: ScsiDevice): Promise<MediaSnapshot> {
    await device.exec(encodeTestUnitReadyCdb());
    const config = await device.read({
      cdb: (n) => encodeGetConfigurationCdb({ rt: 1, startingFeature: 0, allocationLength: n }),
      allocationLength: 8,
      decode: decodeGetConfigurationReply,
    });
    const profile = config.currentProfile;
    if (isDvdOrBdProfile(profile) && profile < 0x40) {
      // DVD physical format information (READ DISC STRUCTURE format 00h): layers, book type. A drive
      // without the command (05/20/00) is identified from its profile alone.
      const cdb = encodeReadDiscStructureCdb({ mediaType: DiscStructureMediaType.DVD, address: 0, layerNumber: 0, formatCode: DiscStructureFormat.PHYSICAL_FORMAT_INFORMATION, allocationLength: DVD_PHYSICAL_FORMAT_REPLY_LENGTH, agid: 0 });
      await device.run({ cdb, direction: 'in', dataInLength: DVD_PHYSICAL_FORMAT_REPLY_LENGTH }).catch((e: unknown) => {
        if (e instanceof ImapiError && e.sense?.key === 0x5 && e.sense.asc === 0x20) return;
        throw e;
      });
    }
    const disc = profile === 0 ? undefined : await this.discInformation(device);
    return { profile, physicalType: physicalTypeOfProfile(profile), disc };
  }

  protected discInformation(device: ScsiDevice): Promise<DiscInformationDecoded> {
    return device.read({
      cdb: (n) => encodeReadDiscInformationCdb({ dataType: 0, allocationLength: n }),
      allocationLength: 34,
      decode: decodeDiscInformationReply,
    });
  }

  /**
   * Prepares: checks, exclusive access for the client name, `identify` (the format's own media checks),
   * tray locked, MCN suspended. Any failure undoes what was done, in reverse.
   */
  protected async prepareWith(identify: (device: ScsiDevice, recorder: DiscRecorder2) => Promise<void>, supported?: RecorderRequirement): Promise<void> {
    const { recorder, device } = this.requireRecorder();
    if (this.prepared) throw this.fail(this.codes.mediaIsPrepared ?? 'E_FAIL', 'the media is already prepared');
    const name = this.requireClientName();
    // What IMAPI2 checks when the recorder is set (this API's setter cannot ask the drive): before anything is locked.
    if (supported && !(await recorderHas(() => supported.has(recorder)))) throw this.fail(supported.code, `${recorder.activeDiscRecorder}: ${supported.why}`);
    const undo: Array<() => Promise<void>> = [];
    try {
      await recorder.acquireExclusiveAccess(false, name);
      undo.push(() => recorder.releaseExclusiveAccess());
      await identify(device, recorder);
      await device.exec(encodePreventAllowMediumRemovalCdb({ prevent: MediumRemoval.PREVENT }));
      undo.push(() => device.exec(encodePreventAllowMediumRemovalCdb({ prevent: MediumRemoval.ALLOW })));
      const resume = recorder.suspendMcn();
      undo.push(async () => resume());
      const unhold = recorder.holdMedia();
      undo.push(async () => unhold());
    } catch (e) {
      await runUndo(undo);
      throw e;
    }
    this.prepared = { release: () => runUndo(undo, true) };
  }

  /** Releases what prepare took; the first error (if any) is thrown after everything was tried. */
  protected async releasePrepared(): Promise<void> {
    const p = this.prepared;
    if (!p) throw this.fail(this.codes.mediaIsNotPrepared ?? 'E_FAIL', 'the media is not prepared');
    if (this.writing) throw this.fail(this.codes.writeInProgress, 'a write is in progress');
    this.prepared = undefined;
    await p.release();
  }

  /** Starts a write: exactly one at a time. Returns the function that ends it. */
  protected beginWrite(): () => void {
    if (this.writing) throw this.fail(this.codes.writeInProgress, 'a write is already in progress');
    this.writing = true;
    this.cancelRequested = false;
    return () => {
      this.writing = false;
      this.cancelRequested = false;
      this.emitDone();
    };
  }

  protected throwIfCancelled(): void {
    if (this.cancelRequested) throw new ImapiError('E_IMAPI_REQUEST_CANCELLED', undefined, { canceled: true });
  }
}

async function runUndo(undo: Array<() => Promise<void>>, throwFirst = false): Promise<void> {
  let first: unknown;
  for (const f of undo.reverse()) {
    try {
      await f();
    } catch (e) {
      first ??= e;
    }
  }
  undo.length = 0;
  if (throwFirst && first !== undefined) throw first;
}
