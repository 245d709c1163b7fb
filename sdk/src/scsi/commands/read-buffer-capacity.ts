/**
 * READ BUFFER CAPACITY (5Ch) — MMC-6, READ BUFFER CAPACITY command, tables "READ BUFFER CAPACITY
 * CDB", "READ BUFFER CAPACITY Data (Block = 0)" and "READ BUFFER CAPACITY Data (Block = 1)".
 *
 * CDB:
 *   byte 0      OPERATION CODE (5Ch)
 *   byte 1      Reserved (7-1) | BLOCK (0)
 *   bytes 2-6   Reserved
 *   bytes 7-8   ALLOCATION LENGTH
 *   byte 9      CONTROL
 *
 * Data in, BLOCK = 0 (bytes):                Data in, BLOCK = 1 (blocks):
 *   bytes 0-1   DATA LENGTH (0Ah)              bytes 0-1   DATA LENGTH (0Ah)
 *   bytes 2-3   Reserved                       byte 2      Reserved
 *   bytes 4-7   LENGTH OF BUFFER               byte 3      Reserved (7-1) | BLOCK (0) = 1
 *   bytes 8-11  AVAILABLE LENGTH OF BUFFER     bytes 4-7   Reserved
 *                                              bytes 8-11  AVAILABLE LENGTH OF BUFFER (blocks)
 * DATA LENGTH counts the bytes after itself; the reply's own BLOCK bit says which form it is.
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidReply, replyReader, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBits, rejectBytes, uint, writeControl } from './cdb-fields.js';
import { bool } from './arg-checks.js';

export const READ_BUFFER_CAPACITY_CDB_LENGTH = 10;
export const READ_BUFFER_CAPACITY_DIRECTION: DataDirection = 'in';
/** Length of the whole reply in either form. */
export const READ_BUFFER_CAPACITY_REPLY_LENGTH = 12;

export interface ReadBufferCapacityCdb extends CdbCommon {
  /** BLOCK: report the available buffer in blocks rather than bytes. */
  block: boolean;
  allocationLength: number;
}

export function encodeReadBufferCapacityCdb(params: ReadBufferCapacityCdb): Buffer {
  const w = new ByteWriter(READ_BUFFER_CAPACITY_CDB_LENGTH);
  w.u8(0, Opcode.READ_BUFFER_CAPACITY);
  w.u8(1, bool('block', params.block) ? 1 : 0);
  w.u16(7, uint('allocationLength', params.allocationLength, 0xffff));
  writeControl(w, 9, params.control);
  return w.buffer;
}

export function decodeReadBufferCapacityCdb(cdb: Uint8Array): ReadBufferCapacityCdb {
  const what = 'READ BUFFER CAPACITY';
  const r = cdbReader(cdb, READ_BUFFER_CAPACITY_CDB_LENGTH, what);
  expectOpcode(r, Opcode.READ_BUFFER_CAPACITY, what);
  rejectBits(r, 1, 0xfe, what);
  rejectBytes(r, 2, 6, what);
  return { block: r.bit(1, 0), allocationLength: r.u16(7), ...readControl(r, 9, what) };
}

/** BLOCK = 0 form: sizes in bytes. */
export interface BufferCapacityInBytes {
  block: false;
  /** LENGTH OF BUFFER: the whole buffer, bytes. */
  bufferLength: number;
  /** AVAILABLE LENGTH OF BUFFER: free space, bytes. */
  availableLength: number;
}
/** BLOCK = 1 form: free space in blocks. */
export interface BufferCapacityInBlocks {
  block: true;
  /** AVAILABLE LENGTH OF BUFFER: free space, blocks. */
  availableBlocks: number;
}
export type BufferCapacity = BufferCapacityInBytes | BufferCapacityInBlocks;

export function encodeReadBufferCapacityReply(c: BufferCapacity): Buffer {
  const w = new ByteWriter(READ_BUFFER_CAPACITY_REPLY_LENGTH);
  w.u16(0, READ_BUFFER_CAPACITY_REPLY_LENGTH - 2);
  if (c.block === true) {
    w.u8(3, 1);
    w.u32(8, uint('availableBlocks', c.availableBlocks, 0xffffffff));
  } else if (c.block === false) {
    w.u32(4, uint('bufferLength', c.bufferLength, 0xffffffff));
    w.u32(8, uint('availableLength', c.availableLength, 0xffffffff));
  } else {
    throw new TypeError('block must be a boolean');
  }
  return w.buffer;
}

export type ReadBufferCapacityReply = BufferCapacity & {
  truncated: boolean;
  /** DATA LENGTH + 2 (12), or 12 when even DATA LENGTH was cut off. */
  fullLength: number;
};

/**
 * Decodes either form; `block` is taken from the reply's BLOCK bit. Fields cut off by the
 * allocation length read as zero. A DATA LENGTH smaller than 0Ah is an invalid response.
 */
export function decodeReadBufferCapacityReply(buf: Uint8Array): ReadBufferCapacityReply {
  const r = replyReader(buf, 'READ BUFFER CAPACITY data');
  const fullLength = buf.length >= 2 ? r.u16(0) + 2 : READ_BUFFER_CAPACITY_REPLY_LENGTH;
  if (fullLength < READ_BUFFER_CAPACITY_REPLY_LENGTH) {
    throw invalidReply(`READ BUFFER CAPACITY: data length ${fullLength - 2} is less than 10`);
  }
  const truncated = buf.length < READ_BUFFER_CAPACITY_REPLY_LENGTH;
  if (r.bit(3, 0)) return { block: true, availableBlocks: r.u32(8), truncated, fullLength };
  return { block: false, bufferLength: r.u32(4), availableLength: r.u32(8), truncated, fullLength };
}
