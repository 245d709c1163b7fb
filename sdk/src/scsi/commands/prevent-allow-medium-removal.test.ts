import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePreventAllowMediumRemovalCdb, encodePreventAllowMediumRemovalCdb, MediumRemoval } from './prevent-allow-medium-removal.js';
import { assertInvalidCdbField, hexBytes } from './command-asserts.test.helpers.js';

// SPC-4 / MMC-6 PREVENT ALLOW MEDIUM REMOVAL: 1Eh, PREVENT in byte 4 bits 1-0.
test('PREVENT ALLOW MEDIUM REMOVAL CDB bytes', () => {
  assert.deepEqual(encodePreventAllowMediumRemovalCdb({ prevent: MediumRemoval.ALLOW }), hexBytes('1e 00 00 00 00 00'));
  assert.deepEqual(encodePreventAllowMediumRemovalCdb({ prevent: MediumRemoval.PREVENT }), hexBytes('1e 00 00 00 01 00'));
  assert.deepEqual(encodePreventAllowMediumRemovalCdb({ prevent: MediumRemoval.PERSISTENT_PREVENT }), hexBytes('1e 00 00 00 03 00'));
});

test('PREVENT ALLOW MEDIUM REMOVAL round trip', () => {
  for (const prevent of Object.values(MediumRemoval)) {
    assert.deepEqual(decodePreventAllowMediumRemovalCdb(encodePreventAllowMediumRemovalCdb({ prevent })), { prevent });
  }
  assert.deepEqual(decodePreventAllowMediumRemovalCdb(encodePreventAllowMediumRemovalCdb({ prevent: 1, control: 4 })), { prevent: 1, control: 4 });
});

test('PREVENT ALLOW MEDIUM REMOVAL decode errors', () => {
  assertInvalidCdbField(() => decodePreventAllowMediumRemovalCdb(hexBytes('1e 00 00 00 04 00')), 4, 2);
  assertInvalidCdbField(() => decodePreventAllowMediumRemovalCdb(hexBytes('1e 01 00 00 01 00')), 1, 0);
  assert.throws(() => encodePreventAllowMediumRemovalCdb({ prevent: 4 }), TypeError);
});
