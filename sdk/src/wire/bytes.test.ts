import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteReader, ByteWriter, WireError } from './bytes.js';

test('reader: big-endian fields at fixed offsets', () => {
  const r = new ByteReader(Uint8Array.from([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0xff, 0x80]));
  assert.equal(r.u8(0), 0x12);
  assert.equal(r.u16(0), 0x1234);
  assert.equal(r.u24(1), 0x34567a - 2);
  assert.equal(r.u32(0), 0x12345678);
  assert.equal(r.u64(0), 0x123456789abcdef0n);
  assert.equal(r.i32(6), (0xdef0ff80 | 0));
  assert.equal(r.i8(9), -128);
  assert.equal(r.bits(1, 4, 4), 0x3);
  assert.equal(r.bit(9, 7), true);
  assert.equal(r.bit(9, 6), false);
});

test('reader: out of bounds throws WireError naming the structure, never reads garbage', () => {
  const r = new ByteReader(Uint8Array.from([1, 2, 3]), { what: 'READ TOC reply' });
  assert.throws(() => r.u32(0), (e: unknown) => e instanceof WireError && /READ TOC reply: need 4 byte\(s\) at offset 0, have 3/.test(e.message));
  assert.throws(() => r.u8(3), WireError);
  assert.throws(() => r.u8(-1), RangeError);
  assert.equal(r.has(0, 3), true);
  assert.equal(r.has(1, 3), false);
});

test('reader: custom failure', () => {
  class Mine extends Error {}
  const r = new ByteReader(Uint8Array.of(1), { fail: (m) => new Mine(m) });
  assert.throws(() => r.u16(0), Mine);
});

test('reader: zeroFill reads what is present and zeros past the end, and says so', () => {
  const r = new ByteReader(Uint8Array.from([0xab, 0xcd, 0xef]), { zeroFill: true });
  assert.equal(r.readPastEnd, false);
  assert.equal(r.u16(0), 0xabcd);
  assert.equal(r.readPastEnd, false);
  assert.equal(r.u32(0), 0xabcdef00);
  assert.equal(r.readPastEnd, true);
  assert.equal(r.u8(10), 0);
  assert.deepEqual([...r.bytes(2, 3)], [0xef, 0, 0]);
  assert.equal(r.sub(1, 5).length, 2);
});

test('reader: ascii trims trailing spaces and NULs; views do not copy', () => {
  const buf = Buffer.from('HL-DT-ST  \0\0');
  const r = new ByteReader(buf);
  assert.equal(r.ascii(0, buf.length), 'HL-DT-ST');
  const v = r.view(0, 2);
  buf[0] = 0x41;
  assert.equal(v[0], 0x41);
  const c = r.bytes(0, 2);
  buf[0] = 0x42;
  assert.equal(c[0], 0x41);
});

test('reader over a subarray honours its byteOffset', () => {
  const big = Buffer.from([9, 9, 0x01, 0x02, 9]);
  assert.equal(new ByteReader(big.subarray(2, 4)).u16(0), 0x0102);
});

test('writer: fields, bits, text, and every range error', () => {
  const w = new ByteWriter(16);
  w.u8(0, 0xff).u16(1, 0xbeef).u24(3, 0x123456).u32(6, 0xdeadbeef).bits(10, 4, 4, 0xa).bit(10, 0, true);
  assert.deepEqual([...w.buffer.subarray(0, 11)], [0xff, 0xbe, 0xef, 0x12, 0x34, 0x56, 0xde, 0xad, 0xbe, 0xef, 0xa1]);
  w.i32(12, -2);
  assert.deepEqual([...w.buffer.subarray(12, 16)], [0xff, 0xff, 0xff, 0xfe]);
  assert.throws(() => w.u8(0, 256), RangeError);
  assert.throws(() => w.u8(0, -1), RangeError);
  assert.throws(() => w.u16(15, 1), RangeError);
  assert.throws(() => w.u32(0, 2 ** 32), RangeError);
  assert.throws(() => w.bits(0, 0, 3, 8), RangeError);
  assert.throws(() => w.u8(1.5, 0), RangeError);
  const t = new ByteWriter(8).ascii(0, 8, 'ABC');
  assert.equal(t.buffer.toString('latin1'), 'ABC     ');
  assert.throws(() => new ByteWriter(2).ascii(0, 2, 'ABC'), RangeError);
  assert.throws(() => new ByteWriter(2).ascii(0, 2, 'é'), RangeError);
  const u = new ByteWriter(8).u64(0, 0x0102030405060708n);
  assert.equal(new ByteReader(u.buffer).u64(0), 0x0102030405060708n);
});

test('writer over an existing buffer writes in place', () => {
  const b = Buffer.alloc(4);
  new ByteWriter(b.subarray(2)).u16(0, 0x0102);
  assert.deepEqual([...b], [0, 0, 1, 2]);
});
