import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodePdu, decodePdu, PduError, type Pdu } from './pdu.js';
import { BHS_LENGTH } from './bhs.js';

function roundTrip(p: Pdu): Pdu {
  const { header, data } = encodePdu(p);
  return decodePdu({ bhs: header.subarray(0, BHS_LENGTH), ahs: header.subarray(BHS_LENGTH), data });
}

const samples: Pdu[] = [
  { kind: 'nop-out', immediate: true, lun: 1, itt: 5, ttt: 0xffffffff, cmdSN: 9, expStatSN: 3, data: Buffer.from('ping') },
  { kind: 'nop-in', lun: 0, itt: 0xffffffff, ttt: 77, statSN: 4, expCmdSN: 10, maxCmdSN: 73, data: Buffer.alloc(0) },
  { kind: 'scsi-command', immediate: false, final: true, read: true, write: false, attr: 1, lun: 2, itt: 0x1234, expectedDataTransferLength: 4096, cmdSN: 1, expStatSN: 2, cdb: Buffer.from('28000000001000000200000000000000', 'hex'), ahs: [], data: Buffer.alloc(0) },
  { kind: 'scsi-response', bidiOverflow: false, bidiUnderflow: false, residualOverflow: false, residualUnderflow: true, response: 0, status: 2, itt: 8, snackTag: 0, statSN: 1, expCmdSN: 2, maxCmdSN: 3, expDataSN: 0, bidiResidualCount: 0, residualCount: 100, sense: Buffer.from('700005000000000a00000000240000000000', 'hex') },
  { kind: 'task-mgmt-request', immediate: true, function: 1, lun: 0, itt: 9, referencedTaskTag: 8, cmdSN: 5, expStatSN: 6, refCmdSN: 4, expDataSN: 0 },
  { kind: 'task-mgmt-response', response: 0, itt: 9, statSN: 7, expCmdSN: 5, maxCmdSN: 68 },
  { kind: 'login-request', transit: true, cont: false, csg: 1, nsg: 3, versionMax: 0, versionMin: 0, isid: '400001370000', tsih: 0, itt: 0, cid: 1, cmdSN: 0, expStatSN: 0, data: Buffer.from('HeaderDigest=None\0') },
  { kind: 'login-response', transit: true, cont: false, csg: 1, nsg: 3, versionMax: 0, versionActive: 0, isid: '400001370000', tsih: 7, itt: 0, statSN: 1, expCmdSN: 1, maxCmdSN: 64, statusClass: 0, statusDetail: 0, data: Buffer.alloc(0) },
  { kind: 'text-request', immediate: true, final: true, cont: false, lun: 0, itt: 2, ttt: 0xffffffff, cmdSN: 1, expStatSN: 1, data: Buffer.from('SendTargets=All\0') },
  { kind: 'text-response', final: false, cont: true, lun: 0, itt: 2, ttt: 5, statSN: 1, expCmdSN: 1, maxCmdSN: 2, data: Buffer.from('TargetName=x\0') },
  { kind: 'data-out', final: true, lun: 0, itt: 3, ttt: 0x10, expStatSN: 2, dataSN: 1, bufferOffset: 8192, data: Buffer.alloc(512, 7) },
  { kind: 'data-in', final: true, ack: false, residualOverflow: true, residualUnderflow: false, statusPresent: true, status: 0, lun: 0, itt: 3, ttt: 0xffffffff, statSN: 9, expCmdSN: 4, maxCmdSN: 67, dataSN: 2, bufferOffset: 4096, residualCount: 2048, data: Buffer.alloc(2048, 1) },
  { kind: 'logout-request', immediate: true, reason: 0, itt: 11, cid: 0, cmdSN: 5, expStatSN: 5 },
  { kind: 'logout-response', response: 0, itt: 11, statSN: 5, expCmdSN: 6, maxCmdSN: 69, time2Wait: 2, time2Retain: 20 },
  { kind: 'r2t', lun: 0, itt: 12, ttt: 99, statSN: 6, expCmdSN: 6, maxCmdSN: 69, r2tSN: 1, bufferOffset: 65536, desiredDataTransferLength: 65536 },
  { kind: 'async-message', lun: 0, statSN: 3, expCmdSN: 4, maxCmdSN: 5, asyncEvent: 1, asyncVCode: 0, parameter1: 0, parameter2: 0, parameter3: 5, data: Buffer.alloc(0) },
  { kind: 'reject', reason: 9, statSN: 3, expCmdSN: 4, maxCmdSN: 5, dataSN: 0, data: Buffer.alloc(48, 0xab) },
  { kind: 'snack-request', type: 1, lun: 0, itt: 4, ttt: 0xffffffff, expStatSN: 1, begRun: 0, runLength: 0 },
];

