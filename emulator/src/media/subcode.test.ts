import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc16ccitt, decodeQ, encodeQ, formattedQFromRaw, qCrcOk, qFromRaw, rawFromFormattedPQ, rawFromPQ, pFromRaw } from './subcode.js';

test('CRC-16/CCITT with init 0 matches the catalogue check value (CRC-16/XMODEM: "123456789" → 31C3h)', () => {
  // Check value from the CRC RevEng catalogue, CRC-16/XMODEM (poly 1021h, init 0, no reflection, xorout 0).
  assert.equal(crc16ccitt(Buffer.from('123456789', 'ascii')), 0x31c3);
});

test('Q encode stores BCD fields and the inverted CRC; decode reads them back', () => {
  // Track 1, index 1, relative 00:00:00, absolute 00:02:00: the first sector of a disc (ECMA-130 §22.3.3).
  const q = encodeQ({ control: 0, adr: 1, tno: 1, indexOrPoint: 1, min: 0, sec: 0, frame: 0, zero: 0, pmin: 0, psec: 2, pframe: 0 });
  assert.deepEqual([...q.subarray(0, 10)], [0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00]);
  assert.equal(q.readUInt16BE(10), ~crc16ccitt(q, 0, 10) & 0xffff);
  assert.ok(qCrcOk(q));
  q[3] = 0x01;
  assert.ok(!qCrcOk(q), 'a changed byte breaks the CRC');
  const lead = encodeQ({ control: 4, adr: 1, tno: 0, indexOrPoint: 0xa2, min: 97, sec: 30, frame: 12, zero: 0, pmin: 75, psec: 59, pframe: 74 });
  assert.equal(lead[2], 0xa2, 'POINT A2h is hex, not BCD');
  assert.equal(lead[7], 0x75);
  assert.deepEqual(decodeQ(lead), { control: 4, adr: 1, tno: 0, indexOrPoint: 0xa2, min: 97, sec: 30, frame: 12, zero: 0, pmin: 75, psec: 59, pframe: 74 });
});

test('raw P-W interleave puts Q in bit 6 of each of the 96 bytes, P in bit 7', () => {
  const q = Buffer.from([0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01]);
  const raw = rawFromPQ(true, q, Buffer.alloc(96, 0x3f));
  assert.equal(raw[0], 0x80 | 0x40 | 0x3f, 'first Q bit is the MSB of Q byte 0');
  assert.equal(raw[1], 0x80 | 0x3f);
  assert.equal(raw[95], 0x80 | 0x40 | 0x3f, 'last Q bit is the LSB of Q byte 11');
  assert.deepEqual(qFromRaw(raw), q);
  assert.equal(pFromRaw(raw), true);
  const f = formattedQFromRaw(raw);
  assert.equal(f.length, 16);
  assert.deepEqual(f.subarray(0, 12), q);
  assert.equal(f[15], 0x80);
  assert.deepEqual(qFromRaw(rawFromFormattedPQ(f)), q);
});

test('formatted PQ (data block type 1): a plain CRC (as cdrdao sends it) is recorded inverted; a wrong one stays wrong', () => {
  // The lead-in Q cdrdao's generic-mmc-raw driver wrote for POINT 01 (track 1 at 00:02:00): CRC 3CEEh, not inverted.
  const sent = Buffer.alloc(16);
  Buffer.from('410001000000000002003cee', 'hex').copy(sent);
  const q = qFromRaw(rawFromFormattedPQ(sent));
  assert.ok(qCrcOk(q));
  assert.equal(q.readUInt16BE(10), 0x3cee ^ 0xffff);
  assert.deepEqual(q.subarray(0, 10), sent.subarray(0, 10));
  const inverted = Buffer.from(sent);
  inverted.writeUInt16BE(0x3cee ^ 0xffff, 10);
  assert.deepEqual(qFromRaw(rawFromFormattedPQ(inverted)), q, 'the ECMA-130 (inverted) form is kept');
  const bad = Buffer.from(sent);
  bad.writeUInt16BE(0x1234, 10);
  assert.ok(!qCrcOk(qFromRaw(rawFromFormattedPQ(bad))));
});
