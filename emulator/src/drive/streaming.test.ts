/**
 * The realistic speed model's drive buffer, through the drive: underruns with BUFE off and on, the
 * fill level READ BUFFER CAPACITY reports, flow control of a host that feeds too fast, and the
 * unlimited model that never underruns. Behaviour tests: every pause is many times longer (or
 * shorter) than the drain time it is compared with; nothing here measures speed.
 *
 * Arithmetic used below: the slowest CD-R write speed in the catalog is 4x = 706 kB/s (706 000
 * bytes/s); the drive buffer is 2048 KB = 2 097 152 bytes (mode page 2Ah).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloseFunction,
  Sense,
  decodeReadBufferCapacityReply,
  decodeTrackInformationReply,
  encodeCloseTrackSessionCdb,
  encodeReadBufferCapacityCdb,
  encodeReadTrackInformationCdb,
  encodeSetCdSpeedCdb,
  encodeSynchronizeCache10Cdb,
  encodeTestUnitReadyCdb,
  encodeWrite10Cdb,
} from '@openimapi/sdk';
import { A, assertGood, assertSense, drainUnitAttentions, newDrive, run, setWriteParameters } from './drive.test-helpers.js';
import type { MmcDrive } from './mmc-drive.js';

const TUR = encodeTestUnitReadyCdb();
const BUFFER = 2048 * 1024;
const pause = (ms: number) => new Promise((res) => setTimeout(res, ms));

/** A blank CD-R in a drive of the given model, TAO mode 1, slowest write speed (4x, 706 kB/s). */
async function burner(opts: { bufe: boolean; timeScale?: number; speedModel?: 'realistic' | 'unlimited' }): Promise<MmcDrive> {
  const d = newDrive({ medium: 'cd-r', speedModel: opts.speedModel ?? 'realistic', timeScale: opts.timeScale ?? 100 });
  await drainUnitAttentions(d, A, TUR);
  await setWriteParameters(d, { writeType: 1, dataBlockType: 8, trackMode: 4, multiSession: 0, bufe: opts.bufe });
  assertGood(await run(d, A, encodeSetCdSpeedCdb({ rotationalControl: 0, readSpeed: 0xffff, writeSpeed: 0 })));
  assert.equal(d.state.writeSpeed, 706, 'below the list: the slowest speed');
  return d;
}

const write = (d: MmcDrive, lba: number, blocks: number) =>
  run(d, A, encodeWrite10Cdb({ lba, transferLength: blocks }), { dataOut: Buffer.alloc(blocks * 2048, lba & 0xff) });

async function freeBytes(d: MmcDrive): Promise<number> {
  const res = await run(d, A, encodeReadBufferCapacityCdb({ block: false, allocationLength: 12 }));
  assertGood(res, 'READ BUFFER CAPACITY');
  const r = decodeReadBufferCapacityReply(res.dataIn!);
  assert.ok(r.block === false);
  assert.equal(r.bufferLength, BUFFER, 'LENGTH OF BUFFER is the page 2Ah buffer size');
  return r.availableLength;
}

async function nextWritable(d: MmcDrive): Promise<number> {
  const ti = decodeTrackInformationReply((await run(d, A, encodeReadTrackInformationCdb({ open: false, addressType: 1, address: 0xff, allocationLength: 48 }))).dataIn!);
  return ti.nextWritableAddress;
}

// Time scale 100: 70.6 MB/s, so 16 blocks (32 KB) are recorded in under half a millisecond and the
// whole 2 MB buffer in 30 ms. A 300 ms pause empties it whatever the machine does.
test('BUFE off: a host that pauses longer than the buffer lasts gets LOSS OF STREAMING on its next WRITE', async () => {
  const d = await burner({ bufe: false });
  assertGood(await write(d, 0, 16));
  await pause(300);
  assertSense(await write(d, 16, 16), Sense.LOSS_OF_STREAMING);
  // The failed WRITE was not recorded: the track stays open and incomplete where the laser stopped.
  assert.equal(await nextWritable(d), 16);
  // The run is over; the host can close the short track as it would after a real underrun.
  assertGood(await run(d, A, encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 })));
  assertGood(await run(d, A, encodeCloseTrackSessionCdb({ immed: false, closeFunction: CloseFunction.CLOSE_TRACK, trackNumber: 1 })));
});

