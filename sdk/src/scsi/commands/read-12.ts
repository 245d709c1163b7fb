/**
 * READ(12) — MMC-6 table "READ (12) Command Descriptor Block"; SBC-3 READ (12).
 *
 *   byte 0     OPERATION CODE (A8h)
 *   byte 1     Reserved (7-5) | DPO (4) | FUA (3) | Reserved (2-0)
 *   bytes 2-5  LOGICAL BLOCK ADDRESS (signed for MMC)
 *   bytes 6-9  TRANSFER LENGTH (blocks)
 *   byte 10    STREAMING (7) | Reserved (6-0)
 *   byte 11    CONTROL
 *
 * Data in: TRANSFER LENGTH blocks of the current block size (2048 bytes for data discs).
 * Shared field handling (signed LBA, reserved SBC-only bits) in read-write-cdb.ts.
 */
import { Opcode } from '../opcodes.js';
import type { DataDirection } from '../codec.js';
import { decodeReadWriteCdb, encodeReadWriteCdb, type ReadWriteCdbFields } from './read-write-cdb.js';

export const READ_12_CDB_LENGTH = 12;
export const READ_12_DIRECTION: DataDirection = 'in';

export interface Read12Cdb extends ReadWriteCdbFields {
  /** STREAMING (MMC): use the stream performance set by SET STREAMING, no defect management. */
  streaming?: boolean;
}

export function encodeRead12Cdb(params: Read12Cdb): Buffer {
  return encodeReadWriteCdb(Opcode.READ_12, 12, params, params.streaming);
}

export function decodeRead12Cdb(cdb: Uint8Array): Read12Cdb {
  return decodeReadWriteCdb(cdb, Opcode.READ_12, 12, 'READ(12)');
}
