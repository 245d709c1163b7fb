import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeCdb } from './cdb-log.js';

const hex = (s: string) => Buffer.from(s.replace(/ /g, ''), 'hex');

test('describeCdb: opcode name, LBA and block count at the CDB size\'s offsets', () => {
  assert.equal(describeCdb(hex('28 00 00 00 01 00 00 00 02 00')), 'READ_10 LBA 256 blocks 2');
  // MMC LBAs are signed: a raw write starts in the lead-in (MSF 95:00:00 = LBA -22650).
  assert.equal(describeCdb(hex('2a 00 ff ff a7 86 00 00 1a 00')), 'WRITE_10 LBA -22650 blocks 26');
  assert.equal(describeCdb(hex('a8 00 00 00 00 10 00 01 00 00 00 00')), 'READ_12 LBA 16 blocks 65536');
  assert.equal(describeCdb(hex('88 00 00 00 00 01 00 00 00 00 00 00 00 08 00 00')), 'OPCODE_88 LBA 4294967296 blocks 8');
  assert.equal(describeCdb(hex('be 00 00 00 00 05 00 00 03 f8 00 00')), 'READ_CD LBA 5 blocks 3');
  assert.equal(describeCdb(hex('08 1f ff ff 00 00')), 'OPCODE_08 LBA 2097151 blocks 256');
  assert.equal(describeCdb(hex('2b 00 00 00 00 07 00 00 00 00')), 'SEEK_10 LBA 7');
});

test('describeCdb: commands without an LBA, and short CDBs, give the name only', () => {
  assert.equal(describeCdb(hex('12 00 00 00 24 00')), 'INQUIRY');
  assert.equal(describeCdb(hex('28 00 00 00')), 'READ_10');
  assert.equal(describeCdb(Buffer.alloc(0)), 'TEST_UNIT_READY');
});
