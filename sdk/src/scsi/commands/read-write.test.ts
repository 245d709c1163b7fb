import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRead10Cdb, encodeRead10Cdb } from './read-10.js';
import { decodeRead12Cdb, encodeRead12Cdb } from './read-12.js';
import { decodeWrite10Cdb, encodeWrite10Cdb } from './write-10.js';
import { decodeWrite12Cdb, encodeWrite12Cdb } from './write-12.js';
import { assertCheckCondition, assertInvalidCdbField, hexBytes } from './command-asserts.test.helpers.js';

// Byte layouts from MMC-6 / SBC-3 tables "READ (10)", "READ (12)", "WRITE (10)", "WRITE (12)".
test('READ(10) / WRITE(10) CDB bytes', () => {
  assert.deepEqual(encodeRead10Cdb({ lba: 16, transferLength: 1 }), hexBytes('28 00 00 00 00 10 00 00 01 00'));
  assert.deepEqual(encodeWrite10Cdb({ lba: 0x12345678, transferLength: 0xffff, fua: true }), hexBytes('2a 08 12 34 56 78 00 ff ff 00'));
  assert.deepEqual(encodeRead10Cdb({ lba: 0, transferLength: 0, dpo: true }), hexBytes('28 10 00 00 00 00 00 00 00 00'));
});

// A raw DAO write starts at MSF 95:00:00 = LBA -22500 (lead-in): FFFFA81Ch in two's complement.
test('WRITE(10)/(12) encode negative (lead-in) LBAs as two\'s complement', () => {
  assert.deepEqual(encodeWrite10Cdb({ lba: -22500, transferLength: 27 }), hexBytes('2a 00 ff ff a8 1c 00 00 1b 00'));
  assert.deepEqual(encodeWrite12Cdb({ lba: -150, transferLength: 1 }), hexBytes('aa 00 ff ff ff 6a 00 00 00 01 00 00'));
  assert.equal(decodeWrite10Cdb(hexBytes('2a 00 ff ff a8 1c 00 00 1b 00')).lba, -22500);
  assert.equal(decodeRead10Cdb(hexBytes('28 00 ff ff ff ff 00 00 01 00')).lba, -1);
});

test('READ(12) / WRITE(12) CDB bytes with STREAMING', () => {
  assert.deepEqual(encodeRead12Cdb({ lba: 1000, transferLength: 0x10000, streaming: true }), hexBytes('a8 00 00 00 03 e8 00 01 00 00 80 00'));
  assert.deepEqual(encodeWrite12Cdb({ lba: 0, transferLength: 32, streaming: true, fua: true, dpo: true }), hexBytes('aa 18 00 00 00 00 00 00 00 20 80 00'));
});

test('READ/WRITE round trips', () => {
  for (const p of [{ lba: 0, transferLength: 0 }, { lba: -22500, transferLength: 65535, fua: true as const }, { lba: 0x7fffffff, transferLength: 1, dpo: true as const, control: 4 }]) {
    assert.deepEqual(decodeRead10Cdb(encodeRead10Cdb(p)), p);
    assert.deepEqual(decodeWrite10Cdb(encodeWrite10Cdb(p)), p);
  }
  for (const p of [{ lba: -2147483648, transferLength: 0xffffffff }, { lba: 5, transferLength: 7, streaming: true as const, fua: true as const }]) {
    assert.deepEqual(decodeRead12Cdb(encodeRead12Cdb(p)), p);
    assert.deepEqual(decodeWrite12Cdb(encodeWrite12Cdb(p)), p);
  }
});

test('READ/WRITE decode rejects SBC-only and reserved fields', () => {
  assertInvalidCdbField(() => decodeRead10Cdb(hexBytes('28 20 00 00 00 00 00 00 01 00')), 1, 5); // RDPROTECT
  assertInvalidCdbField(() => decodeWrite10Cdb(hexBytes('2a 02 00 00 00 00 00 00 01 00')), 1, 1); // FUA_NV
  assertInvalidCdbField(() => decodeWrite10Cdb(hexBytes('2a 01 00 00 00 00 00 00 01 00')), 1, 0); // RELADR
  assertInvalidCdbField(() => decodeRead10Cdb(hexBytes('28 00 00 00 00 00 01 00 01 00')), 6, 0); // GROUP NUMBER
  assertInvalidCdbField(() => decodeWrite12Cdb(hexBytes('aa 00 00 00 00 00 00 00 00 01 01 00')), 10, 0);
  assertInvalidCdbField(() => decodeRead12Cdb(hexBytes('a8 00 00 00 00 00 00 00 00 01 00')), 0); // 11 bytes
  assertCheckCondition(() => decodeRead12Cdb(hexBytes('aa 00 00 00 00 00 00 00 00 01 00 00')), 5, 0x20, 0);
});

test('READ/WRITE encode rejects out-of-range arguments', () => {
  assert.throws(() => encodeRead10Cdb({ lba: 0, transferLength: 0x10000 }), TypeError);
  assert.throws(() => encodeWrite10Cdb({ lba: 0x80000000, transferLength: 1 }), TypeError);
  assert.throws(() => encodeWrite12Cdb({ lba: 1.5, transferLength: 1 }), TypeError);
});
