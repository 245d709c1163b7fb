/**
 * The iSCSI Basic Header Segment (RFC 7143 §11.2.1): 48 bytes, one accessor per field at its fixed offset.
 *
 *   byte 0       . | I (6) | Opcode (5..0)
 *   byte 1       F (7) | opcode-specific (6..0)
 *   bytes 2-3    opcode-specific
 *   byte 4       TotalAHSLength (in 4-byte words)
 *   bytes 5-7    DataSegmentLength (bytes, without padding)
 *   bytes 8-15   LUN, or ISID (8-13) + TSIH (14-15) in Login PDUs, or opcode-specific
 *   bytes 16-19  Initiator Task Tag
 *   bytes 20-23  Target Transfer Tag (or CID in bytes 20-21 of Login/Logout requests, SNACK Tag, ...)
 *   bytes 24-27  CmdSN (initiator → target) / StatSN (target → initiator)
 *   bytes 28-31  ExpStatSN / ExpCmdSN
 *   bytes 32-35  MaxCmdSN (target → initiator), RefCmdSN (TMF request), CDB bytes 0-3 (SCSI Command)
 *   bytes 36-39  DataSN / R2TSN / ExpDataSN, or Status-Class/Detail (Login Response)
 *   bytes 40-43  Buffer Offset, Bidirectional Read Residual, Time2Wait/Time2Retain (Logout Response)
 *   bytes 44-47  Residual Count / Desired Data Transfer Length
 * The SCSI Command's CDB occupies bytes 32-47.
 */
import { ByteReader, ByteWriter } from '../wire/bytes.js';

export const BHS_LENGTH = 48;

/** PDU opcodes (RFC 7143 §11.2.1.2). Initiator opcodes 00h-1Fh, target opcodes 20h-3Fh. */
export const IscsiOpcode = {
  NOP_OUT: 0x00,
  SCSI_COMMAND: 0x01,
  TASK_MGMT_REQUEST: 0x02,
  LOGIN_REQUEST: 0x03,
  TEXT_REQUEST: 0x04,
  DATA_OUT: 0x05,
  LOGOUT_REQUEST: 0x06,
  SNACK_REQUEST: 0x10,
  NOP_IN: 0x20,
  SCSI_RESPONSE: 0x21,
  TASK_MGMT_RESPONSE: 0x22,
  LOGIN_RESPONSE: 0x23,
  TEXT_RESPONSE: 0x24,
  DATA_IN: 0x25,
  LOGOUT_RESPONSE: 0x26,
  R2T: 0x31,
  ASYNC_MESSAGE: 0x32,
  REJECT: 0x3f,
} as const;
export type IscsiOpcodeName = keyof typeof IscsiOpcode;

const opNames = new Map<number, IscsiOpcodeName>(Object.entries(IscsiOpcode).map(([k, v]) => [v, k as IscsiOpcodeName]));
/** The opcode's name for logs, or `OPCODE_xx`. */
export function iscsiOpcodeName(op: number): string {
  return opNames.get(op) ?? `OPCODE_${op.toString(16).padStart(2, '0')}`;
}
/** True for an opcode this layer knows. */
export function isKnownOpcode(op: number): boolean {
  return opNames.has(op);
}

/** The reserved tag value (RFC 7143 §11.2.1.8: 0xffffffff). */
export const RESERVED_TAG = 0xffffffff;

const BHS_READER = Object.freeze({ what: 'BHS' });

/**
 * Accessors over one 48-byte BHS. Reads never throw for a whole BHS; writes go through ByteWriter
 * (value out of range → RangeError).
 */
export class Bhs {
  readonly buf: Buffer;
  private reader: ByteReader | undefined;
  private writer: ByteWriter | undefined;

  /** Over an existing 48-byte buffer (not copied), or a new zeroed one. */
  constructor(buf?: Buffer) {
    if (buf && buf.length < BHS_LENGTH) throw new RangeError(`BHS needs ${BHS_LENGTH} bytes, have ${buf.length}`);
    this.buf = buf ?? Buffer.allocUnsafe(BHS_LENGTH).fill(0); // from the shared pool, zeroed
  }
  // Created on first use: a decoder only reads, an encoder only writes.
  private get r(): ByteReader {
    return (this.reader ??= new ByteReader(this.buf, BHS_READER));
  }
  private get w(): ByteWriter {
    return (this.writer ??= new ByteWriter(this.buf));
  }

