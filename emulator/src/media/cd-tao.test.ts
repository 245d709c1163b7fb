import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMedium } from './index.js';
import { audioTao, ctx, dataTao, pattern, senseOf } from './testing/context.js';
import { DataBlockType } from './medium.js';
import { qFromRaw, decodeQ, qCrcOk } from './subcode.js';

const SEL_ALL = { sectorType: 0, sync: true, headerCodes: 3, userData: true, edcEcc: true, c2: 0, subChannel: 0 };

test('CD-R TAO: audio + mode 1 data track, multi-session, second session, TOC formats 0/1/2 and read back', () => {
  const m = createMedium('cd-r');
  assert.equal(m.state, 'blank');
  assert.equal(m.nextWritableAddress(), 0);
  assert.equal(m.freeBlocks(), 359849);
  assert.equal(m.discInformation().discStatus, 'empty');

  // Track 1: 300 audio blocks (2352), in two WRITEs.
  const audio = pattern(300, 2352, 7);
  m.write(0, audio.subarray(0, 100 * 2352), audioTao());
  assert.equal(m.nextWritableAddress(), 100);
  m.write(100, audio.subarray(100 * 2352), audioTao());
  m.synchronizeCache();
  m.closeTrack(0xff);
  // Audio TAO: no run-out; next track after a 150-block pregap.
  assert.equal(m.nextWritableAddress(), 450);
  assert.equal(m.trackInformation(1, 1).size, 300);

  // Track 2: mode 1, 50 blocks of 2048.
  const data = pattern(50, 2048, 9);
  assert.equal(senseOf(() => m.write(451, data, dataTao())), '05/21/02', 'not at the NWA');
  assert.equal(senseOf(() => m.write(450, data.subarray(0, 1000), dataTao())), '05/24/00', 'not whole blocks');
  m.write(450, data, dataTao({ multiSession: 3 }));
  m.closeTrack(2);
  assert.equal(m.trackInformation(1, 2).size, 52, 'data TAO track gets two run-out blocks');
  m.closeSession(true);
  assert.equal(m.state, 'appendable');
  const di = m.discInformation();
  assert.equal(di.sessions, 2);
  assert.equal(di.lastSessionState, 'empty');
  // Session 1 lead-out at 502; session 2 program area = 502 + 6750 + 4500 + 150.
  assert.equal(m.nextWritableAddress(), 502 + 11400);
  assert.equal(di.lastSessionLeadIn, 502 + 6750);

  const toc = m.toc();
  assert.deepEqual(toc.descriptors.map((d) => [d.track, d.lba, d.control]), [[1, 0, 0], [2, 450, 4], [0xaa, 502, 4]]);

  // Reads: data track byte for byte; audio via READ CD; audio via READ(10) is an illegal mode.
  assert.deepEqual(m.read(450, 50), data);
  assert.equal(senseOf(() => m.read(10, 1)), '05/64/00');
  assert.deepEqual(m.readCd(0, 300, SEL_ALL), audio);
  const sub = m.readCd(5, 1, { ...SEL_ALL, sync: false, headerCodes: 0, userData: false, edcEcc: false, subChannel: 1 });
  const q = qFromRaw(sub);
  assert.ok(qCrcOk(q));
  assert.deepEqual(decodeQ(q), { control: 0, adr: 1, tno: 1, indexOrPoint: 1, min: 0, sec: 0, frame: 5, zero: 0, pmin: 0, psec: 2, pframe: 5 });
  // A mode-1 sector through READ CD: header MSF of LBA 450 = 00:08:00.
  const raw = m.readCd(450, 1, { ...SEL_ALL, sectorType: 2 });
  assert.deepEqual([...raw.subarray(12, 16)], [0x00, 0x08, 0x00, 0x01]);
  assert.deepEqual(raw.subarray(16, 2064), data.subarray(0, 2048));
  assert.equal(senseOf(() => m.readCd(450, 1, { ...SEL_ALL, sectorType: 1 })), '05/64/00', 'expected CD-DA, found mode 1');
  assert.equal(senseOf(() => m.read(600, 1)), '08/00/00', 'unrecorded → blank check');
  assert.equal(senseOf(() => m.read(400000, 1)), '05/21/00');

  // Session 2: one more data track, then finalize.
  const d2 = pattern(20, 2048, 11);
  const nwa = m.nextWritableAddress()!;
  m.write(nwa, d2, dataTao());
  m.closeSession(false);
  assert.equal(m.state, 'complete');
  assert.equal(m.nextWritableAddress(), undefined);
  assert.equal(senseOf(() => m.write(nwa + 22, d2, dataTao())), '05/21/02');
  assert.deepEqual(m.read(nwa, 20), d2);
  assert.deepEqual(m.toc().descriptors.map((d) => d.track), [1, 2, 3, 0xaa]);
  const st = m.sessionToc();
  assert.deepEqual([st.firstSession, st.lastSession, st.firstTrackInLastSession.track, st.firstTrackInLastSession.lba], [1, 2, 3, nwa]);

  const full = m.fullToc();
  const pts = full.entries.map((e) => `${e.session}:${e.adr}:${e.point.toString(16)}`);
  assert.deepEqual(pts, ['1:1:a0', '1:1:a1', '1:1:a2', '1:1:1', '1:1:2', '1:5:b0', '1:5:c0', '2:1:a0', '2:1:a1', '2:1:a2', '2:1:3']);
  const a2 = full.entries.find((e) => e.session === 1 && e.point === 0xa2)!;
  assert.deepEqual([a2.pmin, a2.psec, a2.pframe], [0, 8, 52], 'lead-out 502 = 00:08:52 (502 + 150 frames)');
  const b0 = full.entries.find((e) => e.point === 0xb0)!;
  assert.deepEqual([b0.min, b0.sec, b0.frame], [2, 40, 52], 'B0: next program area 11902 = 02:40:52');
  assert.deepEqual([b0.pmin, b0.psec, b0.pframe], [79, 59, 74]);
});

