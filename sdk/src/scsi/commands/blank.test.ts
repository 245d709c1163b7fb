import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlankingType, decodeBlankCdb, encodeBlankCdb } from './blank.js';
import { assertCheckCondition, assertInvalidCdbField, hexBytes } from './command-asserts.test.helpers.js';

// MMC-6 "BLANK CDB", by hand: IMMED byte 1 bit 4, blanking type byte 1 bits 2-0, start address
// bytes 2-5. Minimal blank with IMMED is A1 11 00.. (what "fast" CD-RW erasing sends).
test('BLANK CDB bytes', () => {
  assert.deepEqual(encodeBlankCdb({ immed: true, blankingType: BlankingType.MINIMAL, startAddress: 0 }),
    hexBytes('A1 11 00 00 00 00 00 00 00 00 00 00'));
  assert.deepEqual(encodeBlankCdb({ immed: false, blankingType: BlankingType.FULL, startAddress: 0 }),
    hexBytes('A1 00 00 00 00 00 00 00 00 00 00 00'));
  assert.deepEqual(encodeBlankCdb({ immed: true, blankingType: BlankingType.TRACK_TAIL, startAddress: 0x00012345, control: 4 }),
    hexBytes('A1 14 00 01 23 45 00 00 00 00 00 04'));
});

test('BLANK round trip over every blanking type', () => {
  for (const t of Object.values(BlankingType)) {
    const p = { immed: t % 2 === 1, blankingType: t, startAddress: t * 1000 };
    assert.deepEqual(decodeBlankCdb(encodeBlankCdb(p)), p);
  }
});

test('BLANK decode errors point at the field', () => {
  assertInvalidCdbField(() => decodeBlankCdb(hexBytes('A1 07 00 00 00 00 00 00 00 00 00 00')), 1, 2); // type 111b
  assertInvalidCdbField(() => decodeBlankCdb(hexBytes('A1 08 00 00 00 00 00 00 00 00 00 00')), 1, 3); // reserved bit 3
  assertInvalidCdbField(() => decodeBlankCdb(hexBytes('A1 20 00 00 00 00 00 00 00 00 00 00')), 1, 5);
  assertInvalidCdbField(() => decodeBlankCdb(hexBytes('A1 00 00 00 00 00 00 00 00 00 01 00')), 10, 0);
  assertInvalidCdbField(() => decodeBlankCdb(hexBytes('A1 00 00 00 00 00 00 00 00 00')), 0);
  assertCheckCondition(() => decodeBlankCdb(hexBytes('A2 00 00 00 00 00 00 00 00 00 00 00')), 5, 0x20, 0);
  assert.throws(() => encodeBlankCdb({ immed: false, blankingType: 7, startAddress: 0 }), TypeError);
});
