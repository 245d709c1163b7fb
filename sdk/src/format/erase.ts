/**
 * DiscFormat2Erase: erases rewritable media (IDiscFormat2Erase).
 *
 *   const erase = new DiscFormat2Erase();
 *   erase.recorder = recorder; erase.clientName = 'my app'; erase.fullErase = false;
 *   erase.on('update', ({ elapsedSeconds, estimatedTotalSeconds }) => ...);
 *   await erase.eraseMedia();
 *
 * No prepare/release of its own: eraseMedia takes exclusive access, locks the tray and suspends MCN
 * for the erase and gives them back when it ends (FormatBase.prepareWith / releasePrepared).
 *
 * Per medium (MMC-6):
 *   - CD-RW, DVD-RW (sequential or restricted overwrite): BLANK (§6.2) with IMMED, blanking type
 *     001b minimal (quick) or 000b full. The drive is then polled with TEST UNIT READY every
 *     `pollIntervalMs`: 02/04/07 (operation in progress) carries the progress indication in the
 *     sense-key specific bytes (SPC-4 §4.5.2.4.4: 0..65535 of the whole), GOOD ends the erase.
 *   - DVD+RW and BD-RE have no BLANK (MMC-6 lists no blanking types for them); a formatted disc is
 *     "erased" by overwriting: quick writes zeros over the first 1024 sectors (ISO 9660 and UDF volume
 *     recognition and the first anchor) and the last 512 of the recorded area (UDF's last anchors);
 *     full writes zeros over the whole recorded area (READ CAPACITY), in WRITEs sized as the write
 *     engine's (track-writer.ts `sectorsPerTransfer`). FORMAT UNIT is not used: it would
 *     reformat, which the drive may refuse on a formatted disc and which IMAPI2 does not do for quick.
 *   - write-once media (CD-R, DVD±R, BD-R) → E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE; anything else
 *     (ROM, no profile) → E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED.
 * The disc is spun up first (START STOP UNIT, Start): refused → E_IMAPI_ERASE_DRIVE_FAILED_SPINUP_COMMAND.
 * Failures: BLANK refused → E_IMAPI_ERASE_DRIVE_FAILED_ERASE_COMMAND (the drive's sense in `cause`);
 * an unexpected condition while polling → E_IMAPI_ERASE_UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE; more
 * than an hour → E_IMAPI_ERASE_TOOK_LONGER_THAN_ONE_HOUR. An eraseMedia while one runs →
 * E_IMAPI_ERASE_RECORDER_IN_USE.
 */
import type { ScsiDevice } from '../device/scsi-device.js';
import { ImapiError } from '../errors/imapi-error.js';
import { ScsiStatus, parseSense } from '../wire/sense.js';
import { ByteReader } from '../wire/bytes.js';
import type { DiscRecorder2 } from '../recorder/disc-recorder2.js';
import { FormatBase, recorderHas, type FormatCodes, type RecorderRequirement } from './format-base.js';
import { MediaPhysicalType } from './media-type.js';
import { Profile } from '../scsi/commands/get-configuration.js';
import { encodeBlankCdb, BlankingType } from '../scsi/commands/blank.js';
import { encodeTestUnitReadyCdb } from '../scsi/commands/unit-ready.js';
import { encodeStartStopUnitCdb, PowerCondition } from '../scsi/commands/start-stop-unit.js';
import { encodeReadCapacity10Cdb, decodeReadCapacity10Reply } from '../scsi/commands/read-capacity-10.js';
import { encodeWrite10Cdb } from '../scsi/commands/write-10.js';
import { sectorsPerTransfer } from './track-writer.js';
import { encodeSynchronizeCache10Cdb } from '../scsi/commands/synchronize-cache-10.js';

/** DDiscFormat2EraseEvents::Update arguments. */
export interface EraseUpdate {
  readonly elapsedSeconds: number;
  readonly estimatedTotalSeconds: number;
}

const BLANK_PROFILES: ReadonlySet<number> = new Set([Profile.CD_RW, Profile.DVD_RW_RESTRICTED_OVERWRITE, Profile.DVD_RW_SEQUENTIAL]);
const OVERWRITE_PROFILES: ReadonlySet<number> = new Set([Profile.DVD_PLUS_RW, Profile.DVD_PLUS_RW_DL, Profile.BD_RE]);
const WRITE_ONCE_PROFILES: ReadonlySet<number> = new Set([
  Profile.CD_R, Profile.DVD_R_SEQUENTIAL, Profile.DVD_R_DL_SEQUENTIAL, Profile.DVD_R_DL_LAYER_JUMP, Profile.DVD_PLUS_R, Profile.DVD_PLUS_R_DL, Profile.BD_R_SRM, Profile.BD_R_RRM,
]);
const ONE_HOUR_MS = 3_600_000;

