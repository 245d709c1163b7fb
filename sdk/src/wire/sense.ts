/**
 * SCSI sense data (SPC-4 §4.5): fixed format (response codes 70h/71h) and descriptor format (72h/73h),
 * parse and build, the sense keys, and the named conditions (key/ASC/ASCQ) that MMC drives raise.
 *
 * Fixed format (SPC-4 Table 48):
 *   byte 0      VALID(7) | RESPONSE CODE (6..0) = 70h current / 71h deferred
 *   byte 2      FILEMARK(7) EOM(6) ILI(5) | SENSE KEY (3..0)
 *   bytes 3-6   INFORMATION
 *   byte 7      ADDITIONAL SENSE LENGTH (n-7)
 *   bytes 8-11  COMMAND-SPECIFIC INFORMATION
 *   byte 12     ADDITIONAL SENSE CODE;  byte 13 ADDITIONAL SENSE CODE QUALIFIER
 *   byte 14     FIELD REPLACEABLE UNIT CODE; bytes 15-17 SKSV(7) | SENSE KEY SPECIFIC
 * Descriptor format (SPC-4 Table 26):
 *   byte 0 RESPONSE CODE = 72h/73h; byte 1 SENSE KEY (3..0); byte 2 ASC; byte 3 ASCQ;
 *   byte 7 ADDITIONAL SENSE LENGTH; bytes 8.. sense data descriptors (type, additional length, ...).
 *   Descriptor 00h (information): byte 2 VALID(7), bytes 4-11 INFORMATION (8 bytes).
 */
import { ByteReader, ByteWriter } from './bytes.js';

export const SenseKey = {
  NO_SENSE: 0x0,
  RECOVERED_ERROR: 0x1,
  NOT_READY: 0x2,
  MEDIUM_ERROR: 0x3,
  HARDWARE_ERROR: 0x4,
  ILLEGAL_REQUEST: 0x5,
  UNIT_ATTENTION: 0x6,
  DATA_PROTECT: 0x7,
  BLANK_CHECK: 0x8,
  VENDOR_SPECIFIC: 0x9,
  COPY_ABORTED: 0xa,
  ABORTED_COMMAND: 0xb,
  VOLUME_OVERFLOW: 0xd,
  MISCOMPARE: 0xe,
} as const;

/** SCSI status codes (SAM-5 Table 34). */
export const ScsiStatus = {
  GOOD: 0x00,
  CHECK_CONDITION: 0x02,
  CONDITION_MET: 0x04,
  BUSY: 0x08,
  RESERVATION_CONFLICT: 0x18,
  TASK_SET_FULL: 0x28,
  ACA_ACTIVE: 0x30,
  TASK_ABORTED: 0x40,
} as const;

export interface SenseCondition {
  readonly key: number;
  readonly asc: number;
  readonly ascq: number;
}

const c = (key: number, asc: number, ascq: number): SenseCondition => Object.freeze({ key, asc, ascq });

/**
 * Named conditions (SPC-4 Annex D / MMC-6 Annex F). Kept in key, then ASC/ASCQ order.
 */
