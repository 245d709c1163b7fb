import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lbaToMsf } from '@openimapi/sdk';
import { createMedium } from './index.js';
import { ctx, pattern, senseOf } from './testing/context.js';
import { WriteType, type CueSheetEntry } from './medium.js';

const e = (control: number, tno: number, index: number, dataForm: number, lba: number): CueSheetEntry => ({
  control, adr: 1, tno, index, dataForm, scms: 0, msf: lbaToMsf(lba),
});
const sao = (over = {}) => ctx({ writeType: WriteType.SESSION_AT_ONCE, dataBlockType: 0, trackMode: 0, ...over });
const SEL = { sectorType: 0, sync: true, headerCodes: 3, userData: true, edcEcc: true, c2: 0, subChannel: 0 };

test('CD-R SAO: cue sheet with two audio tracks, one continuous write from the pregap (LBA −150), read back', () => {
  const m = createMedium('cd-r');
  // Cue per MMC-6 §6.33 example layout: lead-in, track 1 (pregap at 00:00:00, index 1 at 00:02:00),
  // track 2 (pregap 150 blocks), lead-out. Data form 00h: 2352 bytes of CD-DA per block from the host.
  const cue = [e(0, 0, 0, 0x01, -150), e(0, 1, 0, 0x00, -150), e(0, 1, 1, 0x00, 0), e(0, 2, 0, 0x00, 200), e(0, 2, 1, 0x00, 350), e(0, 0xaa, 1, 0x01, 450)];
  m.sendCueSheet(cue, sao());
  assert.equal(m.tracks().length, 2);
  assert.deepEqual(m.tracks().map((t) => [t.number, t.start, t.size, t.reserved]), [[1, 0, 200, true], [2, 350, 100, true]]);
  const img = pattern(600, 2352, 5);
  assert.equal(senseOf(() => m.write(0, img.subarray(0, 2352), sao())), '05/21/02', 'stream starts at the pregap');
  for (let i = 0; i < 600; i += 128) {
    const n = Math.min(128, 600 - i);
    m.write(-150 + i, img.subarray(i * 2352, (i + n) * 2352), sao());
  }
  assert.equal(senseOf(() => m.write(450, img.subarray(0, 2352), sao())), '05/21/00', 'past the lead-out');
  m.synchronizeCache();
  assert.equal(m.state, 'complete');
  assert.deepEqual(m.toc().descriptors.map((d) => [d.track, d.lba]), [[1, 0], [2, 350], [0xaa, 450]]);
  assert.deepEqual(m.readCd(-150, 600, SEL), img);
  const q = m.readCd(250, 1, { ...SEL, sync: false, headerCodes: 0, userData: false, edcEcc: false, subChannel: 2 });
  assert.deepEqual([...q.subarray(0, 3)], [0x01, 0x02, 0x00], 'LBA 250 is track 2 index 0 (pregap)');
  assert.equal(q[15], 0x80, 'P is set in a pregap');
});

test('CD-R SAO data disc: generated pregap (data form 14h), host sends 2048-byte mode 1 blocks from LBA 0', () => {
  const m = createMedium('cd-r');
  m.sendCueSheet([e(4, 0, 0, 0x14, -150), e(4, 1, 0, 0x14, -150), e(4, 1, 1, 0x10, 0), e(4, 0xaa, 1, 0x14, 300)], sao({ trackMode: 4, multiSession: 3 }));
  const data = pattern(300, 2048, 8);
  m.write(0, data.subarray(0, 100 * 2048), sao({ trackMode: 4 }));
  assert.equal(senseOf(() => m.closeSession(true)), '05/72/03', 'stream incomplete');
  m.write(100, data.subarray(100 * 2048), sao({ trackMode: 4 }));
  m.closeSession(true);
  assert.equal(m.state, 'appendable', 'multi-session 11b leaves the disc open');
  assert.equal(m.nextWritableAddress(), 300 + 11400);
  assert.deepEqual(m.read(0, 300), data);
  assert.equal(m.readCd(-1, 1, { ...SEL, sectorType: 2 }).readUInt8(15), 1, 'the generated pregap is mode 1');
});

test('SAO errors: write without a cue sheet, cue not starting at the program area, malformed cue', () => {
  const m = createMedium('cd-r');
  assert.equal(senseOf(() => m.write(-150, Buffer.alloc(2352), sao())), '05/2C/00');
  assert.equal(senseOf(() => m.sendCueSheet([e(0, 0, 0, 1, -150), e(0, 1, 1, 0, 150), e(0, 0xaa, 1, 1, 300)], sao())), '05/26/00');
  assert.equal(senseOf(() => m.sendCueSheet([e(0, 1, 1, 0, 0), e(0, 0xaa, 1, 1, 300)], sao())), '05/26/00');
  assert.equal(senseOf(() => m.sendCueSheet([e(0, 0, 0, 1, -150), e(0, 1, 1, 0x3f, 0), e(0, 0xaa, 1, 1, 300)], sao())), '05/26/00');
  assert.equal(senseOf(() => m.sendCueSheet([e(0, 0, 0, 1, -150), e(0, 1, 1, 0, 0), e(0, 0xaa, 1, 1, 360000)], sao())), '05/26/00');
  assert.equal(m.state, 'blank', 'rejected cue sheets change nothing');
  assert.equal(senseOf(() => createMedium('dvd+r').sendCueSheet([], sao())), '05/30/05');
});

test('SAO cue sheet MCN (ADR 2) and ISRC (ADR 3) entries are kept with the disc and its tracks', () => {
  const m = createMedium('cd-r');
  const txt = (adr: number, tno: number, bytes: string): CueSheetEntry => ({ control: 0, adr, tno, index: 0, dataForm: 0, scms: 0, msf: { m: 0, s: 0, f: 0 }, text: Buffer.from(bytes, 'latin1') });
  // MMC-6 Table 613 layout: MCN in two ADR 2 entries (7 + 6 digits); ISRC in two ADR 3 entries, TNO then 6 characters each.
  const cue = [
    txt(2, 0x31, '1234567'), txt(2, 0x38, '890123\0'),
    e(0, 0, 0, 0x01, -150),
    txt(3, 1, '\x01USABC9'), txt(3, 1, '\x019123456'),
    e(0, 1, 0, 0x00, -150), e(0, 1, 1, 0x00, 0), e(0, 0xaa, 1, 0x01, 100),
  ];
  m.sendCueSheet(cue, sao());
  m.write(-150, pattern(250, 2352, 1), sao());
  m.synchronizeCache();
  assert.equal(m.mcn, '1234567890123');
  assert.equal(m.tracks()[0]!.isrc, 'USABC9912345', 'country US, owner ABC, year 99, designation 12345');
  assert.equal(senseOf(() => createMedium('cd-r').sendCueSheet([txt(2, 0, 'ABCDEFG'), ...cue.slice(2)], sao())), '05/26/00');
});
