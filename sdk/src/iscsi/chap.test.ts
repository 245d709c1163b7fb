import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chapResponse, encodeBinary, decodeBinary, newChallenge, responsesEqual } from './chap.js';

test('CHAP MD5 response = MD5(identifier || secret || challenge) (RFC 1994 §4.1)', () => {
  // Expected value computed independently with Python: hashlib.md5(bytes([0x2a]) + b'secret-of-16byte' + bytes(range(16)))
  const r = chapResponse(0x2a, 'secret-of-16byte', Buffer.from(Array.from({ length: 16 }, (_, i) => i)));
  assert.equal(r.toString('hex'), '460bae613b1b2f1a8a7fff7c7925c928');
  assert.throws(() => chapResponse(256, 's', Buffer.alloc(1)), RangeError);
});

test('binary values: 0x hex and 0b base64 (RFC 7143 §6.1)', () => {
  assert.equal(encodeBinary(Buffer.from([0xde, 0xad])), '0xdead');
  assert.deepEqual(decodeBinary('0xDEAD'), Buffer.from([0xde, 0xad]));
  assert.deepEqual(decodeBinary('0b3q0='), Buffer.from([0xde, 0xad]));
  assert.deepEqual(decodeBinary('0xabc'), Buffer.from([0x0a, 0xbc]));
  assert.equal(decodeBinary('dead'), undefined);
  const c = newChallenge();
  assert.equal(c.challenge.length, 16);
  assert.ok(responsesEqual(Buffer.from('ab'), Buffer.from('ab')));
  assert.ok(!responsesEqual(Buffer.from('ab'), Buffer.from('ac')));
});