  // byte 0
  get opcode(): number { return this.r.bits(0, 0, 6); }
  set opcode(v: number) { this.w.bits(0, 0, 6, v); }
  get immediate(): boolean { return this.r.bit(0, 6); }
  set immediate(v: boolean) { this.w.bit(0, 6, v); }
  // byte 1
  get final(): boolean { return this.r.bit(1, 7); }
  set final(v: boolean) { this.w.bit(1, 7, v); }
  /** Byte 1 without the F bit (7 opcode-specific bits). */
  get flags(): number { return this.r.bits(1, 0, 7); }
  set flags(v: number) { this.w.bits(1, 0, 7, v); }
  get byte2(): number { return this.r.u8(2); }
  set byte2(v: number) { this.w.u8(2, v); }
  get byte3(): number { return this.r.u8(3); }
  set byte3(v: number) { this.w.u8(3, v); }
  // bytes 4-7
  get totalAhsLength(): number { return this.r.u8(4); }
  set totalAhsLength(v: number) { this.w.u8(4, v); }
  get dataSegmentLength(): number { return this.r.u24(5); }
  set dataSegmentLength(v: number) { this.w.u24(5, v); }
  // bytes 8-15
  /** The 8-byte LUN field as it is on the wire (see encodeLun/decodeLun). */
  get lunField(): Buffer { return this.r.bytes(8, 8); }
  set lunField(v: Uint8Array) { this.w.bytes(8, v.subarray(0, 8)); }
  get lun(): number { return readLun(this.r, 8); }
  set lun(v: number) { writeLun(this.w, 8, v); }
  /** ISID, 6 bytes at 8-13 (Login/Logout), as 12 lower-case hex digits. */
  get isid(): string { return this.r.bytes(8, 6).toString('hex'); }
  set isid(v: string) {
    if (!/^[0-9a-fA-F]{12}$/.test(v)) throw new RangeError(`ISID must be 12 hex digits, got "${v}"`);
    this.w.bytes(8, Buffer.from(v, 'hex'));
  }
  get tsih(): number { return this.r.u16(14); }
  set tsih(v: number) { this.w.u16(14, v); }
  // bytes 16-23
  get itt(): number { return this.r.u32(16); }
  set itt(v: number) { this.w.u32(16, v); }
  get ttt(): number { return this.r.u32(20); }
  set ttt(v: number) { this.w.u32(20, v); }
  /** Referenced Task Tag (TMF request), same offset as TTT. */
  get referencedTaskTag(): number { return this.r.u32(20); }
  set referencedTaskTag(v: number) { this.w.u32(20, v); }
  /** Expected Data Transfer Length (SCSI Command), same offset as TTT. */
  get expectedDataTransferLength(): number { return this.r.u32(20); }
  set expectedDataTransferLength(v: number) { this.w.u32(20, v); }
  /** CID (Login/Logout request), bytes 20-21. */
  get cid(): number { return this.r.u16(20); }
  set cid(v: number) { this.w.u16(20, v); }
  // bytes 24-35
  get cmdSN(): number { return this.r.u32(24); }
  set cmdSN(v: number) { this.w.u32(24, v); }
  get statSN(): number { return this.r.u32(24); }
  set statSN(v: number) { this.w.u32(24, v); }
  get expStatSN(): number { return this.r.u32(28); }
  set expStatSN(v: number) { this.w.u32(28, v); }
  get expCmdSN(): number { return this.r.u32(28); }
  set expCmdSN(v: number) { this.w.u32(28, v); }
  get maxCmdSN(): number { return this.r.u32(32); }
  set maxCmdSN(v: number) { this.w.u32(32, v); }
  get refCmdSN(): number { return this.r.u32(32); }
  set refCmdSN(v: number) { this.w.u32(32, v); }
  // bytes 36-47
  get dataSN(): number { return this.r.u32(36); }
  set dataSN(v: number) { this.w.u32(36, v); }
  /** R2TSN (R2T), ExpDataSN (SCSI Response, TMF request): same offset as DataSN. */
  get r2tSN(): number { return this.r.u32(36); }
  set r2tSN(v: number) { this.w.u32(36, v); }
  get expDataSN(): number { return this.r.u32(36); }
  set expDataSN(v: number) { this.w.u32(36, v); }
  get statusClass(): number { return this.r.u8(36); }
  set statusClass(v: number) { this.w.u8(36, v); }
  get statusDetail(): number { return this.r.u8(37); }
  set statusDetail(v: number) { this.w.u8(37, v); }
  get bufferOffset(): number { return this.r.u32(40); }
  set bufferOffset(v: number) { this.w.u32(40, v); }
  get bidiResidualCount(): number { return this.r.u32(40); }
  set bidiResidualCount(v: number) { this.w.u32(40, v); }
  get time2Wait(): number { return this.r.u16(40); }
  set time2Wait(v: number) { this.w.u16(40, v); }
  get time2Retain(): number { return this.r.u16(42); }
  set time2Retain(v: number) { this.w.u16(42, v); }
  get residualCount(): number { return this.r.u32(44); }
  set residualCount(v: number) { this.w.u32(44, v); }
  /** Desired Data Transfer Length (R2T), same offset as Residual Count. */
  get desiredDataTransferLength(): number { return this.r.u32(44); }
  set desiredDataTransferLength(v: number) { this.w.u32(44, v); }
  /** The 16-byte CDB field of a SCSI Command (bytes 32-47). */
  get cdb(): Buffer { return this.r.bytes(32, 16); }
  set cdb(v: Uint8Array) {
    if (v.length > 16) throw new RangeError(`CDB of ${v.length} bytes does not fit the BHS (16); use an extended-CDB AHS`);
    this.w.bytes(32, Buffer.alloc(16));
    this.w.bytes(32, v);
  }
  /** Raw u32 at a BHS offset (for fields not named above). */
  u32(off: number): number { return this.r.u32(off); }
  setU32(off: number, v: number): void { this.w.u32(off, v); }
  u16(off: number): number { return this.r.u16(off); }
  setU16(off: number, v: number): void { this.w.u16(off, v); }
  u8(off: number): number { return this.r.u8(off); }
  setU8(off: number, v: number): void { this.w.u8(off, v); }
}

