/**
 * MODE SENSE(10) (5Ah) — SPC-4 §6.12, table "MODE SENSE(10) command"; MMC-6 uses it for the pages
 * of §7 (01h, 05h, 2Ah...). Page control values: SPC-4 table "Page control (PC) field".
 *
 *   byte 0      OPERATION CODE (5Ah)
 *   byte 1      Reserved (7-5) | LLBAA (4) | DBD (3) | Reserved (2-0)
 *   byte 2      PC (7-6) | PAGE CODE (5-0)
 *   byte 3      SUBPAGE CODE
 *   bytes 4-6   Reserved
 *   bytes 7-8   ALLOCATION LENGTH
 *   byte 9      CONTROL
 *
 * Data in: mode parameter list with the 10-byte header (mode-parameters.ts). MODE DATA LENGTH counts
 * the bytes after itself, so the whole list is MODE DATA LENGTH + 2 bytes.
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidReply, replyReader, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBits, rejectBytes, uint, writeControl } from './cdb-fields.js';
import { bool } from './arg-checks.js';
import { modePageHeaderLength } from './mode-page-format.js';
import { decodeModePage, encodeModeParameterList10, MODE_PARAMETER_HEADER_10_LENGTH, type ModePage, type ModeParameterList } from './mode-parameters.js';

export const MODE_SENSE_10_CDB_LENGTH = 10;
export const MODE_SENSE_10_DIRECTION: DataDirection = 'in';

/** PC, page control (SPC-4 table "Page control (PC) field"). */
export const PageControl = {
  CURRENT: 0,
  CHANGEABLE: 1,
  DEFAULT: 2,
  SAVED: 3,
} as const;

export interface ModeSense10Cdb extends CdbCommon {
  /** LLBAA: long LBA block descriptors accepted. */
  llbaa: boolean;
  /** DBD: disable block descriptors. */
  dbd: boolean;
  /** PC (`PageControl`). */
  pageControl: number;
  /** PAGE CODE, 3Fh = all pages. */
  pageCode: number;
  subpageCode: number;
  allocationLength: number;
}

export function encodeModeSense10Cdb(params: ModeSense10Cdb): Buffer {
  const w = new ByteWriter(MODE_SENSE_10_CDB_LENGTH);
  w.u8(0, Opcode.MODE_SENSE_10);
  w.u8(1, (bool('llbaa', params.llbaa) ? 0x10 : 0) | (bool('dbd', params.dbd) ? 0x08 : 0));
  w.u8(2, (uint('pageControl', params.pageControl, 3) << 6) | uint('pageCode', params.pageCode, 0x3f));
  w.u8(3, uint('subpageCode', params.subpageCode, 0xff));
  w.u16(7, uint('allocationLength', params.allocationLength, 0xffff));
  writeControl(w, 9, params.control);
  return w.buffer;
}

export function decodeModeSense10Cdb(cdb: Uint8Array): ModeSense10Cdb {
  const what = 'MODE SENSE(10)';
  const r = cdbReader(cdb, MODE_SENSE_10_CDB_LENGTH, what);
  expectOpcode(r, Opcode.MODE_SENSE_10, what);
  rejectBits(r, 1, 0xe7, what);
  rejectBytes(r, 4, 6, what);
  return {
    llbaa: r.bit(1, 4),
    dbd: r.bit(1, 3),
    pageControl: r.bits(2, 6, 2),
    pageCode: r.bits(2, 0, 6),
    subpageCode: r.u8(3),
    allocationLength: r.u16(7),
    ...readControl(r, 9, what),
  };
}

/** The mode parameter list a drive returns (MODE DATA LENGTH filled in). */
export function encodeModeSense10Reply(list: ModeParameterList): Buffer {
  return encodeModeParameterList10(list, false);
}

export interface ModeSense10Reply extends ModeParameterList {
  /** The reply was cut short: re-issue with `fullLength` as the allocation length to get all of it. */
  truncated: boolean;
  /** Length of the whole mode parameter list (MODE DATA LENGTH + 2). */
  fullLength: number;
}

/**
 * Decodes MODE SENSE(10) data. A reply cut by the allocation length keeps the pages that arrived
 * whole. A MODE DATA LENGTH too small for the header, block descriptors past the data, or a page
 * running past the declared data is an invalid response.
 */
export function decodeModeSense10Reply(buf: Uint8Array): ModeSense10Reply {
  const r = replyReader(buf, 'MODE SENSE(10) data');
  const empty: ModeSense10Reply = {
    mediumType: 0, deviceSpecificParameter: 0, longLba: false, blockDescriptors: Buffer.alloc(0), pages: [],
    truncated: true, fullLength: 0xffff,
  };
  if (buf.length < 2) return empty;
  const fullLength = r.u16(0) + 2;
  if (fullLength < MODE_PARAMETER_HEADER_10_LENGTH) {
    throw invalidReply(`MODE SENSE(10): mode data length ${fullLength - 2} is shorter than the rest of the header (6)`);
  }
  const end = Math.min(fullLength, buf.length);
  const truncated = buf.length < fullLength;
  const bdl = r.u16(6);
  const head = {
    mediumType: r.u8(2),
    deviceSpecificParameter: r.u8(3),
    longLba: r.bit(4, 0),
  };
  if (buf.length < MODE_PARAMETER_HEADER_10_LENGTH) {
    return { ...head, blockDescriptors: Buffer.alloc(0), pages: [], truncated: true, fullLength };
  }
  const pagesStart = MODE_PARAMETER_HEADER_10_LENGTH + bdl;
  if (pagesStart > fullLength) {
    throw invalidReply(`MODE SENSE(10): block descriptor length ${bdl} runs past the mode data length ${fullLength - 2}`);
  }
  const blockDescriptors = r.bytes(MODE_PARAMETER_HEADER_10_LENGTH, Math.max(0, Math.min(bdl, end - MODE_PARAMETER_HEADER_10_LENGTH)));
  const pages: ModePage[] = [];
  let o = pagesStart;
  while (o < fullLength) {
    if (o + 1 > end) break; // page header not here: truncated
    const hl = modePageHeaderLength(r.u8(o));
    if (o + hl > fullLength) throw invalidReply(`MODE SENSE(10): page header at byte ${o} runs past the mode data length`);
    if (o + hl > end) break;
    const plen = hl === 4 ? r.u16(o + 2) : r.u8(o + 1);
    const pageEnd = o + hl + plen;
    if (pageEnd > fullLength) {
      throw invalidReply(`MODE SENSE(10): page ${(r.u8(o) & 0x3f).toString(16)}h at byte ${o} (length ${plen}) runs past the mode data length ${fullLength - 2}`);
    }
    if (pageEnd > end) break;
    pages.push(decodeModePage(r.view(o, hl + plen)));
    o = pageEnd;
  }
  return { ...head, blockDescriptors, pages, truncated, fullLength };
}
