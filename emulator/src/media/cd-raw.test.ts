import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createMedium, type Medium } from './index.js';
import { ctx, senseOf } from './testing/context.js';
import { generateDao96, imageChunk, type GenImage, type SubFormat } from './testing/dao96.js';
import { DataBlockType, WriteType } from './medium.js';

const LEAD_IN = -11634; // ATIP lead-in start of the catalog's CD-R, 97:26:66
const DBT: Record<SubFormat, number> = { pq: DataBlockType.RAW_PQ, packed: DataBlockType.RAW_PW_PACKED, raw: DataBlockType.RAW_PW_RAW };
const SEL = { sectorType: 0, sync: true, headerCodes: 3, userData: true, edcEcc: true, c2: 0, subChannel: 0 };

function burn(m: Medium, img: GenImage, sub: SubFormat): void {
  const c = ctx({ writeType: WriteType.RAW, dataBlockType: DBT[sub], trackMode: 0 });
  for (let i = 0; i < img.sectors; i += 600) m.write(img.start + i, imageChunk(img, i, 600), c);
  m.synchronizeCache();
}

function checkDisc(m: Medium, img: GenImage): void {
  assert.equal(m.state, 'complete');
  assert.equal(m.tocReadable, true);
  assert.deepEqual(m.toc().descriptors.map((d) => [d.track, d.lba, d.control]), [[1, 0, 0], [2, 450, 0], [0xaa, 650, 0]]);
  const full = m.fullToc();
  assert.deepEqual(full.entries.map((e) => [e.point, e.pmin, e.psec, e.pframe]), [
    [0xa0, 1, 0, 0], [0xa1, 2, 0, 0], [0xa2, 0, 10, 50], [1, 0, 2, 0], [2, 0, 8, 0],
  ], 'A2 = LBA 650 = 00:10:50; track 2 = LBA 450 = 00:08:00');
  assert.deepEqual(m.tracks().map((t) => [t.number, t.start, t.size, t.mode]), [[1, 0, 450, 'audio'], [2, 450, 200, 'audio']]);
  const main = m.readCd(0, 650, SEL);
  for (const lba of [0, 1, 299, 300, 449, 450, 649]) assert.deepEqual(main.subarray(lba * 2352, (lba + 1) * 2352), img.main(lba), `main channel of LBA ${lba}`);
}

test('RAW DAO-96 (raw P-W): written from the lead-in start, TOC and tracks come from the lead-in Q', () => {
  const img = generateDao96({ leadInStart: LEAD_IN, tracks: [{ control: 0, sectors: 300 }, { control: 0, sectors: 200 }], sub: 'raw' });
  const m = createMedium('cd-r');
  const c = ctx({ writeType: WriteType.RAW, dataBlockType: DataBlockType.RAW_PW_RAW, trackMode: 0 });
  assert.equal(senseOf(() => m.write(-22650, imageChunk(img, 0, 1), c)), '05/21/02', 'must start at the media lead-in, not 95:00:00');
  assert.equal(senseOf(() => m.write(LEAD_IN, imageChunk(img, 0, 1), ctx({ writeType: WriteType.RAW, dataBlockType: 0 }))), '05/64/00');
  burn(m, img, 'raw');
  checkDisc(m, img);
  // READ CD with raw P-W returns exactly what was written, lead-in included (readRawSector).
  const withSub = m.readCd(455, 1, { ...SEL, subChannel: 1 });
  assert.deepEqual(withSub, img.block(455 - LEAD_IN));
  const leadIn = m.readRawSector(LEAD_IN + 7);
  assert.deepEqual(Buffer.concat([leadIn.main, leadIn.subchannel]), img.block(7));
});

