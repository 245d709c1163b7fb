import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeSetStreamingCdb, decodeSetStreamingParameters, encodeSetStreamingCdb, encodeSetStreamingParameters, PERFORMANCE_DESCRIPTOR_LENGTH,
  StreamingType, WriteRotationControl, type StreamingPerformanceDescriptor,
} from './set-streaming.js';
import { assertCheckCondition, assertInvalidCdbField, hexBytes } from './command-asserts.test.helpers.js';
import { CheckCondition } from '../../wire/sense.js';

// MMC-6 "SET STREAMING CDB", by hand: TYPE in byte 8, parameter list length in bytes 9-10.
test('SET STREAMING CDB bytes, round trip and decode errors', () => {
  assert.deepEqual(encodeSetStreamingCdb({ type: StreamingType.PERFORMANCE, parameterListLength: 28 }), hexBytes('B6 00 00 00 00 00 00 00 00 00 1C 00'));
  for (const p of [{ type: 0, parameterListLength: 28 }, { type: 5, parameterListLength: 0x0100, control: 4 }]) {
    assert.deepEqual(decodeSetStreamingCdb(encodeSetStreamingCdb(p)), p);
  }
  assertInvalidCdbField(() => decodeSetStreamingCdb(hexBytes('B6 00 00 00 00 00 00 00 01 00 1C 00')), 8, 7);
  assertInvalidCdbField(() => decodeSetStreamingCdb(hexBytes('B6 00 00 00 02 00 00 00 00 00 1C 00')), 4, 1);
  assertInvalidCdbField(() => decodeSetStreamingCdb(hexBytes('B6 00 00 00 00 00')), 0);
  assertCheckCondition(() => decodeSetStreamingCdb(hexBytes('AC 00 00 00 00 00 00 00 00 00 1C 00')), 5, 0x20, 0);
  assert.throws(() => encodeSetStreamingCdb({ type: 1, parameterListLength: 28 }), TypeError);
});

// MMC-6 "Performance Descriptor" (28 bytes), by hand: DVD 4x write (4 × 1385 = 5540 kB per 1000 ms)
// over LBA 0..2295103, read at maximum (FFFFFFFFh kB per 1000 ms), EXACT, CAV.
const DESC: StreamingPerformanceDescriptor = {
  wrc: WriteRotationControl.CAV, rdd: false, exact: true, ra: false,
  startLba: 0, endLba: 2295103, readSize: 0xffffffff, readTime: 1000, writeSize: 5540, writeTime: 1000,
};
const DESC_BYTES = hexBytes('0A 00 00 00  00 00 00 00  00 23 05 3F  FF FF FF FF  00 00 03 E8  00 00 15 A4  00 00 03 E8');

test('SET STREAMING performance descriptor bytes and round trip', () => {
  assert.equal(DESC_BYTES.length, PERFORMANCE_DESCRIPTOR_LENGTH);
  assert.deepEqual(encodeSetStreamingParameters(DESC), DESC_BYTES);
  assert.deepEqual(decodeSetStreamingParameters(DESC_BYTES), DESC);
  const rdd = { ...DESC, wrc: 0, rdd: true, exact: false, ra: true };
  assert.equal(encodeSetStreamingParameters(rdd)[0], 0x05);
  assert.deepEqual(decodeSetStreamingParameters(encodeSetStreamingParameters(rdd)), rdd);
});

test('SET STREAMING parameter errors: short list → PARAMETER LIST LENGTH ERROR; reserved WRC → INVALID FIELD IN PARAMETER LIST', () => {
  assertCheckCondition(() => decodeSetStreamingParameters(DESC_BYTES.subarray(0, 27)), 5, 0x1a, 0);
  const badWrc = Buffer.from(DESC_BYTES);
  badWrc[0] = 0x10; // WRC 10b
  const e = assertCheckCondition(() => decodeSetStreamingParameters(badWrc), 5, 0x26, 0);
  assert.ok(e instanceof CheckCondition);
  assert.deepEqual(e.fieldPointer, { cd: false, byte: 0, bit: 4 });
  const reserved = Buffer.from(DESC_BYTES);
  reserved[2] = 0x01;
  assert.deepEqual(assertCheckCondition(() => decodeSetStreamingParameters(reserved), 5, 0x26, 0).fieldPointer, { cd: false, byte: 2, bit: 0 });
  assert.throws(() => encodeSetStreamingParameters({ ...DESC, wrc: 2 }), TypeError);
});