/** An erasing recorder lists a profile it can blank or overwrite (CD-RW, DVD-RW, DVD+RW, BD-RE, ...). */
const ERASE_RECORDER: RecorderRequirement = {
  has: async (r) => (await r.getSupportedProfiles()).some((p) => BLANK_PROFILES.has(p) || OVERWRITE_PROFILES.has(p)),
  code: 'E_IMAPI_ERASE_RECORDER_NOT_SUPPORTED',
  why: 'no profile it can erase (CD-RW, DVD-RW, DVD+RW, BD-RE)',
};

export class DiscFormat2Erase extends FormatBase<EraseUpdate> {
  protected readonly codes: FormatCodes = {
    noRecorder: 'E_IMAPI_RECORDER_REQUIRED',
    clientName: 'E_IMAPI_ERASE_CLIENT_NAME_IS_NOT_VALID',
    writeInProgress: 'E_IMAPI_ERASE_RECORDER_IN_USE',
    writeNotInProgress: 'E_FAIL',
    mediaNotSupported: 'E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED',
  };

  /** Full (true) or quick (false, the default) erase. */
  fullErase = false;
  /** TEST UNIT READY interval while the drive blanks. */
  pollIntervalMs = 250;
  private physicalType: number = MediaPhysicalType.UNKNOWN;

  /** IMAPI_MEDIA_PHYSICAL_TYPE of the media found by the last eraseMedia. */
  get currentPhysicalMediaType(): number {
    return this.physicalType;
  }

  async isRecorderSupported(recorder: unknown): Promise<boolean> {
    try {
      return await recorderHas(() => ERASE_RECORDER.has(recorder as DiscRecorder2));
    } catch {
      return false;
    }
  }

  /** Erases the media (see the header for what each medium gets). */
  async eraseMedia(): Promise<void> {
    this.requireRecorder();
    if (this.writing) throw this.fail('E_IMAPI_ERASE_RECORDER_IN_USE', 'an erase is already running');
    let profile = 0;
    await this.prepareWith(async (device) => {
      const snap = await this.identifyMedia(device);
      profile = snap.profile;
      this.physicalType = snap.physicalType;
      if (WRITE_ONCE_PROFILES.has(profile)) throw this.fail('E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE', `media profile 0x${profile.toString(16)} is write-once`);
      if (!BLANK_PROFILES.has(profile) && !OVERWRITE_PROFILES.has(profile)) throw this.fail('E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED', `media profile 0x${profile.toString(16)} cannot be erased`);
      if (BLANK_PROFILES.has(profile) && snap.disc && !snap.disc.erasable) throw this.fail('E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE', 'the drive reports the disc as not erasable');
    }, ERASE_RECORDER);
    const end = this.beginWrite();
    let failure: unknown;
    try {
      const { device } = this.requireRecorder();
      await spinUp(device);
      if (BLANK_PROFILES.has(profile)) await this.blank(device);
      else await this.overwrite(device);
    } catch (e) {
      failure = e;
    } finally {
      end();
    }
    try {
      await this.releasePrepared();
    } catch (e) {
      failure ??= e;
    }
    if (failure !== undefined) throw failure;
  }

