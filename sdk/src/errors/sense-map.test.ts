// One test per row of the sense→HRESULT table (IMAPI2-REFERENCE.md), plus the status rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpretScsiStatus, senseTable } from './sense-map.js';
import { buildDescriptorSense, buildFixedSense, ScsiStatus } from '../wire/sense.js';
import { Opcode } from '../scsi/opcodes.js';
import { HResult, type HResultName } from './hresult.js';

function hr(key: number, asc: number, ascq: number, opcode?: number, descriptor = false): string {
  const sense = (descriptor ? buildDescriptorSense : buildFixedSense)({ key, asc, ascq });
  const out = interpretScsiStatus(ScsiStatus.CHECK_CONDITION, sense, opcode);
  if (out.kind === 'error') {
    assert.equal(out.error.sense?.key, key);
    return out.error.hresultName;
  }
  return out.kind;
}

const rows: Array<[string, number, number, number, number | undefined, HResultName | 'retry']> = [
  ['no medium', 2, 0x3a, 0x00, undefined, 'E_IMAPI_RECORDER_MEDIA_NO_MEDIA'],
  ['no medium, tray closed', 2, 0x3a, 0x01, undefined, 'E_IMAPI_RECORDER_MEDIA_NO_MEDIA'],
  ['no medium, tray open', 2, 0x3a, 0x02, undefined, 'E_IMAPI_RECORDER_MEDIA_NO_MEDIA'],
  ['not ready, cause not reportable', 2, 0x04, 0x00, undefined, 'E_IMAPI_RECORDER_MEDIA_BECOMING_READY'],
  ['becoming ready', 2, 0x04, 0x01, undefined, 'E_IMAPI_RECORDER_MEDIA_BECOMING_READY'],
  ['format in progress', 2, 0x04, 0x04, undefined, 'E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS'],
  ['long write in progress', 2, 0x04, 0x08, undefined, 'E_IMAPI_RECORDER_MEDIA_BUSY'],
  ['operation in progress', 2, 0x04, 0x07, undefined, 'E_IMAPI_RECORDER_MEDIA_BUSY'],
  ['write protected', 7, 0x27, 0x00, Opcode.WRITE_10, 'E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED'],
  ['write protected (any ASCQ)', 7, 0x27, 0x05, Opcode.WRITE_10, 'E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED'],
  ['incompatible medium', 2, 0x30, 0x00, undefined, 'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE'],
  ['cannot read medium, unknown format', 2, 0x30, 0x01, undefined, 'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE'],
  ['cannot write medium, incompatible format', 5, 0x30, 0x05, Opcode.WRITE_10, 'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE'],
  ['cannot format medium', 5, 0x30, 0x06, undefined, 'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE'],
  ['medium not formatted', 2, 0x30, 0x10, undefined, 'E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED'],
  ['medium not formatted (medium error)', 3, 0x30, 0x10, undefined, 'E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED'],
  ['medium not formatted (illegal request)', 5, 0x30, 0x10, Opcode.WRITE_10, 'E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED'],
  ['incompatible medium (medium error)', 3, 0x30, 0x00, Opcode.READ_10, 'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE'],
  ['session fixation error (medium error, ASC 72)', 3, 0x72, 0x00, Opcode.CLOSE_TRACK_SESSION, 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE'],
  ['power calibration area almost full (illegal request)', 5, 0x73, 0x01, Opcode.WRITE_10, 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE'],
  ['MODE SELECT invalid field in parameter list', 5, 0x26, 0x00, Opcode.MODE_SELECT_10, 'E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS'],
  ['MODE SELECT parameter not supported', 5, 0x26, 0x01, Opcode.MODE_SELECT_10, 'E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS'],
  ['MODE SELECT parameter value invalid', 5, 0x26, 0x02, Opcode.MODE_SELECT_10, 'E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS'],
  ['MODE SELECT parameter list length error', 5, 0x1a, 0x00, Opcode.MODE_SELECT_10, 'E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS'],
  ['MODE SENSE page absent', 5, 0x24, 0x00, Opcode.MODE_SENSE_10, 'E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE'],
  ['DVD structure absent', 5, 0x24, 0x00, Opcode.READ_DISC_STRUCTURE, 'E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT'],
  ['DVD structure unreadable', 5, 0x30, 0x02, Opcode.READ_DISC_STRUCTURE, 'E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT'],
  ['GET CONFIGURATION unsupported', 5, 0x20, 0x00, Opcode.GET_CONFIGURATION, 'E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED'],
  ['loss of streaming', 3, 0x0c, 0x09, Opcode.WRITE_10, 'E_IMAPI_LOSS_OF_STREAMING'],
  ['TOC unrecoverable (upside down)', 3, 0x57, 0x00, Opcode.READ_TOC_PMA_ATIP, 'E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN'],
  ['SET CD SPEED not possible for the medium', 5, 0x30, 0x00, Opcode.SET_CD_SPEED, 'E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH'],
  ['SET STREAMING not possible for the medium', 5, 0x30, 0x02, Opcode.SET_STREAMING, 'E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH'],
  ['invalid address for write', 5, 0x21, 0x02, Opcode.WRITE_10, 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE'],
  ['session fixation error writing lead-in', 5, 0x72, 0x01, Opcode.CLOSE_TRACK_SESSION, 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE'],
  ['power calibration area error', 3, 0x73, 0x03, Opcode.WRITE_10, 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE'],
  ['hardware error', 4, 0x44, 0x00, Opcode.PERSISTENT_RESERVE_OUT, 'E_FAIL'],
  ['medium changed', 6, 0x28, 0x00, undefined, 'retry'],
  ['power on / reset', 6, 0x29, 0x00, undefined, 'retry'],
];

for (const [name, key, asc, ascq, opcode, want] of rows) {
  test(`sense row: ${name} (${key}/${asc.toString(16)}/${ascq.toString(16)}) → ${want}`, () => {
    assert.equal(hr(key, asc, ascq, opcode), want);
    assert.equal(hr(key, asc, ascq, opcode, true), want, 'descriptor-format sense maps the same');
  });
}

test('scoped rows apply only to their commands', () => {
  assert.equal(hr(5, 0x26, 0x00, Opcode.SEND_CUE_SHEET), 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE');
  assert.equal(hr(5, 0x24, 0x00, Opcode.READ_10), 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE');
  assert.equal(hr(5, 0x20, 0x00, Opcode.READ_CD), 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE');
  assert.equal(hr(5, 0x30, 0x00, Opcode.WRITE_10), 'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE');
});

test('every table row is exercised above', () => {
  for (const rule of senseTable) {
    const hit = rows.some(([, key, asc, ascq, opcode]) =>
      rule.key === key && (rule.asc === undefined || rule.asc === asc) &&
      (rule.ascq === undefined || (ascq >= rule.ascq[0] && ascq <= rule.ascq[1])) &&
      (rule.opcodes === undefined || (opcode !== undefined && rule.opcodes.includes(opcode))));
    assert.ok(hit, `no test row for table rule: ${rule.condition}`);
  }
});

test('status rows', () => {
  assert.deepEqual(interpretScsiStatus(ScsiStatus.GOOD, undefined), { kind: 'ok' });
  const conflict = interpretScsiStatus(ScsiStatus.RESERVATION_CONFLICT, undefined);
  assert.equal(conflict.kind === 'error' && conflict.error.hresult, HResult.E_IMAPI_RECORDER_LOCKED);
  const busy = interpretScsiStatus(ScsiStatus.BUSY, undefined);
  assert.equal(busy.kind === 'error' && busy.error.hresult, HResult.E_IMAPI_RECORDER_MEDIA_BUSY);
  const aborted = interpretScsiStatus(ScsiStatus.TASK_ABORTED, undefined);
  assert.equal(aborted.kind === 'error' && aborted.error.canceled, true);
  const nosense = interpretScsiStatus(ScsiStatus.CHECK_CONDITION, Buffer.alloc(0));
  assert.equal(nosense.kind === 'error' && nosense.error.hresult, HResult.E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE);
  const odd = interpretScsiStatus(0x7e, undefined);
  assert.equal(odd.kind === 'error' && odd.error.hresult, HResult.E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE);
  const ua = interpretScsiStatus(ScsiStatus.CHECK_CONDITION, buildFixedSense({ key: 6, asc: 0x28, ascq: 0 }));
  assert.equal(ua.kind === 'retry' && ua.mediaChanged, true);
  const unknown = interpretScsiStatus(ScsiStatus.CHECK_CONDITION, buildFixedSense({ key: 0xb, asc: 0x44, ascq: 0 }));
  assert.equal(unknown.kind === 'error' && unknown.error.hresultName, 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE');
  assert.equal(unknown.kind === 'error' && unknown.error.sense?.asc, 0x44);
});