export const Sense = {
  NO_SENSE: c(0x0, 0x00, 0x00),
  // 02h NOT READY
  LOGICAL_UNIT_NOT_READY_CAUSE_NOT_REPORTABLE: c(0x2, 0x04, 0x00),
  LOGICAL_UNIT_IS_IN_PROCESS_OF_BECOMING_READY: c(0x2, 0x04, 0x01),
  LOGICAL_UNIT_NOT_READY_FORMAT_IN_PROGRESS: c(0x2, 0x04, 0x04),
  LOGICAL_UNIT_NOT_READY_OPERATION_IN_PROGRESS: c(0x2, 0x04, 0x07),
  LOGICAL_UNIT_NOT_READY_LONG_WRITE_IN_PROGRESS: c(0x2, 0x04, 0x08),
  INCOMPATIBLE_MEDIUM_INSTALLED_NR: c(0x2, 0x30, 0x00),
  CANNOT_READ_MEDIUM_UNKNOWN_FORMAT: c(0x2, 0x30, 0x01),
  MEDIUM_NOT_PRESENT: c(0x2, 0x3a, 0x00),
  MEDIUM_NOT_PRESENT_TRAY_CLOSED: c(0x2, 0x3a, 0x01),
  MEDIUM_NOT_PRESENT_TRAY_OPEN: c(0x2, 0x3a, 0x02),
  // 03h MEDIUM ERROR
  LOSS_OF_STREAMING: c(0x3, 0x0c, 0x09),
  UNRECOVERED_READ_ERROR: c(0x3, 0x11, 0x00),
  INCOMPATIBLE_MEDIUM_INSTALLED: c(0x3, 0x30, 0x00),
  UNABLE_TO_RECOVER_TABLE_OF_CONTENTS: c(0x3, 0x57, 0x00),
  SESSION_FIXATION_ERROR: c(0x3, 0x72, 0x00),
  POWER_CALIBRATION_AREA_ERROR: c(0x3, 0x73, 0x03),
  // 05h ILLEGAL REQUEST
  PARAMETER_LIST_LENGTH_ERROR: c(0x5, 0x1a, 0x00),
  INVALID_COMMAND_OPERATION_CODE: c(0x5, 0x20, 0x00),
  LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE: c(0x5, 0x21, 0x00),
  INVALID_ADDRESS_FOR_WRITE: c(0x5, 0x21, 0x02),
  INVALID_FIELD_IN_CDB: c(0x5, 0x24, 0x00),
  COMMAND_SEQUENCE_ERROR: c(0x5, 0x2c, 0x00),
  LOGICAL_UNIT_NOT_SUPPORTED: c(0x5, 0x25, 0x00),
  INVALID_FIELD_IN_PARAMETER_LIST: c(0x5, 0x26, 0x00),
  PARAMETER_NOT_SUPPORTED: c(0x5, 0x26, 0x01),
  PARAMETER_VALUE_INVALID: c(0x5, 0x26, 0x02),
  SAVING_PARAMETERS_NOT_SUPPORTED: c(0x5, 0x39, 0x00),
  CANNOT_WRITE_MEDIUM_INCOMPATIBLE_FORMAT: c(0x5, 0x30, 0x05),
  INCOMPATIBLE_MEDIUM_INSTALLED_IR: c(0x5, 0x30, 0x00),
  CANNOT_READ_MEDIUM_INCOMPATIBLE_FORMAT: c(0x5, 0x30, 0x02),
  CANNOT_FORMAT_MEDIUM_INCOMPATIBLE_MEDIUM: c(0x5, 0x30, 0x06),
  MEDIUM_NOT_FORMATTED: c(0x5, 0x30, 0x10),
  MEDIUM_REMOVAL_PREVENTED: c(0x5, 0x53, 0x02),
  INVALID_MODE_FOR_THIS_TRACK: c(0x5, 0x64, 0x00),
  END_OF_USER_AREA_ENCOUNTERED_ON_THIS_TRACK: c(0x5, 0x63, 0x00),
  SESSION_FIXATION_ERROR_INCOMPLETE_TRACK_IN_SESSION: c(0x5, 0x72, 0x03),
  EMPTY_OR_PARTIALLY_WRITTEN_RESERVED_TRACK: c(0x5, 0x72, 0x04),
  NO_MORE_TRACK_RESERVATIONS_ALLOWED: c(0x5, 0x72, 0x05),
  // 06h UNIT ATTENTION
  NOT_READY_TO_READY_CHANGE_MEDIUM_MAY_HAVE_CHANGED: c(0x6, 0x28, 0x00),
  POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED: c(0x6, 0x29, 0x00),
  MODE_PARAMETERS_CHANGED: c(0x6, 0x2a, 0x01),
  RESERVATIONS_PREEMPTED: c(0x6, 0x2a, 0x03),
  RESERVATIONS_RELEASED: c(0x6, 0x2a, 0x04),
  OPERATOR_MEDIUM_REMOVAL_REQUEST: c(0x6, 0x5a, 0x01),
  // 07h DATA PROTECT
  WRITE_PROTECTED: c(0x7, 0x27, 0x00),
  // 08h BLANK CHECK
  BLANK_CHECK: c(0x8, 0x00, 0x00),
  // 0Bh ABORTED COMMAND
  ABORTED_COMMAND: c(0xb, 0x00, 0x00),
  COMMANDS_CLEARED_BY_ANOTHER_INITIATOR: c(0x6, 0x2f, 0x00),
} as const;

