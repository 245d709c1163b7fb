import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTestUnitReadyCdb, encodeTestUnitReadyCdb } from './unit-ready.js';
import { assertCheckCondition, assertInvalidCdbField, hexBytes } from './command-asserts.test.helpers.js';

// SPC-4 table "TEST UNIT READY command": opcode 00h, four reserved bytes, CONTROL.
test('TEST UNIT READY CDB bytes per SPC-4', () => {
  assert.deepEqual(encodeTestUnitReadyCdb(), hexBytes('00 00 00 00 00 00'));
  assert.deepEqual(encodeTestUnitReadyCdb({ control: 0x04 }), hexBytes('00 00 00 00 00 04'));
});

test('TEST UNIT READY round trip', () => {
  for (const p of [{}, { control: 0x04 }, { control: 0xc0 }]) {
    assert.deepEqual(decodeTestUnitReadyCdb(encodeTestUnitReadyCdb(p)), p);
  }
});

test('TEST UNIT READY decode rejects reserved bytes with the field pointer', () => {
  assertInvalidCdbField(() => decodeTestUnitReadyCdb(hexBytes('00 00 00 01 00 00')), 3, 0);
  assertInvalidCdbField(() => decodeTestUnitReadyCdb(hexBytes('00 20 00 00 00 00')), 1, 5);
  // CONTROL bits 5-3 are reserved (SAM-5 CONTROL byte)
  assertInvalidCdbField(() => decodeTestUnitReadyCdb(hexBytes('00 00 00 00 00 08')), 5, 3);
  // a CDB shorter than 6 bytes points at the opcode
  assertInvalidCdbField(() => decodeTestUnitReadyCdb(hexBytes('00 00 00 00')), 0);
});

test('TEST UNIT READY decode of another opcode is INVALID COMMAND OPERATION CODE', () => {
  assertCheckCondition(() => decodeTestUnitReadyCdb(hexBytes('03 00 00 00 00 00')), 5, 0x20, 0);
});

test('TEST UNIT READY encode rejects a bad control byte', () => {
  assert.throws(() => encodeTestUnitReadyCdb({ control: 256 }), TypeError);
});
