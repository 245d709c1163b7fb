import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMsf, fromBcd, lbaToMsf, msfToLba, parseMsf, RAW_IMAGE_START_LBA, toBcd } from './msf.js';

// MMC-6 §4.2.3.5 Table 9: LBA = (M*60+S)*75+F − 150 (M < 90), − 450150 (M ≥ 90).
const vectors: Array<[string, number]> = [
  ['00:00:00', -150],
  ['00:00:01', -149],
  ['00:01:00', -75],
  ['00:02:00', 0],
  ['00:02:01', 1],
  ['79:59:74', 359849], // last possible lead-out start of an 80-minute CD-R
  ['89:59:74', 404849],
  ['90:00:00', -45150],
  ['95:00:00', -22650], // first sector of an IMAPI2 DAO-96 raw image: 22 500 sectors before 00:00:00
  ['97:26:66', -11634], // a common CD-R ATIP lead-in start
  ['99:59:74', -151],
];

test('MSF ↔ LBA per MMC-6 Table 9, lead-in included', () => {
  for (const [msf, lba] of vectors) {
    assert.equal(msfToLba(parseMsf(msf)), lba, msf);
    assert.equal(formatMsf(lbaToMsf(lba)), msf, String(lba));
  }
  assert.equal(RAW_IMAGE_START_LBA, msfToLba(95, 0, 0));
  assert.equal(msfToLba(95, 0, 0) + 150, -22500, 'MSF 95:00:00 is 22 500 sectors before absolute time 00:00:00');
});

test('every LBA in range round-trips', () => {
  for (let lba = -45150; lba <= 404849; lba += 7) assert.equal(msfToLba(lbaToMsf(lba)), lba);
});

test('invalid MSF and LBA throw RangeError', () => {
  assert.throws(() => msfToLba(100, 0, 0), RangeError);
  assert.throws(() => msfToLba(0, 60, 0), RangeError);
  assert.throws(() => msfToLba(0, 0, 75), RangeError);
  assert.throws(() => lbaToMsf(-45151), RangeError);
  assert.throws(() => lbaToMsf(404850), RangeError);
  assert.throws(() => parseMsf('1:2:3'), RangeError);
});

test('BCD', () => {
  assert.equal(toBcd(59), 0x59);
  assert.equal(fromBcd(0x74), 74);
  assert.ok(Number.isNaN(fromBcd(0x7a)));
  assert.throws(() => toBcd(100), RangeError);
});
