import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMedium } from './index.js';
import { dataTao, pattern, senseOf } from './testing/context.js';
import { BlankingType } from './medium.js';

test('CD-RW erase session: the last session goes, the first stays, the disc is appendable where session 2 began', () => {
  const m = createMedium('cd-rw');
  m.write(0, pattern(10, 2048, 1), dataTao());
  m.closeSession(true);
  const s2 = m.nextWritableAddress()!;
  m.write(s2, pattern(10, 2048, 2), dataTao());
  m.closeSession(true);
  assert.equal(m.sessions().length, 3);
  const r = m.blank(BlankingType.LAST_SESSION);
  assert.ok(r.blocks >= 10);
  assert.equal(m.sessions().length, 2);
  assert.equal(m.nextWritableAddress(), s2);
  assert.equal(senseOf(() => m.read(s2, 1)), '08/00/00');
  assert.deepEqual(m.read(0, 10), pattern(10, 2048, 1));
  assert.deepEqual(m.toc().descriptors.map((d) => d.track), [1, 0xaa]);
  m.write(s2, pattern(4, 2048, 3), dataTao());
  m.closeSession(false);
  assert.deepEqual(m.read(s2, 4), pattern(4, 2048, 3));
  m.blank(BlankingType.LAST_SESSION);
  m.blank(BlankingType.LAST_SESSION);
  assert.equal(m.state, 'blank');
  assert.equal(senseOf(() => m.blank(BlankingType.LAST_SESSION)), '05/2C/00');
});

test('CD-RW unclose last session: a finalized session reopens and takes another track', () => {
  const m = createMedium('cd-rw');
  m.write(0, pattern(10, 2048, 1), dataTao());
  m.closeSession(false);
  assert.equal(m.state, 'complete');
  m.blank(BlankingType.UNCLOSE_LAST_SESSION);
  assert.equal(m.state, 'appendable');
  assert.equal(m.sessions().length, 1);
  assert.equal(m.nextWritableAddress(), 12 + 150, 'after the run-out and a pregap');
  m.write(162, pattern(5, 2048, 2), dataTao());
  m.closeSession(false);
  assert.deepEqual(m.toc().descriptors.map((d) => [d.track, d.lba]), [[1, 0], [2, 162], [0xaa, 169]]);
  assert.equal(senseOf(() => createMedium('cd-rw').blank(BlankingType.UNCLOSE_LAST_SESSION)), '05/2C/00');
});

test('CD-RW unreserve track: an unwritten reservation is given back', () => {
  const m = createMedium('cd-rw');
  m.reserveTrack(100);
  assert.equal(m.tracks().length, 2);
  m.blank(BlankingType.UNRESERVE_TRACK);
  assert.equal(m.tracks().length, 1);
  assert.equal(m.trackInformation(1, 1).invisible, true);
  assert.equal(m.state, 'blank');
  assert.equal(senseOf(() => m.blank(BlankingType.UNRESERVE_TRACK)), '05/2C/00');
  assert.equal(senseOf(() => createMedium('dvd+r').blank(BlankingType.FULL)), '05/30/05');
});

test('DVD-RW: sequential recording, then BLANK minimal and full make it blank again; a DVD-R cannot be blanked', () => {
  const m = createMedium('dvd-rw');
  const c = dataTao({ writeType: 0 });
  m.write(0, pattern(32, 2048, 1), c);
  m.closeTrack(1);
  m.closeSession(false);
  assert.equal(m.state, 'complete');
  assert.equal(m.discInformation().erasable, true);
  assert.deepEqual(m.read(0, 32), pattern(32, 2048, 1));
  m.blank(BlankingType.MINIMAL);
  assert.equal(m.state, 'blank');
  assert.equal(m.nextWritableAddress(), 0);
  assert.equal(senseOf(() => m.read(0, 1)), '08/00/00');
  m.write(0, pattern(16, 2048, 2), c);
  m.closeSession(true);
  const full = m.blank(BlankingType.FULL);
  assert.equal(full.blocks, 2_298_496, 'a full blank covers the whole disc');
  assert.equal(m.state, 'blank');
  assert.equal(senseOf(() => createMedium('dvd-r').blank(BlankingType.FULL)), '05/30/05');
});
