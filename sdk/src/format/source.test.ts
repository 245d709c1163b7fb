import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SectorSource, SourceError } from './source.js';

const data = Buffer.from(Array.from({ length: 10 * 16 }, (_, i) => i & 0xff));

async function drain(src: SectorSource, sectors: number, size: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (;;) {
    const b = await src.readSectors(sectors, size);
    if (b.length === 0) break;
    parts.push(b);
  }
  return Buffer.concat(parts);
}

test('a file, a buffer and a stream yield the same sectors; skip seeks or reads forward', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'src-'));
  try {
    const path = join(dir, 'img.bin');
    writeFileSync(path, data);
    const file = await SectorSource.open(path);
    const buf = await SectorSource.open(data);
    const chunks = [data.subarray(0, 7), data.subarray(7, 50), data.subarray(50)];
    const stream = await SectorSource.open(Readable.from(chunks, { objectMode: false }));
    assert.equal(file.seekable, true);
    assert.equal(stream.seekable, false);
    assert.equal(file.size, data.length);
    assert.equal(stream.size, undefined);
    for (const s of [file, buf, stream]) {
      assert.equal(await s.skip(32), 32);
      assert.equal(s.position, 32);
      assert.deepEqual(await drain(s, 3, 16), data.subarray(32));
      await s.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a source that ends inside a sector is "short"; a failing stream is "failed"', async () => {
  const short = await SectorSource.open(data.subarray(0, 40));
  await short.readSectors(2, 16);
  await assert.rejects(short.readSectors(1, 16), (e: unknown) => e instanceof SourceError && e.reason === 'short');
  const failing = new Readable({
    read() {
      this.destroy(new Error('disk on fire'));
    },
  });
  const f = await SectorSource.open(failing);
  await assert.rejects(f.readSectors(1, 16), (e: unknown) => e instanceof SourceError && e.reason === 'failed' && /disk on fire/.test(e.message));
  await assert.rejects(SectorSource.open('/nonexistent/image.bin'), (e: unknown) => e instanceof SourceError && e.reason === 'failed');
  await assert.rejects(SectorSource.open(42 as never), TypeError);
});

test('a stream is pulled, not buffered whole: backpressure keeps reads bounded', async () => {
  let produced = 0;
  const total = 64 * 1024 * 1024;
  const s = new Readable({
    highWaterMark: 256 * 1024,
    read() {
      if (produced >= total) return void this.push(null);
      produced += 64 * 1024;
      this.push(Buffer.alloc(64 * 1024));
    },
  });
  const src = await SectorSource.open(s);
  await src.readSectors(16, 2048);
  assert.ok(produced < 2 * 1024 * 1024, `only what was asked for (plus the stream's buffer) was produced, got ${produced}`);
  assert.equal(await src.skip(total), total - 32768);
  assert.equal(produced, total);
});


test('{ size, stream }: a stream of known length; one that ends before its size is a short source', async () => {
  const whole = await SectorSource.open({ size: data.length, stream: Readable.from([data], { objectMode: false }) });
  assert.equal(whole.size, data.length);
  assert.equal(whole.seekable, false);
  assert.deepEqual(await drain(whole, 4, 16), data);
  await whole.close();
  const short = await SectorSource.open({ size: data.length + 32, stream: Readable.from([data], { objectMode: false }) });
  await assert.rejects(drain(short, 4, 16), (e: unknown) => e instanceof SourceError && e.reason === 'short' && /160 of its 192 bytes/.test(e.message));
  await short.close();
});
