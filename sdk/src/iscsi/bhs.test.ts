import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bhs, BHS_LENGTH, IscsiOpcode, encodeLun, decodeLun, pad4, snLessThan, snAdd } from './bhs.js';

// Offsets from RFC 7143 §11.2.1 (BHS) and the per-PDU layouts of §11.3-§11.19.
test('each BHS accessor writes its field at the RFC 7143 offset', () => {
  const cases: Array<[string, (h: Bhs) => void, number, string]> = [
    ['opcode', (h) => (h.opcode = 0x21), 0, '21'],
    ['immediate', (h) => (h.immediate = true), 0, '40'],
    ['final', (h) => (h.final = true), 1, '80'],
    ['totalAhsLength', (h) => (h.totalAhsLength = 3), 4, '03'],
    ['dataSegmentLength', (h) => (h.dataSegmentLength = 0x012345), 5, '012345'],
    ['isid', (h) => (h.isid = '80123456789a'), 8, '80123456789a'],
    ['tsih', (h) => (h.tsih = 0xbeef), 14, 'beef'],
    ['itt', (h) => (h.itt = 0xdeadbeef), 16, 'deadbeef'],
    ['ttt', (h) => (h.ttt = 0x01020304), 20, '01020304'],
    ['cid', (h) => (h.cid = 0x0102), 20, '0102'],
    ['cmdSN', (h) => (h.cmdSN = 0x11223344), 24, '11223344'],
    ['expStatSN', (h) => (h.expStatSN = 0x55667788), 28, '55667788'],
    ['maxCmdSN', (h) => (h.maxCmdSN = 0x99aabbcc), 32, '99aabbcc'],
    ['dataSN', (h) => (h.dataSN = 7), 36, '00000007'],
    ['statusClass/Detail', (h) => { h.statusClass = 2; h.statusDetail = 1; }, 36, '0201'],
    ['bufferOffset', (h) => (h.bufferOffset = 0x10000), 40, '00010000'],
    ['time2Wait/Retain', (h) => { h.time2Wait = 2; h.time2Retain = 20; }, 40, '00020014'],
    ['residualCount', (h) => (h.residualCount = 512), 44, '00000200'],
    ['cdb', (h) => (h.cdb = Buffer.from('28000000001000000100', 'hex')), 32, '28000000001000000100000000000000'],
  ];
  for (const [name, set, off, hex] of cases) {
    const h = new Bhs();
    set(h);
    const want = Buffer.alloc(BHS_LENGTH);
    Buffer.from(hex, 'hex').copy(want, off);
    assert.equal(h.buf.toString('hex'), want.toString('hex'), name);
  }
});

test('BHS accessors read back what they wrote', () => {
  const h = new Bhs();
  h.opcode = IscsiOpcode.SCSI_COMMAND;
  h.immediate = true;
  h.final = true;
  h.flags = 0x41;
  h.lun = 3;
  h.itt = 99;
  h.expectedDataTransferLength = 4096;
  assert.equal(h.opcode, 1);
  assert.equal(h.immediate, true);
  assert.equal(h.final, true);
  assert.equal(h.flags, 0x41);
  assert.equal(h.lun, 3);
  assert.equal(h.itt, 99);
  assert.equal(h.expectedDataTransferLength, 4096);
  assert.throws(() => (h.isid = 'xyz'), RangeError);
  assert.throws(() => (h.dataSegmentLength = 0x1000000), RangeError);
});

test('LUN field: peripheral addressing below 256, flat space above (SAM-5 §4.7)', () => {
  assert.equal(encodeLun(0).toString('hex'), '0000000000000000');
  assert.equal(encodeLun(5).toString('hex'), '0005000000000000');
  assert.equal(encodeLun(300).toString('hex'), '412c000000000000');
  for (const n of [0, 1, 255, 256, 1000, 16383]) assert.equal(decodeLun(encodeLun(n)), n);
  assert.equal(decodeLun(Buffer.from('0001000100000000', 'hex')), -1, 'second level present');
  assert.equal(decodeLun(Buffer.from('8001000000000000', 'hex')), -1, 'logical unit addressing');
  assert.throws(() => encodeLun(16384), RangeError);
});

test('padding to 4 and serial number arithmetic (RFC 1982)', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5].map(pad4), [0, 3, 2, 1, 0, 3]);
  assert.equal(snLessThan(1, 2), true);
  assert.equal(snLessThan(0xffffffff, 0), true, 'wraps');
  assert.equal(snLessThan(0, 0xffffffff), false);
  assert.equal(snAdd(0xffffffff, 2), 1);
});
