// Pins every HRESULT of the catalog: names and exact values as IMAPI2-REFERENCE.md and the IMAPI2
// return-code tables give them. A change to any value, a missing code or an extra one fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HResult,
  allHResults,
  formatHResult,
  hresultFromWin32,
  hresultMessage,
  hresultName,
  hresultValue,
  succeeded,
  Win32Error,
} from './hresult.js';
import { ImapiError } from './imapi-error.js';

const expected: Record<string, number> = {
  S_OK: 0x00000000,
  E_FAIL: 0x80004005,
  E_POINTER: 0x80004003,
  E_INVALIDARG: 0x80070057,
  E_OUTOFMEMORY: 0x8007000e,
  'HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)': 0x80070006,
  'HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)': 0x80070037,
  E_IMAPI_REQUEST_CANCELLED: 0xc0aa0002,
  E_IMAPI_RECORDER_REQUIRED: 0xc0aa0003,
  S_IMAPI_SPEEDADJUSTED: 0x00aa0004,
  S_IMAPI_ROTATIONADJUSTED: 0x00aa0005,
  S_IMAPI_BOTHADJUSTED: 0x00aa0006,
  E_IMAPI_BURN_VERIFICATION_FAILED: 0xc0aa0007,
  S_IMAPI_COMMAND_HAS_SENSE_DATA: 0x00aa0200,
  E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE: 0xc0aa0201,
  E_IMAPI_RECORDER_MEDIA_NO_MEDIA: 0xc0aa0202,
  E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE: 0xc0aa0203,
  E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN: 0xc0aa0204,
  E_IMAPI_RECORDER_MEDIA_BECOMING_READY: 0xc0aa0205,
  E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS: 0xc0aa0206,
  E_IMAPI_RECORDER_MEDIA_BUSY: 0xc0aa0207,
  E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS: 0xc0aa0208,
  E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED: 0xc0aa0209,
  E_IMAPI_RECORDER_NO_SUCH_FEATURE: 0xc0aa020a,
  E_IMAPI_RECORDER_FEATURE_IS_NOT_CURRENT: 0xc0aa020b,
  E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED: 0xc0aa020c,
  E_IMAPI_RECORDER_COMMAND_TIMEOUT: 0xc0aa020d,
  E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT: 0xc0aa020e,
  E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH: 0xc0aa020f,
  E_IMAPI_RECORDER_LOCKED: 0xc0aa0210,
  E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID: 0xc0aa0211,
  E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED: 0xc0aa0212,
  E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE: 0xc0aa02ff,
  E_IMAPI_LOSS_OF_STREAMING: 0xc0aa0300,
  E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE: 0xc0aa0301,
  S_IMAPI_WRITE_NOT_IN_PROGRESS: 0x00aa0302,
  E_IMAPI_DF2DATA_WRITE_IN_PROGRESS: 0xc0aa0400,
  E_IMAPI_DF2DATA_WRITE_NOT_IN_PROGRESS: 0xc0aa0401,
  E_IMAPI_DF2DATA_INVALID_MEDIA_STATE: 0xc0aa0402,
  E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED: 0xc0aa0403,
  E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA: 0xc0aa0404,
  E_IMAPI_DF2DATA_MEDIA_NOT_BLANK: 0xc0aa0405,
  E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED: 0xc0aa0406,
  E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED: 0xc0aa0407,
  E_IMAPI_DF2DATA_CLIENT_NAME_IS_NOT_VALID: 0xc0aa0408,
  E_IMAPI_DF2TAO_WRITE_IN_PROGRESS: 0xc0aa0500,
  E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS: 0xc0aa0501,
  E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED: 0xc0aa0502,
  E_IMAPI_DF2TAO_MEDIA_IS_PREPARED: 0xc0aa0503,
  E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY: 0xc0aa0504,
  E_IMAPI_DF2TAO_TABLE_OF_CONTENTS_EMPTY_DISC: 0xc0aa0505,
  E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK: 0xc0aa0506,
  E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED: 0xc0aa0507,
  E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED: 0xc0aa0508,
  E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE: 0xc0aa0509,
  E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED: 0xc0aa050a,
  E_IMAPI_DF2TAO_INVALID_ISRC: 0xc0aa050b,
  E_IMAPI_DF2TAO_INVALID_MCN: 0xc0aa050c,
  E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED: 0xc0aa050d,
  E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED: 0xc0aa050e,
  E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID: 0xc0aa050f,
  E_IMAPI_DF2RAW_WRITE_IN_PROGRESS: 0xc0aa0600,
  E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS: 0xc0aa0601,
  E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED: 0xc0aa0602,
  E_IMAPI_DF2RAW_MEDIA_IS_PREPARED: 0xc0aa0603,
  E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID: 0xc0aa0604,
  E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK: 0xc0aa0606,
  E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED: 0xc0aa0607,
  E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE: 0xc0aa0609,
  E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED: 0xc0aa060a,
  E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED: 0xc0aa060d,
  E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED: 0xc0aa060e,
  E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT: 0xc0aa060f,
  E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED: 0xc0aa0610,
  E_IMAPI_ERASE_RECORDER_IN_USE: 0x80aa0900,
  E_IMAPI_ERASE_ONLY_ONE_RECORDER_SUPPORTED: 0x80aa0901,
  E_IMAPI_ERASE_DISC_INFORMATION_TOO_SMALL: 0x80aa0902,
  E_IMAPI_ERASE_MODE_PAGE_2A_TOO_SMALL: 0x80aa0903,
  E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE: 0x80aa0904,
  E_IMAPI_ERASE_DRIVE_FAILED_ERASE_COMMAND: 0x80aa0905,
  E_IMAPI_ERASE_TOOK_LONGER_THAN_ONE_HOUR: 0x80aa0906,
  E_IMAPI_ERASE_UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE: 0x80aa0907,
  E_IMAPI_ERASE_DRIVE_FAILED_SPINUP_COMMAND: 0x80aa0908,
  E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED: 0xc0aa0909,
  E_IMAPI_ERASE_RECORDER_NOT_SUPPORTED: 0xc0aa090a,
  E_IMAPI_ERASE_CLIENT_NAME_IS_NOT_VALID: 0xc0aa090b,
  E_IMAPI_RAW_IMAGE_IS_READ_ONLY: 0x80aa0a00,
  E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS: 0x80aa0a01,
  E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED: 0x80aa0a02,
  E_IMAPI_RAW_IMAGE_NO_TRACKS: 0x80aa0a03,
  E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED: 0x80aa0a04,
  E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE: 0x80aa0a05,
  E_IMAPI_RAW_IMAGE_TOO_MANY_TRACK_INDEXES: 0x80aa0a06,
  E_IMAPI_RAW_IMAGE_TRACK_INDEX_NOT_FOUND: 0x80aa0a07,
  S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS: 0x00aa0a08,
  E_IMAPI_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED: 0x80aa0a09,
  E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX: 0x80aa0a0a,
};

