import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RawCDImageCreator } from './raw-cd-image-creator.js';
import { CdSectorType } from './types.js';

/** A PCM source generated on demand, 64 KiB at a time: nothing is held beyond what the reader asks for. */
function generatedPcm(size: number): Readable {
  let sent = 0;
  return new Readable({
    highWaterMark: 1 << 16,
    read() {
      if (sent >= size) {
        this.push(null);
        return;
      }
      const n = Math.min(1 << 16, size - sent);
      const b = Buffer.allocUnsafe(n);
      for (let i = 0; i < n; i += 4096) b[i] = (sent + i) & 0xff;
      sent += n;
      this.push(b);
    },
  });
}

test('a 100 MB image streams with a bounded heap (behaviour check: memory, not time)', async () => {
  const img = new RawCDImageCreator();
  const trackSectors = 12000;
  img.addTrack(CdSectorType.AUDIO, { size: trackSectors * 2352, open: () => generatedPcm(trackSectors * 2352) });
  img.mediaCatalogNumber = '0123456789012';
  const expected = img.imageSectorCount * 2448;
  assert.ok(expected > 100e6, `image is ${expected} bytes`);
  const mem = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const base = mem();
  let peak = 0;
  let bytes = 0;
  let chunks = 0;
  await pipeline(
    img.createResultImage(),
    new Writable({
      highWaterMark: 1 << 20,
      write(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        if (++chunks % 64 === 0) peak = Math.max(peak, mem() - base);
        // A slower consumer than the producer: the image stream must wait, not buffer ahead.
        if (chunks % 16 === 0) setImmediate(cb);
        else cb();
      },
    }),
  );
  assert.equal(bytes, expected);
  assert.ok(peak < 64 * 1024 * 1024, `heap + array buffers grew by ${(peak / 1048576).toFixed(1)} MiB while streaming ${(expected / 1048576).toFixed(0)} MiB`);
});
