import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32c, crc32cOf, digestBytes, readDigest } from './crc32c.js';

// RFC 3720 Appendix B.4 (CRC examples; unchanged in RFC 7143): the bytes listed are the digest as
// it appears on the wire.
const vectors: Array<[string, Buffer, string]> = [
  ['32 bytes of zeros', Buffer.alloc(32, 0), 'aa36918a'],
  ['32 bytes of ones', Buffer.alloc(32, 0xff), '43aba862'],
  ['32 bytes incrementing 00..1f', Buffer.from(Array.from({ length: 32 }, (_, i) => i)), '4e79dd46'],
  ['32 bytes decrementing 1f..00', Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)), '5cdb3f11'],
  [
    'an iSCSI SCSI Read (10) command PDU',
    Buffer.from(
      '01c00000000000000000000000000000' + '14000000000004000000001400000018' + '28000000000000000200000000000000',
      'hex',
    ),
    '563a96d9',
  ],
];

for (const [name, data, wire] of vectors) {
  test(`CRC32C RFC 3720 B.4: ${name}`, () => {
    assert.equal(digestBytes(crc32c(data)).toString('hex'), wire);
    assert.equal(readDigest(Buffer.from(wire, 'hex'), 0), crc32c(data));
  });
}

test('CRC32C of "123456789" is the Castagnoli check value E3069283', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
});

test('CRC32C continues across pieces (any split, odd lengths included)', () => {
  const data = Buffer.from(Array.from({ length: 301 }, (_, i) => (i * 37 + 11) & 0xff));
  const whole = crc32c(data);
  for (const cut of [0, 1, 3, 4, 5, 150, 300, 301]) {
    assert.equal(crc32c(data.subarray(cut), crc32c(data.subarray(0, cut))), whole, `cut at ${cut}`);
    assert.equal(crc32cOf([data.subarray(0, cut), data.subarray(cut)]), whole);
  }
  assert.equal(crc32c(Buffer.alloc(0)), 0);
});
