import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WriteBuffer } from './write-buffer.js';
import { senseOf } from './testing/context.js';

// A fake clock: the buffer's arithmetic is checked against hand-computed drain times.
function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

test('a host that keeps up never waits and never underruns', () => {
  const c = clock();
  // 1000 kB/s = 1000 bytes per ms; 100 kB buffer.
  const b = new WriteBuffer({ size: 100_000, speedKBps: 1000, now: c.now });
  for (let i = 0; i < 20; i++) {
    assert.equal(b.accept(42_000, false), 0);
    c.advance(40); // drains 40 000 of every 42 000: the level creeps up to 80 000, under the size
  }
  assert.ok(b.level() > 0);
});

test('a full buffer makes the write wait for the drain', () => {
  const c = clock();
  const b = new WriteBuffer({ size: 100_000, speedKBps: 1000, now: c.now });
  assert.equal(b.accept(100_000, false), 0);
  assert.equal(b.accept(30_000, false), 30, '30 000 bytes over at 1000 bytes/ms');
  c.advance(30);
  assert.equal(b.level(), 100_000);
  assert.equal(b.flush(false), 100, 'SYNCHRONIZE CACHE waits until the buffer is recorded');
  c.advance(10_000);
  assert.equal(b.accept(1, false), 0, 'after a flush recording restarts: idle time is no underrun');
});

test('underrun with BUFE off → LOSS OF STREAMING 03/0C/09; with BUFE on the drive pauses', () => {
  const c = clock();
  const b = new WriteBuffer({ size: 100_000, speedKBps: 1000, now: c.now });
  b.accept(10_000, false);
  c.advance(11); // 11 000 bytes drained > 10 000 buffered
  assert.equal(senseOf(() => b.accept(10_000, false)), '03/0C/09');
  const p = new WriteBuffer({ size: 100_000, speedKBps: 1000, now: c.now });
  p.accept(10_000, true);
  c.advance(50);
  assert.equal(p.accept(10_000, true), 0);
  assert.equal(p.pauses, 1);
});

test('time scale speeds the drain up', () => {
  const c = clock();
  const b = new WriteBuffer({ size: 10_000, speedKBps: 1000, timeScale: 10, now: c.now });
  b.accept(10_000, true);
  assert.equal(b.accept(20_000, true), 2, '20 000 bytes over at 10 000 bytes/ms');
  assert.throws(() => new WriteBuffer({ speedKBps: 0 }), TypeError);
});

test('looking at the level does not hide an underrun; free space is whole bytes', () => {
  const c = clock();
  // 1000 kB/s with time scale 1.5: 1500 bytes per ms.
  const b = new WriteBuffer({ size: 100_000, speedKBps: 1000, timeScale: 1.5, now: c.now });
  b.accept(10_000, false);
  c.advance(1);
  assert.equal(b.free(), 91_500);
  c.advance(0.3333);
  assert.ok(Number.isInteger(b.free()));
  c.advance(20); // empty since ~6.7 ms
  assert.equal(b.level(), 0, 'READ BUFFER CAPACITY sees it empty');
  assert.equal(b.free(), 100_000);
  assert.equal(senseOf(() => b.accept(2048, false)), '03/0C/09', 'the next write still reports the underrun');
  assert.equal(b.recording, false, 'the run ended');
  assert.equal(b.accept(2048, false), 0, 'a new run starts');
});
