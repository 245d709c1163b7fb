import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CapacityDescriptorType, FormatType, decodeReadFormatCapacitiesCdb, decodeReadFormatCapacitiesReply, encodeReadFormatCapacitiesCdb,
  encodeReadFormatCapacitiesReply,
} from './read-format-capacities.js';
import { decodeFormatUnitCdb, decodeFormatUnitParameters, encodeFormatUnitCdb, encodeFormatUnitParameters } from './format-unit.js';
import { decodeSendOpcInformationCdb, encodeSendOpcInformationCdb } from './send-opc-information.js';
import { assertCheckCondition, assertInvalidCdbField, assertInvalidReply, hexBytes } from './command-asserts.test.helpers.js';

// MMC-6 "READ FORMAT CAPACITIES CDB", by hand.
test('READ FORMAT CAPACITIES CDB bytes, round trip and reserved fields', () => {
  assert.deepEqual(encodeReadFormatCapacitiesCdb({ allocationLength: 0xfffc }), hexBytes('23 00 00 00 00 00 00 FF FC 00'));
  assert.deepEqual(decodeReadFormatCapacitiesCdb(hexBytes('23 00 00 00 00 00 00 00 0C 00')), { allocationLength: 12 });
  assertInvalidCdbField(() => decodeReadFormatCapacitiesCdb(hexBytes('23 00 00 00 01 00 00 00 0C 00')), 4, 0);
  assertCheckCondition(() => decodeReadFormatCapacitiesCdb(hexBytes('24 00 00 00 00 00 00 00 0C 00')), 5, 0x20, 0);
});

// A formatted DVD+RW (2 295 104 = 0023 0540h blocks of 2048) with its full-format descriptor (26h), by hand
// from the Capacity List Header, Current/Maximum and Formattable Capacity Descriptor tables.
test('READ FORMAT CAPACITIES data: header, current descriptor, formattable descriptors; truncation', () => {
  const bytes = hexBytes('00 00 00 10  00 23 05 40 02 00 08 00  00 23 05 40 98 00 00 00');
  const c = {
    current: { blocks: 2_295_104, descriptorType: CapacityDescriptorType.FORMATTED, blockLength: 2048 },
    formattable: [{ blocks: 2_295_104, formatType: FormatType.DVD_PLUS_RW_FULL, typeDependent: 0 }],
  };
  assert.deepEqual(encodeReadFormatCapacitiesReply(c), bytes);
  assert.deepEqual(decodeReadFormatCapacitiesReply(bytes), { ...c, truncated: false });
  assert.deepEqual(decodeReadFormatCapacitiesReply(bytes.subarray(0, 12)), { ...c, formattable: [], truncated: true });
  assertInvalidReply(() => decodeReadFormatCapacitiesReply(hexBytes('00 00 00 0C  00 00 00 01 02 00 08 00')));
  assertInvalidReply(() => decodeReadFormatCapacitiesReply(hexBytes('00 00 00 00')));
});

// MMC-6 "FORMAT UNIT CDB" and "Format List Header"/"Format Descriptor", by hand: a BD-RE full format
// with spare areas (30h), IMMED.
test('FORMAT UNIT CDB and parameter list', () => {
  assert.deepEqual(encodeFormatUnitCdb({ cmpList: false }), hexBytes('04 11 00 00 00 00'));
  assert.deepEqual(decodeFormatUnitCdb(hexBytes('04 19 00 00 00 00')), { cmpList: true });
  assertInvalidCdbField(() => decodeFormatUnitCdb(hexBytes('04 01 00 00 00 00')), 1, 4);
  assertInvalidCdbField(() => decodeFormatUnitCdb(hexBytes('04 17 00 00 00 00')), 1, 2);
  const p = { fov: true, immed: true, blocks: 11_826_176, formatType: FormatType.BD_RE_FULL_WITH_SPARE, formatSubtype: 0, typeDependent: 0x3000 };
  const bytes = hexBytes('00 82 00 08  00 B4 74 00 C0 00 30 00');
  assert.deepEqual(encodeFormatUnitParameters(p), bytes);
  assert.deepEqual(decodeFormatUnitParameters(bytes), p);
  assertCheckCondition(() => decodeFormatUnitParameters(hexBytes('00 82 00 10  00 B4 74 00 C0 00 30 00')), 5, 0x26, 0);
  assertCheckCondition(() => decodeFormatUnitParameters(hexBytes('00 82 00 08  00 B4')), 5, 0x1a, 0);
});

// MMC-6 "SEND OPC INFORMATION CDB", by hand.
test('SEND OPC INFORMATION CDB', () => {
  assert.deepEqual(encodeSendOpcInformationCdb({ doOpc: true, exclude0: false, exclude1: false, parameterListLength: 0 }), hexBytes('54 01 00 00 00 00 00 00 00 00'));
  assert.deepEqual(decodeSendOpcInformationCdb(hexBytes('54 01 03 00 00 00 00 00 08 00')), { doOpc: true, exclude0: true, exclude1: true, parameterListLength: 8 });
  assertInvalidCdbField(() => decodeSendOpcInformationCdb(hexBytes('54 02 00 00 00 00 00 00 00 00')), 1, 1);
});