/**
 * LUN field (SAM-5 §4.7): LUNs 0-255 use peripheral device addressing (byte 0 = 00h, byte 1 = LUN);
 * 256-16383 use flat space addressing (byte 0 = 40h | LUN bits 13..8, byte 1 = LUN bits 7..0). The
 * other 6 bytes are zero (single-level LUN structure).
 */
export function encodeLun(lun: number): Buffer {
  const w = new ByteWriter(8);
  writeLun(w, 0, lun);
  return w.buffer;
}

/**
 * Decodes a single-level LUN in peripheral or flat space addressing; any other addressing method or a
 * multi-level LUN decodes to -1 (no such LUN).
 */
export function decodeLun(field: Uint8Array): number {
  return readLun(new ByteReader(field, { what: 'LUN' }), 0);
}

/** The 8-byte LUN field at `off`, as encodeLun writes it (the BHS encodes in place, with no buffer of its own). */
function writeLun(w: ByteWriter, off: number, lun: number): void {
  if (!Number.isInteger(lun) || lun < 0 || lun > 0x3fff) throw new RangeError(`LUN ${lun} outside 0..16383`);
  w.u32(off, 0).u32(off + 4, 0);
  if (lun < 256) w.u8(off + 1, lun);
  else w.u16(off, 0x4000 | lun);
}

/** The LUN field at `off`, as decodeLun reads it. */
function readLun(r: ByteReader, off: number): number {
  const method = r.bits(off, 6, 2);
  for (let i = 2; i < 8; i++) if (r.u8(off + i) !== 0) return -1;
  if (method === 0) return r.bits(off, 0, 6) === 0 ? r.u8(off + 1) : -1;
  if (method === 1) return r.u16(off) & 0x3fff;
  return -1;
}

/** Bytes of padding that bring `n` to a multiple of 4 (RFC 7143 §11.2: segments are padded to 4). */
export function pad4(n: number): number {
  return (4 - (n & 3)) & 3;
}

/** Serial number arithmetic (RFC 1982, 32 bits) used for CmdSN/StatSN comparisons. */
export function snLessThan(a: number, b: number): boolean {
  return a !== b && ((a < b && b - a < 0x80000000) || (a > b && a - b > 0x80000000));
}
export function snLessOrEqual(a: number, b: number): boolean {
  return a === b || snLessThan(a, b);
}
export function snAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}
