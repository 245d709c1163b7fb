/**
 * Faults on demand: each kind, counts, opcode filters, the device-gone hook.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Opcode,
  ScsiStatus,
  Sense,
  decodeGetConfigurationReply,
  encodeGetConfigurationCdb,
  encodeInquiryCdb,
  encodeSetCdSpeedCdb,
  encodeTestUnitReadyCdb,
  encodeWrite10Cdb,
  interpretScsiStatus,
  type SenseCondition,
  PerformanceType,
  PrInServiceAction,
  encodeGetPerformanceCdb,
  decodeGetPerformanceReply,
  encodePersistentReserveInCdb,
  decodePrReadKeysReply,
  decodePrReadReservationReply,
  decodePrReportCapabilitiesReply,
  decodePrReadFullStatusReply,
} from '@openimapi/sdk';
import { A, assertGood, assertSense, drainUnitAttentions, newDrive, run } from './drive.test-helpers.js';
import { FaultKinds, type FaultKind } from './faults.js';

const TUR = encodeTestUnitReadyCdb();

async function ready() {
  const d = newDrive({ medium: 'cd-r' });
  await drainUnitAttentions(d, A, TUR);
  return d;
}

// Each kind, the command it is met with, its sense, and the IMAPI2 HRESULT the SDK's sense table
// makes of it (the drive conditions of the IMAPI2 return-code tables).
const senseFaults: [FaultKind, SenseCondition, Buffer, string][] = [
  ['no-media', Sense.MEDIUM_NOT_PRESENT_TRAY_CLOSED, TUR, 'E_IMAPI_RECORDER_MEDIA_NO_MEDIA'],
  ['becoming-ready', Sense.LOGICAL_UNIT_IS_IN_PROCESS_OF_BECOMING_READY, TUR, 'E_IMAPI_RECORDER_MEDIA_BECOMING_READY'],
  ['format-in-progress', Sense.LOGICAL_UNIT_NOT_READY_FORMAT_IN_PROGRESS, TUR, 'E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS'],
  ['long-write-in-progress', Sense.LOGICAL_UNIT_NOT_READY_LONG_WRITE_IN_PROGRESS, TUR, 'E_IMAPI_RECORDER_MEDIA_BUSY'],
  ['operation-in-progress', Sense.LOGICAL_UNIT_NOT_READY_OPERATION_IN_PROGRESS, TUR, 'E_IMAPI_RECORDER_MEDIA_BUSY'],
  ['upside-down', Sense.UNABLE_TO_RECOVER_TABLE_OF_CONTENTS, TUR, 'E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN'],
  ['unreadable', Sense.UNABLE_TO_RECOVER_TABLE_OF_CONTENTS, TUR, 'E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN'],
  ['incompatible-medium', Sense.INCOMPATIBLE_MEDIUM_INSTALLED_NR, TUR, 'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE'],
  ['media-not-formatted', { key: 0x2, asc: 0x30, ascq: 0x10 }, TUR, 'E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED'],
  ['write-protected', Sense.WRITE_PROTECTED, encodeWrite10Cdb({ lba: 0, transferLength: 1 }), 'E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED'],
  ['speed-mismatch', Sense.INCOMPATIBLE_MEDIUM_INSTALLED_IR, encodeSetCdSpeedCdb({ rotationalControl: 0, readSpeed: 0xffff, writeSpeed: 1764 }), 'E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH'],
  ['no-such-mode-page', Sense.INVALID_FIELD_IN_CDB, Buffer.from([0x5a, 0, 0x05, 0, 0, 0, 0, 0x01, 0, 0]), 'E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE'],
  ['invalid-mode-parameters', Sense.INVALID_FIELD_IN_PARAMETER_LIST, Buffer.from([0x55, 0x10, 0, 0, 0, 0, 0, 0, 0, 0]), 'E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS'],
  ['loss-of-streaming', Sense.LOSS_OF_STREAMING, encodeWrite10Cdb({ lba: 0, transferLength: 1 }), 'E_IMAPI_LOSS_OF_STREAMING'],
  ['dvd-structure-not-present', Sense.INVALID_FIELD_IN_CDB, Buffer.from([0xad, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x04, 0, 0]), 'E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT'],
  ['hardware-error', { key: 0x4, asc: 0x44, ascq: 0x00 }, TUR, 'E_FAIL'],
];

for (const [kind, cond, cdb, hresult] of senseFaults) {
  test(`fault ${kind} answers the next matching command with its sense, once (${hresult})`, async () => {
    const d = await ready();
    d.faults.arm({ kind });
    const r = await run(d, A, cdb, { dataOut: Buffer.alloc(2048) });
    assertSense(r, cond);
    const outcome = interpretScsiStatus(r.status, r.sense, cdb[0]);
    assert.equal(outcome.kind === 'error' && outcome.error.hresultName, hresult);
    assert.equal(d.faults.list().length, 0, 'consumed');
  });
}

test('every fault kind is exercised here', () => {
  const covered = new Set<string>([...senseFaults.map((f) => f[0]), 'reservation-conflict', 'unit-attention', 'timeout', 'device-gone', 'invalid-response', 'sense']);
  assert.deepEqual(FaultKinds.filter((k) => !covered.has(k)), []);
});

test('reservation-conflict: the next WRITE gets status RESERVATION CONFLICT, other commands do not', async () => {
  const d = await ready();
  d.faults.arm({ kind: 'reservation-conflict' });
  assertGood(await run(d, A, TUR));
  const r = await run(d, A, encodeWrite10Cdb({ lba: 0, transferLength: 1 }), { dataOut: Buffer.alloc(2048) });
  assert.equal(r.status, ScsiStatus.RESERVATION_CONFLICT);
  assert.equal(r.sense, undefined);
  assert.equal(d.faults.list().length, 0, 'consumed');
});

test('a no-media fault follows the tray: 02/3A/02 when it is open', async () => {
  const d = newDrive();
  await drainUnitAttentions(d, A, TUR);
  d.eject();
  d.faults.arm({ kind: 'no-media', opcode: 'GET_CONFIGURATION' });
  assertSense(await run(d, A, encodeGetConfigurationCdb({ rt: 0, startingFeature: 0, allocationLength: 8 })), Sense.MEDIUM_NOT_PRESENT_TRAY_OPEN);
});

test('count: N commands, then normal; count 0 until disarmed; INQUIRY is left alone by default', async () => {
  const d = await ready();
  d.faults.arm({ kind: 'becoming-ready', count: 2 });
  assertGood(await run(d, A, encodeInquiryCdb({ evpd: false, pageCode: 0, allocationLength: 36 })));
  assertSense(await run(d, A, TUR), Sense.LOGICAL_UNIT_IS_IN_PROCESS_OF_BECOMING_READY);
  assertSense(await run(d, A, TUR), Sense.LOGICAL_UNIT_IS_IN_PROCESS_OF_BECOMING_READY);
  assertGood(await run(d, A, TUR));
  const f = d.faults.arm({ kind: 'sense', sense: { key: 4, asc: 0x44, ascq: 0 }, count: 0, opcode: Opcode.TEST_UNIT_READY });
  for (let i = 0; i < 3; i++) assertSense(await run(d, A, TUR), { key: 4, asc: 0x44, ascq: 0 });
  assert.equal(d.faults.disarm(f.id), 1);
  assertGood(await run(d, A, TUR));
});

test('bad fault specs are TypeErrors naming the field', () => {
  const d = newDrive();
  assert.throws(() => d.faults.arm({ kind: 'nope' as FaultKind }), /kind/);
  assert.throws(() => d.faults.arm({ kind: 'no-media', count: -1 }), /count/);
  assert.throws(() => d.faults.arm({ kind: 'no-media', opcode: 'NOT_AN_OPCODE' }), /opcode/);
  assert.throws(() => d.faults.arm({ kind: 'sense' }), /sense/);
  assert.equal(d.faults.list().length, 0);
});

test('unit-attention fault queues 06/28/00 for the next command', async () => {
  const d = await ready();
  d.faults.arm({ kind: 'unit-attention' });
  assertSense(await run(d, A, TUR), Sense.NOT_READY_TO_READY_CHANGE_MEDIUM_MAY_HAVE_CHANGED);
  assertGood(await run(d, A, TUR));
});

test('timeout: the command never completes until aborted (then TASK ABORTED)', async () => {
  const d = await ready();
  d.faults.arm({ kind: 'timeout' });
  const ac = new AbortController();
  let settled = false;
  const p = run(d, A, TUR, { signal: ac.signal }).then((r) => ((settled = true), r));
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(settled, false);
  ac.abort();
  assert.equal((await p).status, ScsiStatus.TASK_ABORTED);
});

test('device-gone: the drive emits disconnect with the nexus and the command hangs until aborted', async () => {
  const d = await ready();
  const gone: string[] = [];
  d.on('disconnect', (n: { id: string }) => gone.push(n.id));
  d.faults.arm({ kind: 'device-gone' });
  const ac = new AbortController();
  const p = run(d, A, TUR, { signal: ac.signal });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(gone, [A.id]);
  ac.abort();
  assert.equal((await p).status, ScsiStatus.TASK_ABORTED);
});

test('invalid-response: GET CONFIGURATION data whose DATA LENGTH contradicts the header', async () => {
  const d = await ready();
  d.faults.arm({ kind: 'invalid-response', opcode: 'GET_CONFIGURATION' });
  const r = await run(d, A, encodeGetConfigurationCdb({ rt: 0, startingFeature: 0, allocationLength: 0xffff }));
  assertGood(r);
  assert.throws(() => decodeGetConfigurationReply(r.dataIn!), (e: unknown) => (e as { name?: string; hresultName?: string }).name === 'ImapiError');
});

test('invalid-response: GET PERFORMANCE (4-byte length) and every PERSISTENT RESERVE IN service action come back undecodable', async () => {
  const d = await ready();
  const perf = encodeGetPerformanceCdb({ type: PerformanceType.WRITE_SPEED, dataType: 0, startingLba: 0, maxDescriptors: 16 });
  const good = await run(d, A, perf);
  assertGood(good);
  const speeds = decodeGetPerformanceReply(good.dataIn!, 3);
  assert.ok(speeds.type === 3 && speeds.writeSpeeds.length > 0);
  d.faults.arm({ kind: 'invalid-response', opcode: 'GET_PERFORMANCE' });
  const bad = await run(d, A, perf);
  assertGood(bad);
  assert.throws(() => decodeGetPerformanceReply(bad.dataIn!, 3), /performance data length/);
  const decoders = [
    [PrInServiceAction.READ_KEYS, decodePrReadKeysReply],
    [PrInServiceAction.READ_RESERVATION, decodePrReadReservationReply],
    [PrInServiceAction.REPORT_CAPABILITIES, decodePrReportCapabilitiesReply],
    [PrInServiceAction.READ_FULL_STATUS, decodePrReadFullStatusReply],
  ] as const;
  for (const [serviceAction, decode] of decoders) {
    const cdb = encodePersistentReserveInCdb({ serviceAction, allocationLength: 1024 });
    d.faults.arm({ kind: 'invalid-response', opcode: 'PERSISTENT_RESERVE_IN' });
    const r = await run(d, A, cdb);
    assertGood(r);
    assert.throws(() => decode(r.dataIn!), (e: unknown) => (e as { hresultName?: string }).hresultName === 'E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE', `service action ${serviceAction}`);
  }
});

test('a pending unit attention is reported before an armed fault is spent: the fault meets the re-sent command', async () => {
  const d = newDrive({ medium: 'cd-r' }); // power-on unit attention pending for every nexus
  d.faults.arm({ kind: 'no-media', opcode: 'TEST_UNIT_READY' });
  assertSense(await run(d, A, TUR), Sense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);
  assertSense(await run(d, A, TUR), Sense.MEDIUM_NOT_PRESENT_TRAY_CLOSED);
  assertGood(await run(d, A, TUR));
});
