/**
 * TEST UNIT READY (00h) — SPC-4 table "TEST UNIT READY command"; MMC-6 clause 6.
 *
 *   byte 0     OPERATION CODE (00h)
 *   bytes 1-4  Reserved
 *   byte 5     CONTROL
 *
 * No data. GOOD when the unit is ready; else CHECK CONDITION (MMC: NOT READY, MEDIUM NOT PRESENT…).
 *
 * (The file is not called test-unit-ready.ts because node's test runner takes every `test-*.js`
 * for a test file.)
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBytes, writeControl } from './cdb-fields.js';

export const TEST_UNIT_READY_CDB_LENGTH = 6;
export const TEST_UNIT_READY_DIRECTION: DataDirection = 'none';

export type TestUnitReadyCdb = CdbCommon;

export function encodeTestUnitReadyCdb(params: TestUnitReadyCdb = {}): Buffer {
  const w = new ByteWriter(TEST_UNIT_READY_CDB_LENGTH);
  w.u8(0, Opcode.TEST_UNIT_READY);
  writeControl(w, 5, params.control);
  return w.buffer;
}

export function decodeTestUnitReadyCdb(cdb: Uint8Array): TestUnitReadyCdb {
  const what = 'TEST UNIT READY';
  const r = cdbReader(cdb, TEST_UNIT_READY_CDB_LENGTH, what);
  expectOpcode(r, Opcode.TEST_UNIT_READY, what);
  rejectBytes(r, 1, 4, what);
  return { ...readControl(r, 5, what) };
}
