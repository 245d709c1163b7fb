import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeError } from './describe.js';
import { ImapiError } from '../errors/imapi-error.js';

test('describeError names the HRESULT once, with its value, then the message', () => {
  assert.equal(describeError(new ImapiError('E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK')), 'E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK (0xC0AA0606): Only blank CD-R/RW media is supported.');
  assert.equal(describeError(new ImapiError('E_FAIL', 'E_FAIL: verify: data differs')), 'E_FAIL (0x80004005): verify: data differs');
  assert.equal(
    describeError(new ImapiError('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)', 'cannot open /dev/sg9')),
    'HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST) (0x80070037): cannot open /dev/sg9',
  );
  assert.equal(describeError(new ImapiError(0x80aa7777, '')), '0x80AA7777');
  assert.equal(describeError(new Error('plain')), 'plain');
});
