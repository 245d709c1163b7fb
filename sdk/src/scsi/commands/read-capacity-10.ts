/**
 * READ CAPACITY(10) (25h) — MMC-6 table "READ CAPACITY Command Descriptor Block" (SBC-3 table
 * "READ CAPACITY (10) command": the LOGICAL BLOCK ADDRESS and PMI fields there are obsolete, and
 * MMC reserves bytes 1-8).
 *
 *   byte 0     OPERATION CODE (25h)
 *   bytes 1-8  Reserved (SBC: RELADR, LBA, PMI — obsolete)
 *   byte 9     CONTROL
 *
 * Data in (table "READ CAPACITY data"), 8 bytes:
 *   bytes 0-3  LOGICAL BLOCK ADDRESS — the last logical block (MMC: of the last session's last
 *              track, or the last addressable block of the medium)
 *   bytes 4-7  BLOCK LENGTH IN BYTES (2048 for MMC data)
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidReply, replyReader, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBytes, uint, writeControl } from './cdb-fields.js';

export const READ_CAPACITY_10_CDB_LENGTH = 10;
export const READ_CAPACITY_10_DIRECTION: DataDirection = 'in';
export const READ_CAPACITY_10_DATA_LENGTH = 8;

export type ReadCapacity10Cdb = CdbCommon;

export function encodeReadCapacity10Cdb(params: ReadCapacity10Cdb = {}): Buffer {
  const w = new ByteWriter(READ_CAPACITY_10_CDB_LENGTH);
  w.u8(0, Opcode.READ_CAPACITY_10);
  writeControl(w, 9, params.control);
  return w.buffer;
}

export function decodeReadCapacity10Cdb(cdb: Uint8Array): ReadCapacity10Cdb {
  const what = 'READ CAPACITY(10)';
  const r = cdbReader(cdb, READ_CAPACITY_10_CDB_LENGTH, what);
  expectOpcode(r, Opcode.READ_CAPACITY_10, what);
  rejectBytes(r, 1, 8, what);
  return { ...readControl(r, 9, what) };
}

export interface ReadCapacity10Data {
  /** RETURNED LOGICAL BLOCK ADDRESS: the last addressable block (unsigned). */
  lastLba: number;
  blockLength: number;
}

export interface ReadCapacity10Reply extends ReadCapacity10Data {
  truncated: boolean;
  /** Always 8. */
  fullLength: number;
}

export function encodeReadCapacity10Reply(d: ReadCapacity10Data): Buffer {
  return new ByteWriter(READ_CAPACITY_10_DATA_LENGTH)
    .u32(0, uint('lastLba', d.lastLba, 0xffffffff))
    .u32(4, uint('blockLength', d.blockLength, 0xffffffff)).buffer;
}

/** A cut reply reads the missing bytes as zero; a whole reply with a zero block length is invalid. */
export function decodeReadCapacity10Reply(buf: Uint8Array): ReadCapacity10Reply {
  const r = replyReader(buf, 'READ CAPACITY data');
  const truncated = buf.length < READ_CAPACITY_10_DATA_LENGTH;
  const blockLength = r.u32(4);
  if (!truncated && blockLength === 0) throw invalidReply('READ CAPACITY: BLOCK LENGTH IN BYTES is 0');
  return { lastLba: r.u32(0), blockLength, truncated, fullLength: READ_CAPACITY_10_DATA_LENGTH };
}