export type SenseName = keyof typeof Sense;

/** Thrown by the emulator's handlers and CDB decoders; becomes CHECK CONDITION with this sense. */
export class CheckCondition extends Error {
  readonly key: number;
  readonly asc: number;
  readonly ascq: number;
  /** INFORMATION field (e.g. the failing LBA) when VALID. */
  readonly information: number | undefined;
  /** SENSE KEY SPECIFIC: field pointer into the CDB (cd) or parameter list, bit pointer. */
  readonly fieldPointer: { readonly cd: boolean; readonly byte: number; readonly bit?: number } | undefined;

  constructor(
    cond: SenseCondition,
    message?: string,
    opts: { information?: number; fieldPointer?: { cd: boolean; byte: number; bit?: number } } = {},
  ) {
    super(message ?? describeSense(cond));
    this.name = 'CheckCondition';
    this.key = cond.key;
    this.asc = cond.asc;
    this.ascq = cond.ascq;
    this.information = opts.information;
    this.fieldPointer = opts.fieldPointer;
  }

  /** Fixed-format sense bytes for this condition. */
  toSense(): Buffer {
    return buildFixedSense({
      key: this.key,
      asc: this.asc,
      ascq: this.ascq,
      ...(this.information !== undefined ? { information: this.information } : {}),
      ...(this.fieldPointer !== undefined ? { fieldPointer: this.fieldPointer } : {}),
    });
  }
}

/** Parsed sense data, whichever format it came in. */
export interface SenseData extends SenseCondition {
  readonly format: 'fixed' | 'descriptor';
  readonly deferred: boolean;
  readonly information?: number;
  readonly filemark?: boolean;
  readonly eom?: boolean;
  readonly ili?: boolean;
  readonly fieldPointer?: { readonly cd: boolean; readonly byte: number; readonly bit?: number };
}

export interface BuildSense extends SenseCondition {
  deferred?: boolean;
  information?: number;
  ili?: boolean;
  fieldPointer?: { cd: boolean; byte: number; bit?: number };
}

/** Builds 18 bytes of fixed-format sense. */
export function buildFixedSense(s: BuildSense): Buffer {
  const w = new ByteWriter(18);
  w.u8(0, (s.information !== undefined ? 0x80 : 0) | (s.deferred ? 0x71 : 0x70));
  w.u8(2, (s.ili ? 0x20 : 0) | (s.key & 0x0f));
  if (s.information !== undefined) w.u32(3, s.information >>> 0);
  w.u8(7, 10);
  w.u8(12, s.asc);
  w.u8(13, s.ascq);
  if (s.fieldPointer) {
    const fp = s.fieldPointer;
    w.u8(15, 0x80 | (fp.cd ? 0x40 : 0) | (fp.bit !== undefined ? 0x08 | (fp.bit & 7) : 0));
    w.u16(16, fp.byte);
  }
  return w.buffer;
}

/** Builds descriptor-format sense (with an information descriptor when `information` is given). */
export function buildDescriptorSense(s: BuildSense): Buffer {
  const hasInfo = s.information !== undefined;
  const hasFp = s.fieldPointer !== undefined;
  const len = 8 + (hasInfo ? 12 : 0) + (hasFp ? 8 : 0);
  const w = new ByteWriter(len);
  w.u8(0, s.deferred ? 0x73 : 0x72);
  w.u8(1, s.key & 0x0f);
  w.u8(2, s.asc);
  w.u8(3, s.ascq);
  w.u8(7, len - 8);
  let o = 8;
  if (hasInfo) {
    w.u8(o, 0x00);
    w.u8(o + 1, 0x0a);
    w.u8(o + 2, 0x80);
    w.u64(o + 4, BigInt(s.information! >>> 0));
    o += 12;
  }
  if (hasFp) {
    const fp = s.fieldPointer!;
    w.u8(o, 0x02);
    w.u8(o + 1, 0x06);
    w.u8(o + 4, 0x80 | (fp.cd ? 0x40 : 0) | (fp.bit !== undefined ? 0x08 | (fp.bit & 7) : 0));
    w.u16(o + 5, fp.byte);
  }
  return w.buffer;
}

