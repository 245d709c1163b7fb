import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  edc, makeMode1Sector, makeMode0Sector, makeMode2FormlessSector, makeMode2Form1Sector, makeMode2Form2Sector, makeAudioSector,
  checkMode1Sector, decodeSectorHeader, hasSync, eccLayout, CD_SECTOR_SIZE, Submode, SCRAMBLER_SEQUENCE, scrambleSector, SYNC_PATTERN,
} from './cd-sector.js';

test('scrambler sequence (ECMA-130 Annex B): the published first bytes, and the x^15 + x + 1 recurrence throughout', () => {
  assert.equal(SCRAMBLER_SEQUENCE.length, 2340);
  // The published scramble table (as CD emulators and raw writers carry it) starts so.
  assert.deepEqual([...SCRAMBLER_SEQUENCE.subarray(0, 24)], [
    0x01, 0x80, 0x00, 0x60, 0x00, 0x28, 0x00, 0x1e, 0x80, 0x08, 0x60, 0x06, 0xa8, 0x02, 0xfe, 0x81,
    0x80, 0x60, 0x60, 0x28, 0x28, 0x1e, 0x9e, 0x88,
  ]);
  // Independently: bits least significant first; the register preset to 1 gives 1 then 14 zeros, and
  // every later bit is s[n] XOR s[n+1] of 15 bits before (the feedback x^15 + x + 1).
  const bits: number[] = [];
  for (const b of SCRAMBLER_SEQUENCE) for (let k = 0; k < 8; k++) bits.push((b >> k) & 1);
  assert.deepEqual(bits.slice(0, 15), [1, ...Array(14).fill(0)]);
  for (let n = 0; n + 15 < bits.length; n++) assert.equal(bits[n + 15], bits[n]! ^ bits[n + 1]!, `bit ${n + 15}`);
});

test('scrambleSector: XORs bytes 12-2351 in place, keeps the sync, is its own inverse; works at an offset', () => {
  const sector = makeMode1Sector(1234, Buffer.alloc(2048, 0x5a));
  const copy = Buffer.from(sector);
  scrambleSector(sector);
  assert.ok(sector.subarray(0, 12).equals(SYNC_PATTERN), 'the sync pattern is not scrambled');
  for (const i of [12, 13, 15, 100, 2351]) assert.equal(sector[i], copy[i]! ^ SCRAMBLER_SEQUENCE[i - 12]!, `byte ${i}`);
  assert.deepEqual(checkMode1Sector(sector).edcOk, false, 'a scrambled sector is not a valid logical sector');
  assert.ok(scrambleSector(sector).equals(copy), 'scrambling twice gives the sector back');
  const two = Buffer.concat([Buffer.alloc(7), copy, Buffer.alloc(5)]);
  scrambleSector(two, 7);
  assert.ok(two.subarray(7, 7 + 2352).equals(scrambleSector(Buffer.from(copy))));
  assert.ok(two.subarray(0, 7).equals(Buffer.alloc(7)) && two.subarray(7 + 2352).equals(Buffer.alloc(5)), 'bytes around the sector untouched');
  assert.throws(() => scrambleSector(Buffer.alloc(2351)), RangeError);
  assert.throws(() => scrambleSector(Buffer.alloc(2360), 9), RangeError);
});

test('EDC is CRC-32/CD-ROM-EDC: check("123456789") = 6EC2EDC4h', () => {
  // CRC RevEng catalogue entry CRC-32/CD-ROM-EDC: poly 8001801Bh, init 0, refin/refout true, xorout 0.
  assert.equal(edc(Buffer.from('123456789', 'ascii')), 0x6ec2edc4);
});

// An independent check of the ECC: GF(2^8) arithmetic by shift-and-add (no tables), syndromes of each
// codeword evaluated directly from ECMA-130 Annex A's check matrix [[1 … 1], [α^(n−1) … α 1]].
function mulSlow(a: number, b: number): number {
  let r = 0;
  while (b) {
    if (b & 1) r ^= a;
    a <<= 1;
    if (a & 0x100) a ^= 0x11d;
    b >>= 1;
  }
  return r;
}
function powAlpha(e: number): number {
  let r = 1;
  for (let i = 0; i < e; i++) r = mulSlow(r, 2);
  return r;
}
function syndromesZero(sector: Uint8Array, offsets: Int32Array): boolean {
  const n = offsets.length;
  let s0 = 0;
  let s1 = 0;
  for (let i = 0; i < n; i++) {
    const b = sector[12 + offsets[i]!]!;
    s0 ^= b;
    s1 ^= mulSlow(powAlpha(n - 1 - i), b);
  }
  return s0 === 0 && s1 === 0;
}

