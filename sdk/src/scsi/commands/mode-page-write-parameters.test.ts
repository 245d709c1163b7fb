import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DataBlockType, dataBlockSize, decodeWriteParametersPage, encodeWriteParametersPage, isrcField, mcnField, MultiSession, parseIsrcField,
  parseMcnField, SessionFormat, WriteType, writeParametersPage,
} from './mode-page-write-parameters.js';
import { decodeModePage } from './mode-parameters.js';
import { hexBytes } from './command-asserts.test.helpers.js';

// MMC-6 §7.5 "Write Parameters Mode Page Format", written out by hand for raw writing with raw P-W
// (write type 3, data block type 3, as for a DAO-96 image), BUFE, next session allowed, an MCN, an
// ISRC, a sub-header and 4 vendor specific bytes (PAGE LENGTH 36h).
const RAW96R = hexBytes(
  '05 36 43 C0 03 00 00 00 00 00 00 00 00 00 00 96' + // BUFE|RAW, MS=11b, DBT 3, pause 150
  '80 30 31 32 33 34 35 36 37 38 39 30 31 32 00 00' + // MCVAL, "0123456789012", zero, AFRAME 0
  '80 55 53 52 43 31 37 36 30 37 38 33 39 00 00 00' + // TCVAL, "USRC17607839"
  '00 00 08 00 DE AD BE EF', //                          sub-header 0-3, vendor specific
);

test('page 05h bytes per MMC-6 §7.5', () => {
  const page = writeParametersPage({
    bufe: true, writeType: WriteType.RAW, multiSession: MultiSession.NEXT_SESSION_ALLOWED, dataBlockType: DataBlockType.RAW_PW_RAW,
    trackMode: 0, mcn: mcnField('0123456789012'), isrc: isrcField('USRC17607839'), subHeader: hexBytes('00 00 08 00'),
    vendorSpecific: hexBytes('DE AD BE EF'),
  });
  assert.deepEqual(encodeWriteParametersPage(page), RAW96R);
  assert.deepEqual(decodeWriteParametersPage(RAW96R), page);
  assert.deepEqual(decodeModePage(RAW96R), page);
  assert.equal(parseMcnField(page.mcn), '0123456789012');
  assert.equal(parseIsrcField(page.isrc), 'USRC17607839');
});

test('page 05h field bits: each flag lands on its bit', () => {
  const base = writeParametersPage({ writeType: 0, dataBlockType: 0, audioPauseLength: 0 });
  const at = (f: Partial<typeof base>) => encodeWriteParametersPage({ ...base, ...f });
  assert.equal(at({ lsV: true })[2], 0x20);
  assert.equal(at({ testWrite: true })[2], 0x10);
  assert.equal(at({ writeType: WriteType.LAYER_JUMP })[2], 0x04);
  assert.equal(at({ multiSession: MultiSession.NO_NEXT_SESSION_B0_FFFFFF })[3], 0x40);
  assert.equal(at({ fp: true })[3], 0x20);
  assert.equal(at({ copy: true })[3], 0x10);
  assert.equal(at({ trackMode: 5 })[3], 0x05);
  assert.equal(at({ linkSize: 7 })[5], 7);
  assert.equal(at({ hostApplicationCode: 0x3f })[7], 0x3f);
  assert.equal(at({ sessionFormat: SessionFormat.CD_ROM_XA })[8], 0x20);
  assert.deepEqual(at({ packetSize: 16 }).subarray(10, 14), hexBytes('00 00 00 10'));
  assert.equal(at({ ps: true })[0], 0x85);
  assert.equal(at({}).length, 2 + 0x32);
});

// MMC-6 table "Data Block Type Codes"; IMAPI2's raw sector types agree: SUBCODE_PQ_ONLY 2368,
// SUBCODE_IS_COOKED 2448, SUBCODE_IS_RAW 2448.
test('dataBlockSize per data block type', () => {
  const sizes: [number, number | undefined][] = [
    [0, 2352], [1, 2368], [2, 2448], [3, 2448], [4, undefined], [5, undefined], [6, undefined], [7, undefined],
    [8, 2048], [9, 2336], [10, 2048], [11, 2056], [12, 2324], [13, 2332], [14, undefined], [15, undefined],
  ];
  for (const [type, size] of sizes) assert.equal(dataBlockSize(type), size, `type ${type}`);
  assert.equal(dataBlockSize(DataBlockType.MODE_2_MIXED_SUBHEADER), 2332);
});

test('page 05h of PAGE LENGTH 32h round trips with no vendor bytes; MCVAL/TCVAL 0 parse as absent', () => {
  const p = writeParametersPage({ packetSize: 32, fp: true, writeType: WriteType.PACKET_INCREMENTAL, linkSize: 7, lsV: true });
  const bytes = encodeWriteParametersPage(p);
  assert.equal(bytes[1], 0x32);
  assert.deepEqual(decodeWriteParametersPage(bytes), p);
  assert.equal(parseMcnField(p.mcn), undefined);
  assert.equal(parseIsrcField(p.isrc), undefined);
});

test('page 05h encode rejects bad arguments with TypeError', () => {
  const p = writeParametersPage();
  assert.throws(() => encodeWriteParametersPage({ ...p, writeType: 16 }), TypeError);
  assert.throws(() => encodeWriteParametersPage({ ...p, multiSession: 4 }), TypeError);
  assert.throws(() => encodeWriteParametersPage({ ...p, mcn: Buffer.alloc(15) }), TypeError);
  assert.throws(() => encodeWriteParametersPage({ ...p, bufe: 1 as unknown as boolean }), TypeError);
  assert.throws(() => mcnField('12345'), TypeError);
  assert.throws(() => isrcField('us-rc1-76-07839'), TypeError);
});
