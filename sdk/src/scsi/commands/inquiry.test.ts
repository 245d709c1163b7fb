import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeInquiryCdb,
  decodeInquiryReply,
  encodeInquiryCdb,
  encodeInquiryReply,
  mmcStandardInquiryData,
  VersionDescriptor,
  type StandardInquiryData,
} from './inquiry.js';
import { assertCheckCondition, assertInvalidCdbField, assertInvalidReply, hexBytes } from './command-asserts.test.helpers.js';

// SPC-4 §6.6.1 table "INQUIRY command". The first vector is the CDB sg_inq sends for standard
// data ("inquiry cdb: [12 00 00 00 24 00]", sg_inq -v output quoted in ZuluIDE-firmware issue #39).
test('INQUIRY CDB bytes per SPC-4 §6.6.1', () => {
  assert.deepEqual(encodeInquiryCdb({ evpd: false, pageCode: 0, allocationLength: 36 }), hexBytes('12 00 00 00 24 00'));
  assert.deepEqual(encodeInquiryCdb({ evpd: true, pageCode: 0x83, allocationLength: 0x1000 }), hexBytes('12 01 83 10 00 00'));
});

test('INQUIRY CDB round trip', () => {
  for (const p of [
    { evpd: false, pageCode: 0, allocationLength: 96 },
    { evpd: true, pageCode: 0x80, allocationLength: 0xffff, control: 4 },
  ]) {
    assert.deepEqual(decodeInquiryCdb(encodeInquiryCdb(p)), p);
  }
});

test('INQUIRY CDB: page code with EVPD=0, CMDDT, reserved bits are INVALID FIELD IN CDB', () => {
  assertInvalidCdbField(() => decodeInquiryCdb(hexBytes('12 00 80 00 24 00')), 2, 7);
  assertInvalidCdbField(() => decodeInquiryCdb(hexBytes('12 02 00 00 24 00')), 1, 1);
  assertInvalidCdbField(() => decodeInquiryCdb(hexBytes('12 80 00 00 24 00')), 1, 7);
  assertInvalidCdbField(() => decodeInquiryCdb(hexBytes('12 00 00 00')), 0);
  assertCheckCondition(() => decodeInquiryCdb(hexBytes('00 00 00 00 24 00')), 5, 0x20, 0);
  assert.throws(() => encodeInquiryCdb({ evpd: false, pageCode: 0x80, allocationLength: 36 }), TypeError);
});

// A real drive: standard INQUIRY data of a Matsushita CR-585 CD-ROM, 96 bytes, captured with
// `sg_inq -H` (ZuluIDE-firmware issue #30). PDT 05h, RMB, VERSION 05h, NORMACA|HISUP|format 2,
// additional length 5Bh, "MATSHITA" / "CD-ROM CR-585" / "ZS15", vendor specific "97040717".
const matshitaCr585 = hexBytes(`
  05 80 05 32 5b 00 00 00 4d 41 54 53 48 49 54 41
  43 44 2d 52 4f 4d 20 43 52 2d 35 38 35 20 20 20
  5a 53 31 35 20 20 20 20 20 20 20 20 20 20 20 20
  39 37 30 34 30 37 31 37 00 00 00 00 00 00 00 00
  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00`);

test('INQUIRY reply: decode a real MATSHITA CR-585 capture', () => {
  const d = decodeInquiryReply(matshitaCr585);
  assert.equal(d.truncated, false);
  assert.equal(d.fullLength, 96);
  assert.equal(d.peripheralQualifier, 0);
  assert.equal(d.peripheralDeviceType, 5);
  assert.equal(d.rmb, true);
  assert.equal(d.version, 5);
  assert.equal(d.normaca, true);
  assert.equal(d.hisup, true);
  assert.equal(d.responseDataFormat, 2);
  assert.equal(d.cmdque, false);
  assert.equal(d.vendorIdentification, 'MATSHITA');
  assert.equal(d.productIdentification, 'CD-ROM CR-585');
  assert.equal(d.productRevisionLevel, 'ZS15');
  // bytes 36-55: 12 spaces then "97040717"
  assert.equal(d.vendorSpecific?.toString('latin1'), ' '.repeat(12) + '97040717');
  assert.deepEqual(d.versionDescriptors, []);
  // and it encodes back to the same 96 bytes
  const { truncated: _t, fullLength: _f, ...data } = d;
  assert.deepEqual(encodeInquiryReply(data), matshitaCr585);
});

