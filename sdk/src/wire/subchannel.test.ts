import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  crc16, qCrc, qCrcOk, encodeQ, decodeQ, interleavePW, deinterleavePW, pFlagFromPW, encodeFormattedQ, decodeFormattedQ,
  packedToRaw, rawToPacked, RwInterleaver, QPoint, LEAD_OUT_TNO, normalizeIsrc, isValidMcn,
} from './subchannel.js';

test('CRC-16 (poly 1021h, init 0) matches the catalogue check values; the Q CRC is its inverse', () => {
  // CRC RevEng catalogue: CRC-16/XMODEM check("123456789") = 31C3h; CRC-16/GSM (same, xorout FFFFh) = CE3Ch.
  const check = Buffer.from('123456789', 'ascii');
  assert.equal(crc16(check), 0x31c3);
  assert.equal(~crc16(check) & 0xffff, 0xce3c);
  const q = Buffer.concat([check.subarray(0, 9), Buffer.from('9'), Buffer.alloc(2)]);
  assert.equal(qCrc(q), ~crc16(q, 0, 10) & 0xffff);
});

test('ADR 1 position Q: BCD fields, inverted CRC, round trip', () => {
  // ECMA-130 §22.3.3: first sector of track 1 — TNO 01, INDEX 01, relative 00:00:00, absolute 00:02:00.
  const q = encodeQ({ adr: 1, control: 0, tno: 1, index: 1, relative: { m: 0, s: 0, f: 0 }, absolute: { m: 0, s: 2, f: 0 } });
  assert.deepEqual([...q.subarray(0, 10)], [0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00]);
  assert.equal(q.readUInt16BE(10), ~crc16(q, 0, 10) & 0xffff);
  assert.ok(qCrcOk(q));
  const d = decodeQ(q);
  assert.equal(d.kind, 'position');
  assert.deepEqual(d, { kind: 'position', crcOk: true, adr: 1, control: 0, tno: 1, index: 1, relative: { m: 0, s: 0, f: 0 }, absolute: { m: 0, s: 2, f: 0 } });
  // BCD: track 12, 37:45:73 absolute → 12h, 37h 45h 73h
  const q2 = encodeQ({ adr: 1, control: 4, tno: 12, index: 2, relative: { m: 1, s: 59, f: 74 }, absolute: { m: 37, s: 45, f: 73 } });
  assert.deepEqual([...q2.subarray(0, 10)], [0x41, 0x12, 0x02, 0x01, 0x59, 0x74, 0x00, 0x37, 0x45, 0x73]);
  const lo = encodeQ({ adr: 1, control: 0, tno: LEAD_OUT_TNO, index: 1, relative: { m: 0, s: 0, f: 5 }, absolute: { m: 60, s: 0, f: 0 } });
  assert.equal(lo[1], 0xaa);
  assert.equal((decodeQ(lo) as { tno: number }).tno, 0xaa);
});

test('a flipped bit breaks the CRC', () => {
  const q = encodeQ({ adr: 1, control: 0, tno: 1, index: 1, relative: { m: 0, s: 0, f: 1 }, absolute: { m: 0, s: 2, f: 1 } });
  for (let bit = 0; bit < 96; bit++) {
    const bad = Buffer.from(q);
    bad[bit >> 3]! ^= 0x80 >> (bit & 7);
    assert.equal(decodeQ(bad).crcOk, false, `bit ${bit}`);
  }
});

test('lead-in Q: TNO 00, POINT A0/A1/A2 in hex and track points in BCD', () => {
  const a0 = encodeQ({ adr: 1, control: 0, tno: 0, point: QPoint.FIRST_TRACK, time: { m: 95, s: 0, f: 0 }, zero: 0, pointTime: { m: 1, s: 0, f: 0 } });
  assert.deepEqual([...a0.subarray(0, 10)], [0x01, 0x00, 0xa0, 0x95, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00]);
  const t12 = encodeQ({ adr: 1, control: 0, tno: 0, point: 12, time: { m: 99, s: 59, f: 74 }, zero: 0, pointTime: { m: 45, s: 3, f: 21 } });
  assert.deepEqual([...t12.subarray(0, 10)], [0x01, 0x00, 0x12, 0x99, 0x59, 0x74, 0x00, 0x45, 0x03, 0x21]);
  const d = decodeQ(t12);
  assert.equal(d.kind, 'lead-in');
  assert.deepEqual(d, { kind: 'lead-in', crcOk: true, adr: 1, control: 0, tno: 0, point: 12, time: { m: 99, s: 59, f: 74 }, zero: 0, pointTime: { m: 45, s: 3, f: 21 } });
  assert.equal((decodeQ(a0) as { point: number }).point, 0xa0);
  assert.throws(() => encodeQ({ adr: 1, control: 0, tno: 0, point: 100, time: { m: 0, s: 0, f: 0 }, zero: 0, pointTime: { m: 0, s: 0, f: 0 } }), RangeError);
});

test('ADR 2 MCN: 13 BCD digits in bytes 1-7, byte 8 zero, AFRAME', () => {
  const q = encodeQ({ adr: 2, control: 0, mcn: '0123456789012', aframe: 42 });
  assert.deepEqual([...q.subarray(0, 10)], [0x02, 0x01, 0x23, 0x45, 0x67, 0x89, 0x01, 0x20, 0x00, 0x42]);
  assert.deepEqual(decodeQ(q), { kind: 'mcn', crcOk: true, adr: 2, control: 0, mcn: '0123456789012', aframe: 42 });
  assert.throws(() => encodeQ({ adr: 2, control: 0, mcn: '12345', aframe: 0 }), RangeError);
  assert.ok(isValidMcn('0000000000000'));
  assert.ok(!isValidMcn('000000000000A'));
});

