/**
 * RESERVE(6) (16h) and RELEASE(6) (17h) — SPC-2 tables "RESERVE(6) command" and
 * "RELEASE(6) command" (obsolete in SPC-3 and later, still sent by older initiators and MMC hosts).
 *
 *   byte 0     OPERATION CODE (16h / 17h)
 *   byte 1     Reserved (7-5) | Obsolete: 3RDPTY (4), THIRD-PARTY DEVICE ID (3-1), EXTENT (0)
 *   byte 2     Obsolete: RESERVATION IDENTIFICATION
 *   bytes 3-4  Obsolete: EXTENT parameter list length (RESERVE only; reserved in RELEASE)
 *   byte 5     CONTROL
 *
 * Only whole-logical-unit reservations are supported: the obsolete third-party and extent fields
 * must be zero, else INVALID FIELD IN CDB at the offending byte.
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBytes, writeControl } from './cdb-fields.js';

export const RESERVE_RELEASE_6_CDB_LENGTH = 6;
export const RESERVE_RELEASE_6_DIRECTION: DataDirection = 'none';

export type Reserve6Cdb = CdbCommon;
export type Release6Cdb = CdbCommon;

function encode(opcode: number, params: CdbCommon): Buffer {
  const w = new ByteWriter(RESERVE_RELEASE_6_CDB_LENGTH);
  w.u8(0, opcode);
  writeControl(w, 5, params.control);
  return w.buffer;
}

function decode(cdb: Uint8Array, opcode: number, what: string): CdbCommon {
  const r = cdbReader(cdb, RESERVE_RELEASE_6_CDB_LENGTH, what);
  expectOpcode(r, opcode, what);
  rejectBytes(r, 1, 4, what);
  return { ...readControl(r, 5, what) };
}

export function encodeReserve6Cdb(params: Reserve6Cdb = {}): Buffer {
  return encode(Opcode.RESERVE_6, params);
}
export function decodeReserve6Cdb(cdb: Uint8Array): Reserve6Cdb {
  return decode(cdb, Opcode.RESERVE_6, 'RESERVE(6)');
}
export function encodeRelease6Cdb(params: Release6Cdb = {}): Buffer {
  return encode(Opcode.RELEASE_6, params);
}
export function decodeRelease6Cdb(cdb: Uint8Array): Release6Cdb {
  return decode(cdb, Opcode.RELEASE_6, 'RELEASE(6)');
}