test('BUFE off: an underrun before SYNCHRONIZE CACHE fails the flush with LOSS OF STREAMING', async () => {
  const d = await burner({ bufe: false });
  assertGood(await write(d, 0, 16));
  await pause(300);
  assertSense(await run(d, A, encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 })), Sense.LOSS_OF_STREAMING);
});

test('BUFE on: the same pause is no error; the drive waits and goes on recording', async () => {
  const d = await burner({ bufe: true });
  assertGood(await write(d, 0, 16));
  await pause(300);
  assertGood(await write(d, 16, 16));
  assert.equal(await nextWritable(d), 32);
  assertGood(await run(d, A, encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 })));
});

// Time scale 4: 2.824 MB/s. 1.5 MB written at once takes ~560 ms to record; READ BUFFER CAPACITY
// taken right after and again 100 ms later (≈ 280 KB drained) must show the level falling.
test('READ BUFFER CAPACITY shows the buffer filling and draining; all free after SYNCHRONIZE CACHE', async () => {
  const d = await burner({ bufe: true, timeScale: 4 });
  assert.equal(await freeBytes(d), BUFFER, 'empty before the first WRITE');
  const chunk = 32; // 64 KB per WRITE, 24 of them = 1.5 MB
  for (let i = 0; i < 24; i++) assertGood(await write(d, i * chunk, chunk));
  const first = await freeBytes(d);
  assert.ok(first < BUFFER - 512 * 1024, `the buffer holds data (free ${first})`);
  await pause(100);
  const second = await freeBytes(d);
  assert.ok(second - first > 100_000, `the level falls while the laser writes (free ${first} → ${second})`);
  assertGood(await run(d, A, encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 })));
  assert.equal(await freeBytes(d), BUFFER, 'flushed');
  const blocks = decodeReadBufferCapacityReply((await run(d, A, encodeReadBufferCapacityCdb({ block: true, allocationLength: 12 }))).dataIn!);
  assert.deepEqual(blocks.block && blocks.availableBlocks, BUFFER / 2048);
});

// Time scale 10: 7.06 MB/s. 3 MB into a 2 MB buffer: the last WRITE cannot complete before the laser
// has recorded at least 1 MB, i.e. 148 ms after the first one, however fast the host is. BUFE on, so
// that a host stalled by a loaded machine (longer than the 300 ms the buffer lasts) only pauses the
// laser, which can only make the writes take longer.
test('a host that feeds faster than the drive writes is held back until its data fits', async () => {
  const d = await burner({ bufe: true, timeScale: 10 });
  const started = performance.now();
  for (let i = 0; i < 48; i++) assertGood(await write(d, i * 32, 32));
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 120, `3 MB through a 2 MB buffer at 7 MB/s took ${elapsed.toFixed(0)} ms`);
  assert.ok((await freeBytes(d)) < BUFFER, 'still recording');
  assertGood(await run(d, A, encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 })));
  // Every block was recorded; in TAO the flush ends track 1 (2 run-out blocks), track 2 follows its 150-block pregap.
  assert.equal(await nextWritable(d), 48 * 32 + 2 + 150);
});

test('unlimited model: the buffer always reads empty and no pause underruns', async () => {
  const d = await burner({ bufe: false, speedModel: 'unlimited' });
  for (let i = 0; i < 48; i++) assertGood(await write(d, i * 32, 32));
  assert.equal(await freeBytes(d), BUFFER);
  await pause(50);
  assertGood(await write(d, 48 * 32, 16));
  assertGood(await run(d, A, encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 })));
});
