import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeReadCdCdb,
  decodeReadCdReply,
  encodeReadCdCdb,
  encodeReadCdReply,
  readCdBytesPerSector,
  readCdSectorLayout,
  SectorType,
  type ReadCdCdb,
  type ReadCdSelection,
} from './read-cd.js';
import { assertInvalidCdbField, assertInvalidReply, hexBytes } from './command-asserts.test.helpers.js';

const none = { sync: false, headerCodes: 0, userData: false, edcEcc: false, c2ErrorInformation: 0, subChannel: 0 };
const sel = (byte9: number, expectedSectorType: number, c2 = 0, sub = 0): ReadCdSelection => ({
  expectedSectorType,
  sync: (byte9 & 0x80) !== 0,
  headerCodes: (byte9 >> 5) & 3,
  userData: (byte9 & 0x10) !== 0,
  edcEcc: (byte9 & 0x08) !== 0,
  c2ErrorInformation: c2,
  subChannel: sub,
});

// MMC-6 §6.19 table "READ CD CDB". The audio read: expected type CD-DA (1 << 2 = 04h), LBA 0,
// 1 sector, user data only (10h) — the CDB CD rippers send for 2352-byte audio sectors.
test('READ CD CDB bytes per MMC-6 table', () => {
  const audio: ReadCdCdb = { expectedSectorType: SectorType.CD_DA, dap: false, lba: 0, transferLength: 1, ...none, userData: true };
  assert.deepEqual(encodeReadCdCdb(audio), hexBytes('be 04 00 00 00 00 00 00 01 10 00 00'));
  // Everything from a Mode 1 sector with C2 + block error byte and raw P-W, from LBA −150.
  const raw: ReadCdCdb = {
    expectedSectorType: SectorType.MODE1, dap: true, lba: -150, transferLength: 0x010203,
    sync: true, headerCodes: 3, userData: true, edcEcc: true, c2ErrorInformation: 2, subChannel: 1,
  };
  assert.deepEqual(encodeReadCdCdb(raw), hexBytes('be 0a ff ff ff 6a 01 02 03 fc 01 00'));
});

test('READ CD CDB round trip', () => {
  for (const p of [
    { expectedSectorType: 0, dap: false, lba: 16, transferLength: 27, ...none, userData: true },
    { expectedSectorType: 5, dap: true, lba: -45150, transferLength: 0xffffff, sync: true, headerCodes: 2, userData: true, edcEcc: false, c2ErrorInformation: 1, subChannel: 4, control: 4 },
    { expectedSectorType: 3, dap: false, lba: 0x7fffffff, transferLength: 0, ...none, subChannel: 2 },
  ]) {
    assert.deepEqual(decodeReadCdCdb(encodeReadCdCdb(p)), p);
  }
});

test('READ CD CDB: reserved sector type, C2 11b, reserved sub-channel, reserved bits are INVALID FIELD IN CDB', () => {
  assertInvalidCdbField(() => decodeReadCdCdb(hexBytes('be 18 00 00 00 00 00 00 01 10 00 00')), 1, 4);
  assertInvalidCdbField(() => decodeReadCdCdb(hexBytes('be 04 00 00 00 00 00 00 01 16 00 00')), 9, 2);
  assertInvalidCdbField(() => decodeReadCdCdb(hexBytes('be 04 00 00 00 00 00 00 01 10 03 00')), 10, 2);
  assertInvalidCdbField(() => decodeReadCdCdb(hexBytes('be 04 00 00 00 00 00 00 01 10 08 00')), 10, 3);
  assertInvalidCdbField(() => decodeReadCdCdb(hexBytes('be 05 00 00 00 00 00 00 01 10 00 00')), 1, 0);
  assertInvalidCdbField(() => decodeReadCdCdb(hexBytes('be 04 00 00 00 00 00 00 01 11 00 00')), 9, 0);
  assertInvalidCdbField(() => decodeReadCdCdb(hexBytes('be 04 00 00 00 00 00 00 01 10')), 0);
  assert.throws(() => encodeReadCdCdb({ expectedSectorType: 1, dap: false, lba: 0, transferLength: 1, ...none, subChannel: 3 }), TypeError);
});

