/**
 * Exclusive access across nexuses: RESERVE(6)/RELEASE(6), PERSISTENT RESERVE IN/OUT, the conflict
 * table (SPC-4 §5.13.1), READ FULL STATUS naming the holder, and nexusLost releasing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PrInServiceAction,
  PrOutServiceAction,
  PrType,
  ScsiStatus,
  Sense,
  decodePrReadFullStatusReply,
  decodePrReadKeysReply,
  decodePrReadReservationReply,
  encodeInquiryCdb,
  encodePersistentReserveInCdb,
  encodePersistentReserveOutCdb,
  encodePersistentReserveOutParameters,
  encodeRead10Cdb,
  encodeRelease6Cdb,
  encodeReserve6Cdb,
  encodeTestUnitReadyCdb,
  encodeWrite10Cdb,
} from '@openimapi/sdk';
import { A, B, assertGood, assertSense, drainUnitAttentions, newDrive, run } from './drive.test-helpers.js';
import type { ItNexus } from '../lun.js';
import type { MmcDrive } from './mmc-drive.js';

const TUR = encodeTestUnitReadyCdb();

async function ready(): Promise<MmcDrive> {
  const d = newDrive({ medium: 'cd-r' });
  await drainUnitAttentions(d, A, TUR);
  await drainUnitAttentions(d, B, TUR);
  return d;
}

function prOut(d: MmcDrive, who: ItNexus, sa: number, key: bigint, saKey: bigint, type = 0) {
  const data = encodePersistentReserveOutParameters({ reservationKey: key, serviceActionReservationKey: saKey, allTgPt: false, aptpl: false });
  return run(d, who, encodePersistentReserveOutCdb({ serviceAction: sa, scope: 0, type, parameterListLength: data.length }), { dataOut: data });
}

function prIn(d: MmcDrive, who: ItNexus, sa: number) {
  return run(d, who, encodePersistentReserveInCdb({ serviceAction: sa, allocationLength: 4096 }));
}

const MODE_SENSE_2A = Buffer.from([0x5a, 0, 0x2a, 0, 0, 0, 0, 0x01, 0x00, 0]);

test('RESERVE(6): the other nexus gets RESERVATION CONFLICT (18h) except INQUIRY; RELEASE frees it', async () => {
  const d = await ready();
  assertGood(await run(d, A, encodeReserve6Cdb()));
  assertGood(await run(d, A, encodeReserve6Cdb()), 'the holder may reserve again');
  assert.equal((await run(d, B, encodeReserve6Cdb())).status, ScsiStatus.RESERVATION_CONFLICT);
  assert.equal((await run(d, B, MODE_SENSE_2A)).status, ScsiStatus.RESERVATION_CONFLICT);
  assert.equal((await run(d, B, encodeRead10Cdb({ lba: 0, transferLength: 1 }))).status, ScsiStatus.RESERVATION_CONFLICT);
  assertGood(await run(d, B, encodeInquiryCdb({ evpd: false, pageCode: 0, allocationLength: 36 })));
  assertGood(await run(d, B, encodeRelease6Cdb()), 'RELEASE from a non-holder is GOOD and does nothing');
  assert.equal((await run(d, B, MODE_SENSE_2A)).status, ScsiStatus.RESERVATION_CONFLICT);
  assertGood(await run(d, A, MODE_SENSE_2A));
  assertGood(await run(d, A, encodeRelease6Cdb()));
  assertGood(await run(d, B, MODE_SENSE_2A));
});

test('RESERVE(6) held by a nexus that is lost is released', async () => {
  const d = await ready();
  assertGood(await run(d, A, encodeReserve6Cdb()));
  d.nexusLost(A);
  assertGood(await run(d, B, encodeReserve6Cdb()));
});

test('PR Exclusive Access: READ FULL STATUS names the holder by initiator name + ISID; others conflict', async () => {
  const d = await ready();
  assertGood(await prOut(d, A, PrOutServiceAction.REGISTER, 0n, 0xabcn));
  assertGood(await prOut(d, A, PrOutServiceAction.RESERVE, 0xabcn, 0n, PrType.EXCLUSIVE_ACCESS));
  assert.equal((await run(d, B, MODE_SENSE_2A)).status, ScsiStatus.RESERVATION_CONFLICT);
  assert.equal((await run(d, B, encodeRead10Cdb({ lba: 0, transferLength: 1 }))).status, ScsiStatus.RESERVATION_CONFLICT);
  assertGood(await run(d, B, TUR), 'TEST UNIT READY is allowed under any reservation (SPC-4 §5.13.1)');
  const fs = await prIn(d, B, PrInServiceAction.READ_FULL_STATUS);
  assertGood(fs, 'PR IN is allowed to anyone');
  const st = decodePrReadFullStatusReply(fs.dataIn!);
  assert.equal(st.descriptors.length, 1);
  const h = st.descriptors[0]!;
  assert.equal(h.reservationHolder, true);
  assert.equal(h.type, PrType.EXCLUSIVE_ACCESS);
  assert.equal(h.key, 0xabcn);
  assert.deepEqual(h.transportId, { protocol: 'iscsi', name: A.initiatorName, isid: A.isid });
  const rr = decodePrReadReservationReply((await prIn(d, B, PrInServiceAction.READ_RESERVATION)).dataIn!);
  assert.equal(rr.reservation?.key, 0xabcn);
  // B cannot take it with a wrong key, nor reserve without registering.
  assert.equal((await prOut(d, B, PrOutServiceAction.RESERVE, 0x1n, 0n, PrType.EXCLUSIVE_ACCESS)).status, ScsiStatus.RESERVATION_CONFLICT);
  // Losing A's session releases registration and reservation.
  d.nexusLost(A);
  assertGood(await run(d, B, MODE_SENSE_2A));
  const keys = decodePrReadKeysReply((await prIn(d, B, PrInServiceAction.READ_KEYS)).dataIn!);
  assert.deepEqual(keys.keys, []);
});

test('PR Write Exclusive: others may read the medium but not write or change mode pages', async () => {
  const d = await ready();
  assertGood(await prOut(d, A, PrOutServiceAction.REGISTER, 0n, 7n));
  assertGood(await prOut(d, A, PrOutServiceAction.RESERVE, 7n, 0n, PrType.WRITE_EXCLUSIVE));
  assertGood(await run(d, B, MODE_SENSE_2A), 'MODE SENSE reads drive state');
  const w = await run(d, B, encodeWrite10Cdb({ lba: 0, transferLength: 1 }), { dataOut: Buffer.alloc(2048) });
  assert.equal(w.status, ScsiStatus.RESERVATION_CONFLICT);
  const sel = Buffer.from([0x55, 0x10, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal((await run(d, B, sel)).status, ScsiStatus.RESERVATION_CONFLICT);
});

test('PR registrants-only: a registered nexus shares access; RELEASE tells the others (06/2A/04)', async () => {
  const d = await ready();
  assertGood(await prOut(d, A, PrOutServiceAction.REGISTER, 0n, 1n));
  assertGood(await prOut(d, B, PrOutServiceAction.REGISTER, 0n, 2n));
  assertGood(await prOut(d, A, PrOutServiceAction.RESERVE, 1n, 0n, PrType.EXCLUSIVE_ACCESS_REGISTRANTS_ONLY));
  assertGood(await run(d, B, MODE_SENSE_2A));
  assertGood(await prOut(d, A, PrOutServiceAction.RELEASE, 1n, 0n, PrType.EXCLUSIVE_ACCESS_REGISTRANTS_ONLY));
  assertSense(await run(d, B, TUR), Sense.RESERVATIONS_RELEASED);
});

test('PR PREEMPT takes the reservation and removes the victim (06/2A/03 to it); CLEAR removes everything', async () => {
  const d = await ready();
  assertGood(await prOut(d, A, PrOutServiceAction.REGISTER, 0n, 1n));
  assertGood(await prOut(d, B, PrOutServiceAction.REGISTER, 0n, 2n));
  assertGood(await prOut(d, A, PrOutServiceAction.RESERVE, 1n, 0n, PrType.EXCLUSIVE_ACCESS));
  assert.equal((await run(d, B, MODE_SENSE_2A)).status, ScsiStatus.RESERVATION_CONFLICT);
  assertGood(await prOut(d, B, PrOutServiceAction.PREEMPT, 2n, 1n, PrType.EXCLUSIVE_ACCESS));
  assertSense(await run(d, A, TUR), Sense.RESERVATIONS_PREEMPTED);
  assert.equal((await run(d, A, MODE_SENSE_2A)).status, ScsiStatus.RESERVATION_CONFLICT);
  const st = decodePrReadFullStatusReply((await prIn(d, A, PrInServiceAction.READ_FULL_STATUS)).dataIn!);
  assert.deepEqual(st.descriptors.map((x) => [x.transportId.protocol === 'iscsi' ? x.transportId.name : '', x.reservationHolder]), [[B.initiatorName, true]]);
  assertGood(await prOut(d, B, PrOutServiceAction.CLEAR, 2n, 0n));
  assertGood(await run(d, A, MODE_SENSE_2A));
  assert.equal(decodePrReadKeysReply((await prIn(d, A, PrInServiceAction.READ_KEYS)).dataIn!).keys.length, 0);
});

test('PR: RELEASE with the wrong type is 05/26/04; RESERVE(6) conflicts while registrations exist', async () => {
  const d = await ready();
  assertGood(await prOut(d, A, PrOutServiceAction.REGISTER, 0n, 1n));
  assertGood(await prOut(d, A, PrOutServiceAction.RESERVE, 1n, 0n, PrType.WRITE_EXCLUSIVE));
  assertSense(await prOut(d, A, PrOutServiceAction.RELEASE, 1n, 0n, PrType.EXCLUSIVE_ACCESS), { key: 5, asc: 0x26, ascq: 0x04 });
  assert.equal((await run(d, A, encodeReserve6Cdb())).status, ScsiStatus.RESERVATION_CONFLICT);
  // Unregistering (key 0) drops the holder's reservation too.
  assertGood(await prOut(d, A, PrOutServiceAction.REGISTER, 1n, 0n));
  assert.equal(d.describe().reservations.persistent, null);
});

test('the /state view names the holder', async () => {
  const d = await ready();
  assertGood(await prOut(d, B, PrOutServiceAction.REGISTER, 0n, 5n));
  assertGood(await prOut(d, B, PrOutServiceAction.RESERVE, 5n, 0n, PrType.EXCLUSIVE_ACCESS));
  const v = d.describe().reservations.persistent;
  assert.equal(v?.initiatorName, B.initiatorName);
  assert.equal(v?.isid, B.isid);
  assert.equal(v?.type, 'exclusive-access');
});