/**
 * Parses sense data of either format. Returns undefined when there is no sense (empty buffer or a
 * response code that is not 70h-73h). Truncated sense (shorter than its additional length says)
 * yields what is present: key/ASC/ASCQ default to 0 when cut off.
 */
export function parseSense(buf: Uint8Array | undefined): SenseData | undefined {
  if (!buf || buf.length < 1) return undefined;
  const r = new ByteReader(buf, { zeroFill: true });
  const code = r.u8(0) & 0x7f;
  if (code === 0x70 || code === 0x71) {
    const valid = (r.u8(0) & 0x80) !== 0;
    const b2 = r.u8(2);
    const sksv = buf.length >= 18 && (r.u8(15) & 0x80) !== 0;
    return {
      format: 'fixed',
      deferred: code === 0x71,
      key: b2 & 0x0f,
      asc: r.u8(12),
      ascq: r.u8(13),
      filemark: (b2 & 0x80) !== 0,
      eom: (b2 & 0x40) !== 0,
      ili: (b2 & 0x20) !== 0,
      ...(valid && buf.length >= 7 ? { information: r.u32(3) } : {}),
      ...(sksv ? { fieldPointer: fieldPointer(r.u8(15), r.u16(16)) } : {}),
    };
  }
  if (code === 0x72 || code === 0x73) {
    let information: number | undefined;
    let fp: SenseData['fieldPointer'];
    let ili: boolean | undefined;
    const end = Math.min(buf.length, 8 + r.u8(7));
    let o = 8;
    while (o + 2 <= end) {
      const type = r.u8(o);
      const dlen = r.u8(o + 1);
      if (o + 2 + dlen > end) break;
      if (type === 0x00 && dlen >= 0x0a && (r.u8(o + 2) & 0x80) !== 0) information = Number(r.u64(o + 4) & 0xffffffffn);
      if (type === 0x02 && dlen >= 6 && (r.u8(o + 4) & 0x80) !== 0) fp = fieldPointer(r.u8(o + 4), r.u16(o + 5));
      if (type === 0x05 && dlen >= 2) ili = (r.u8(o + 3) & 0x20) !== 0;
      o += 2 + dlen;
    }
    return {
      format: 'descriptor',
      deferred: code === 0x73,
      key: r.u8(1) & 0x0f,
      asc: r.u8(2),
      ascq: r.u8(3),
      ...(information !== undefined ? { information } : {}),
      ...(fp !== undefined ? { fieldPointer: fp } : {}),
      ...(ili !== undefined ? { ili } : {}),
    };
  }
  return undefined;
}

function fieldPointer(b: number, ptr: number): { cd: boolean; byte: number; bit?: number } {
  return { cd: (b & 0x40) !== 0, byte: ptr, ...((b & 0x08) !== 0 ? { bit: b & 7 } : {}) };
}

const senseKeyNames = Object.fromEntries(Object.entries(SenseKey).map(([k, v]) => [v, k])) as Record<number, string>;

/** `NOT READY, MEDIUM NOT PRESENT - TRAY OPEN (02/3A/02)` style text. */
export function describeSense(s: SenseCondition): string {
  const name = (Object.entries(Sense) as [string, SenseCondition][]).find(
    ([, v]) => v.key === s.key && v.asc === s.asc && v.ascq === s.ascq,
  )?.[0];
  const h = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
  const key = (senseKeyNames[s.key] ?? 'SENSE KEY ' + h(s.key)).replace(/_/g, ' ');
  return `${key}${name ? ', ' + name.replace(/_/g, ' ') : ''} (${h(s.key)}/${h(s.asc)}/${h(s.ascq)})`;
}