test('ADR 3 ISRC: five 6-bit characters then seven BCD digits', () => {
  // "USRC17607839": U=37 S=35 R=34 C=19 1=1 → 100101 100011 100010 010011 000001 00 = 96 38 93 04 (bytes 1-4)
  const q = encodeQ({ adr: 3, control: 0, isrc: 'US-RC1-76-07839', aframe: 7 });
  assert.deepEqual([...q.subarray(0, 10)], [0x03, 0x96, 0x38, 0x93, 0x04, 0x76, 0x07, 0x83, 0x90, 0x07]);
  assert.deepEqual(decodeQ(q), { kind: 'isrc', crcOk: true, adr: 3, control: 0, isrc: 'USRC17607839', aframe: 7 });
  assert.equal(normalizeIsrc('usrc17607839'), 'USRC17607839');
  assert.equal(normalizeIsrc('US-RC1-76-0783'), undefined);
  assert.throws(() => encodeQ({ adr: 3, control: 0, isrc: '1SRC17607839', aframe: 0 }), RangeError);
});

test('P-W interleave: P in bit 7, Q in bit 6 of each of the 96 bytes, R-W in bits 5..0; round trip', () => {
  const q = encodeQ({ adr: 1, control: 0, tno: 1, index: 1, relative: { m: 0, s: 0, f: 0 }, absolute: { m: 0, s: 2, f: 0 } });
  const rw = Buffer.alloc(96);
  for (let i = 0; i < 96; i++) rw[i] = (i * 13) & 0x3f;
  const pw = interleavePW(true, q, rw);
  // Q byte 0 = 01h → bits 0..6 clear, bit 7 set: byte 7 of P-W has Q bit set.
  for (let i = 0; i < 8; i++) assert.equal((pw[i]! >> 6) & 1, i === 7 ? 1 : 0);
  for (let i = 0; i < 96; i++) {
    assert.equal(pw[i]! >> 7, 1);
    assert.equal(pw[i]! & 0x3f, rw[i]);
  }
  const back = deinterleavePW(pw);
  assert.ok(back.q.equals(q));
  assert.ok(back.p.equals(Buffer.alloc(12, 0xff)));
  assert.ok(back.rw.equals(rw));
  assert.equal(pFlagFromPW(pw), true);
  assert.equal(pFlagFromPW(interleavePW(false, q)), false);
  assert.throws(() => interleavePW(false, q.subarray(0, 11)), RangeError);
});

test('formatted Q: 12 Q bytes, 3 zero bytes, P in bit 7 of byte 15', () => {
  const q = encodeQ({ adr: 1, control: 0, tno: 1, index: 0, relative: { m: 0, s: 1, f: 74 }, absolute: { m: 0, s: 0, f: 0 } });
  const f = encodeFormattedQ(q, true);
  assert.equal(f.length, 16);
  assert.ok(f.subarray(0, 12).equals(q));
  assert.deepEqual([...f.subarray(12)], [0, 0, 0, 0x80]);
  assert.deepEqual(decodeFormattedQ(f), { q, p: true });
  assert.equal(encodeFormattedQ(q, false)[15], 0);
});

test('R-W interleave: symbol j of a pack is delayed j mod 8 packs after the 1↔18, 2↔5, 3↔23 swap', () => {
  // One non-zero packed symbol: pack 0, symbol 18 = 0x2A. After the swap it becomes raw symbol 1, delayed 1 pack.
  const packed = Buffer.alloc(96 * 3);
  packed[18] = 0x2a;
  const raw = packedToRaw(packed);
  const nonzero = [...raw.entries()].filter(([, v]) => v !== 0);
  assert.deepEqual(nonzero, [[24 + 1, 0x2a]]);
  // Symbol 7 (not swapped) is delayed 7 packs: pack 0 → pack 7 (sector 1, pack 3).
  const p2 = Buffer.alloc(96 * 3);
  p2[7] = 0x11;
  assert.deepEqual([...packedToRaw(p2).entries()].filter(([, v]) => v !== 0), [[7 * 24 + 7, 0x11]]);
});

test('R-W packed → raw → packed round trip, P/Q bits untouched, streaming equals whole-run', () => {
  const n = 10;
  const packed = Buffer.alloc(96 * n);
  for (let i = 0; i < packed.length; i++) packed[i] = ((i * 37 + 11) & 0x3f) | (i % 3 === 0 ? 0x40 : 0) | (i % 5 === 0 ? 0x80 : 0);
  const raw = packedToRaw(packed);
  for (let i = 0; i < raw.length; i++) assert.equal(raw[i]! & 0xc0, packed[i]! & 0xc0);
  const il = new RwInterleaver();
  const streamed = Buffer.concat(Array.from({ length: n }, (_, s) => il.push(packed.subarray(s * 96, s * 96 + 96))));
  assert.ok(streamed.equals(raw));
  const back = rawToPacked(raw);
  // The last 7 packs need raw packs past the run; all packs before are recovered exactly.
  const safe = (n * 4 - 7) * 24;
  assert.ok(back.subarray(0, safe).equals(packed.subarray(0, safe)));
  assert.ok(!raw.equals(packed));
});