  private async blank(device: ScsiDevice): Promise<void> {
    const started = Date.now();
    // A first guess until the drive reports progress: CD-RW quick ~1 min, full ~ the disc at 4x.
    let estimate = this.fullErase ? 20 * 60 : 60;
    this.emitUpdate({ elapsedSeconds: 0, estimatedTotalSeconds: estimate });
    try {
      await device.exec(encodeBlankCdb({ immed: true, blankingType: this.fullErase ? BlankingType.FULL : BlankingType.MINIMAL, startAddress: 0 }));
    } catch (e) {
      if (e instanceof ImapiError && e.sense && (e.sense.key === 0x5 || e.sense.key === 0x3 || e.sense.key === 0x4)) {
        throw new ImapiError('E_IMAPI_ERASE_DRIVE_FAILED_ERASE_COMMAND', `E_IMAPI_ERASE_DRIVE_FAILED_ERASE_COMMAND: ${e.message}`, { cause: e, sense: e.sense });
      }
      throw e;
    }
    for (;;) {
      const res = await device.raw({ cdb: encodeTestUnitReadyCdb(), direction: 'none' });
      const elapsedMs = Date.now() - started;
      if (res.status === ScsiStatus.GOOD) break;
      const s = parseSense(res.sense);
      const inProgress = res.status === ScsiStatus.CHECK_CONDITION && s && s.key === 0x2 && s.asc === 0x04 && (s.ascq === 0x07 || s.ascq === 0x04 || s.ascq === 0x08);
      const attention = res.status === ScsiStatus.CHECK_CONDITION && s && s.key === 0x6;
      if (!inProgress && !attention) {
        throw new ImapiError('E_IMAPI_ERASE_UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE', `status ${res.status}${s ? ` sense ${s.key.toString(16)}/${s.asc.toString(16)}/${s.ascq.toString(16)}` : ''} while erasing`, s ? { sense: s } : {});
      }
      if (elapsedMs > ONE_HOUR_MS) throw new ImapiError('E_IMAPI_ERASE_TOOK_LONGER_THAN_ONE_HOUR');
      const progress = progressIndication(res.sense);
      if (progress !== undefined && progress > 0) estimate = Math.max(1, Math.round(elapsedMs / 1000 / (progress / 65536)));
      this.emitUpdate({ elapsedSeconds: Math.floor(elapsedMs / 1000), estimatedTotalSeconds: estimate });
      await new Promise((r) => setTimeout(r, this.pollIntervalMs));
    }
    const elapsed = Math.floor((Date.now() - started) / 1000);
    this.emitUpdate({ elapsedSeconds: elapsed, estimatedTotalSeconds: elapsed });
  }

  /** DVD+RW / BD-RE: zeros over the file system areas (quick) or the whole recorded area (full). */
  private async overwrite(device: ScsiDevice): Promise<void> {
    const started = Date.now();
    const cap = await device.read({ cdb: () => encodeReadCapacity10Cdb(), allocationLength: 8, decode: decodeReadCapacity10Reply });
    const last = cap.lastLba;
    const ranges: Array<[number, number]> = this.fullErase || last < 2048 ? [[0, last + 1]] : [[0, 1024], [last + 1 - 512, last + 1]];
    const total = ranges.reduce((n, [a, b]) => n + (b - a), 0);
    const chunk = sectorsPerTransfer(device.transport.adapter, 2048);
    const zeros = Buffer.alloc(chunk * 2048);
    let done = 0;
    for (const [from, to] of ranges) {
      for (let lba = from; lba < to; lba += chunk) {
        const n = Math.min(chunk, to - lba);
        await device.write(encodeWrite10Cdb({ lba, transferLength: n }), zeros.subarray(0, n * 2048));
        done += n;
        const elapsed = (Date.now() - started) / 1000;
        this.emitUpdate({ elapsedSeconds: Math.floor(elapsed), estimatedTotalSeconds: Math.max(1, Math.round((elapsed / done) * total)) });
      }
    }
    await device.exec(encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 }));
  }
}

/**
 * START STOP UNIT with Start (no LoEj): the disc spins before it is erased, as IMAPI2 does. A drive
 * that refuses with sense is E_IMAPI_ERASE_DRIVE_FAILED_SPINUP_COMMAND (its sense in `cause`).
 */
async function spinUp(device: ScsiDevice): Promise<void> {
  try {
    await device.exec(encodeStartStopUnitCdb({ immed: false, powerCondition: PowerCondition.START_VALID, loej: false, start: true }));
  } catch (e) {
    if (e instanceof ImapiError && e.sense) {
      throw new ImapiError('E_IMAPI_ERASE_DRIVE_FAILED_SPINUP_COMMAND', `E_IMAPI_ERASE_DRIVE_FAILED_SPINUP_COMMAND: ${e.message}`, { cause: e, sense: e.sense });
    }
    throw e;
  }
}

/**
 * The progress indication of NOT READY sense (SPC-4 §4.5.2.4.4): fixed format bytes 15-17 with SKSV,
 * or a sense key specific descriptor (type 02h). 0..65535; undefined when absent.
 */
export function progressIndication(sense: Uint8Array): number | undefined {
  if (sense.length < 8) return undefined;
  const r = new ByteReader(sense, { zeroFill: true });
  const code = r.u8(0) & 0x7f;
  if (code === 0x70 || code === 0x71) {
    if (sense.length < 18 || (r.u8(15) & 0x80) === 0) return undefined;
    return r.u16(16);
  }
  if (code === 0x72 || code === 0x73) {
    const end = Math.min(sense.length, 8 + r.u8(7));
    for (let o = 8; o + 2 <= end; o += 2 + r.u8(o + 1)) {
      if (r.u8(o) === 0x02 && r.u8(o + 1) >= 6 && (r.u8(o + 4) & 0x80) !== 0) return r.u16(o + 5);
    }
  }
  return undefined;
}
