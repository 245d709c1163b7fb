import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeGetPerformanceCdb, decodeGetPerformanceReply, encodeGetPerformanceCdb, encodeGetPerformanceReply, performanceDataType,
  PerformanceExcept, PerformanceType, type GetPerformanceData,
} from './get-performance.js';
import { assertCheckCondition, assertInvalidCdbField, assertInvalidReply, hexBytes } from './command-asserts.test.helpers.js';

// MMC-6 "GET PERFORMANCE CDB", by hand.
test('GET PERFORMANCE CDB bytes', () => {
  // write speed descriptors (TYPE 03h), up to 16 of them
  assert.deepEqual(encodeGetPerformanceCdb({ type: PerformanceType.WRITE_SPEED, dataType: 0, startingLba: 0, maxDescriptors: 16 }),
    hexBytes('AC 00 00 00 00 00 00 00 00 10 03 00'));
  // nominal write performance: WRITE, TOLERANCE 10b, EXCEPT 00b → DATA TYPE 18h
  const dt = performanceDataType({ write: true, except: PerformanceExcept.NOMINAL });
  assert.equal(dt, 0x18);
  assert.deepEqual(encodeGetPerformanceCdb({ type: PerformanceType.PERFORMANCE, dataType: dt, startingLba: 0x1000, maxDescriptors: 1, control: 4 }),
    hexBytes('AC 18 00 00 10 00 00 00 00 01 00 04'));
});

test('GET PERFORMANCE CDB round trip and decode errors', () => {
  for (const p of [
    { type: 0, dataType: 0x09, startingLba: 7, maxDescriptors: 0xffff },
    { type: 3, dataType: 0, startingLba: 0, maxDescriptors: 4, control: 0x80 },
    { type: 1, dataType: 0x02, startingLba: 0, maxDescriptors: 1 },
  ]) {
    assert.deepEqual(decodeGetPerformanceCdb(encodeGetPerformanceCdb(p)), p);
  }
  assertInvalidCdbField(() => decodeGetPerformanceCdb(hexBytes('AC 00 00 00 00 00 00 00 00 10 06 00')), 10, 7); // type 06h
  assertInvalidCdbField(() => decodeGetPerformanceCdb(hexBytes('AC 10 00 00 00 00 00 00 00 10 00 00')), 1, 3); // tolerance 00b
  assertInvalidCdbField(() => decodeGetPerformanceCdb(hexBytes('AC 0B 00 00 00 00 00 00 00 10 00 00')), 1, 1); // except 11b
  assertInvalidCdbField(() => decodeGetPerformanceCdb(hexBytes('AC 20 00 00 00 00 00 00 00 10 03 00')), 1, 5); // reserved
  assertInvalidCdbField(() => decodeGetPerformanceCdb(hexBytes('AC 00 00 00 00 00 01 00 00 10 03 00')), 6, 0);
  assertInvalidCdbField(() => decodeGetPerformanceCdb(hexBytes('AC 00 00 00 00 00 00 00 00 10')), 0);
  assertCheckCondition(() => decodeGetPerformanceCdb(hexBytes('AD 00 00 00 00 00 00 00 00 10 03 00')), 5, 0x20, 0);
});

// MMC-6 Performance Header + "Write Speed Descriptor", by hand: a DVD-R with 8x (11080 kB/s) CAV
// exact and 4x (5540 kB/s) default rotation control, capacity 2295104 blocks (end LBA 2295103),
// read speed 16x (22160 kB/s).
const WRITE_SPEEDS = hexBytes(
  '00 00 00 24 00 00 00 00' +
  '0A 00 00 00 00 23 05 3F 00 00 56 90 00 00 2B 48' +
  '00 00 00 00 00 23 05 3F 00 00 56 90 00 00 15 A4',
);
const WRITE_SPEED_DATA: GetPerformanceData = {
  type: 3,
  writeSpeeds: [
    { wrc: 1, rdd: false, exact: true, mrw: false, endLba: 2295103, readSpeed: 22160, writeSpeed: 11080 },
    { wrc: 0, rdd: false, exact: false, mrw: false, endLba: 2295103, readSpeed: 22160, writeSpeed: 5540 },
  ],
};

test('GET PERFORMANCE type 03h write speed reply bytes, both ways', () => {
  assert.deepEqual(encodeGetPerformanceReply(WRITE_SPEED_DATA), WRITE_SPEEDS);
  assert.deepEqual(decodeGetPerformanceReply(WRITE_SPEEDS, 3), { ...WRITE_SPEED_DATA, truncated: false, fullLength: 40 });
  const flags = encodeGetPerformanceReply({ type: 3, writeSpeeds: [{ ...WRITE_SPEED_DATA.writeSpeeds[0]!, wrc: 0, exact: false, rdd: true, mrw: true }] });
  assert.equal(flags[8], 0x05);
});

// Nominal performance (16-byte descriptors) and exceptions (6-byte), by hand.
test('GET PERFORMANCE type 00h nominal and exception replies', () => {
  const nominal: GetPerformanceData = { type: 0, write: true, except: false, descriptors: [{ startLba: 0, startPerformance: 5540, endLba: 2295103, endPerformance: 11080 }] };
  const nb = encodeGetPerformanceReply(nominal);
  assert.deepEqual(nb, hexBytes('00 00 00 14 02 00 00 00  00 00 00 00 00 00 15 A4 00 23 05 3F 00 00 2B 48'));
  assert.deepEqual(decodeGetPerformanceReply(nb, 0), { ...nominal, truncated: false, fullLength: 24 });
  const exceptions: GetPerformanceData = { type: 0, write: false, except: true, exceptions: [{ lba: 0x10000, time: 25 }, { lba: 0x20000, time: 3 }] };
  const eb = encodeGetPerformanceReply(exceptions);
  assert.deepEqual(eb, hexBytes('00 00 00 10 01 00 00 00  00 01 00 00 00 19  00 02 00 00 00 03'));
  assert.deepEqual(decodeGetPerformanceReply(eb, 0), { ...exceptions, truncated: false, fullLength: 20 });
});

test('GET PERFORMANCE truncated reply keeps the whole descriptors that arrived', () => {
  const cut = decodeGetPerformanceReply(WRITE_SPEEDS.subarray(0, 30), 3);
  assert.equal(cut.truncated, true);
  assert.equal(cut.fullLength, 40);
  assert.equal(cut.type === 3 && cut.writeSpeeds.length, 1);
  const tiny = decodeGetPerformanceReply(WRITE_SPEEDS.subarray(0, 2), 3);
  assert.deepEqual([tiny.truncated, tiny.type === 3 && tiny.writeSpeeds.length], [true, 0]);
});

test('GET PERFORMANCE malformed replies are E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE', () => {
  assertInvalidReply(() => decodeGetPerformanceReply(hexBytes('00 00 00 02 00 00'), 3)); // length below the header
  assertInvalidReply(() => decodeGetPerformanceReply(hexBytes('00 00 00 0A 00 00 00 00 00 00 00 00 00 00'), 3)); // 6 bytes: not a 16-byte descriptor
  assertInvalidReply(() => decodeGetPerformanceReply(hexBytes('00 00 00 0A 00 00 00 00 00 00 00 00 00 00'), 0)); // nominal wants 16
  assert.throws(() => decodeGetPerformanceReply(WRITE_SPEEDS, 1 as 3), TypeError);
});
