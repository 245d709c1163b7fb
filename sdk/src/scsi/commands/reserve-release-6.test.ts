import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRelease6Cdb, decodeReserve6Cdb, encodeRelease6Cdb, encodeReserve6Cdb } from './reserve-release-6.js';
import { assertCheckCondition, assertInvalidCdbField, hexBytes } from './command-asserts.test.helpers.js';

// SPC-2 RESERVE(6) / RELEASE(6): opcode 16h / 17h, everything else zero for a logical unit reservation.
test('RESERVE(6) / RELEASE(6) CDB bytes and round trip', () => {
  assert.deepEqual(encodeReserve6Cdb(), hexBytes('16 00 00 00 00 00'));
  assert.deepEqual(encodeRelease6Cdb(), hexBytes('17 00 00 00 00 00'));
  assert.deepEqual(decodeReserve6Cdb(encodeReserve6Cdb({ control: 4 })), { control: 4 });
  assert.deepEqual(decodeRelease6Cdb(encodeRelease6Cdb()), {});
});

test('RESERVE(6) / RELEASE(6) reject third-party and extent reservations', () => {
  assertInvalidCdbField(() => decodeReserve6Cdb(hexBytes('16 10 00 00 00 00')), 1, 4); // 3RDPTY
  assertInvalidCdbField(() => decodeReserve6Cdb(hexBytes('16 01 00 00 00 00')), 1, 0); // EXTENT
  assertInvalidCdbField(() => decodeReserve6Cdb(hexBytes('16 00 00 00 08 00')), 4, 3); // extent list length
  assertInvalidCdbField(() => decodeRelease6Cdb(hexBytes('17 00 05 00 00 00')), 2, 2); // reservation id
  assertCheckCondition(() => decodeRelease6Cdb(hexBytes('16 00 00 00 00 00')), 5, 0x20, 0);
});
