import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMedium, MEDIA } from './index.js';
import { ctx, pattern, senseOf } from './testing/context.js';

test('catalog: profiles and capacities', () => {
  const row = (k: keyof typeof MEDIA) => [MEDIA[k].profile, MEDIA[k].family, MEDIA[k].capacity];
  assert.deepEqual(row('cd-r'), [0x09, 'cd', 359849]);
  assert.deepEqual(row('cd-rw'), [0x0a, 'cd', 359849]);
  assert.deepEqual(row('dvd-r'), [0x11, 'dvd', 2298496]);
  assert.deepEqual(row('dvd-rw'), [0x14, 'dvd', 2298496]);
  assert.deepEqual(row('dvd+rw'), [0x1a, 'dvd', 2295104]);
  assert.deepEqual(row('dvd+r'), [0x1b, 'dvd', 2295104]);
  assert.deepEqual(row('bd-r'), [0x41, 'bd', 12219392]);
  assert.deepEqual(row('bd-re'), [0x43, 'bd', 11826176]);
  assert.equal(MEDIA['cd-rom'].profile, 0x08);
  assert.equal(MEDIA['dvd-rom'].profile, 0x10);
  assert.equal(MEDIA['cd-r'].writeSpeeds[0], 8467, 'CD 48x = 48 × 176.4 kB/s');
});

for (const kind of ['dvd+r', 'bd-r', 'dvd-r', 'dvd-rw'] as const) {
  test(`${kind}: sequential writes at the NWA, two sessions, read back`, () => {
    const m = createMedium(kind);
    const c = ctx({ writeType: kind === 'dvd-r' || kind === 'dvd-rw' ? 0 : 1 });
    assert.equal(m.freeBlocks(), MEDIA[kind].capacity);
    const a = pattern(64, 2048, 1);
    m.write(0, a.subarray(0, 32 * 2048), c);
    assert.equal(senseOf(() => m.write(0, a, c)), '05/21/02', 'write-once: no rewrite');
    m.write(32, a.subarray(32 * 2048), c);
    m.closeTrack(1);
    m.closeSession(true);
    assert.equal(m.state, 'appendable');
    assert.equal(m.nextWritableAddress(), 64);
    const b = pattern(10, 2048, 2);
    m.write(64, b, c);
    m.closeSession(false);
    assert.equal(m.state, 'complete');
    assert.deepEqual(m.read(0, 64), a);
    assert.deepEqual(m.read(64, 10), b);
    assert.deepEqual(m.toc().descriptors.map((d) => [d.track, d.lba]), [[1, 0], [2, 64], [0xaa, 74]]);
    assert.deepEqual(m.capacity(), { lastLba: 73, blockLength: 2048 });
    assert.equal(senseOf(() => m.fullToc()), '05/24/00');
    assert.equal(senseOf(() => m.read(74, 1)), '08/00/00');
    if (kind !== 'dvd-rw') assert.equal(senseOf(() => m.blank(0)), '05/30/05', 'write-once media cannot be blanked');
  });
}

test('DVD-R refuses write types other than incremental/DAO', () => {
  assert.equal(senseOf(() => createMedium('dvd-r').write(0, Buffer.alloc(2048), ctx({ writeType: 1 }))), '05/30/05');
});

for (const kind of ['dvd+rw', 'bd-re'] as const) {
  test(`${kind}: formatted, random overwrite anywhere, reads zeros where never written`, () => {
    const m = createMedium(kind);
    assert.equal(m.state, 'complete');
    assert.equal(m.discInformation().discStatus, 'random-access');
    assert.equal(m.discInformation().bgFormatStatus, 3);
    const cap = MEDIA[kind].capacity;
    assert.deepEqual(m.capacity(), { lastLba: cap - 1, blockLength: 2048 });
    m.write(1000, pattern(16, 2048, 3), ctx());
    m.write(16, pattern(4, 2048, 4), ctx());
    m.write(1000, pattern(2, 2048, 5), ctx()); // overwrite
    assert.deepEqual(m.read(1000, 2), pattern(2, 2048, 5));
    assert.deepEqual(m.read(1002, 14), pattern(16, 2048, 3).subarray(2 * 2048));
    assert.deepEqual(m.read(16, 4), pattern(4, 2048, 4));
    assert.deepEqual(m.read(500, 1), Buffer.alloc(2048));
    assert.equal(senseOf(() => m.write(cap - 1, pattern(2, 2048), ctx())), '05/21/00');
    assert.equal(senseOf(() => m.reserveTrack(10)), '05/30/05');
    assert.deepEqual(m.format(), { blocks: cap });
  });
}

test('CD-RW: BLANK full and minimal make the disc blank again; CD-R cannot be blanked', () => {
  const m = createMedium('cd-rw');
  m.write(0, pattern(10, 2048), ctx());
  m.closeSession(false);
  assert.equal(m.state, 'complete');
  assert.ok(m.eraseExtent(0).blocks > m.eraseExtent(1).blocks, 'full erase covers more than minimal');
  assert.equal(senseOf(() => m.blank(2)), '05/24/00', 'blank a track: not supported');
  m.blank(1);
  assert.equal(m.state, 'blank');
  assert.equal(m.nextWritableAddress(), 0);
  assert.equal(senseOf(() => m.read(0, 1)), '08/00/00', 'erased');
  m.write(0, pattern(3, 2048, 6), ctx());
  m.closeSession(false);
  assert.deepEqual(m.read(0, 3), pattern(3, 2048, 6));
  assert.equal(m.blank(0).blocks, 359849 + 11634);
  assert.equal(m.state, 'blank');
  assert.equal(m.discInformation().erasable, true);
  assert.equal(senseOf(() => createMedium('cd-r').blank(0)), '05/30/05');
});
