import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DVD_PHYSICAL_FORMAT_REPLY_LENGTH,
  DvdBookType,
  DvdLayerType,
  decodeDiscStructureListReply,
  decodeDvdPhysicalFormatReply,
  decodeReadDiscStructureCdb,
  encodeDiscStructureListReply,
  encodeDvdPhysicalFormatReply,
  encodeReadDiscStructureCdb,
  type DvdPhysicalFormat,
} from './read-disc-structure.js';
import { assertCheckCondition, assertInvalidCdbField, assertInvalidReply, hexBytes } from './command-asserts.test.helpers.js';

// MMC-6 "READ DISC STRUCTURE CDB", by hand: media type 0, format 00h, allocation length 2052 (0804h) —
// the CDB the SDK's media identification sends.
test('READ DISC STRUCTURE CDB bytes and round trip', () => {
  const p = { mediaType: 0, address: 0, layerNumber: 0, formatCode: 0, allocationLength: 2052, agid: 0 };
  assert.deepEqual(encodeReadDiscStructureCdb(p), hexBytes('AD 00 00 00 00 00 00 00 08 04 00 00'));
  assert.deepEqual(decodeReadDiscStructureCdb(hexBytes('AD 00 00 00 00 00 00 00 08 04 00 00')), p);
  const q = { mediaType: 1, address: 0x01020304, layerNumber: 1, formatCode: 0xff, allocationLength: 0xffff, agid: 2, control: 4 };
  assert.deepEqual(encodeReadDiscStructureCdb(q), hexBytes('AD 01 01 02 03 04 01 FF FF FF 80 04'));
  assert.deepEqual(decodeReadDiscStructureCdb(encodeReadDiscStructureCdb(q)), q);
  assert.throws(() => encodeReadDiscStructureCdb({ ...p, mediaType: 2 }), TypeError);
  assert.throws(() => encodeReadDiscStructureCdb({ ...p, agid: 4 }), TypeError);
});

test('READ DISC STRUCTURE CDB decode errors point at the field', () => {
  assertInvalidCdbField(() => decodeReadDiscStructureCdb(hexBytes('AD 02 00 00 00 00 00 00 08 04 00 00')), 1, 3); // media type 2 reserved
  assertInvalidCdbField(() => decodeReadDiscStructureCdb(hexBytes('AD 10 00 00 00 00 00 00 08 04 00 00')), 1, 4); // reserved bit
  assertInvalidCdbField(() => decodeReadDiscStructureCdb(hexBytes('AD 00 00 00 00 00 00 00 08 04 01 00')), 10, 0);
  assertInvalidCdbField(() => decodeReadDiscStructureCdb(hexBytes('AD 00 00 00 00 00 00 00 08 04 00 08')), 11, 3);
  assertInvalidCdbField(() => decodeReadDiscStructureCdb(hexBytes('AD 00 00 00 00 00 00 00 08 04')), 0);
  assertCheckCondition(() => decodeReadDiscStructureCdb(hexBytes('AC 00 00 00 00 00 00 00 08 04 00 00')), 5, 0x20, 0);
});

// A single-layer DVD+R, fields from MMC-6 "Physical Format Information" by hand: book type Ah
// (DVD+R), part version 1; 120 mm, maximum rate 2 (10.08 Mbit/s); one layer, PTP, recordable; densities
// 0/0; data area 030000h (ECMA-267) to 030000h + 2 295 104 − 1 = 26053Fh; no BCA.
const dvdPlusR: DvdPhysicalFormat = {
  bookType: DvdBookType.DVD_PLUS_R, partVersion: 1, discSize: 0, maximumRate: 2, layers: 1, oppositeTrackPath: false,
  layerType: DvdLayerType.RECORDABLE, linearDensity: 0, trackDensity: 0, dataStartSector: 0x030000, dataEndSector: 0x26053f,
  layer0EndSector: 0, bca: false,
};
const dvdPlusRHead = hexBytes('08 02 00 00  A1 02 02 00  00 03 00 00  00 26 05 3F  00 00 00 00  00');

test('DVD physical format information: bytes, length 2052, round trip', () => {
  const bytes = encodeDvdPhysicalFormatReply(dvdPlusR);
  assert.equal(bytes.length, DVD_PHYSICAL_FORMAT_REPLY_LENGTH);
  assert.deepEqual(bytes.subarray(0, dvdPlusRHead.length), dvdPlusRHead);
  assert.ok(bytes.subarray(dvdPlusRHead.length).every((b) => b === 0), 'media specific bytes zero');
  assert.deepEqual(decodeDvdPhysicalFormatReply(bytes), { ...dvdPlusR, truncated: false, fullLength: 2052 });
  // Dual-layer OTP DVD-ROM with BCA: byte 2 = 01b<<5 | OTP | embossed = 31h; byte 16 = 80h.
  const dl: DvdPhysicalFormat = { ...dvdPlusR, bookType: DvdBookType.DVD_ROM, layers: 2, oppositeTrackPath: true, layerType: DvdLayerType.EMBOSSED, layer0EndSector: 0x1234ff, bca: true };
  const dlBytes = encodeDvdPhysicalFormatReply(dl);
  assert.deepEqual(dlBytes.subarray(4, 8), hexBytes('01 02 31 00'));
  assert.deepEqual(dlBytes.subarray(16, 21), hexBytes('00 12 34 FF 80'));
  assert.deepEqual(decodeDvdPhysicalFormatReply(dlBytes), { ...dl, truncated: false, fullLength: 2052 });
  assert.throws(() => encodeDvdPhysicalFormatReply({ ...dvdPlusR, layers: 0 }), TypeError);
  assert.throws(() => encodeDvdPhysicalFormatReply({ ...dvdPlusR, dataEndSector: 0x1000000 }), TypeError);
});

test('DVD physical format information: truncated decodes, a short length is invalid', () => {
  const cut = decodeDvdPhysicalFormatReply(dvdPlusRHead.subarray(0, 12));
  assert.equal(cut.truncated, true);
  assert.equal(cut.fullLength, 2052);
  assert.equal(cut.bookType, DvdBookType.DVD_PLUS_R);
  assert.equal(cut.dataStartSector, 0x030000);
  assert.equal(cut.dataEndSector, 0, 'cut off: reads as zero');
  assert.equal(decodeDvdPhysicalFormatReply(hexBytes('08')).truncated, true);
  assertInvalidReply(() => decodeDvdPhysicalFormatReply(hexBytes('00 08 00 00 A1 02 02 00 00 03 00 00')));
});

// Format FFh, MMC-6 "Disc Structure List" descriptor by hand: 00h readable (RDS) 2048 bytes, FFh readable.
test('structure list: bytes, round trip, truncation, invalid length', () => {
  const entries = [
    { formatCode: 0x00, sds: false, rds: true, length: 2048 },
    { formatCode: 0xff, sds: false, rds: true, length: 8 },
  ];
  const bytes = hexBytes('00 0A 00 00  00 40 08 00  FF 40 00 08');
  assert.deepEqual(encodeDiscStructureListReply(entries), bytes);
  assert.deepEqual(decodeDiscStructureListReply(bytes), { entries, truncated: false, fullLength: 12 });
  assert.deepEqual(decodeDiscStructureListReply(bytes.subarray(0, 10)), { entries: entries.slice(0, 1), truncated: true, fullLength: 12 });
  assertInvalidReply(() => decodeDiscStructureListReply(hexBytes('00 08 00 00 00 40 08 00 FF 40')));
  assertInvalidReply(() => decodeDiscStructureListReply(hexBytes('00 01 00')));
});
