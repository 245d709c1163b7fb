/**
 * The factory behind the CLI: one medium kind per drive, pressed ROM discs, and drives that start as
 * they were left (`restore` with a data directory: drive<n>/tray.json names the disc, its own files
 * hold it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeReadCapacity10Reply, decodeTocReply, encodeRead10Cdb, encodeReadCapacity10Cdb, encodeReadTocCdb, encodeTestUnitReadyCdb, encodeWrite10Cdb, Sense } from '@openimapi/sdk';
import { REALISTIC_LOAD_MS, createDrives } from './index.js';
import { pressedBlock } from '../media/index.js';
import { A, assertGood, assertSense, drainUnitAttentions, run } from './drive.test-helpers.js';

const TUR = encodeTestUnitReadyCdb();

test('one kind per drive; a list of the wrong length or an unknown kind is a TypeError', () => {
  const drives = createDrives({ count: 3, media: ['cd-rw', 'dvd+r', 'none'] });
  assert.deepEqual(drives.map((d) => d.state.medium?.kind ?? null), ['cd-rw', 'dvd+r', null]);
  assert.throws(() => createDrives({ count: 2, media: ['cd-r'] }), /1 kinds for 2 drives/);
  assert.throws(() => createDrives({ media: 'hd-dvd' }), /unknown medium "hd-dvd"/);
  for (const d of drives) d.close();
});

test('cd-rom and dvd-rom without an image: a pressed disc filling the format, every block a known pattern', async () => {
  for (const [kind, blocks] of [['cd-rom', 359_849], ['dvd-rom', 2_295_104]] as const) {
    const [d] = createDrives({ media: kind });
    await drainUnitAttentions(d!, A, TUR);
    const cap = decodeReadCapacity10Reply((await run(d!, A, encodeReadCapacity10Cdb())).dataIn!);
    assert.equal(cap.lastLba, blocks - 1, kind);
    const toc = decodeTocReply((await run(d!, A, encodeReadTocCdb({ msf: false, format: 0, trackSessionNumber: 0, allocationLength: 100 }))).dataIn!, { msf: false });
    assert.deepEqual(toc.tracks.map((t) => [t.trackNumber, t.startLba, t.control]), [[1, 0, 4], [0xaa, blocks, 4]]);
    const r = await run(d!, A, encodeRead10Cdb({ lba: blocks - 2, transferLength: 2 }));
    assert.deepEqual(r.dataIn, Buffer.concat([pressedBlock(blocks - 2), pressedBlock(blocks - 1)]));
    assert.equal(pressedBlock(7).readUInt32BE(0), 7, 'word 0 is the LBA');
    assertSense(await run(d!, A, encodeWrite10Cdb({ lba: 0, transferLength: 1 }), { dataOut: Buffer.alloc(2048) }), Sense.WRITE_PROTECTED);
    d!.close();
  }
});

test('restore: each drive starts with the disc it held (written data included), an ejected one with an open tray', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'drive-restore-'));
  try {
    const first = createDrives({ count: 3, media: ['cd-r', 'dvd+rw', 'cd-rom'], dataDir: dir, restore: true });
    await drainUnitAttentions(first[1]!, A, TUR);
    assertGood(await run(first[1]!, A, encodeWrite10Cdb({ lba: 5, transferLength: 1 }), { dataOut: Buffer.alloc(2048, 0x77) }));
    first[0]!.eject();
    const tray0 = JSON.parse(readFileSync(join(dir, 'drive0', 'tray.json'), 'utf8'));
    assert.equal(tray0.tray, 'open');
    assert.ok(existsSync(tray0.disc.file), 'the ejected CD-R is still on the tray');
    first[2]!.remove();
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'drive2', 'tray.json'), 'utf8')), { version: 1, tray: 'open', disc: null });
    const tray1 = JSON.parse(readFileSync(join(dir, 'drive1', 'tray.json'), 'utf8'));
    assert.equal(tray1.tray, 'closed');
    assert.ok(existsSync(tray1.disc.file), 'drive 1 names the image of its DVD+RW');
    for (const d of first) d.close();

    const again = createDrives({ count: 3, media: 'cd-r', dataDir: dir, restore: true });
    assert.equal(again[0]!.state.tray, 'open');
    assert.equal(again[0]!.state.medium?.kind, 'cd-r', 'the disc comes back on the open tray');
    assert.equal(again[1]!.state.medium?.kind, 'dvd+rw');
    await drainUnitAttentions(again[1]!, A, TUR);
    assert.deepEqual((await run(again[1]!, A, encodeRead10Cdb({ lba: 5, transferLength: 1 }))).dataIn, Buffer.alloc(2048, 0x77));
    assert.deepEqual([again[2]!.state.tray, again[2]!.state.medium], ['open', undefined], 'a removed disc stays removed');
    for (const d of again) d.close();

    // Without `restore` the drives get `media`; with a record whose disc is gone, the default comes back.
    const fresh = createDrives({ count: 1, media: 'bd-r', dataDir: dir });
    assert.equal(fresh[0]!.state.medium?.kind, 'bd-r');
    fresh[0]!.close();
    unlinkSync(JSON.parse(readFileSync(join(dir, 'drive0', 'tray.json'), 'utf8')).disc.file.replace(/\.img$/, '.json'));
    const fallback = createDrives({ count: 1, media: 'cd-rw', dataDir: dir, restore: true });
    assert.equal(fallback[0]!.state.medium?.kind, 'cd-rw');
    fallback[0]!.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the realistic speed model makes a loaded disc become ready over the load time divided by the time scale', () => {
  const [fast] = createDrives({ media: 'cd-r' });
  assert.equal(fast!.config.becomingReadyMs, 0, 'unlimited: ready at once');
  const [real] = createDrives({ media: 'cd-r', speedModel: 'realistic', timeScale: 4 });
  assert.equal(real!.config.becomingReadyMs, REALISTIC_LOAD_MS / 4);
  const [given] = createDrives({ media: 'cd-r', speedModel: 'realistic', becomingReadyMs: 0 });
  assert.equal(given!.config.becomingReadyMs, 0, 'an explicit window wins');
  for (const d of [fast, real, given]) d!.close();
});