test('RAW DAO-16 (2368, P-Q) and packed P-W (file-backed) give the same disc', () => {
  const tracks = [{ control: 0, sectors: 300 }, { control: 0, sectors: 200 }];
  const pq = generateDao96({ leadInStart: LEAD_IN, tracks, sub: 'pq' });
  const m1 = createMedium('cd-r');
  burn(m1, pq, 'pq');
  checkDisc(m1, pq);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'media-raw-'));
  try {
    const packed = generateDao96({ leadInStart: LEAD_IN, tracks, sub: 'packed' });
    const m2 = createMedium('cd-r', { dataDir: dir, name: 'packed' });
    burn(m2, packed, 'packed');
    checkDisc(m2, packed);
    m2.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

for (const corrupt of ['crc', 'points', 'missing'] as const) {
  test(`RAW DAO-96 with a bad lead-in (${corrupt}) leaves a disc whose TOC cannot be recovered (03/57/00)`, () => {
    const img = generateDao96({ leadInStart: LEAD_IN, tracks: [{ control: 0, sectors: 300 }, { control: 0, sectors: 200 }], sub: 'raw', corrupt });
    const m = createMedium('cd-r');
    burn(m, img, 'raw');
    assert.equal(m.tocReadable, false);
    assert.equal(m.state, 'complete');
    assert.equal(senseOf(() => m.toc()), '03/57/00');
    assert.equal(senseOf(() => m.fullToc()), '03/57/00');
    assert.equal(senseOf(() => m.readCd(0, 1, SEL)), '03/57/00');
    assert.equal(senseOf(() => m.write(700, Buffer.alloc(2448), ctx())), '05/30/05');
  });
}

test('RAW stream cut off (process gone before SYNCHRONIZE CACHE): the loaded disc has an incomplete session at the written extent', async () => {
  const { loadMedium } = await import('./index.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'media-raw-crash-'));
  try {
    const img = generateDao96({ leadInStart: LEAD_IN, tracks: [{ control: 0, sectors: 300 }, { control: 0, sectors: 200 }], sub: 'raw' });
    const c = ctx({ writeType: WriteType.RAW, dataBlockType: DataBlockType.RAW_PW_RAW, trackMode: 0 });
    const m = createMedium('cd-r', { dataDir: dir, name: 'cut' });
    const half = 12000; // past the lead-in (11 484 blocks) and into track 1
    for (let i = 0; i < half; i += 600) m.write(img.start + i, imageChunk(img, i, Math.min(600, half - i)), c);
    // No close, no sync: the JSON was last written when the RAW stream began.
    const l = loadMedium(path.join(dir, 'cut.json'));
    assert.equal(l.state, 'appendable');
    assert.equal(l.discInformation().lastSessionState, 'incomplete');
    assert.equal(senseOf(() => l.toc()), '05/24/00', 'no complete session yet');
    assert.equal(senseOf(() => l.write(img.start + half + 1, imageChunk(img, half + 1, 1), c)), '05/21/02');
    for (let i = half; i < img.sectors; i += 600) l.write(img.start + i, imageChunk(img, i, 600), c);
    l.synchronizeCache();
    checkDisc(l, img);
    l.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// What cdrecord/wodim (-raw96r), cdrdao (generic-mmc-raw) and libburn send in RAW mode: data sectors
// already scrambled (ECMA-130 Annex B), as they lie on the disc. READ returns the user data, READ CD
// the descrambled sector — the same disc an unscrambled image makes.
test('RAW DAO-96 data track sent scrambled (as real burning tools do): READ gives the user data back', async () => {
  const { scramble, mode1Sector } = await import('./sector.js');
  const img = generateDao96({ leadInStart: LEAD_IN, tracks: [{ control: 4, sectors: 120 }], sub: 'raw' });
  const user = (lba: number) => Buffer.alloc(2048, (lba * 37 + 11) & 0xff);
  const logical = (lba: number) => mode1Sector(lba, lba >= 0 && lba < img.leadOut ? user(lba) : Buffer.alloc(2048));
  const c = ctx({ writeType: WriteType.RAW, dataBlockType: DataBlockType.RAW_PW_RAW, trackMode: 4 });
  const m = createMedium('cd-r');
  for (let i = 0; i < img.sectors; i += 500) {
    const n = Math.min(500, img.sectors - i);
    const chunk = Buffer.alloc(n * 2448);
    for (let k = 0; k < n; k++) {
      const lba = img.start + i + k;
      img.block(i + k).copy(chunk, k * 2448);
      // Lead-in, pregap and lead-out of a data disc are mode 1 sectors too, scrambled like the rest.
      chunk.set(scramble(logical(lba)), k * 2448);
    }
    m.write(img.start + i, chunk, c);
  }
  m.synchronizeCache();
  assert.deepEqual(m.toc().descriptors.map((d) => [d.track, d.lba, d.control]), [[1, 0, 4], [0xaa, 120, 4]]);
  assert.equal(m.tracks()[0]!.mode, 1);
  assert.deepEqual(m.read(0, 120), Buffer.concat(Array.from({ length: 120 }, (_, lba) => user(lba))));
  assert.deepEqual(m.readCd(7, 1, SEL), logical(7), 'READ CD returns the descrambled sector');
});
