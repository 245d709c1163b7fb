/**
 * Assertions shared by the command codec tests of this folder (not a test file itself).
 */
import assert from 'node:assert/strict';
import { CheckCondition } from '../../wire/sense.js';
import { ImapiError } from '../../errors/imapi-error.js';

/** Bytes from a hex string with spaces/newlines (`"12 00 00 00 24 00"`). */
export function hexBytes(s: string): Buffer {
  const clean = s.replace(/\s+/g, '');
  assert.match(clean, /^([0-9a-fA-F]{2})*$/, 'hex fixture');
  return Buffer.from(clean, 'hex');
}

/** `fn` throws CheckCondition ILLEGAL REQUEST / INVALID FIELD IN CDB (05/24/00) pointing at `byte` (and `bit`). */
export function assertInvalidCdbField(fn: () => unknown, byte: number, bit?: number): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof CheckCondition, `expected CheckCondition, got ${String(err)}`);
    assert.equal(err.key, 0x5);
    assert.equal(err.asc, 0x24);
    assert.equal(err.ascq, 0x00);
    assert.ok(err.fieldPointer, 'field pointer present');
    assert.equal(err.fieldPointer.cd, true);
    assert.equal(err.fieldPointer.byte, byte);
    if (bit !== undefined) assert.equal(err.fieldPointer.bit, bit);
    return true;
  });
}

/** `fn` throws CheckCondition with the given key/ASC/ASCQ. */
export function assertCheckCondition(fn: () => unknown, key: number, asc: number, ascq: number): CheckCondition {
  let caught: CheckCondition | undefined;
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof CheckCondition, `expected CheckCondition, got ${String(err)}`);
    assert.deepEqual([err.key, err.asc, err.ascq], [key, asc, ascq]);
    caught = err;
    return true;
  });
  return caught!;
}

/** `fn` throws ImapiError E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE (0xC0AA02FF). */
export function assertInvalidReply(fn: () => unknown): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ImapiError, `expected ImapiError, got ${String(err)}`);
    assert.equal(err.hresult, 0xc0aa02ff);
    assert.equal(err.hresultName, 'E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE');
    return true;
  });
}
