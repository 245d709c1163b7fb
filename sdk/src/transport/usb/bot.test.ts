import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hexBytes } from '../../scsi/commands/command-asserts.test.helpers.js';
import {
  CBW_LENGTH,
  CSW_LENGTH,
  CswStatus,
  botResetSetup,
  decodeCbw,
  decodeCsw,
  decodeMaxLun,
  encodeCbw,
  encodeCsw,
  getMaxLunSetup,
  isBotMmcInterface,
} from './bot.js';

// INQUIRY, 36 bytes Data-In, LUN 0, tag 0x12345678 (BOT §5.1: little-endian fields, 'USBC').
const INQUIRY = hexBytes('12 00 00 00 24 00');
const INQUIRY_CBW = hexBytes(
  '55 53 42 43  78 56 34 12  24 00 00 00  80 00 06  12 00 00 00 24 00 00 00 00 00 00 00 00 00 00 00',
);

test('CBW: the bytes of BOT table 5.1 for an INQUIRY', () => {
  const b = encodeCbw({ tag: 0x12345678, dataTransferLength: 36, direction: 'in', lun: 0, cb: INQUIRY });
  assert.equal(b.length, CBW_LENGTH);
  assert.deepEqual(b, INQUIRY_CBW);
});

test('CBW: Data-Out, LUN 3, a 10-byte CDB; decode round-trips', () => {
  const cb = hexBytes('2a 00 00 00 00 10 00 00 01 00');
  const c = { tag: 0xfffffffe, dataTransferLength: 2048, direction: 'out' as const, lun: 3, cb };
  const b = encodeCbw(c);
  assert.deepEqual(b.subarray(8, 15), hexBytes('00 08 00 00  00 03 0a'));
  const d = decodeCbw(b);
  assert.ok(d.valid && d.meaningful);
  assert.deepEqual({ ...d.cbw, cb: Buffer.from(d.cbw.cb) }, { ...c, cb });
});

test('CBW: argument errors name the parameter', () => {
  assert.throws(() => encodeCbw({ tag: 1, dataTransferLength: 0, direction: 'in', lun: 0, cb: new Uint8Array(0) }), /cb must be/);
  assert.throws(() => encodeCbw({ tag: 1, dataTransferLength: 0, direction: 'in', lun: 0, cb: new Uint8Array(17) }), /cb must be/);
  assert.throws(() => encodeCbw({ tag: 1, dataTransferLength: 0, direction: 'in', lun: 16, cb: INQUIRY }), /lun must be 0..15/);
  assert.throws(() => encodeCbw({ tag: 2 ** 32, dataTransferLength: 0, direction: 'in', lun: 0, cb: INQUIRY }), RangeError);
});

test('CBW (device side): not valid, or valid but not meaningful (BOT §6.2)', () => {
  assert.deepEqual(decodeCbw(INQUIRY_CBW.subarray(0, 30)), { valid: false, reason: 'CBW of 30 bytes (a CBW is 31)' });
  const badSig = Buffer.from(INQUIRY_CBW);
  badSig[0] = 0x56;
  assert.equal(decodeCbw(badSig).valid, false);
  const cases: Array<[number, number, RegExp]> = [
    [12, 0x81, /bmCBWFlags/],
    [13, 0x10, /byte 13/],
    [14, 0x20, /byte 14/],
    [14, 0x00, /bCBWCBLength 0/],
    [14, 0x11, /bCBWCBLength 17/],
  ];
  for (const [off, v, re] of cases) {
    const b = Buffer.from(INQUIRY_CBW);
    b[off] = v;
    const d = decodeCbw(b);
    assert.ok(d.valid && !d.meaningful, `byte ${off}=${v}`);
    assert.match(d.reason, re);
  }
  const lun2 = encodeCbw({ tag: 1, dataTransferLength: 0, direction: 'out', lun: 2, cb: INQUIRY });
  const d = decodeCbw(lun2, 1);
  assert.ok(d.valid && !d.meaningful && /bCBWLUN 2 above/.test(d.reason));
});

test('CSW: the bytes of BOT table 5.2; decode checks signature, tag, status, residue', () => {
  const b = encodeCsw({ tag: 0x12345678, dataResidue: 4, status: CswStatus.FAILED });
  assert.equal(b.length, CSW_LENGTH);
  assert.deepEqual(b, hexBytes('55 53 42 53  78 56 34 12  04 00 00 00  01'));
  assert.deepEqual(decodeCsw(b, { tag: 0x12345678, dataTransferLength: 36 }), { ok: true, csw: { tag: 0x12345678, dataResidue: 4, status: 1 } });
  const expect = { tag: 0x12345678, dataTransferLength: 36 };
  assert.match(fail(decodeCsw(b.subarray(0, 12), expect)), /CSW of 12 bytes/);
  assert.match(fail(decodeCsw(Buffer.concat([b, Buffer.alloc(1)]), expect)), /CSW of 14 bytes/);
  assert.match(fail(decodeCsw(encodeCsw({ tag: 7, dataResidue: 0, status: 0 }), expect)), /dCSWTag 0x00000007 does not match dCBWTag 0x12345678/);
  const sig = Buffer.from(b);
  sig[3] = 0x43; // 'USBC' where 'USBS' belongs
  assert.match(fail(decodeCsw(sig, expect)), /dCSWSignature 0x43425355 is not 0x53425355/);
  assert.match(fail(decodeCsw(encodeCsw({ tag: expect.tag, dataResidue: 0, status: 3 }), expect)), /bCSWStatus 0x03 is reserved/);
  assert.match(fail(decodeCsw(encodeCsw({ tag: expect.tag, dataResidue: 37, status: 0 }), expect)), /dCSWDataResidue 37 exceeds/);
  // A phase error is meaningful whatever its residue: the host resets.
  assert.equal(decodeCsw(encodeCsw({ tag: expect.tag, dataResidue: 99, status: CswStatus.PHASE_ERROR }), expect).ok, true);
});

function fail(d: ReturnType<typeof decodeCsw>): string {
  assert.equal(d.ok, false);
  return d.ok ? '' : d.reason;
}

test('class requests and interface codes (BOT §3, MSC overview)', () => {
  assert.deepEqual(botResetSetup(2), { requestType: 'class', recipient: 'interface', request: 0xff, value: 0, index: 2 });
  assert.deepEqual(getMaxLunSetup(0), { requestType: 'class', recipient: 'interface', request: 0xfe, value: 0, index: 0 });
  assert.equal(decodeMaxLun(Uint8Array.of(1)), 1);
  assert.equal(decodeMaxLun(Uint8Array.of(16)), undefined);
  assert.equal(decodeMaxLun(new Uint8Array(0)), undefined);
  assert.equal(isBotMmcInterface({ interfaceClass: 8, interfaceSubclass: 2, interfaceProtocol: 0x50 }), true);
  assert.equal(isBotMmcInterface({ interfaceClass: 8, interfaceSubclass: 6, interfaceProtocol: 0x50 }), true);
  assert.equal(isBotMmcInterface({ interfaceClass: 8, interfaceSubclass: 6, interfaceProtocol: 0x62 }), false, 'UAS is not BOT');
  assert.equal(isBotMmcInterface({ interfaceClass: 8, interfaceSubclass: 4, interfaceProtocol: 0x50 }), false, 'UFI floppy');
  assert.equal(isBotMmcInterface({ interfaceClass: 3, interfaceSubclass: 6, interfaceProtocol: 0x50 }), false);
});
