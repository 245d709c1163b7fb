/**
 * The realistic speed model's drive buffer, through the drive: underruns with BUFE off and on, the
 * fill level READ BUFFER CAPACITY reports, flow control of a host that feeds too fast, and the
 * unlimited model that never underruns. Nothing here measures speed.
 *
 * The drive runs on a VirtualClock (drive.test-helpers.ts): its waits advance the clock by exactly
 * their length and a host's pause is `clock.advance(ms)`, so every figure below is exact and a loaded
 * machine changes nothing. One test runs on real timers, with a pause ten times the drain time.
 *
 * Arithmetic used below: the slowest CD-R write speed in the catalog is 4x = 706 kB/s (706 000
 * bytes/s, 706 bytes/ms before the time scale); the drive buffer is 2048 KB = 2 097 152 bytes (mode
 * page 2Ah).
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
import { A, VirtualClock, assertGood, assertSense, drainUnitAttentions, newDrive, run, setWriteParameters } from './drive.test-helpers.js';
import type { MmcDrive } from './mmc-drive.js';

const TUR = encodeTestUnitReadyCdb();
const BUFFER = 2048 * 1024;
/** Bytes the laser records per ms of the clock at 4x and time scale `scale`. */
const rate = (scale: number) => 706 * scale;

/** A blank CD-R in a drive of the given model, TAO mode 1, slowest write speed (4x, 706 kB/s). */
async function burner(opts: { bufe: boolean; timeScale?: number; speedModel?: 'realistic' | 'unlimited'; clock?: VirtualClock }): Promise<MmcDrive> {
  const d = newDrive({
    medium: 'cd-r', speedModel: opts.speedModel ?? 'realistic', timeScale: opts.timeScale ?? 100,
    ...(opts.clock ? { now: opts.clock.now, sleep: opts.clock.sleep } : {}),
  });
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

// Real timers. Time scale 100: 70.6 MB/s, so 16 blocks (32 KB) are recorded in under half a
// millisecond. A 300 ms pause empties the buffer whatever the machine does (a stall only lengthens it).
test('BUFE off, real timers: a host that pauses longer than the buffer lasts gets LOSS OF STREAMING on its next WRITE', async () => {
  const d = await burner({ bufe: false });
  assertGood(await write(d, 0, 16));
  await new Promise((res) => setTimeout(res, 300));
  assertSense(await write(d, 16, 16), Sense.LOSS_OF_STREAMING);
  // The failed WRITE was not recorded: the track stays open and incomplete where the laser stopped.
  assert.equal(await nextWritable(d), 16);
  // The run is over; the host can close the short track as it would after a real underrun.
  assertGood(await run(d, A, encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 })));
  assertGood(await run(d, A, encodeCloseTrackSessionCdb({ immed: false, closeFunction: CloseFunction.CLOSE_TRACK, trackNumber: 1 })));
});

// Time scale 100: 32 KB last 32768 / 70600 = 0.464 ms in the buffer.
test('BUFE off: a pause just shorter than the buffer lasts is fine; just longer, the next WRITE gets LOSS OF STREAMING', async () => {
  const clock = new VirtualClock();
  const d = await burner({ bufe: false, clock });
  const lasts = 32768 / rate(100);
  assertGood(await write(d, 0, 16));
  clock.advance(lasts * 0.9);
  assertGood(await write(d, 16, 16), 'the buffer still held data');
  clock.advance(lasts * 1.9); // 32 KB of the first WRITE left ×0.1, + 32 KB: gone after 1.1 × lasts
  assertSense(await write(d, 32, 16), Sense.LOSS_OF_STREAMING);
  assert.equal(await nextWritable(d), 32, 'the failed WRITE was not recorded');
  assertGood(await run(d, A, encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 })));
  assertGood(await run(d, A, encodeCloseTrackSessionCdb({ immed: false, closeFunction: CloseFunction.CLOSE_TRACK, trackNumber: 1 })));
});

