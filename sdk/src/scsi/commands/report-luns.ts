/**
 * REPORT LUNS (A0h) — SPC-4, tables "REPORT LUNS command" and "REPORT LUNS parameter data format";
 * LUN formats from SAM-5 (single level peripheral device and flat space addressing).
 *
 * CDB:
 *   byte 0      OPERATION CODE (A0h)
 *   byte 1      Reserved
 *   byte 2      SELECT REPORT (00h all but well-known LUs, 01h well-known only, 02h all)
 *   bytes 3-5   Reserved
 *   bytes 6-9   ALLOCATION LENGTH (less than 16 is INVALID FIELD IN CDB)
 *   byte 10     Reserved
 *   byte 11     CONTROL
 *
 * Parameter data:
 *   bytes 0-3   LUN LIST LENGTH (n-7), a multiple of 8
 *   bytes 4-7   Reserved
 *   bytes 8-n   LUN list, 8 bytes each
 *
 * LUN (8 bytes, SAM-5): single level, bytes 2-7 zero.
 *   peripheral device addressing: byte 0 = 00b | BUS IDENTIFIER 0, byte 1 = LUN (0-255)
 *   flat space addressing:        byte 0 = 01b | LUN bits 13-8,    byte 1 = LUN bits 7-0 (256-16383)
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidCdbField, invalidReply, replyReader, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBytes, uint, writeControl } from './cdb-fields.js';

export const REPORT_LUNS_CDB_LENGTH = 12;
export const REPORT_LUNS_DIRECTION: DataDirection = 'in';
/** Smallest ALLOCATION LENGTH a device server accepts (SPC-4). */
export const REPORT_LUNS_MIN_ALLOCATION_LENGTH = 16;

export const SelectReport = {
  ALL_EXCEPT_WELL_KNOWN: 0x00,
  WELL_KNOWN_ONLY: 0x01,
  ALL: 0x02,
} as const;

export interface ReportLunsCdb extends CdbCommon {
  selectReport: number;
  /** Any 32-bit value encodes (to test a device), but a device rejects less than 16. */
  allocationLength: number;
}

export function encodeReportLunsCdb(params: ReportLunsCdb): Buffer {
  const w = new ByteWriter(REPORT_LUNS_CDB_LENGTH);
  w.u8(0, Opcode.REPORT_LUNS);
  w.u8(2, uint('selectReport', params.selectReport, 0xff));
  w.u32(6, uint('allocationLength', params.allocationLength, 0xffffffff));
  writeControl(w, 11, params.control);
  return w.buffer;
}

export function decodeReportLunsCdb(cdb: Uint8Array): ReportLunsCdb {
  const what = 'REPORT LUNS';
  const r = cdbReader(cdb, REPORT_LUNS_CDB_LENGTH, what);
  expectOpcode(r, Opcode.REPORT_LUNS, what);
  rejectBytes(r, 1, 1, what);
  const selectReport = r.u8(2);
  if (selectReport > SelectReport.ALL) throw invalidCdbField(2, `${what}: SELECT REPORT ${selectReport.toString(16)}h not supported`, 7);
  rejectBytes(r, 3, 5, what);
  const allocationLength = r.u32(6);
  if (allocationLength < REPORT_LUNS_MIN_ALLOCATION_LENGTH) {
    throw invalidCdbField(6, `${what}: ALLOCATION LENGTH ${allocationLength} is less than 16`, 7);
  }
  rejectBytes(r, 10, 10, what);
  return { selectReport, allocationLength, ...readControl(r, 11, what) };
}

/** A LUN: a number for single level peripheral (0-255) or flat space (256-16383) addressing, else the 8 bytes. */
export type LunAddress = number | Buffer;

/** The 8-byte LUN for `lun` (SAM-5): peripheral device addressing below 256, flat space above. */
export function encodeLunAddress(lun: LunAddress): Buffer {
  if (typeof lun !== 'number') {
    if (lun.length !== 8) throw new TypeError('a LUN given as bytes must be 8 bytes');
    return Buffer.from(lun);
  }
  const n = uint('lun', lun, 0x3fff);
  const w = new ByteWriter(8);
  if (n < 256) w.u8(1, n);
  else w.u16(0, 0x4000 | n);
  return w.buffer;
}

/** The LUN number of a single level peripheral/flat space LUN, else the 8 bytes as given. */
export function decodeLunAddress(b: Uint8Array): LunAddress {
  const r = replyReader(b, 'LUN');
  const single = b.length === 8 && b.subarray(2).every((x) => x === 0);
  const method = r.bits(0, 6, 2);
  if (single && method === 0 && r.bits(0, 0, 6) === 0) return r.u8(1);
  if (single && method === 1) return r.u16(0) & 0x3fff;
  return Buffer.from(b);
}

export interface ReportLunsData {
  luns: LunAddress[];
}

export interface ReportLunsReply extends ReportLunsData {
  truncated: boolean;
  /** 8 + LUN LIST LENGTH; 8 when the header was cut off. */
  fullLength: number;
}

export function encodeReportLunsReply(d: ReportLunsData): Buffer {
  const w = new ByteWriter(8 + 8 * d.luns.length);
  w.u32(0, 8 * d.luns.length);
  d.luns.forEach((l, i) => w.bytes(8 + 8 * i, encodeLunAddress(l)));
  return w.buffer;
}

export function decodeReportLunsReply(buf: Uint8Array): ReportLunsReply {
  const r = replyReader(buf, 'REPORT LUNS data');
  const haveHeader = r.has(0, 4);
  const listLength = r.u32(0);
  if (haveHeader && listLength % 8 !== 0) throw invalidReply(`REPORT LUNS: LUN LIST LENGTH ${listLength} is not a multiple of 8`);
  const fullLength = haveHeader ? 8 + listLength : 8;
  const luns: LunAddress[] = [];
  for (let o = 8; o + 8 <= fullLength && r.has(o, 8); o += 8) luns.push(decodeLunAddress(r.view(o, 8)));
  return { luns, truncated: buf.length < fullLength, fullLength };
}