// Sizes per MMC-6 table "Number of Bytes Returned Based on Data Selection Field".
test('readCdBytesPerSector: main channel per sector type', () => {
  const cases: [number, number, number][] = [
    // byte 9, sector type, bytes
    [0xf8, SectorType.MODE1, 2352],
    [0xf8, SectorType.MODE2_FORMLESS, 2352],
    [0xf8, SectorType.MODE2_FORM1, 2352],
    [0xf8, SectorType.MODE2_FORM2, 2352],
    [0x10, SectorType.MODE1, 2048],
    [0x10, SectorType.MODE2_FORMLESS, 2336],
    [0x10, SectorType.MODE2_FORM1, 2048],
    [0x10, SectorType.MODE2_FORM2, 2324],
    [0x10, SectorType.CD_DA, 2352],
    [0xf8, SectorType.CD_DA, 2352],
    [0x00, SectorType.CD_DA, 0],
    [0x18, SectorType.MODE1, 2336],
    [0x20, SectorType.MODE1, 4],
    [0x30, SectorType.MODE1, 2052],
    [0xa0, SectorType.MODE1, 16],
    [0xb0, SectorType.MODE1, 2064],
    [0x50, SectorType.MODE2_FORM1, 2056],
    [0x78, SectorType.MODE2_FORM1, 2340],
    [0x58, SectorType.MODE2_FORM2, 2336],
    [0x40, SectorType.MODE1, 0],
  ];
  for (const [b9, type, bytes] of cases) {
    assert.equal(readCdBytesPerSector(sel(b9, type)), bytes, `byte 9 ${b9.toString(16)}h, type ${type}`);
  }
  // Sector type "any" needs the type actually read.
  assert.equal(readCdBytesPerSector(sel(0x10, SectorType.ANY), SectorType.MODE2_FORM2), 2324);
  assert.throws(() => readCdBytesPerSector(sel(0x10, SectorType.ANY)), TypeError);
});

test('readCdBytesPerSector: C2 and sub-channel add 294/296 and 96/16/96', () => {
  assert.equal(readCdBytesPerSector(sel(0xf8, 1, 1, 0)), 2352 + 294);
  assert.equal(readCdBytesPerSector(sel(0xf8, 1, 2, 0)), 2352 + 296);
  assert.equal(readCdBytesPerSector(sel(0xf8, 1, 0, 1)), 2352 + 96);
  assert.equal(readCdBytesPerSector(sel(0xf8, 1, 0, 2)), 2352 + 16);
  assert.equal(readCdBytesPerSector(sel(0x10, 1, 2, 4)), 2352 + 296 + 96);
  assert.equal(readCdBytesPerSector(sel(0x00, 2, 0, 1)), 96);
});

test('readCdBytesPerSector: a field skipped between two selected ones is INVALID FIELD IN CDB byte 9', () => {
  assertInvalidCdbField(() => readCdBytesPerSector(sel(0x90, SectorType.MODE1)), 9); // sync + user, no header
  assertInvalidCdbField(() => readCdBytesPerSector(sel(0x28, SectorType.MODE1)), 9); // header + EDC, no user
  assertInvalidCdbField(() => readCdBytesPerSector(sel(0x30, SectorType.MODE2_FORM1)), 9); // header + user, no sub-header
});

test('READ CD reply splits into sectors and round trips', () => {
  const layout = readCdSectorLayout(sel(0x10, SectorType.CD_DA, 1, 2));
  assert.deepEqual(layout, { main: 2352, c2: 294, subChannel: 16, total: 2662 });
  const sectors = [0, 1, 2].map((i) => ({
    main: Buffer.alloc(2352, i + 1),
    c2: Buffer.alloc(294, 0x10 + i),
    subChannel: Buffer.alloc(16, 0x20 + i),
  }));
  const bytes = encodeReadCdReply(sectors, layout);
  assert.equal(bytes.length, 3 * 2662);
  const d = decodeReadCdReply(bytes, layout, 3);
  assert.equal(d.truncated, false);
  assert.equal(d.fullLength, 3 * 2662);
  assert.deepEqual(d.sectors.map((s) => [s.main[0], s.c2?.[293], s.subChannel?.[15]]), [[1, 0x10, 0x20], [2, 0x11, 0x21], [3, 0x12, 0x22]]);
  assert.throws(() => encodeReadCdReply([{ main: Buffer.alloc(2352) }], layout), TypeError);
});

test('READ CD reply with a residual decodes the whole sectors, truncated', () => {
  const layout = readCdSectorLayout(sel(0x10, SectorType.MODE1));
  const d = decodeReadCdReply(Buffer.alloc(2048 * 2 + 100), layout, 4);
  assert.deepEqual([d.truncated, d.sectors.length, d.fullLength], [true, 2, 4 * 2048]);
  assert.equal(d.sectors[0]!.c2, undefined);
});

test('READ CD reply longer than the sectors asked for is an invalid response', () => {
  const layout = readCdSectorLayout(sel(0x10, SectorType.MODE1));
  assertInvalidReply(() => decodeReadCdReply(Buffer.alloc(2048 * 2 + 1), layout, 2));
});