test('the catalog holds exactly the documented codes with their exact values', () => {
  const actual = Object.fromEntries(allHResults().map((e) => [e.name, e.value]));
  assert.deepEqual(actual, expected);
  assert.equal(Object.keys(HResult).length, Object.keys(expected).length);
});

test('every code: lookup by name and by value, and a one-line message', () => {
  for (const [name, value] of Object.entries(expected)) {
    assert.equal(hresultValue(name), value, name);
    assert.equal(hresultName(value), name, name);
    assert.equal((HResult as Record<string, number>)[name], value);
    const msg = hresultMessage(name);
    assert.ok(msg.length > 10 && !msg.includes('\n'), `${name} message: ${msg}`);
    assert.equal(hresultMessage(value), msg);
  }
});

test('severity: S_ codes succeed, E_ codes fail', () => {
  for (const [name, value] of Object.entries(expected)) {
    assert.equal(succeeded(value), name.startsWith('S_'), name);
  }
});

test('the doc quirk: the tables print the Win32 codes 6 and 55, the HRESULTs are 0x80070006 and 0x80070037', () => {
  assert.equal(Win32Error.ERROR_INVALID_HANDLE, 6);
  assert.equal(Win32Error.ERROR_DEV_NOT_EXIST, 55);
  assert.equal(hresultFromWin32(6), 0x80070006);
  assert.equal(hresultFromWin32(55), 0x80070037);
  assert.equal(hresultFromWin32(0), 0);
  assert.equal(hresultFromWin32(87), 0x80070057); // ERROR_INVALID_PARAMETER is E_INVALIDARG
  assert.equal(hresultFromWin32(0x80004005), 0x80004005); // already an HRESULT: unchanged, as the macro does
  assert.throws(() => hresultFromWin32(-1), TypeError);
});

test('unknown names and values', () => {
  assert.throws(() => hresultValue('E_NOT_A_CODE'), /unknown HRESULT name/);
  assert.equal(hresultName(0x12345678), undefined);
  assert.equal(formatHResult(0xc0aa0602), 'E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED (0xC0AA0602)');
  assert.equal(formatHResult(0x12345678), '0x12345678');
});

test('ImapiError carries the unsigned hresult and its name', () => {
  const e = new ImapiError('E_IMAPI_RECORDER_LOCKED');
  assert.ok(e instanceof Error);
  assert.equal(e.hresult, 0xc0aa0210);
  assert.equal(e.hresultName, 'E_IMAPI_RECORDER_LOCKED');
  assert.equal(e.name, 'ImapiError');
  assert.match(e.message, /^E_IMAPI_RECORDER_LOCKED \(0xC0AA0210\)/);
  assert.equal(e.canceled, false);
  assert.equal(e.disconnected, false);
  const f = new ImapiError(0xc0aa0002 | 0, undefined, { canceled: true });
  assert.equal(f.hresult, 0xc0aa0002, 'a signed int32 is normalised to unsigned');
  assert.equal(f.canceled, true);
  assert.ok(ImapiError.is(f, 'E_IMAPI_REQUEST_CANCELLED'));
  assert.ok(!ImapiError.is(f, 'E_FAIL'));
  assert.ok(!ImapiError.is(new Error('x'), 'E_FAIL'));
  assert.equal(new ImapiError(0x12345678).hresultName, '0x12345678');
});
