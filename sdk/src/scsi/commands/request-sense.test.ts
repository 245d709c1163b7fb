import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeRequestSenseCdb,
  decodeRequestSenseReply,
  encodeRequestSenseCdb,
  encodeRequestSenseReply,
} from './request-sense.js';
import { Sense } from '../../wire/sense.js';
import { assertInvalidCdbField, assertInvalidReply, hexBytes } from './command-asserts.test.helpers.js';

// SPC-4 table "REQUEST SENSE command": 03h, DESC in byte 1 bit 0, ALLOCATION LENGTH in byte 4.
test('REQUEST SENSE CDB bytes per SPC-4', () => {
  assert.deepEqual(encodeRequestSenseCdb({ desc: false, allocationLength: 252 }), hexBytes('03 00 00 00 fc 00'));
  assert.deepEqual(encodeRequestSenseCdb({ desc: true, allocationLength: 18 }), hexBytes('03 01 00 00 12 00'));
});

test('REQUEST SENSE CDB round trip', () => {
  for (const p of [{ desc: false, allocationLength: 0 }, { desc: true, allocationLength: 255, control: 4 }]) {
    assert.deepEqual(decodeRequestSenseCdb(encodeRequestSenseCdb(p)), p);
  }
});

test('REQUEST SENSE CDB decode errors carry the field pointer', () => {
  assertInvalidCdbField(() => decodeRequestSenseCdb(hexBytes('03 02 00 00 12 00')), 1, 1);
  assertInvalidCdbField(() => decodeRequestSenseCdb(hexBytes('03 00 00 ff 12 00')), 3, 7);
  assertInvalidCdbField(() => decodeRequestSenseCdb(hexBytes('03 00 00 00 12 20')), 5, 5);
});

// SPC-4 table "Fixed format sense data": 70h, key in byte 2, additional length 0Ah, ASC/ASCQ 12/13.
const fixedMediumNotPresent = hexBytes('70 00 02 00 00 00 00 0a 00 00 00 00 3a 00 00 00 00 00');
// SPC-4 table "Descriptor format sense data": 72h, key, ASC, ASCQ, additional length 0.
const descMediumNotPresent = hexBytes('72 02 3a 00 00 00 00 00');

test('REQUEST SENSE reply: expected bytes in both formats', () => {
  assert.deepEqual(encodeRequestSenseReply(Sense.MEDIUM_NOT_PRESENT, false), fixedMediumNotPresent);
  assert.deepEqual(encodeRequestSenseReply(Sense.MEDIUM_NOT_PRESENT, true), descMediumNotPresent);
  const fixed = decodeRequestSenseReply(fixedMediumNotPresent);
  assert.equal(fixed.truncated, false);
  assert.equal(fixed.fullLength, 18);
  assert.equal(fixed.sense?.format, 'fixed');
  assert.deepEqual([fixed.sense?.key, fixed.sense?.asc, fixed.sense?.ascq], [2, 0x3a, 0]);
  const desc = decodeRequestSenseReply(descMediumNotPresent);
  assert.equal(desc.sense?.format, 'descriptor');
  assert.equal(desc.fullLength, 8);
  assert.deepEqual([desc.sense?.key, desc.sense?.asc, desc.sense?.ascq], [2, 0x3a, 0]);
});

test('REQUEST SENSE reply round trip keeps information and field pointer', () => {
  const s = { ...Sense.INVALID_FIELD_IN_CDB, information: 0x1234, fieldPointer: { cd: true, byte: 4, bit: 2 } };
  for (const desc of [false, true]) {
    const d = decodeRequestSenseReply(encodeRequestSenseReply(s, desc));
    assert.equal(d.truncated, false);
    assert.equal(d.sense?.information, 0x1234);
    assert.deepEqual(d.sense?.fieldPointer, { cd: true, byte: 4, bit: 2 });
    assert.deepEqual([d.sense?.key, d.sense?.asc, d.sense?.ascq], [5, 0x24, 0]);
  }
});

test('REQUEST SENSE reply cut by the allocation length is truncated, not an error', () => {
  const cut = decodeRequestSenseReply(fixedMediumNotPresent.subarray(0, 8));
  assert.equal(cut.truncated, true);
  assert.equal(cut.fullLength, 18);
  assert.equal(cut.sense?.key, 2);
  const tiny = decodeRequestSenseReply(fixedMediumNotPresent.subarray(0, 3));
  assert.equal(tiny.truncated, true);
  assert.equal(tiny.fullLength, 252);
  const none = decodeRequestSenseReply(Buffer.alloc(0));
  assert.deepEqual(none, { sense: undefined, truncated: true, fullLength: 252 });
  // a descriptor cut mid-way by the allocation length is still only truncation
  const withInfo = encodeRequestSenseReply({ ...Sense.UNRECOVERED_READ_ERROR, information: 99 }, true);
  const d = decodeRequestSenseReply(withInfo.subarray(0, 12));
  assert.equal(d.truncated, true);
  assert.equal(d.fullLength, 20);
});

test('REQUEST SENSE reply that contradicts itself is an invalid response', () => {
  // response code 00h is not sense data
  assertInvalidReply(() => decodeRequestSenseReply(hexBytes('00 00 02 00 00 00 00 0a')));
  // additional sense length 4 but a descriptor declaring 10 more bytes
  assertInvalidReply(() => decodeRequestSenseReply(hexBytes('72 03 11 00 00 00 00 04 00 0a 80 00')));
  // additional sense length 250 (> 244)
  assertInvalidReply(() => decodeRequestSenseReply(hexBytes('70 00 02 00 00 00 00 fa')));
});