for (const p of samples) {
  test(`PDU round trip: ${p.kind}`, () => {
    const back = roundTrip(p);
    for (const [k, v] of Object.entries(p)) assert.deepEqual((back as unknown as Record<string, unknown>)[k], v, `${p.kind}.${k}`);
  });
}

test('SCSI Command header bytes (RFC 7143 §11.3): opcode, flags, EDTL, CmdSN, CDB at 32', () => {
  const { header } = encodePdu({ kind: 'scsi-command', read: true, attr: 1, lun: 0, itt: 0x14, expectedDataTransferLength: 0x400, cmdSN: 0x14, expStatSN: 0x18, cdb: Buffer.from('28000000000000000200', 'hex') });
  // Same fields as the SCSI Read (10) PDU of RFC 3720 Appendix B.4, except the I bit (set there).
  assert.equal(header.toString('hex'), '01c10000000000000000000000000000' + '00000014000004000000001400000018' + '28000000000000000200000000000000');
});

test('SCSI Command with a 32-byte CDB carries the rest in an Extended CDB AHS (type 1, AHSLength 17)', () => {
  const cdb = Buffer.from(Array.from({ length: 32 }, (_, i) => i + 1));
  const { header } = encodePdu({ kind: 'scsi-command', itt: 1, cdb });
  assert.equal(header[4], 5, 'TotalAHSLength in words: 3 + 17 padded to 20');
  assert.equal(header.readUInt16BE(48), 17);
  assert.equal(header[50], 1);
  const back = roundTrip({ kind: 'scsi-command', itt: 1, cdb });
  assert.ok(back.kind === 'scsi-command' && back.cdb.equals(cdb));
});

test('decodePdu: unknown opcode and contradicting SenseLength are PduErrors', () => {
  const bhs = Buffer.alloc(48);
  bhs[0] = 0x1c;
  assert.throws(() => decodePdu({ bhs, ahs: Buffer.alloc(0), data: Buffer.alloc(0) }), (e: unknown) => e instanceof PduError && e.reason === 5);
  const resp = Buffer.alloc(48);
  resp[0] = 0x21;
  assert.throws(() => decodePdu({ bhs: resp, ahs: Buffer.alloc(0), data: Buffer.from('0010aa', 'hex') }), PduError);
});

test('encodePdu into a given BHS: the same 48 bytes as a new header, written over whatever was there', () => {
  const p: Pdu = { kind: 'data-in', final: true, statusPresent: true, status: 0, itt: 3, statSN: 9, expCmdSN: 4, maxCmdSN: 67, residualUnderflow: true, residualCount: 512, data: Buffer.alloc(1024, 1) };
  const room = Buffer.alloc(64 + 1024, 0xee);
  const slot = room.subarray(16, 64);
  const { header, data } = encodePdu(p, slot);
  assert.equal(header, slot, 'the header is the given buffer');
  assert.deepEqual(header, encodePdu(p).header);
  assert.equal(data, (p as { data: Buffer }).data);
  assert.equal(room.subarray(0, 16).toString('hex'), 'ee'.repeat(16), 'nothing before it is touched');
  assert.throws(() => encodePdu(p, Buffer.alloc(40)), RangeError);
});