test('BUFE off: an underrun before SYNCHRONIZE CACHE fails the flush with LOSS OF STREAMING', async () => {
  const clock = new VirtualClock();
  const d = await burner({ bufe: false, clock });
  assertGood(await write(d, 0, 16));
  clock.advance(300);
  assertSense(await run(d, A, encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 })), Sense.LOSS_OF_STREAMING);
});

test('BUFE on: the same pause is no error; the drive waits and goes on recording', async () => {
  const clock = new VirtualClock();
  const d = await burner({ bufe: true, clock });
  assertGood(await write(d, 0, 16));
  clock.advance(300);
  assertGood(await write(d, 16, 16));
  assert.equal(await nextWritable(d), 32);
  assertGood(await run(d, A, encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 })));
});

// Time scale 4: 2824 bytes/ms. 1.5 MB written at once, read back at once and again 100 ms later.
test('READ BUFFER CAPACITY shows the buffer filling and draining; all free after SYNCHRONIZE CACHE', async () => {
  const clock = new VirtualClock();
  const d = await burner({ bufe: true, timeScale: 4, clock });
  assert.equal(await freeBytes(d), BUFFER, 'empty before the first WRITE');
  const chunk = 32; // 64 KB per WRITE, 24 of them = 1.5 MB
  for (let i = 0; i < 24; i++) assertGood(await write(d, i * chunk, chunk));
  const first = await freeBytes(d);
  assert.equal(first, BUFFER - 24 * 65536, 'the buffer holds all 1.5 MB');
  clock.advance(100);
  const second = await freeBytes(d);
  assert.equal(second - first, 100 * rate(4), 'the level falls by what the laser wrote in 100 ms');
  const before = clock.t;
  assertGood(await run(d, A, encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 })));
  assert.ok(Math.abs(clock.t - before - (BUFFER - second) / rate(4)) < 1e-6, 'the flush waits until the rest is recorded');
  assert.equal(await freeBytes(d), BUFFER, 'flushed');
  const blocks = decodeReadBufferCapacityReply((await run(d, A, encodeReadBufferCapacityCdb({ block: true, allocationLength: 12 }))).dataIn!);
  assert.deepEqual(blocks.block && blocks.availableBlocks, BUFFER / 2048);
});

// Time scale 10: 7060 bytes/ms. 3 MB into a 2 MB buffer: the first 32 WRITEs of 64 KB fill it at once,
// each later one is held until 64 KB have been recorded, 65536 / 7060 = 9.28 ms.
test('a host that feeds faster than the drive writes is held back until its data fits', async () => {
  const clock = new VirtualClock();
  const d = await burner({ bufe: false, timeScale: 10, clock });
  const held: number[] = [];
  for (let i = 0; i < 48; i++) {
    const t = clock.t;
    assertGood(await write(d, i * 32, 32));
    held.push(clock.t - t);
  }
  assert.deepEqual(held.slice(0, 32), new Array(32).fill(0), 'while the data fits, a WRITE completes at once');
  for (const [i, ms] of held.slice(32).entries()) assert.ok(Math.abs(ms - 65536 / rate(10)) < 1e-6, `WRITE ${32 + i} held ${ms} ms`);
  assert.equal(await freeBytes(d), 0, 'the buffer is full, still recording');
  assertGood(await run(d, A, encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 })), 'no underrun: the host was never late');
  // Every block was recorded; in TAO the flush ends track 1 (2 run-out blocks), track 2 follows its 150-block pregap.
  assert.equal(await nextWritable(d), 48 * 32 + 2 + 150);
});

test('unlimited model: the buffer always reads empty and no pause underruns', async () => {
  const clock = new VirtualClock();
  const d = await burner({ bufe: false, speedModel: 'unlimited', clock });
  for (let i = 0; i < 48; i++) assertGood(await write(d, i * 32, 32));
  assert.equal(await freeBytes(d), BUFFER);
  clock.advance(50);
  assertGood(await write(d, 48 * 32, 16));
  assertGood(await run(d, A, encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 })));
  assert.equal(clock.t, 1050, 'the unlimited model never waits');
});
