import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSetCdSpeedCdb, encodeSetCdSpeedCdb, SET_CD_SPEED_MAXIMUM, SpeedRotationalControl } from './set-cd-speed.js';
import { assertCheckCondition, assertInvalidCdbField, hexBytes } from './command-asserts.test.helpers.js';

// MMC-6 "SET CD SPEED CDB", by hand: maximum read speed (FFFFh), write 1764 kB/s (10x CD).
test('SET CD SPEED CDB bytes', () => {
  assert.deepEqual(encodeSetCdSpeedCdb({ rotationalControl: 0, readSpeed: SET_CD_SPEED_MAXIMUM, writeSpeed: 1764 }),
    hexBytes('BB 00 FF FF 06 E4 00 00 00 00 00 00'));
  assert.deepEqual(encodeSetCdSpeedCdb({ rotationalControl: SpeedRotationalControl.PURE_CAV, readSpeed: 7056, writeSpeed: 0xffff, control: 4 }),
    hexBytes('BB 01 1B 90 FF FF 00 00 00 00 00 04'));
});

test('SET CD SPEED round trip', () => {
  for (const p of [{ rotationalControl: 1, readSpeed: 0, writeSpeed: 176 }, { rotationalControl: 0, readSpeed: 0xffff, writeSpeed: 0xffff, control: 0x80 }]) {
    assert.deepEqual(decodeSetCdSpeedCdb(encodeSetCdSpeedCdb(p)), p);
  }
});

test('SET CD SPEED decode errors point at the field', () => {
  assertInvalidCdbField(() => decodeSetCdSpeedCdb(hexBytes('BB 02 FF FF FF FF 00 00 00 00 00 00')), 1, 1); // rotational control 10b
  assertInvalidCdbField(() => decodeSetCdSpeedCdb(hexBytes('BB 04 FF FF FF FF 00 00 00 00 00 00')), 1, 2);
  assertInvalidCdbField(() => decodeSetCdSpeedCdb(hexBytes('BB 00 FF FF FF FF 80 00 00 00 00 00')), 6, 7);
  assertInvalidCdbField(() => decodeSetCdSpeedCdb(hexBytes('BB 00 FF FF FF FF')), 0);
  assertCheckCondition(() => decodeSetCdSpeedCdb(hexBytes('B6 00 FF FF FF FF 00 00 00 00 00 00')), 5, 0x20, 0);
  assert.throws(() => encodeSetCdSpeedCdb({ rotationalControl: 2, readSpeed: 0, writeSpeed: 0 }), TypeError);
  assert.throws(() => encodeSetCdSpeedCdb({ rotationalControl: 0, readSpeed: 0x10000, writeSpeed: 0 }), TypeError);
});
