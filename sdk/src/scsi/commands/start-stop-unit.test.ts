import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeStartStopUnitCdb, encodeStartStopUnitCdb, PowerCondition, startStopAction } from './start-stop-unit.js';
import { assertInvalidCdbField, hexBytes } from './command-asserts.test.helpers.js';

const base = { immed: false, powerCondition: PowerCondition.START_VALID, loej: false, start: false };

// MMC-6 table "START STOP UNIT Command Descriptor Block": IMMED byte 1 bit 0; byte 4
// POWER CONDITIONS (7-4), FL (2), LOEJ (1), START (0). Eject with IMMED is the classic 1B 01 00 00 02 00.
test('START STOP UNIT CDB bytes', () => {
  assert.deepEqual(encodeStartStopUnitCdb({ ...base, immed: true, loej: true }), hexBytes('1b 01 00 00 02 00'));
  assert.deepEqual(encodeStartStopUnitCdb({ ...base, loej: true, start: true }), hexBytes('1b 00 00 00 03 00'));
  assert.deepEqual(encodeStartStopUnitCdb({ ...base, start: true }), hexBytes('1b 00 00 00 01 00'));
  assert.deepEqual(encodeStartStopUnitCdb({ ...base, powerCondition: PowerCondition.STANDBY }), hexBytes('1b 00 00 00 30 00'));
  assert.deepEqual(encodeStartStopUnitCdb({ ...base, start: true, fl: true, formatLayerNumber: 1 }), hexBytes('1b 00 00 01 05 00'));
});

test('START STOP UNIT round trip and action', () => {
  const cases = [
    { ...base },
    { ...base, immed: true, loej: true },
    { ...base, loej: true, start: true, control: 4 },
    { ...base, powerCondition: PowerCondition.SLEEP },
    { ...base, fl: true, formatLayerNumber: 3, start: true },
  ];
  for (const p of cases) assert.deepEqual(decodeStartStopUnitCdb(encodeStartStopUnitCdb(p)), p);
  assert.deepEqual(cases.map(startStopAction), ['stop', 'eject', 'load', 'power', 'start']);
});

test('START STOP UNIT decode errors', () => {
  assertInvalidCdbField(() => decodeStartStopUnitCdb(hexBytes('1b 02 00 00 02 00')), 1, 1);
  assertInvalidCdbField(() => decodeStartStopUnitCdb(hexBytes('1b 00 01 00 02 00')), 2, 0);
  assertInvalidCdbField(() => decodeStartStopUnitCdb(hexBytes('1b 00 00 04 02 00')), 3, 2);
  assertInvalidCdbField(() => decodeStartStopUnitCdb(hexBytes('1b 00 00 00 0a 00')), 4, 3);
  // POWER CONDITIONS 4h is reserved
  assertInvalidCdbField(() => decodeStartStopUnitCdb(hexBytes('1b 00 00 00 40 00')), 4, 7);
  assert.throws(() => encodeStartStopUnitCdb({ ...base, powerCondition: 4 }), TypeError);
});