test('mode 1 sector: sync, BCD header, data, EDC (LE) over 0-2063, zero gap, P/Q codewords with zero syndromes', () => {
  const data = Buffer.alloc(2048);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + 7) & 0xff;
  const s = makeMode1Sector(16, data); // LBA 16 = MSF 00:02:16
  assert.equal(s.length, CD_SECTOR_SIZE);
  assert.ok(hasSync(s));
  assert.deepEqual([...s.subarray(12, 16)], [0x00, 0x02, 0x16, 0x01]);
  assert.deepEqual(decodeSectorHeader(s), { lba: 16, mode: 1 });
  assert.ok(s.subarray(16, 2064).equals(data));
  assert.equal(s.readUInt32LE(2064), edc(s, 0, 2064));
  assert.ok(s.subarray(2068, 2076).equals(Buffer.alloc(8)));
  assert.equal(eccLayout.p.length, 86);
  assert.equal(eccLayout.q.length, 52);
  for (const o of eccLayout.p) assert.ok(syndromesZero(s, o));
  for (const o of eccLayout.q) assert.ok(syndromesZero(s, o));
  assert.deepEqual(checkMode1Sector(s), { edcOk: true, eccOk: true });
  const bad = Buffer.from(s);
  bad[100]! ^= 1;
  assert.deepEqual(checkMode1Sector(bad), { edcOk: false, eccOk: false });
});

test('mode 1 sector of zeros in the lead-in (MSF 95:00:00) has a non-trivial EDC/ECC that checks', () => {
  const s = makeMode1Sector(-22650);
  assert.deepEqual([...s.subarray(12, 16)], [0x95, 0x00, 0x00, 0x01]);
  assert.notEqual(s.readUInt32LE(2064), 0);
  assert.ok(!s.subarray(2076).equals(Buffer.alloc(276)));
  for (const o of [...eccLayout.p, ...eccLayout.q]) assert.ok(syndromesZero(s, o));
});

test('mode 2 form 1: subheader twice, EDC over 16-2071, ECC computed with a zero header', () => {
  const data = Buffer.alloc(2048, 0x5a);
  const s = makeMode2Form1Sector(150, data, { file: 1, channel: 2, submode: Submode.DATA | Submode.FORM2, codingInfo: 0 });
  assert.deepEqual([...s.subarray(12, 24)], [0x00, 0x04, 0x00, 0x02, 1, 2, Submode.DATA, 0, 1, 2, Submode.DATA, 0]);
  assert.equal(s.readUInt32LE(2072), edc(s, 16, 2072));
  const zeroHeader = Buffer.from(s);
  zeroHeader.fill(0, 12, 16);
  for (const o of [...eccLayout.p, ...eccLayout.q]) assert.ok(syndromesZero(zeroHeader, o));
});

test('mode 2 form 2, formless, mode 0 and audio layouts', () => {
  const f2 = makeMode2Form2Sector(0, Buffer.alloc(2324, 1));
  assert.equal(f2[18]! & Submode.FORM2, Submode.FORM2);
  assert.equal(f2.readUInt32LE(2348), edc(f2, 16, 2348));
  const fl = makeMode2FormlessSector(1, Buffer.alloc(2336, 9));
  assert.deepEqual(decodeSectorHeader(fl), { lba: 1, mode: 2 });
  assert.ok(fl.subarray(16).equals(Buffer.alloc(2336, 9)));
  const m0 = makeMode0Sector(2);
  assert.deepEqual(decodeSectorHeader(m0), { lba: 2, mode: 0 });
  assert.ok(m0.subarray(16).equals(Buffer.alloc(2336)));
  const a = makeAudioSector(Buffer.from([1, 2, 3]));
  assert.equal(a.length, 2352);
  assert.deepEqual([...a.subarray(0, 4)], [1, 2, 3, 0]);
  assert.throws(() => makeMode1Sector(0, Buffer.alloc(2047)), RangeError);
  assert.throws(() => makeMode1Sector(500000), RangeError);
});
