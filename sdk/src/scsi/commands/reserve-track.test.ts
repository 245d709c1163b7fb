import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeReserveTrackCdb, encodeReserveTrackCdb, type ReserveTrackCdb } from './reserve-track.js';
import { assertCheckCondition, assertInvalidCdbField, hexBytes } from './command-asserts.test.helpers.js';

// MMC-6 RESERVE TRACK CDB tables (ARSV = 0: size in bytes 5-8; ARSV = 1: LBA in bytes 2-5), by hand.
test('RESERVE TRACK CDB bytes for both forms', () => {
  assert.deepEqual(encodeReserveTrackCdb({ arsv: false, reservationSize: 333000 }), hexBytes('53 00 00 00 00 00 05 14 C8 00'));
  assert.deepEqual(encodeReserveTrackCdb({ arsv: true, reservationLba: 0x00123456, control: 4 }), hexBytes('53 01 00 12 34 56 00 00 00 04'));
});

test('RESERVE TRACK round trip', () => {
  const cases: ReserveTrackCdb[] = [
    { arsv: false, reservationSize: 0 },
    { arsv: false, reservationSize: 0xffffffff },
    { arsv: true, reservationLba: 0xfffffffe, control: 0x80 },
  ];
  for (const p of cases) assert.deepEqual(decodeReserveTrackCdb(encodeReserveTrackCdb(p)), p);
});

test('RESERVE TRACK decode errors point at the field', () => {
  assertInvalidCdbField(() => decodeReserveTrackCdb(hexBytes('53 02 00 00 00 00 05 14 C8 00')), 1, 1);
  // ARSV = 0: bytes 2-4 reserved
  assertInvalidCdbField(() => decodeReserveTrackCdb(hexBytes('53 00 00 01 00 00 05 14 C8 00')), 3, 0);
  // ARSV = 1: bytes 6-8 reserved
  assertInvalidCdbField(() => decodeReserveTrackCdb(hexBytes('53 01 00 12 34 56 00 40 00 00')), 7, 6);
  assertInvalidCdbField(() => decodeReserveTrackCdb(hexBytes('53 00 00 00 00 00 05 14')), 0);
  assertCheckCondition(() => decodeReserveTrackCdb(hexBytes('52 00 00 00 00 00 05 14 C8 00')), 5, 0x20, 0);
  assert.throws(() => encodeReserveTrackCdb({ arsv: false, reservationSize: -1 }), TypeError);
});
