import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CapabilitiesRotationControl, decodeCapabilitiesPage, encodeCapabilitiesPage, type CapabilitiesPage } from './mode-page-capabilities.js';
import { decodeModeSense10Reply } from './mode-sense-10.js';
import { assertInvalidReply, hexBytes } from './command-asserts.test.helpers.js';

// MMC-3 §6.3.11 "CD/DVD Capabilities and Mechanical Status Page", written out by hand for a CD/DVD-R
// burner with a tray: 48x read (8467 kB/s), 2048 KB buffer, 40x write (7056 kB/s) and two write
// speed descriptors, 40x CLV and 20x CAV (3528 kB/s). PAGE LENGTH 1Eh + 4·2 = 26h.
const PAGE = hexBytes(
  '2A 26 1F 17 F1 77 29 03' +
  '21 13 01 00 08 00 21 13' +
  '00 00 1B 90 1B 90 00 01' +
  '00 00 00 00 1B 90 00 02' +
  '00 00 1B 90 00 01 0D C8',
);
const CAPS: CapabilitiesPage = {
  kind: 'capabilities', ps: false,
  dvdRamRead: false, dvdRRead: true, dvdRomRead: true, method2: true, cdRwRead: true, cdRRead: true,
  dvdRamWrite: false, dvdRWrite: true, testWrite: true, cdRwWrite: true, cdRWrite: true,
  buf: true, multiSession: true, mode2Form2: true, mode2Form1: true, digitalPort2: false, digitalPort1: false, composite: false, audioPlay: true,
  readBarCode: false, upc: true, isrc: true, c2Pointers: true, rwDeinterleavedCorrected: false, rwSupported: true, cddaStreamAccurate: true,
  cddaCommands: true,
  loadingMechanism: 1, eject: true, preventJumper: false, lockState: false, lock: true,
  rwInLeadIn: false, sideChangeCapable: false, swSlotSelection: false, changerDiscPresent: false, separateChannelMute: true, separateVolumeLevels: true,
  maxReadSpeed: 8467, volumeLevels: 256, bufferSize: 2048, currentReadSpeed: 8467,
  digitalOutputLength: 0, lsbf: false, rck: false, bckf: false,
  maxWriteSpeed: 7056, currentWriteSpeed: 7056, copyManagementRevision: 1,
  rotationControlSelected: 0, currentWriteSpeedSelected: 7056,
  writeSpeedDescriptors: [
    { rotationControl: CapabilitiesRotationControl.CLV, writeSpeed: 7056 },
    { rotationControl: CapabilitiesRotationControl.CAV, writeSpeed: 3528 },
  ],
};

test('page 2Ah bytes per MMC-3 §6.3.11, both ways', () => {
  assert.deepEqual(encodeCapabilitiesPage(CAPS), PAGE);
  assert.deepEqual(decodeCapabilitiesPage(PAGE), CAPS);
});

test('page 2Ah digital output and rarely set bits', () => {
  const p = { ...CAPS, dvdRamRead: true, dvdRamWrite: true, digitalPort2: true, digitalPort1: true, composite: true, readBarCode: true,
    rwDeinterleavedCorrected: true, preventJumper: true, lockState: true, rwInLeadIn: true, sideChangeCapable: true, swSlotSelection: true,
    changerDiscPresent: true, digitalOutputLength: 2, lsbf: true, rck: true, bckf: true, rotationControlSelected: 1, ps: true };
  const b = encodeCapabilitiesPage(p);
  assert.deepEqual([b[0], b[2], b[3], b[4], b[5], b[6], b[7], b[17], b[27]], [0xaa, 0x3f, 0x37, 0xff, 0xff, 0x2f, 0x3f, 0x2e, 0x01]);
  assert.deepEqual(decodeCapabilitiesPage(b), p);
});

test('page 2Ah of older drives (PAGE LENGTH 12h as QEMU\'s ATAPI model, 14h MMC-1) decodes without descriptors', () => {
  const qemu = Buffer.from(PAGE.subarray(0, 20));
  qemu[1] = 0x12;
  const p = decodeCapabilitiesPage(qemu);
  assert.deepEqual([p.bufferSize, p.maxWriteSpeed, p.currentWriteSpeed, p.currentWriteSpeedSelected, p.writeSpeedDescriptors.length], [2048, 7056, 0, 0, 0]);
});

test('page 2Ah whose descriptor count does not fit its length is an invalid response', () => {
  const bad = Buffer.from(PAGE);
  bad[31] = 3; // three descriptors in a page with room for two
  assertInvalidReply(() => decodeCapabilitiesPage(bad));
  // K3b notes writers that put the descriptors' byte count (8) there instead of their number (2).
  bad[31] = 8;
  assertInvalidReply(() => decodeCapabilitiesPage(bad));
});

test('page 2Ah cut by the allocation length (libburn asks for 30 bytes first): truncated, full length known', () => {
  const reply = Buffer.concat([hexBytes('00 2E 00 00 00 00 00 00'), PAGE]);
  const cut = decodeModeSense10Reply(reply.subarray(0, 30));
  assert.deepEqual([cut.truncated, cut.fullLength, cut.pages.length], [true, 48, 0]);
  const whole = decodeModeSense10Reply(reply);
  assert.deepEqual([whole.truncated, whole.pages], [false, [CAPS]]);
});

test('page 2Ah encode rejects bad arguments with TypeError', () => {
  assert.throws(() => encodeCapabilitiesPage({ ...CAPS, loadingMechanism: 8 }), TypeError);
  assert.throws(() => encodeCapabilitiesPage({ ...CAPS, writeSpeedDescriptors: [{ rotationControl: 0, writeSpeed: 0x10000 }] }), TypeError);
  assert.throws(() => encodeCapabilitiesPage({ ...CAPS, writeSpeedDescriptors: Array(57).fill({ rotationControl: 0, writeSpeed: 1 }) }), TypeError);
});
