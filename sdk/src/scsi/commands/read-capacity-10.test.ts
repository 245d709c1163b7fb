import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeReadCapacity10Cdb, decodeReadCapacity10Reply, encodeReadCapacity10Cdb, encodeReadCapacity10Reply } from './read-capacity-10.js';
import { assertInvalidCdbField, assertInvalidReply, hexBytes } from './command-asserts.test.helpers.js';

test('READ CAPACITY(10) CDB bytes, round trip, reserved fields', () => {
  assert.deepEqual(encodeReadCapacity10Cdb(), hexBytes('25 00 00 00 00 00 00 00 00 00'));
  assert.deepEqual(decodeReadCapacity10Cdb(encodeReadCapacity10Cdb({ control: 4 })), { control: 4 });
  assertInvalidCdbField(() => decodeReadCapacity10Cdb(hexBytes('25 00 00 00 00 00 00 00 01 00')), 8, 0); // PMI
  assertInvalidCdbField(() => decodeReadCapacity10Cdb(hexBytes('25 00 00 00 10 00 00 00 00 00')), 4, 4); // LBA
});

// READ CAPACITY data (MMC-6 / SBC-3 table "READ CAPACITY data"): last LBA then block length.
// Last LBA 359,845 (00057DA5h, about an 80-minute CD), block length 2048 (00000800h).
test('READ CAPACITY(10) reply bytes and round trip', () => {
  const d = { lastLba: 0x00057da5, blockLength: 2048 };
  const b = encodeReadCapacity10Reply(d);
  assert.deepEqual(b, hexBytes('00 05 7d a5 00 00 08 00'));
  assert.deepEqual(decodeReadCapacity10Reply(b), { ...d, truncated: false, fullLength: 8 });
  assert.deepEqual(decodeReadCapacity10Reply(encodeReadCapacity10Reply({ lastLba: 0xffffffff, blockLength: 512 })), {
    lastLba: 0xffffffff,
    blockLength: 512,
    truncated: false,
    fullLength: 8,
  });
});

test('READ CAPACITY(10) reply: truncated and malformed', () => {
  const cut = decodeReadCapacity10Reply(hexBytes('00 05 7d a5 00 00'));
  assert.deepEqual(cut, { lastLba: 0x57da5, blockLength: 0, truncated: true, fullLength: 8 });
  assertInvalidReply(() => decodeReadCapacity10Reply(hexBytes('00 05 7d a5 00 00 00 00')));
});