test('CD-R ATIP: lead-in 97:26:66 and last possible lead-out 79:59:74', () => {
  const a = createMedium('cd-r').atip();
  assert.deepEqual(a.leadInStart, { m: 97, s: 26, f: 66 });
  assert.deepEqual(a.lastPossibleLeadOutStart, { m: 79, s: 59, f: 74 });
  assert.equal(a.cdrw, false);
  assert.equal(createMedium('cd-rw').atip().cdrw, true);
  assert.equal(senseOf(() => createMedium('dvd+r').atip()), '05/24/00');
});

test('CD TAO errors: track mode mismatch, reserved track, empty session, mode 2 form 1 read back', () => {
  const m = createMedium('cd-r');
  assert.equal(senseOf(() => m.write(0, Buffer.alloc(2048), audioTao({ dataBlockType: DataBlockType.MODE_1 }))), '05/64/00');
  assert.equal(senseOf(() => m.closeSession(false)), '05/2C/00', 'nothing recorded');
  const r = m.reserveTrack(10);
  assert.deepEqual([r.number, r.start, r.size, r.reserved], [1, 0, 10, true]);
  m.write(0, pattern(4, 2048), dataTao({ dataBlockType: DataBlockType.MODE_2_FORM_1, subheader: Buffer.from([0, 0, 8, 0]) }));
  assert.equal(senseOf(() => m.closeTrack(1)), '05/72/04');
  assert.equal(senseOf(() => m.closeSession(false)), '05/72/03');
  assert.equal(senseOf(() => m.write(4, pattern(7, 2048), dataTao({ dataBlockType: 10 }))), '05/63/00', 'past the reserved size');
  m.write(4, pattern(6, 2048, 2), dataTao({ dataBlockType: 10 }));
  m.closeTrack(1);
  assert.equal(m.trackInformation(1, 1).dataMode, 2);
  assert.equal(m.nextWritableAddress(), 160, 'invisible track after the reservation + pregap');
  m.write(160, pattern(3, 2048, 3), dataTao());
  assert.equal(senseOf(() => m.reserveTrack(5)), '05/72/05', 'the invisible track already holds data');
  m.closeSession(false);
  assert.deepEqual(m.read(0, 4), pattern(4, 2048));
  assert.deepEqual(m.read(4, 6), pattern(6, 2048, 2));
  assert.deepEqual(m.read(160, 3), pattern(3, 2048, 3));
});

test('test write changes nothing; ROM and closed discs refuse writes', () => {
  const m = createMedium('cd-r');
  m.write(0, pattern(5, 2048), ctx({ testWrite: true }));
  assert.equal(m.state, 'blank');
  assert.equal(m.nextWritableAddress(), 0);
  assert.equal(senseOf(() => createMedium('cd-r').write(0, Buffer.alloc(2048), ctx({ writeType: 4 }))), '05/30/05');
});
