import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CloseFunction, decodeCloseTrackSessionCdb, encodeCloseTrackSessionCdb } from './close-track-session.js';
import { assertCheckCondition, assertInvalidCdbField, hexBytes } from './command-asserts.test.helpers.js';

// MMC-6 "CLOSE TRACK SESSION CDB", by hand: IMMED in byte 1 bit 0, close function in byte 2 bits
// 2-0, logical track number in bytes 4-5.
test('CLOSE TRACK/SESSION CDB bytes', () => {
  assert.deepEqual(encodeCloseTrackSessionCdb({ immed: true, closeFunction: CloseFunction.CLOSE_TRACK, trackNumber: 1 }),
    hexBytes('5B 01 01 00 00 01 00 00 00 00'));
  assert.deepEqual(encodeCloseTrackSessionCdb({ immed: false, closeFunction: CloseFunction.CLOSE_SESSION, trackNumber: 0 }),
    hexBytes('5B 00 02 00 00 00 00 00 00 00'));
  assert.deepEqual(encodeCloseTrackSessionCdb({ immed: true, closeFunction: CloseFunction.FINALIZE_DISC, trackNumber: 0x0102, control: 4 }),
    hexBytes('5B 01 06 00 01 02 00 00 00 04'));
});

test('CLOSE TRACK/SESSION round trip over every defined close function', () => {
  for (const f of Object.values(CloseFunction)) {
    const p = { immed: f % 2 === 0, closeFunction: f, trackNumber: 99 };
    assert.deepEqual(decodeCloseTrackSessionCdb(encodeCloseTrackSessionCdb(p)), p);
  }
});

test('CLOSE TRACK/SESSION decode errors point at the field', () => {
  assertInvalidCdbField(() => decodeCloseTrackSessionCdb(hexBytes('5B 00 07 00 00 00 00 00 00 00')), 2, 2); // 111b reserved
  assertInvalidCdbField(() => decodeCloseTrackSessionCdb(hexBytes('5B 00 0A 00 00 00 00 00 00 00')), 2, 3); // reserved bit 3
  assertInvalidCdbField(() => decodeCloseTrackSessionCdb(hexBytes('5B 02 01 00 00 01 00 00 00 00')), 1, 1);
  assertInvalidCdbField(() => decodeCloseTrackSessionCdb(hexBytes('5B 00 01 01 00 01 00 00 00 00')), 3, 0);
  assertInvalidCdbField(() => decodeCloseTrackSessionCdb(hexBytes('5B 00 01 00 00 01 00 00 20 00')), 8, 5);
  assertCheckCondition(() => decodeCloseTrackSessionCdb(hexBytes('5C 00 01 00 00 01 00 00 00 00')), 5, 0x20, 0);
  assert.throws(() => encodeCloseTrackSessionCdb({ immed: false, closeFunction: 7, trackNumber: 0 }), TypeError);
});
