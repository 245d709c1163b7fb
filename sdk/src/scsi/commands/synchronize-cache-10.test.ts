import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSynchronizeCache10Cdb, encodeSynchronizeCache10Cdb } from './synchronize-cache-10.js';
import { assertInvalidCdbField, hexBytes } from './command-asserts.test.helpers.js';

// SBC-3 / MMC-6 "SYNCHRONIZE CACHE": IMMED byte 1 bit 1, LBA bytes 2-5, NUMBER OF BLOCKS bytes 7-8.
test('SYNCHRONIZE CACHE(10) CDB bytes', () => {
  assert.deepEqual(encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 }), hexBytes('35 00 00 00 00 00 00 00 00 00'));
  assert.deepEqual(encodeSynchronizeCache10Cdb({ immed: true, lba: 0x100, numberOfBlocks: 0x20 }), hexBytes('35 02 00 00 01 00 00 00 20 00'));
  assert.deepEqual(encodeSynchronizeCache10Cdb({ immed: false, lba: -150, numberOfBlocks: 1 }), hexBytes('35 00 ff ff ff 6a 00 00 01 00'));
});

test('SYNCHRONIZE CACHE(10) round trip', () => {
  for (const p of [
    { immed: true, lba: -22500, numberOfBlocks: 65535 },
    { immed: false, lba: 0x7fffffff, numberOfBlocks: 0, control: 4 },
  ]) {
    assert.deepEqual(decodeSynchronizeCache10Cdb(encodeSynchronizeCache10Cdb(p)), p);
  }
});

test('SYNCHRONIZE CACHE(10) decode errors', () => {
  assertInvalidCdbField(() => decodeSynchronizeCache10Cdb(hexBytes('35 04 00 00 00 00 00 00 00 00')), 1, 2); // SYNC_NV
  assertInvalidCdbField(() => decodeSynchronizeCache10Cdb(hexBytes('35 01 00 00 00 00 00 00 00 00')), 1, 0); // RELADR
  assertInvalidCdbField(() => decodeSynchronizeCache10Cdb(hexBytes('35 00 00 00 00 00 1f 00 00 00')), 6, 4);
  assert.throws(() => encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: -1 }), TypeError);
});
