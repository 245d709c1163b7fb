import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PduFramer, FramingError, framePdu, framePduInPlace } from './framer.js';
import { encodePdu, decodePdu, type DataIn } from './pdu.js';

function wire(digests: { headerDigest: boolean; dataDigest: boolean }, dataLen: number, itt = 1): Buffer {
  const { header, data } = encodePdu({ kind: 'data-out', final: true, itt, ttt: 5, data: Buffer.alloc(dataLen, 0x5a) });
  return Buffer.concat(framePdu(header, data, digests));
}

test('framer splits PDUs fed one byte at a time and in one lump, with and without digests', () => {
  for (const d of [{ headerDigest: false, dataDigest: false }, { headerDigest: true, dataDigest: true }]) {
    const stream = Buffer.concat([wire(d, 0, 1), wire(d, 5, 2), wire(d, 4096, 3)]);
    assert.equal(wire(d, 5).length, 48 + 8 + (d.headerDigest ? 8 : 0), 'padding to 4 and the digests');
    for (const step of [1, 7, stream.length]) {
      const f = new PduFramer({ ...d, maxDataSegmentLength: 8192 });
      const got: number[] = [];
      for (let o = 0; o < stream.length; o += step) {
        f.push(stream.subarray(o, o + step));
        for (let p = f.next(); p; p = f.next()) {
          const pdu = decodePdu(p);
          const itt = (pdu as { itt: number }).itt;
          got.push(itt);
          assert.equal(p.data.length, [0, 5, 4096][itt - 1]);
        }
      }
      assert.deepEqual(got, [1, 2, 3], `step ${step}`);
      assert.equal(f.buffered, 0);
    }
  }
});

test('framer: a bad header digest is fatal, a bad data digest skips that PDU', () => {
  const d = { headerDigest: true, dataDigest: true };
  const bad = wire(d, 8, 1);
  bad.writeUInt8(bad.readUInt8(49) ^ 1, 49); // inside the header digest
  const f = new PduFramer({ ...d, maxDataSegmentLength: 8192 });
  f.push(bad);
  assert.throws(() => f.next(), (e: unknown) => e instanceof FramingError && e.kind === 'header-digest' && e.fatal);
  assert.throws(() => f.next(), FramingError, 'stays broken');

  const badData = wire(d, 8, 1);
  badData.writeUInt8(badData.readUInt8(54) ^ 0xff, 54); // a data byte
  const g = new PduFramer({ ...d, maxDataSegmentLength: 8192 });
  g.push(Buffer.concat([badData, wire(d, 8, 2)]));
  assert.throws(() => g.next(), (e: unknown) => e instanceof FramingError && e.kind === 'data-digest' && !e.fatal && e.bhs?.length === 48);
  assert.equal((decodePdu(g.next()!) as { itt: number }).itt, 2);
});

test('framer: a data segment above MaxRecvDataSegmentLength is an oversize error', () => {
  const f = new PduFramer({ maxDataSegmentLength: 512 });
  f.push(wire({ headerDigest: false, dataDigest: false }, 513).subarray(0, 48));
  assert.throws(() => f.next(), (e: unknown) => e instanceof FramingError && e.kind === 'oversize');
});

test('framer: a data segment that spans chunks goes straight to the placed buffer; one in a chunk stays a view', () => {
  for (const d of [{ headerDigest: false, dataDigest: false }, { headerDigest: true, dataDigest: true }]) {
    const { header, data } = encodePdu({ kind: 'data-out', final: true, itt: 9, ttt: 5, data: Buffer.from(Array.from({ length: 4097 }, (_, i) => i & 0xff)) });
    const one = Buffer.concat(framePdu(header, data, d));
    const dst = Buffer.alloc(8192, 0xee);
    const asked: number[] = [];
    const place = (bhs: Buffer, length: number) => {
      asked.push(bhs.readUInt32BE(16), length);
      return dst.subarray(100, 100 + length);
    };
    // Split in three chunks: placed, copied once into dst at offset 100.
    const f = new PduFramer({ ...d, maxDataSegmentLength: 8192 });
    f.push(one.subarray(0, 30));
    f.push(one.subarray(30, 3000));
    assert.equal(f.next(place), undefined, 'not whole yet');
    f.push(one.subarray(3000));
    const p = f.next(place)!;
    assert.deepEqual(asked, [9, 4097]);
    assert.equal(p.data.buffer, dst.buffer);
    assert.equal(p.data.byteOffset, dst.byteOffset + 100);
    assert.ok(dst.subarray(100, 100 + 4097).equals(data));
    assert.equal(dst[99], 0xee);
    assert.equal(dst[100 + 4097], 0xee, 'padding is not copied');
    assert.equal((decodePdu(p) as { itt: number }).itt, 9);
    assert.equal(f.buffered, 0);
    // In one chunk: no placement asked, the data is a view of the chunk.
    asked.length = 0;
    f.push(one);
    const q = f.next(place)!;
    assert.deepEqual(asked, []);
    assert.ok(q.data.equals(data));
    // place() declining: the usual copy.
    f.push(one.subarray(0, 100));
    f.push(one.subarray(100));
    assert.ok(f.next(() => undefined)!.data.equals(data));
  }
});

test('framer: a placed data segment with a bad data digest is a data-digest error; the next PDU frames', () => {
  const d = { headerDigest: false, dataDigest: true };
  const bad = wire(d, 600, 1);
  bad.writeUInt8(bad.readUInt8(58) ^ 0xff, 58);
  const next = wire(d, 8, 2);
  const f = new PduFramer({ ...d, maxDataSegmentLength: 8192 });
  const dst = Buffer.alloc(600);
  f.push(bad.subarray(0, 300));
  f.push(Buffer.concat([bad.subarray(300), next]));
  assert.throws(() => f.next(() => dst), (e: unknown) => e instanceof FramingError && e.kind === 'data-digest' && !e.fatal);
  assert.equal((decodePdu(f.next()!) as { itt: number }).itt, 2);
});

test('framePduInPlace: the header is written into the room in front of the data; the frame is byte for byte framePdu\'s, with and without a header digest', () => {
  for (const headerDigest of [false, true]) {
    const digests = { headerDigest, dataDigest: false };
    const store = Buffer.alloc(64 + 4096, 0xee);
    const data = store.subarray(64);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;
    const pdu: DataIn = {
      kind: 'data-in', final: true, lun: 0, itt: 9, ttt: 0xffffffff, dataSN: 0, bufferOffset: 0, expCmdSN: 5, maxCmdSN: 12,
      data, statusPresent: true, status: 0, statSN: 3, residualOverflow: false, residualUnderflow: true, residualCount: 512,
    };
    const { header, data: d } = encodePdu(pdu);
    const expected = Buffer.concat(framePdu(header, d, digests));
    const frame = framePduInPlace(pdu, 64, digests)!;
    assert.ok(frame, `headerDigest ${headerDigest}`);
    assert.deepEqual(frame, expected);
    assert.equal(frame.buffer, store.buffer, 'a view of the data\'s own memory: nothing copied');
    assert.equal(frame.byteOffset, 64 - 48 - (headerDigest ? 4 : 0));
    // Cases it leaves to framePdu: a data digest, data that needs padding, too little room.
    assert.equal(framePduInPlace(pdu, 64, { headerDigest, dataDigest: true }), undefined);
    assert.equal(framePduInPlace({ ...pdu, data: store.subarray(64, 64 + 4095) }, 64, digests), undefined);
    assert.equal(framePduInPlace(pdu, headerDigest ? 51 : 47, digests), undefined);
  }
});
