/**
 * WRITE(12) — MMC-6 table "WRITE (12) Command Descriptor Block"; SBC-3 WRITE (12).
 *
 *   byte 0     OPERATION CODE (AAh)
 *   byte 1     Reserved (7-5) | DPO (4) | FUA (3) | Reserved (2-0)
 *   bytes 2-5  LOGICAL BLOCK ADDRESS (signed for MMC)
 *   bytes 6-9  TRANSFER LENGTH (blocks)
 *   byte 10    STREAMING (7) | Reserved (6-0)
 *   byte 11    CONTROL
 *
 * Data out: TRANSFER LENGTH blocks of the write parameters' block size (mode page 05h).
 * Shared field handling (signed LBA, reserved SBC-only bits) in read-write-cdb.ts.
 */
import { Opcode } from '../opcodes.js';
import type { DataDirection } from '../codec.js';
import { decodeReadWriteCdb, encodeReadWriteCdb, type ReadWriteCdbFields } from './read-write-cdb.js';

export const WRITE_12_CDB_LENGTH = 12;
export const WRITE_12_DIRECTION: DataDirection = 'out';

export interface Write12Cdb extends ReadWriteCdbFields {
  /** STREAMING (MMC): use the stream performance set by SET STREAMING, no defect management. */
  streaming?: boolean;
}

export function encodeWrite12Cdb(params: Write12Cdb): Buffer {
  return encodeReadWriteCdb(Opcode.WRITE_12, 12, params, params.streaming);
}

export function decodeWrite12Cdb(cdb: Uint8Array): Write12Cdb {
  return decodeReadWriteCdb(cdb, Opcode.WRITE_12, 12, 'WRITE(12)');
}
