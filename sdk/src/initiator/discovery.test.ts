import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTargetAddress } from './discovery.js';
import { ImapiError } from '../errors/imapi-error.js';

// RFC 7143 §13.9: TargetAddress=domainname[:port][,portal-group-tag]; IPv6 literals in brackets.
test('TargetAddress values: host, port, portal group tag, defaults', () => {
  assert.deepEqual(parseTargetAddress('192.0.2.5:3261,2', 3260), { host: '192.0.2.5', port: 3261, tpgt: 2 });
  assert.deepEqual(parseTargetAddress('target.example.org', 3262), { host: 'target.example.org', port: 3262, tpgt: 1 });
  assert.deepEqual(parseTargetAddress('[2001:db8::7]:3260,1', 1), { host: '2001:db8::7', port: 3260, tpgt: 1 });
  assert.deepEqual(parseTargetAddress(' 10.0.0.1,7 ', 3260), { host: '10.0.0.1', port: 3260, tpgt: 7 });
  for (const bad of ['', ':3260', '10.0.0.1:port', '[::1', 'a:1:2']) {
    assert.throws(() => parseTargetAddress(bad, 3260), (e: unknown) => ImapiError.is(e, 'E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE'), bad);
  }
});