// Expected bytes written from SPC-4 §6.6.2 table "Standard INQUIRY data format".
test('INQUIRY reply: MMC drive data encodes per the SPC-4 table', () => {
  const d = mmcStandardInquiryData({ vendorIdentification: 'OPENIMAP', productIdentification: 'EMU BURNER', productRevisionLevel: '1.0' });
  const b = encodeInquiryReply(d);
  assert.equal(b.length, 96);
  assert.deepEqual(b.subarray(0, 8), hexBytes('05 80 06 12 5b 00 00 02'));
  assert.equal(b.subarray(8, 36).toString('latin1'), 'OPENIMAPEMU BURNER      1.0 ');
  // version descriptors SAM-5 00A0h, SPC-4 0460h, MMC-6 04E0h in bytes 58-63, zeros after
  assert.deepEqual(b.subarray(56, 76), hexBytes('00 00 00 a0 04 60 04 e0 00 00 00 00 00 00 00 00 00 00 00 00'));
  assert.deepEqual(decodeInquiryReply(b), { ...d, truncated: false, fullLength: 96 });
});

test('INQUIRY reply round trip: short 36-byte form and the long form with every field', () => {
  const short: StandardInquiryData = {
    ...mmcStandardInquiryData({ vendorIdentification: 'HL-DT-ST', productIdentification: 'BD-RE BH16NS40', productRevisionLevel: '1.03', versionDescriptors: [] }),
    cmdque: false,
  };
  const sb = encodeInquiryReply(short);
  assert.equal(sb.length, 36);
  assert.equal(sb[4], 31);
  assert.deepEqual(decodeInquiryReply(sb), { ...short, truncated: false, fullLength: 36 });
  const long: StandardInquiryData = {
    peripheralQualifier: 1,
    peripheralDeviceType: 5,
    rmb: false,
    version: 6,
    normaca: true,
    hisup: false,
    responseDataFormat: 2,
    sccs: true,
    acc: true,
    tpgs: 3,
    threePc: true,
    protect: true,
    encserv: true,
    multip: true,
    cmdque: true,
    vendorIdentification: 'V',
    productIdentification: 'P',
    productRevisionLevel: 'R',
    vendorSpecific: Buffer.from('0123456789abcdefghij'),
    versionDescriptors: [VersionDescriptor.SAM_5, VersionDescriptor.SPC_4, VersionDescriptor.MMC_6, VersionDescriptor.ISCSI, 1, 2, 3, 4],
    vendorSpecificParameters: Buffer.from([1, 2, 3]),
  };
  const lb = encodeInquiryReply(long);
  assert.equal(lb.length, 99);
  assert.deepEqual(lb.subarray(0, 8), hexBytes('25 00 06 22 5e f9 50 02'));
  assert.deepEqual(decodeInquiryReply(lb), { ...long, truncated: false, fullLength: 99 });
});

test('INQUIRY reply cut by the allocation length is truncated, not an error', () => {
  const d = decodeInquiryReply(matshitaCr585.subarray(0, 36));
  assert.equal(d.truncated, true);
  assert.equal(d.fullLength, 96);
  assert.equal(d.productIdentification, 'CD-ROM CR-585');
  assert.equal(d.vendorSpecific, undefined);
  const cut = decodeInquiryReply(matshitaCr585.subarray(0, 20));
  assert.equal(cut.truncated, true);
  assert.equal(cut.vendorIdentification, 'MATSHITA');
  assert.equal(cut.productIdentification, 'CD-R'); // bytes 16-19 only
  assert.equal(cut.productRevisionLevel, '');
  const header = decodeInquiryReply(matshitaCr585.subarray(0, 3));
  assert.equal(header.truncated, true);
  assert.equal(header.fullLength, 36);
  assert.equal(header.peripheralDeviceType, 5);
  // version descriptors cut half-way: only whole descriptors are reported
  const mmc = encodeInquiryReply(mmcStandardInquiryData({ vendorIdentification: 'A', productIdentification: 'B', productRevisionLevel: 'C' }));
  assert.deepEqual(decodeInquiryReply(mmc.subarray(0, 63)).versionDescriptors, [0x00a0, 0x0460]);
});

test('INQUIRY reply that contradicts itself is an invalid response', () => {
  // format 2 with ADDITIONAL LENGTH 20 (< 31)
  const short = Buffer.from(matshitaCr585);
  short[4] = 20;
  assertInvalidReply(() => decodeInquiryReply(short));
  // peripheral qualifier 011b (no LU) with device type 05h instead of 1Fh
  const pq = Buffer.from(matshitaCr585);
  pq[0] = 0x65;
  assertInvalidReply(() => decodeInquiryReply(pq));
  // reserved response data format 3
  const rdf = Buffer.from(matshitaCr585);
  rdf[3] = 0x33;
  assertInvalidReply(() => decodeInquiryReply(rdf));
});

test('INQUIRY reply encode rejects bad arguments', () => {
  const d = mmcStandardInquiryData({ vendorIdentification: 'A', productIdentification: 'B', productRevisionLevel: 'C' });
  assert.throws(() => encodeInquiryReply({ ...d, peripheralDeviceType: 32 }), TypeError);
  assert.throws(() => encodeInquiryReply({ ...d, versionDescriptors: [1, 2, 3, 4, 5, 6, 7, 8, 9] }), TypeError);
  assert.throws(() => encodeInquiryReply({ ...d, vendorIdentification: 'NINECHARS' }), RangeError);
});
