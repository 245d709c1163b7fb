import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeLunAddress,
  decodeReportLunsCdb,
  decodeReportLunsReply,
  encodeLunAddress,
  encodeReportLunsCdb,
  encodeReportLunsReply,
  SelectReport,
} from './report-luns.js';
import { assertInvalidCdbField, assertInvalidReply, hexBytes } from './command-asserts.test.helpers.js';

// SPC-4 table "REPORT LUNS command": SELECT REPORT byte 2, ALLOCATION LENGTH bytes 6-9.
test('REPORT LUNS CDB bytes and round trip', () => {
  assert.deepEqual(encodeReportLunsCdb({ selectReport: 0, allocationLength: 16 }), hexBytes('a0 00 00 00 00 00 00 00 00 10 00 00'));
  assert.deepEqual(encodeReportLunsCdb({ selectReport: SelectReport.ALL, allocationLength: 0x1000 }), hexBytes('a0 00 02 00 00 00 00 00 10 00 00 00'));
  const p = { selectReport: 1, allocationLength: 0xffffffff, control: 4 };
  assert.deepEqual(decodeReportLunsCdb(encodeReportLunsCdb(p)), p);
});

test('REPORT LUNS CDB: allocation length under 16 and bad SELECT REPORT are INVALID FIELD IN CDB', () => {
  assertInvalidCdbField(() => decodeReportLunsCdb(encodeReportLunsCdb({ selectReport: 0, allocationLength: 15 })), 6, 7);
  assertInvalidCdbField(() => decodeReportLunsCdb(hexBytes('a0 00 03 00 00 00 00 00 00 10 00 00')), 2, 7);
  assertInvalidCdbField(() => decodeReportLunsCdb(hexBytes('a0 00 00 00 00 00 00 00 00 10 01 00')), 10, 0);
  assertInvalidCdbField(() => decodeReportLunsCdb(hexBytes('a0 00 00 00 01 00 00 00 00 10 00 00')), 4, 0);
});

// SAM-5: LUN 0 is eight zero bytes; LUN 1 peripheral addressing 00 01 …; LUN 300 (12Ch) flat space 41 2C ….
test('LUN addresses: peripheral below 256, flat space above', () => {
  assert.deepEqual(encodeLunAddress(0), hexBytes('00 00 00 00 00 00 00 00'));
  assert.deepEqual(encodeLunAddress(255), hexBytes('00 ff 00 00 00 00 00 00'));
  assert.deepEqual(encodeLunAddress(300), hexBytes('41 2c 00 00 00 00 00 00'));
  assert.deepEqual(encodeLunAddress(16383), hexBytes('7f ff 00 00 00 00 00 00'));
  for (const n of [0, 1, 255, 256, 300, 16383]) assert.equal(decodeLunAddress(encodeLunAddress(n)), n);
  // extended / two-level LUNs come back as bytes
  const twoLevel = hexBytes('00 01 00 02 00 00 00 00');
  assert.deepEqual(decodeLunAddress(twoLevel), twoLevel);
  assert.throws(() => encodeLunAddress(16384), TypeError);
});

test('REPORT LUNS reply bytes and round trip', () => {
  const d = { luns: [0, 1, 300] };
  const b = encodeReportLunsReply(d);
  assert.deepEqual(b, hexBytes('00 00 00 18 00 00 00 00  00 00 00 00 00 00 00 00  00 01 00 00 00 00 00 00  41 2c 00 00 00 00 00 00'));
  assert.deepEqual(decodeReportLunsReply(b), { ...d, truncated: false, fullLength: 32 });
  const odd = { luns: [hexBytes('c1 00 00 00 00 00 00 00')] };
  assert.deepEqual(decodeReportLunsReply(encodeReportLunsReply(odd)), { ...odd, truncated: false, fullLength: 16 });
});

test('REPORT LUNS reply cut at 16 bytes (the minimum allocation) is truncated', () => {
  const b = encodeReportLunsReply({ luns: [0, 1, 2] });
  assert.deepEqual(decodeReportLunsReply(b.subarray(0, 16)), { luns: [0], truncated: true, fullLength: 32 });
  assert.deepEqual(decodeReportLunsReply(b.subarray(0, 20)), { luns: [0], truncated: true, fullLength: 32 });
  assert.deepEqual(decodeReportLunsReply(b.subarray(0, 2)), { luns: [], truncated: true, fullLength: 8 });
});

test('REPORT LUNS reply with a LUN LIST LENGTH not a multiple of 8 is invalid', () => {
  assertInvalidReply(() => decodeReportLunsReply(hexBytes('00 00 00 0c 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00')));
});
