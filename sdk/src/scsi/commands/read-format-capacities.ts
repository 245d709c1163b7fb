/**
 * READ FORMAT CAPACITIES (23h) — MMC-6, READ FORMAT CAPACITIES command: tables "READ FORMAT
 * CAPACITIES CDB", "Capacity List Header", "Current/Maximum Capacity Descriptor", "Descriptor Types"
 * and "Formattable Capacity Descriptor".
 *
 * CDB:
 *   byte 0      OPERATION CODE (23h)
 *   bytes 1-6   Reserved
 *   bytes 7-8   ALLOCATION LENGTH
 *   byte 9      CONTROL
 *
 * Data in:
 *   bytes 0-2   Reserved
 *   byte 3      CAPACITY LIST LENGTH (8 × descriptors after the header, the current one included)
 *   Current/Maximum Capacity Descriptor (8 bytes):
 *     bytes 0-3   NUMBER OF BLOCKS
 *     byte 4      Reserved (7-2) | DESCRIPTOR TYPE (1-0): 01b unformatted media (maximum formattable
 *                 capacity), 10b formatted media (current capacity), 11b no media or unknown capacity
 *     bytes 5-7   BLOCK LENGTH
 *   Formattable Capacity Descriptors (8 bytes each):
 *     bytes 0-3   NUMBER OF BLOCKS
 *     byte 4      FORMAT TYPE (7-2) | Reserved (1-0)
 *     bytes 5-7   TYPE DEPENDENT PARAMETER
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidReply, replyReader, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBytes, uint, writeControl } from './cdb-fields.js';

export const READ_FORMAT_CAPACITIES_CDB_LENGTH = 10;
export const READ_FORMAT_CAPACITIES_DIRECTION: DataDirection = 'in';
const HEADER = 4;
const DESCRIPTOR = 8;

/** DESCRIPTOR TYPE of the current/maximum capacity descriptor. */
export const CapacityDescriptorType = {
  UNFORMATTED: 1,
  FORMATTED: 2,
  NO_MEDIA: 3,
} as const;

/** FORMAT TYPE values of MMC-6 Table "Format Types" that the drive side lists. */
export const FormatType = {
  FULL: 0x00,
  SPARE_AREA_EXPANSION: 0x01,
  DVD_PLUS_RW_FULL: 0x26,
  BD_RE_FULL_WITH_SPARE: 0x30,
  BD_RE_FULL_WITHOUT_SPARE: 0x31,
  BD_R_FULL_WITH_SPARE: 0x32,
} as const;

export interface ReadFormatCapacitiesCdb extends CdbCommon {
  allocationLength: number;
}

export function encodeReadFormatCapacitiesCdb(params: ReadFormatCapacitiesCdb): Buffer {
  const w = new ByteWriter(READ_FORMAT_CAPACITIES_CDB_LENGTH);
  w.u8(0, Opcode.READ_FORMAT_CAPACITIES);
  w.u16(7, uint('allocationLength', params.allocationLength, 0xffff));
  writeControl(w, 9, params.control);
  return w.buffer;
}

export function decodeReadFormatCapacitiesCdb(cdb: Uint8Array): ReadFormatCapacitiesCdb {
  const what = 'READ FORMAT CAPACITIES';
  const r = cdbReader(cdb, READ_FORMAT_CAPACITIES_CDB_LENGTH, what);
  expectOpcode(r, Opcode.READ_FORMAT_CAPACITIES, what);
  rejectBytes(r, 1, 6, what);
  return { allocationLength: r.u16(7), ...readControl(r, 9, what) };
}

export interface FormattableCapacity {
  blocks: number;
  /** FORMAT TYPE (`FormatType`), 6 bits. */
  formatType: number;
  /** TYPE DEPENDENT PARAMETER, 24 bits. */
  typeDependent: number;
}

export interface FormatCapacities {
  /** The current/maximum capacity descriptor. */
  current: { blocks: number; descriptorType: number; blockLength: number };
  formattable: FormattableCapacity[];
}

export function encodeReadFormatCapacitiesReply(c: FormatCapacities): Buffer {
  const n = 1 + c.formattable.length;
  if (n * DESCRIPTOR > 0xff) throw new TypeError(`formattable: ${c.formattable.length} descriptors do not fit CAPACITY LIST LENGTH`);
  const w = new ByteWriter(HEADER + n * DESCRIPTOR);
  w.u8(3, n * DESCRIPTOR);
  w.u32(4, uint('current.blocks', c.current.blocks, 0xffffffff));
  w.u8(8, uint('current.descriptorType', c.current.descriptorType, 3));
  w.u24(9, uint('current.blockLength', c.current.blockLength, 0xffffff));
  c.formattable.forEach((f, i) => {
    const o = HEADER + DESCRIPTOR * (i + 1);
    w.u32(o, uint('formattable.blocks', f.blocks, 0xffffffff));
    w.u8(o + 4, uint('formattable.formatType', f.formatType, 0x3f) << 2);
    w.u24(o + 5, uint('formattable.typeDependent', f.typeDependent, 0xffffff));
  });
  return w.buffer;
}

/**
 * Decodes a reply cut to any allocation length (descriptors cut off are left out, `truncated` set).
 * A CAPACITY LIST LENGTH that is not a positive multiple of 8 is an invalid response.
 */
export function decodeReadFormatCapacitiesReply(buf: Uint8Array): FormatCapacities & { truncated: boolean } {
  const r = replyReader(buf, 'READ FORMAT CAPACITIES data');
  const listLength = r.u8(3);
  if (buf.length >= HEADER && listLength === 0 || listLength % DESCRIPTOR !== 0) throw invalidReply(`READ FORMAT CAPACITIES: capacity list length ${listLength} is not a positive multiple of 8`);
  const current = { blocks: r.u32(4), descriptorType: r.u8(8) & 3, blockLength: r.u24(9) };
  const formattable: FormattableCapacity[] = [];
  for (let o = HEADER + DESCRIPTOR; o + DESCRIPTOR <= Math.min(buf.length, HEADER + listLength); o += DESCRIPTOR) {
    formattable.push({ blocks: r.u32(o), formatType: r.u8(o + 4) >> 2, typeDependent: r.u24(o + 5) });
  }
  return { current, formattable, truncated: buf.length < HEADER + listLength };
}
