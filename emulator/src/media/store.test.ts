import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore, MemoryStore, type SectorStore } from './store.js';

const SIZE = 2448;
const sectors = (n: number, seed: number) => Buffer.from(Array.from({ length: n * SIZE }, (_, i) => (i * 7 + seed + (i >> 12)) & 0xff));

/** The same writes, reads and truncation on both stores; they must agree sector for sector. */
function exercise(s: SectorStore): Buffer[] {
  const out: Buffer[] = [];
  s.write(-100, sectors(1500, 1)); // spans the chunk at slot 1024 (origin −300: slots 200..1699)
  s.write(3000, sectors(3, 2)); // a lone run in a chunk of its own, the rest of it zeros
  out.push(s.read(-320, 40)); // 20 below the origin, then unwritten, then written
  out.push(s.read(-100, 1500));
  out.push(s.read(2990, 20));
  assert.deepEqual([s.written(-101), s.written(-100), s.written(1399), s.written(1400), s.written(3002), s.written(3003)], [false, true, true, false, true, false]);
  s.truncate(700);
  out.push(s.read(690, 20));
  assert.equal(s.written(699), true);
  assert.equal(s.written(700), false);
  return out;
}

test('MemoryStore and FileStore agree: runs across chunks, zeros where nothing was written (also below the origin), truncate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'store-'));
  try {
    const file = new FileStore(join(dir, 'disc.img'), SIZE, -300);
    const mem = new MemoryStore(SIZE, -300);
    const fromMemory = exercise(mem);
    assert.ok(fromMemory[0]!.subarray(0, 20 * SIZE).equals(Buffer.alloc(20 * SIZE)), 'below the origin: zeros');
    assert.ok(fromMemory[0]!.subarray(20 * SIZE).equals(Buffer.alloc(20 * SIZE)), 'unwritten: zeros');
    assert.ok(fromMemory[1]!.equals(sectors(1500, 1)));
    assert.ok(fromMemory[2]!.subarray(10 * SIZE, 13 * SIZE).equals(sectors(3, 2)));
    assert.ok(fromMemory[2]!.subarray(0, 10 * SIZE).equals(Buffer.alloc(10 * SIZE)));
    assert.ok(fromMemory[3]!.subarray(10 * SIZE).equals(Buffer.alloc(10 * SIZE)), 'truncated: zeros');
    // The file store throws below its origin; compare the rest.
    const fromFile = [Buffer.concat([Buffer.alloc(20 * SIZE), file.read(-300, 20)]), ...exerciseFileTail(file)];
    for (const [i, b] of fromMemory.entries()) assert.ok(b.equals(fromFile[i]!), `read ${i}`);
    file.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function exerciseFileTail(s: SectorStore): Buffer[] {
  s.write(-100, sectors(1500, 1));
  s.write(3000, sectors(3, 2));
  const out = [s.read(-100, 1500), s.read(2990, 20)];
  s.truncate(700);
  out.push(s.read(690, 20));
  return out;
}
