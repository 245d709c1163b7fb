import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeReadBufferCapacityCdb, decodeReadBufferCapacityReply, encodeReadBufferCapacityCdb, encodeReadBufferCapacityReply,
} from './read-buffer-capacity.js';
import { assertCheckCondition, assertInvalidCdbField, assertInvalidReply, hexBytes } from './command-asserts.test.helpers.js';

// MMC-6 "READ BUFFER CAPACITY CDB", by hand.
test('READ BUFFER CAPACITY CDB bytes and round trip', () => {
  assert.deepEqual(encodeReadBufferCapacityCdb({ block: false, allocationLength: 12 }), hexBytes('5C 00 00 00 00 00 00 00 0C 00'));
  assert.deepEqual(encodeReadBufferCapacityCdb({ block: true, allocationLength: 12, control: 4 }), hexBytes('5C 01 00 00 00 00 00 00 0C 04'));
  for (const p of [{ block: true, allocationLength: 0xffff }, { block: false, allocationLength: 0, control: 0x40 }]) {
    assert.deepEqual(decodeReadBufferCapacityCdb(encodeReadBufferCapacityCdb(p)), p);
  }
});

test('READ BUFFER CAPACITY CDB decode errors point at the field', () => {
  assertInvalidCdbField(() => decodeReadBufferCapacityCdb(hexBytes('5C 02 00 00 00 00 00 00 0C 00')), 1, 1);
  assertInvalidCdbField(() => decodeReadBufferCapacityCdb(hexBytes('5C 00 00 00 00 00 10 00 0C 00')), 6, 4);
  assertInvalidCdbField(() => decodeReadBufferCapacityCdb(hexBytes('5C 00 00 00')), 0);
  assertCheckCondition(() => decodeReadBufferCapacityCdb(hexBytes('5D 00 00 00 00 00 00 00 0C 00')), 5, 0x20, 0);
});

// MMC-6 READ BUFFER CAPACITY data tables, by hand: a 2 MiB buffer with 1.5 MiB free; the block form
// with 768 blocks free.
test('READ BUFFER CAPACITY replies in both forms', () => {
  const bytes = hexBytes('00 0A 00 00 00 20 00 00 00 18 00 00');
  assert.deepEqual(encodeReadBufferCapacityReply({ block: false, bufferLength: 0x200000, availableLength: 0x180000 }), bytes);
  assert.deepEqual(decodeReadBufferCapacityReply(bytes), {
    block: false, bufferLength: 0x200000, availableLength: 0x180000, truncated: false, fullLength: 12,
  });
  const blocks = hexBytes('00 0A 00 01 00 00 00 00 00 00 03 00');
  assert.deepEqual(encodeReadBufferCapacityReply({ block: true, availableBlocks: 768 }), blocks);
  assert.deepEqual(decodeReadBufferCapacityReply(blocks), { block: true, availableBlocks: 768, truncated: false, fullLength: 12 });
});

test('READ BUFFER CAPACITY truncated reply decodes; a short data length is invalid', () => {
  const cut = decodeReadBufferCapacityReply(hexBytes('00 0A 00 00 00 20 00 00 00 18'));
  assert.deepEqual(cut, { block: false, bufferLength: 0x200000, availableLength: 0x180000 & 0xffff0000, truncated: true, fullLength: 12 });
  assert.equal(decodeReadBufferCapacityReply(hexBytes('00')).truncated, true);
  assertInvalidReply(() => decodeReadBufferCapacityReply(hexBytes('00 06 00 00 00 20 00 00')));
});
