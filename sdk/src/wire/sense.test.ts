import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDescriptorSense, buildFixedSense, CheckCondition, describeSense, parseSense, Sense } from './sense.js';

test('fixed-format sense bytes per SPC-4 Table 48', () => {
  // MEDIUM NOT PRESENT - TRAY OPEN: 70 00 02 00000000 0A 00000000 3A 02 00 000000
  const b = buildFixedSense(Sense.MEDIUM_NOT_PRESENT_TRAY_OPEN);
  assert.equal(b.toString('hex'), '700002000000000a000000003a0200000000');
  const withInfo = buildFixedSense({ ...Sense.INVALID_ADDRESS_FOR_WRITE, information: 0xffffd2b6 });
  assert.equal(withInfo.toString('hex'), 'f00005ffffd2b60a0000000021020000000' + '0');
});

test('fixed-format field pointer (SKSV, C/D, BPV)', () => {
  const b = new CheckCondition(Sense.INVALID_FIELD_IN_CDB, undefined, { fieldPointer: { cd: true, byte: 2, bit: 5 } }).toSense();
  assert.equal(b.subarray(15, 18).toString('hex'), 'cd0002');
  const p = parseSense(b)!;
  assert.deepEqual(p.fieldPointer, { cd: true, byte: 2, bit: 5 });
  assert.equal(p.key, 5);
  assert.equal(p.asc, 0x24);
});

test('descriptor-format sense per SPC-4 Table 26, with information and field pointer descriptors', () => {
  const b = buildDescriptorSense({ ...Sense.LOSS_OF_STREAMING, information: 1234, fieldPointer: { cd: false, byte: 9 } });
  assert.equal(b.subarray(0, 8).toString('hex'), '72030c0900000014');
  const p = parseSense(b)!;
  assert.equal(p.format, 'descriptor');
  assert.deepEqual([p.key, p.asc, p.ascq, p.information], [3, 0x0c, 0x09, 1234]);
  assert.deepEqual(p.fieldPointer, { cd: false, byte: 9 });
});

test('parse: deferred, flags, truncation, junk', () => {
  const d = parseSense(buildFixedSense({ ...Sense.WRITE_PROTECTED, deferred: true, ili: true }))!;
  assert.equal(d.deferred, true);
  assert.equal(d.ili, true);
  assert.equal(d.key, 7);
  // cut to 8 bytes: key survives, ASC/ASCQ read as 0
  const cut = parseSense(buildFixedSense(Sense.MEDIUM_NOT_PRESENT).subarray(0, 8))!;
  assert.deepEqual([cut.key, cut.asc, cut.ascq], [2, 0, 0]);
  assert.equal(parseSense(Buffer.alloc(0)), undefined);
  assert.equal(parseSense(Buffer.from([0x00, 1, 2])), undefined);
  assert.equal(parseSense(undefined), undefined);
  // a descriptor whose length runs past the data is ignored, not a crash
  const bad = Buffer.from('7205240000000008000aff', 'hex');
  assert.equal(parseSense(bad)!.asc, 0x24);
});

test('describeSense names known conditions', () => {
  assert.equal(describeSense(Sense.MEDIUM_NOT_PRESENT_TRAY_OPEN), 'NOT READY, MEDIUM NOT PRESENT TRAY OPEN (02/3A/02)');
  assert.equal(describeSense({ key: 4, asc: 0x44, ascq: 0 }), 'HARDWARE ERROR (04/44/00)');
  const e = new CheckCondition(Sense.LOSS_OF_STREAMING);
  assert.equal(e.message, 'MEDIUM ERROR, LOSS OF STREAMING (03/0C/09)');
});
