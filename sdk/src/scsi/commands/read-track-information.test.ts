import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeReadTrackInformationCdb,
  decodeTrackInformationReply,
  encodeReadTrackInformationCdb,
  encodeTrackInformationReply,
  INVISIBLE_TRACK,
  TrackAddressType,
  type TrackInformation,
} from './read-track-information.js';
import { assertInvalidCdbField, assertInvalidReply, hexBytes } from './command-asserts.test.helpers.js';

// MMC-6 §6.27 table "READ TRACK INFORMATION CDB": 52h, Open byte 1 bit 2, type bits 1-0, address
// bytes 2-5, allocation length 7-8.
test('READ TRACK INFORMATION CDB bytes per MMC-6 table', () => {
  assert.deepEqual(
    encodeReadTrackInformationCdb({ open: false, addressType: TrackAddressType.TRACK, address: INVISIBLE_TRACK, allocationLength: 48 }),
    hexBytes('52 01 00 00 00 ff 00 00 30 00'),
  );
  // LBA −150 (MSF 00:00:00) is FFFFFF6Ah.
  assert.deepEqual(
    encodeReadTrackInformationCdb({ open: false, addressType: TrackAddressType.LBA, address: -150, allocationLength: 28 }),
    hexBytes('52 00 ff ff ff 6a 00 00 1c 00'),
  );
  assert.deepEqual(
    encodeReadTrackInformationCdb({ open: true, addressType: TrackAddressType.TRACK, address: 2, allocationLength: 48 }),
    hexBytes('52 05 00 00 00 02 00 00 30 00'),
  );
});

test('READ TRACK INFORMATION CDB round trip', () => {
  for (const p of [
    { open: false, addressType: 0, address: -150, allocationLength: 48 },
    { open: false, addressType: 0, address: 0x7fffffff, allocationLength: 48 },
    { open: true, addressType: 1, address: 0xff, allocationLength: 0xffff, control: 0x04 },
    { open: false, addressType: 2, address: 0xffffffff, allocationLength: 0 },
  ]) {
    assert.deepEqual(decodeReadTrackInformationCdb(encodeReadTrackInformationCdb(p)), p);
  }
  assert.throws(() => encodeReadTrackInformationCdb({ open: true, addressType: 0, address: 0, allocationLength: 48 }), TypeError);
});

test('READ TRACK INFORMATION CDB: type 11b, Open without type 01b, reserved fields are INVALID FIELD IN CDB', () => {
  assertInvalidCdbField(() => decodeReadTrackInformationCdb(hexBytes('52 03 00 00 00 01 00 00 30 00')), 1, 1);
  assertInvalidCdbField(() => decodeReadTrackInformationCdb(hexBytes('52 04 00 00 00 01 00 00 30 00')), 1, 2);
  assertInvalidCdbField(() => decodeReadTrackInformationCdb(hexBytes('52 06 00 00 00 01 00 00 30 00')), 1, 2);
  assertInvalidCdbField(() => decodeReadTrackInformationCdb(hexBytes('52 11 00 00 00 01 00 00 30 00')), 1, 4);
  assertInvalidCdbField(() => decodeReadTrackInformationCdb(hexBytes('52 01 00 00 00 01 01 00 30 00')), 6, 0);
  assertInvalidCdbField(() => decodeReadTrackInformationCdb(hexBytes('52 01 00 00 00 01')), 0);
});

// The invisible track of a blank CD-R, written out per MMC-6 table "Track Information Block":
// data length 002Eh; track 1, session 1; track mode 4h (data); Blank set, RT/Packet/FP clear, data
// mode Fh (unknown); NWA_V; start 0, NWA 0,
// free blocks 359849 (0005 7DA9h — the CMC CD-R's ATIP lead-out 79:59:74 as an LBA), fixed packet
// size 0, track size 359849.
const invisibleTrack = hexBytes(`
  00 2e 01 01 00 04 4f 01  00 00 00 00 00 00 00 00
  00 05 7d a9 00 00 00 00  00 05 7d a9 00 00 00 00
  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00`);

test('READ TRACK INFORMATION reply: invisible track of a blank CD-R', () => {
  const t = decodeTrackInformationReply(invisibleTrack);
  assert.equal(t.truncated, false);
  assert.equal(t.fullLength, 48);
  assert.deepEqual([t.trackNumber, t.sessionNumber, t.trackMode, t.dataMode], [1, 1, 4, 15]);
  assert.deepEqual([t.blank, t.rt, t.packetInc, t.fp, t.damage, t.copy], [true, false, false, false, false, false]);
  assert.deepEqual([t.nwaValid, t.lraValid], [true, false]);
  assert.deepEqual([t.trackStartAddress, t.nextWritableAddress, t.freeBlocks, t.trackSize], [0, 0, 359849, 359849]);
  assert.deepEqual(encodeTrackInformationReply(t), invisibleTrack);
});

test('READ TRACK INFORMATION reply round trip with negative addresses and 16-bit track/session numbers', () => {
  const info: TrackInformation = {
    trackNumber: 0x0123,
    sessionNumber: 0x0204,
    ljrs: 2,
    damage: true,
    copy: true,
    trackMode: 4,
    rt: true,
    blank: false,
    packetInc: true,
    fp: true,
    dataMode: 1,
    lraValid: true,
    nwaValid: false,
    trackStartAddress: -150,
    nextWritableAddress: -1,
    freeBlocks: 0,
    fixedPacketSize: 32,
    trackSize: 1000,
    lastRecordedAddress: 849,
    readCompatibilityLba: 16,
    nextLayerJumpAddress: 0x100000,
    lastLayerJumpAddress: 0x0fffff,
  };
  const bytes = encodeTrackInformationReply(info);
  assert.deepEqual([...bytes.subarray(8, 12)], [0xff, 0xff, 0xff, 0x6a]);
  assert.deepEqual([bytes[2], bytes[32], bytes[3], bytes[33], bytes[5], bytes[6], bytes[7]], [0x23, 0x01, 0x04, 0x02, 0xb4, 0xb1, 0x02]);
  assert.deepEqual(decodeTrackInformationReply(bytes), { ...info, fullLength: 48, truncated: false });
});

test('READ TRACK INFORMATION reply: an MMC-3 36-byte block is whole, the newer fields zero', () => {
  const mmc3 = Buffer.from(invisibleTrack.subarray(0, 36));
  mmc3[1] = 0x22;
  mmc3[32] = 0x7f; // a byte that is inside the MMC-3 block (track MSB) to prove it is read
  const t = decodeTrackInformationReply(mmc3);
  assert.equal(t.truncated, false);
  assert.equal(t.fullLength, 36);
  assert.equal(t.trackNumber, 0x7f01);
  assert.equal(t.readCompatibilityLba, 0);
});

test('READ TRACK INFORMATION reply cut by the allocation length decodes, truncated', () => {
  const t = decodeTrackInformationReply(invisibleTrack.subarray(0, 28));
  assert.equal(t.truncated, true);
  assert.equal(t.fullLength, 48);
  assert.equal(t.trackSize, 359849);
  assert.equal(t.lastRecordedAddress, 0);
  assert.equal(decodeTrackInformationReply(invisibleTrack.subarray(0, 1)).truncated, true);
});

test('READ TRACK INFORMATION reply that contradicts itself is an invalid response', () => {
  assertInvalidReply(() => decodeTrackInformationReply(hexBytes('00 10 01 01 00 04 4f 01 00 00 00 00 00 00 00 00 00 00')));
});
