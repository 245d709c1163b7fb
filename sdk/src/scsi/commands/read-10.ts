/**
 * READ(10) — MMC-6 table "READ (10) Command Descriptor Block"; SBC-3 READ (10).
 *
 *   byte 0     OPERATION CODE (28h)
 *   byte 1     Reserved (7-5) | DPO (4) | FUA (3) | Reserved (2-0)
 *   bytes 2-5  LOGICAL BLOCK ADDRESS (signed for MMC)
 *   byte 6     Reserved
 *   bytes 7-8  TRANSFER LENGTH (blocks)
 *   byte 9     CONTROL
 *
 * Data in: TRANSFER LENGTH blocks of the current block size (2048 bytes for data discs).
 * Shared field handling (signed LBA, reserved SBC-only bits) in read-write-cdb.ts.
 */
import { Opcode } from '../opcodes.js';
import type { DataDirection } from '../codec.js';
import { decodeReadWriteCdb, encodeReadWriteCdb, type ReadWriteCdbFields } from './read-write-cdb.js';

export const READ_10_CDB_LENGTH = 10;
export const READ_10_DIRECTION: DataDirection = 'in';

export type Read10Cdb = ReadWriteCdbFields;

export function encodeRead10Cdb(params: Read10Cdb): Buffer {
  return encodeReadWriteCdb(Opcode.READ_10, 10, params);
}

export function decodeRead10Cdb(cdb: Uint8Array): Read10Cdb {
  return decodeReadWriteCdb(cdb, Opcode.READ_10, 10, 'READ(10)');
}
