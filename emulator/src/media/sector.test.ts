import { test } from 'node:test';
import assert from 'node:assert/strict';
import { edc, gfMul, mode1Sector, mode2Form1Sector, mode2Form2Sector, sectorMode, userDataSpan } from './sector.js';

test('EDC is CRC-32/CD-ROM-EDC: "123456789" → 6EC2EDC4h', () => {
  // Check value from the CRC RevEng catalogue entry CRC-32/CD-ROM-EDC (poly 8001801Bh reflected, init 0).
  assert.equal(edc(Buffer.from('123456789', 'ascii'), 0, 9), 0x6ec2edc4);
});

// Syndromes of a (n, n-2) RS codeword: S0 = Σ b_i, S1 = Σ α^(n-1-i) b_i, evaluated by Horner's rule.
function syndromes(bytes: number[]): [number, number] {
  let s0 = 0, s1 = 0;
  for (const b of bytes) { s0 ^= b; s1 = gfMul(s1, 2) ^ b; }
  return [s0, s1];
}

test('mode 1 sector: sync, BCD header, user data, EDC, and P/Q parity codewords with zero syndromes', () => {
  const user = Buffer.alloc(2048);
  for (let i = 0; i < 2048; i++) user[i] = (i * 7 + 3) & 0xff;
  const s = mode1Sector(16, user); // LBA 16 = MSF 00:02:16
  assert.deepEqual([...s.subarray(0, 12)], [0, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0]);
  assert.deepEqual([...s.subarray(12, 16)], [0x00, 0x02, 0x16, 0x01]);
  assert.deepEqual(s.subarray(16, 2064), user);
  assert.equal(s.readUInt32LE(2064), edc(s, 0, 2064));
  assert.deepEqual([...s.subarray(2068, 2076)], [0, 0, 0, 0, 0, 0, 0, 0]);
  for (let h = 0; h < 2; h++) {
    for (let c = 0; c < 43; c++) {
      const col: number[] = [];
      for (let r = 0; r < 26; r++) col.push(s[12 + 2 * (c + 43 * r) + h]!);
      assert.deepEqual(syndromes(col), [0, 0], `P column ${c}/${h}`);
    }
    for (let d = 0; d < 26; d++) {
      const diag: number[] = [];
      for (let j = 0; j < 43; j++) diag.push(s[12 + 2 * ((43 * d + 44 * j) % 1118) + h]!);
      diag.push(s[12 + 2 * (1118 + d) + h]!, s[12 + 2 * (1144 + d) + h]!);
      assert.deepEqual(syndromes(diag), [0, 0], `Q diagonal ${d}/${h}`);
    }
  }
  assert.notDeepEqual([...s.subarray(2076, 2352)].filter((b) => b !== 0), [], 'parity is not all zero');
  assert.equal(sectorMode(s, false), 'mode1');
  assert.deepEqual(userDataSpan('mode1'), { off: 16, len: 2048 });
});

test('mode 2 form 1 / form 2 sectors carry the subheader twice and are told apart by the submode form bit', () => {
  const sh = Buffer.from([0, 0, 0x08, 0, 0, 0, 0x08, 0]);
  const f1 = mode2Form1Sector(0, sh, Buffer.alloc(2048, 0xaa));
  assert.equal(f1[15], 2);
  assert.equal(sectorMode(f1, false), 'mode2form1');
  assert.equal(f1.readUInt32LE(2072), edc(f1, 16, 2072));
  const f2 = mode2Form2Sector(0, sh, Buffer.alloc(2324, 0x55));
  assert.equal(sectorMode(f2, false), 'mode2form2');
  assert.equal(f2[18]! & 0x20, 0x20);
  assert.equal(sectorMode(f1, true), 'audio', 'in an audio track every sector is audio');
});

test('ECMA-130 Annex B scrambler: the table opens 01 80 00 60 00 28 00 1E …; twice is identity; raw sectors are descrambled by header', async () => {
  const { SCRAMBLE_TABLE, scramble, logicalRawSector } = await import('./sector.js');
  assert.equal(SCRAMBLE_TABLE.length, 2340);
  assert.deepEqual(
    [...SCRAMBLE_TABLE.subarray(0, 32)].map((b) => b.toString(16).padStart(2, '0')).join(' '),
    '01 80 00 60 00 28 00 1e 80 08 60 06 a8 02 fe 81 80 60 60 28 28 1e 9e 88 68 66 ae aa fc 7f 01 e0',
  );
  const user = Buffer.alloc(2048, 0x5a);
  const logical = mode1Sector(-150, user);
  const onDisc = scramble(Buffer.from(logical));
  assert.notDeepEqual(onDisc, logical);
  assert.deepEqual(onDisc.subarray(0, 12), logical.subarray(0, 12), 'the sync is not scrambled');
  assert.deepEqual(scramble(Buffer.from(onDisc)), logical);
  // A scrambled data sector (as cdrecord/wodim, cdrdao and libburn send RAW) becomes the logical one;
  // a logical sector and an audio sector stay as sent.
  assert.deepEqual(logicalRawSector(onDisc), logical);
  assert.deepEqual(logicalRawSector(logical), logical);
  const audio = Buffer.alloc(2352, 0x61);
  assert.deepEqual(logicalRawSector(audio), audio);
  assert.equal(sectorMode(logicalRawSector(onDisc), false), 'mode1');
});
