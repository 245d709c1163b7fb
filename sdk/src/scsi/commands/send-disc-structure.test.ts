import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSendDiscStructureCdb, encodeSendDiscStructureCdb, encodeSendDiscStructureParameters } from './send-disc-structure.js';
import { assertCheckCondition, assertInvalidCdbField, hexBytes } from './command-asserts.test.helpers.js';

// MMC-6 SEND DISC STRUCTURE CDB: media type in byte 1, format code in byte 7, length in bytes 8-9.
test('SEND DISC STRUCTURE CDB bytes and round trip', () => {
  assert.deepEqual(encodeSendDiscStructureCdb({ mediaType: 0, formatCode: 0x0f, parameterListLength: 0x0c }), hexBytes('BF 00 00 00 00 00 00 0F 00 0C 00 00'));
  assert.deepEqual(encodeSendDiscStructureCdb({ mediaType: 1, formatCode: 0x30, parameterListLength: 0x1234, control: 4 }), hexBytes('BF 01 00 00 00 00 00 30 12 34 00 04'));
  for (const p of [{ mediaType: 0, formatCode: 0xff, parameterListLength: 0 }, { mediaType: 1, formatCode: 4, parameterListLength: 0xffff, control: 0x80 }]) {
    assert.deepEqual(decodeSendDiscStructureCdb(encodeSendDiscStructureCdb(p)), p);
  }
});

test('SEND DISC STRUCTURE decode errors point at the field; bad arguments are TypeErrors', () => {
  assertInvalidCdbField(() => decodeSendDiscStructureCdb(hexBytes('BF 02 00 00 00 00 00 0F 00 0C 00 00')), 1, 3);
  assertInvalidCdbField(() => decodeSendDiscStructureCdb(hexBytes('BF 10 00 00 00 00 00 0F 00 0C 00 00')), 1, 4);
  assertInvalidCdbField(() => decodeSendDiscStructureCdb(hexBytes('BF 00 00 00 01 00 00 0F 00 0C 00 00')), 4);
  assertInvalidCdbField(() => decodeSendDiscStructureCdb(hexBytes('BF 00 00 00 00 00 00 0F 00 0C')), 0);
  assertCheckCondition(() => decodeSendDiscStructureCdb(hexBytes('AD 00 00 00 00 00 00 0F 00 0C 00 00')), 5, 0x20, 0);
  assert.throws(() => encodeSendDiscStructureCdb({ mediaType: 2, formatCode: 0, parameterListLength: 4 }), TypeError);
});

test('SEND DISC STRUCTURE parameter list: STRUCTURE DATA LENGTH counts the structure and 2 reserved bytes', () => {
  assert.deepEqual(encodeSendDiscStructureParameters(Buffer.from([0xaa, 0xbb, 0xcc])), hexBytes('00 05 00 00 AA BB CC'));
  assert.deepEqual(encodeSendDiscStructureParameters(Buffer.alloc(0)), hexBytes('00 02 00 00'));
  assert.throws(() => encodeSendDiscStructureParameters(Buffer.alloc(0xfffc)), TypeError);
});
