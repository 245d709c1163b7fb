import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWav, wavSectorStream, WavError } from './wav.js';

/** A canonical 44-byte-header WAV (RIFF layout per the Microsoft RIFF spec), optional extra chunk before fmt. */
function wav(pcm: Buffer, o: { channels?: number; rate?: number; bits?: number; tag?: number; list?: boolean } = {}): Buffer {
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'latin1');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(o.tag ?? 1, 8);
  fmt.writeUInt16LE(o.channels ?? 2, 10);
  fmt.writeUInt32LE(o.rate ?? 44100, 12);
  fmt.writeUInt32LE((o.rate ?? 44100) * 4, 16);
  fmt.writeUInt16LE(4, 20);
  fmt.writeUInt16LE(o.bits ?? 16, 22);
  const list = o.list ? Buffer.concat([Buffer.from('LIST', 'latin1'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc\0', 'latin1')]) : Buffer.alloc(0);
  const data = Buffer.alloc(8);
  data.write('data', 0, 'latin1');
  data.writeUInt32LE(pcm.length, 4);
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), list, fmt, data, pcm]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

test('parseWav: finds the data chunk past other chunks (odd sizes padded) and pads to whole sectors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wav-'));
  try {
    const pcm = Buffer.alloc(2352 + 400, 7);
    const p = join(dir, 'a.wav');
    writeFileSync(p, wav(pcm, { list: true }));
    const w = await parseWav(p);
    assert.equal(w.dataBytes, 2752);
    assert.equal(w.sectors, 2);
    assert.equal(w.paddedBytes, 4704);
    const chunks: Buffer[] = [];
    for await (const c of wavSectorStream(w)) chunks.push(c as Buffer);
    const all = Buffer.concat(chunks);
    assert.equal(all.length, 4704);
    assert.ok(all.subarray(0, 2752).equals(pcm));
    assert.ok(all.subarray(2752).equals(Buffer.alloc(4704 - 2752)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parseWav: refuses what is not CD audio, saying what the file is', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wav-'));
  try {
    const cases: Array<[Buffer, RegExp]> = [
      [wav(Buffer.alloc(8), { channels: 1 }), /16-bit 44100 Hz 1-channel/],
      [wav(Buffer.alloc(8), { rate: 48000 }), /48000 Hz/],
      [wav(Buffer.alloc(8), { bits: 24 }), /24-bit/],
      [wav(Buffer.alloc(8), { tag: 3 }), /format tag 3 is not PCM/],
      [wav(Buffer.alloc(0)), /no audio samples/],
      [Buffer.from('RIFX0000WAVE', 'latin1'), /not a RIFF\/WAVE file/],
      [Buffer.from('RIF', 'latin1'), /truncated|not a RIFF/],
    ];
    for (const [i, [bytes, re]] of cases.entries()) {
      const p = join(dir, `${i}.wav`);
      writeFileSync(p, bytes);
      await assert.rejects(parseWav(p), (e: unknown) => e instanceof WavError && re.test(e.message), `case ${i}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
