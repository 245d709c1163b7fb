import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADDRESS_NOT_AVAILABLE,
  decodeDiscInformationReply,
  decodeReadDiscInformationCdb,
  DiscStatus,
  DiscType,
  encodeDiscInformationReply,
  encodeReadDiscInformationCdb,
  lbaDiscAddress,
  msfDiscAddress,
  SessionState,
  type DiscInformation,
} from './read-disc-information.js';
import { assertInvalidCdbField, assertInvalidReply, hexBytes } from './command-asserts.test.helpers.js';

// MMC-6 §6.22 table "READ DISC INFORMATION CDB": 51h, data type in byte 1 bits 2-0, allocation
// length bytes 7-8.
test('READ DISC INFORMATION CDB bytes per MMC-6 table', () => {
  assert.deepEqual(encodeReadDiscInformationCdb({ dataType: 0, allocationLength: 34 }), hexBytes('51 00 00 00 00 00 00 00 22 00'));
  assert.deepEqual(encodeReadDiscInformationCdb({ dataType: 1, allocationLength: 12, control: 0x80 }), hexBytes('51 01 00 00 00 00 00 00 0c 80'));
});

test('READ DISC INFORMATION CDB round trip and errors', () => {
  for (const p of [{ dataType: 0, allocationLength: 34 }, { dataType: 2, allocationLength: 0xffff, control: 1 }]) {
    assert.deepEqual(decodeReadDiscInformationCdb(encodeReadDiscInformationCdb(p)), p);
  }
  assertInvalidCdbField(() => decodeReadDiscInformationCdb(hexBytes('51 03 00 00 00 00 00 00 22 00')), 1, 2);
  assertInvalidCdbField(() => decodeReadDiscInformationCdb(hexBytes('51 08 00 00 00 00 00 00 22 00')), 1, 3);
  assertInvalidCdbField(() => decodeReadDiscInformationCdb(hexBytes('51 00 00 00 01 00 00 00 22 00')), 4, 0);
  assertInvalidCdbField(() => decodeReadDiscInformationCdb(hexBytes('51 00 00')), 0);
});

// A blank CD-R, per MMC-6 table "Disc Information Block": length 0020h, not erasable, last session
// empty, disc empty; first track 1, 1 session, first/last track in last session 1; URU; disc type
// 00h; lead-in start 00 61 1A 42 = MSF 97:26:66 and last possible lead-out 00 4F 3B 4A = 79:59:74 —
// the ATIP times cdrecord reported for a CMC Magnetics CD-R ("ATIP start of lead in: -11634
// (97:26/66)", "ATIP start of lead out: 359849 (79:59/74)"), so those LBAs are the expected decode.
const blankCdR = hexBytes(`
  00 20 00 01 01 01 01 20 00 00 00 00 00 00 00 00
  00 61 1a 42 00 4f 3b 4a 00 00 00 00 00 00 00 00
  00 00`);

test('READ DISC INFORMATION reply: blank CD-R with MSF lead-in/lead-out', () => {
  const d = decodeDiscInformationReply(blankCdR);
  assert.equal(d.truncated, false);
  assert.equal(d.fullLength, 34);
  assert.equal(d.erasable, false);
  assert.equal(d.discStatus, DiscStatus.EMPTY);
  assert.equal(d.stateOfLastSession, SessionState.EMPTY);
  assert.deepEqual([d.firstTrackNumber, d.numberOfSessions, d.firstTrackInLastSession, d.lastTrackInLastSession], [1, 1, 1, 1]);
  assert.deepEqual([d.uru, d.didValid, d.dbcValid, d.dacValid], [true, false, false, false]);
  assert.equal(d.discType, DiscType.CD_DA_OR_CD_ROM);
  assert.deepEqual(d.lastSessionLeadInStart.msf, { m: 97, s: 26, f: 66 });
  assert.equal(d.lastSessionLeadInStart.msfLba, -11634);
  assert.equal(d.lastSessionLeadInStart.raw, 0x00611a42);
  assert.deepEqual(d.lastPossibleLeadOutStart.msf, { m: 79, s: 59, f: 74 });
  assert.equal(d.lastPossibleLeadOutStart.msfLba, 359849);
  assert.deepEqual(d.opcTables, []);
});

test('READ DISC INFORMATION reply round trip (multi-byte session/track numbers, OPC tables, not-available address)', () => {
  const info: DiscInformation = {
    erasable: true,
    stateOfLastSession: SessionState.COMPLETE,
    discStatus: DiscStatus.FINALIZED,
    firstTrackNumber: 1,
    numberOfSessions: 0x0102,
    firstTrackInLastSession: 0x0203,
    lastTrackInLastSession: 0x0304,
    didValid: true,
    dbcValid: true,
    uru: false,
    dacValid: true,
    legacy: true,
    bgFormatStatus: 2,
    discType: DiscType.CD_ROM_XA,
    discIdentification: 0x12345678,
    lastSessionLeadInStart: msfDiscAddress(undefined),
    lastPossibleLeadOutStart: lbaDiscAddress(2295104),
    discBarCode: Buffer.from('BARCODE!'),
    discApplicationCode: 0x40,
    opcTables: [
      { speed: 7056, values: Buffer.from([1, 2, 3, 4, 5, 6]) },
      { speed: 1411, values: Buffer.from([6, 5, 4, 3, 2, 1]) },
    ],
  };
  const bytes = encodeDiscInformationReply(info);
  assert.equal(bytes.length, 50);
  assert.deepEqual([bytes[0], bytes[1], bytes[2], bytes[4], bytes[9], bytes[7]], [0x00, 0x30, 0x1e, 0x02, 0x01, 0xd6]);
  const d = decodeDiscInformationReply(bytes);
  assert.deepEqual(d, { ...info, truncated: false, fullLength: 50 });
  assert.equal(d.lastSessionLeadInStart.raw, ADDRESS_NOT_AVAILABLE);
  assert.equal(d.lastSessionLeadInStart.msf, undefined);
  assert.deepEqual(encodeDiscInformationReply(decodeDiscInformationReply(blankCdR)), blankCdR);
});

test('READ DISC INFORMATION reply cut by the allocation length decodes, truncated', () => {
  const d = decodeDiscInformationReply(blankCdR.subarray(0, 12));
  assert.equal(d.truncated, true);
  assert.equal(d.fullLength, 34);
  assert.equal(d.firstTrackNumber, 1);
  assert.equal(d.lastSessionLeadInStart.raw, 0);
  const header = decodeDiscInformationReply(blankCdR.subarray(0, 2));
  assert.deepEqual([header.truncated, header.fullLength], [true, 34]);
});

test('READ DISC INFORMATION reply that contradicts itself is an invalid response', () => {
  assertInvalidReply(() => decodeDiscInformationReply(hexBytes('00 10 00 01 01 01 01 20')));
  // OPC table count beyond the declared length.
  const bad = Buffer.from(blankCdR);
  bad[33] = 1;
  assertInvalidReply(() => decodeDiscInformationReply(bad));
  // Data type 001b (track resources) where standard information was asked for.
  const wrongType = Buffer.from(blankCdR);
  wrongType[2] = 0x20;
  assertInvalidReply(() => decodeDiscInformationReply(wrongType));
});
