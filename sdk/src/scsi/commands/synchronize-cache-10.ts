/**
 * SYNCHRONIZE CACHE(10) (35h) — MMC-6 table "SYNCHRONIZE CACHE Command Descriptor Block"
 * (SBC-3 table "SYNCHRONIZE CACHE (10) command").
 *
 *   byte 0     OPERATION CODE (35h)
 *   byte 1     Reserved (7-3) | Obsolete SYNC_NV (2) | IMMED (1) | Obsolete RELADR (0)
 *   bytes 2-5  LOGICAL BLOCK ADDRESS (signed for MMC, as READ/WRITE)
 *   byte 6     Reserved (SBC: GROUP NUMBER)
 *   bytes 7-8  NUMBER OF BLOCKS (0: through the last block)
 *   byte 9     CONTROL
 *
 * No data. MMC drives flush the whole write cache regardless of the range; with IMMED the drive
 * returns status at once and keeps flushing (poll with TEST UNIT READY / REQUEST SENSE).
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, int, readControl, rejectBits, uint, writeControl } from './cdb-fields.js';

export const SYNCHRONIZE_CACHE_10_CDB_LENGTH = 10;
export const SYNCHRONIZE_CACHE_10_DIRECTION: DataDirection = 'none';

export interface SynchronizeCache10Cdb extends CdbCommon {
  immed: boolean;
  lba: number;
  numberOfBlocks: number;
}

export function encodeSynchronizeCache10Cdb(params: SynchronizeCache10Cdb): Buffer {
  const w = new ByteWriter(SYNCHRONIZE_CACHE_10_CDB_LENGTH);
  w.u8(0, Opcode.SYNCHRONIZE_CACHE_10);
  w.bit(1, 1, params.immed);
  w.i32(2, int('lba', params.lba, -0x80000000, 0x7fffffff));
  w.u16(7, uint('numberOfBlocks', params.numberOfBlocks, 0xffff));
  writeControl(w, 9, params.control);
  return w.buffer;
}

export function decodeSynchronizeCache10Cdb(cdb: Uint8Array): SynchronizeCache10Cdb {
  const what = 'SYNCHRONIZE CACHE(10)';
  const r = cdbReader(cdb, SYNCHRONIZE_CACHE_10_CDB_LENGTH, what);
  expectOpcode(r, Opcode.SYNCHRONIZE_CACHE_10, what);
  rejectBits(r, 1, 0xfd, what);
  rejectBits(r, 6, 0xff, what);
  return { immed: r.bit(1, 1), lba: r.i32(2), numberOfBlocks: r.u16(7), ...readControl(r, 9, what) };
}
