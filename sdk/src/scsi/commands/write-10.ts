/**
 * WRITE(10) — MMC-6 table "WRITE (10) Command Descriptor Block"; SBC-3 WRITE (10).
 *
 *   byte 0     OPERATION CODE (2Ah)
 *   byte 1     Reserved (7-5) | DPO (4) | FUA (3) | Reserved (2-0)
 *   bytes 2-5  LOGICAL BLOCK ADDRESS (signed for MMC)
 *   byte 6     Reserved
 *   bytes 7-8  TRANSFER LENGTH (blocks)
 *   byte 9     CONTROL
 *
 * Data out: TRANSFER LENGTH blocks of the write parameters' block size (mode page 05h).
 * Shared field handling (signed LBA, reserved SBC-only bits) in read-write-cdb.ts.
 */
import { Opcode } from '../opcodes.js';
import type { DataDirection } from '../codec.js';
import { decodeReadWriteCdb, encodeReadWriteCdb, type ReadWriteCdbFields } from './read-write-cdb.js';

export const WRITE_10_CDB_LENGTH = 10;
export const WRITE_10_DIRECTION: DataDirection = 'out';

export type Write10Cdb = ReadWriteCdbFields;

export function encodeWrite10Cdb(params: Write10Cdb): Buffer {
  return encodeReadWriteCdb(Opcode.WRITE_10, 10, params);
}

export function decodeWrite10Cdb(cdb: Uint8Array): Write10Cdb {
  return decodeReadWriteCdb(cdb, Opcode.WRITE_10, 10, 'WRITE(10)');
}
