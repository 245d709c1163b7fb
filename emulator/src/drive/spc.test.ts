/**
 * SPC and tray behaviour of the drive, through execute() with CDBs built by the sdk codecs.
 * Expected sense values: MMC-6 Annex F / SPC-4 Annex D (as named in sdk Sense.*).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MediaEvent,
  MediumRemoval,
  NotificationClass,
  Opcode,
  ScsiStatus,
  Sense,
  decodeGetEventStatusNotificationReply,
  decodeInquiryReply,
  decodeUnitSerialNumberReply,
  encodeGetEventStatusNotificationCdb,
  encodeInquiryCdb,
  encodePreventAllowMediumRemovalCdb,
  encodeRead10Cdb,
  encodeRequestSenseCdb,
  encodeStartStopUnitCdb,
  encodeTestUnitReadyCdb,
  encodeWrite10Cdb,
  notificationClassMask,
  parseSense,
} from '@openimapi/sdk';
import { A, B, assertGood, assertSense, drainUnitAttentions, newDrive, run } from './drive.test-helpers.js';

const TUR = encodeTestUnitReadyCdb();
const EJECT = encodeStartStopUnitCdb({ immed: false, powerCondition: 0, loej: true, start: false });
const LOAD = encodeStartStopUnitCdb({ immed: false, powerCondition: 0, loej: true, start: true });
const GESN_MEDIA = encodeGetEventStatusNotificationCdb({ polled: true, notificationClassRequest: notificationClassMask([NotificationClass.MEDIA]), allocationLength: 8 });

async function mediaEvent(d: ReturnType<typeof newDrive>, who = A) {
  const r = await run(d, who, GESN_MEDIA);
  assertGood(r);
  const g = decodeGetEventStatusNotificationReply(r.dataIn!);
  assert.equal(g.event?.kind, 'media');
  return g.event as { mediaEventCode: number; mediaPresent: boolean; doorOrTrayOpen: boolean };
}

test('a new nexus first sees POWER ON (06/29/00), then the drive is ready with the blank CD-R', async () => {
  const d = newDrive({ medium: 'cd-r' });
  assertSense(await run(d, A, TUR), Sense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);
  assertGood(await run(d, A, TUR));
  // Each nexus has its own queue.
  assertSense(await run(d, B, TUR), Sense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);
});

test('no medium: 02/3A/01 with the tray closed, 02/3A/02 with it open', async () => {
  const d = newDrive();
  await drainUnitAttentions(d, A, TUR);
  assertSense(await run(d, A, TUR), Sense.MEDIUM_NOT_PRESENT_TRAY_CLOSED);
  assertGood(await run(d, A, EJECT));
  assertSense(await run(d, A, TUR), Sense.MEDIUM_NOT_PRESENT_TRAY_OPEN);
  assertGood(await run(d, A, LOAD));
  assertSense(await run(d, A, TUR), Sense.MEDIUM_NOT_PRESENT_TRAY_CLOSED);
});

test('loading a disc: 06/28/00 to every known nexus, then ready; GESN reports NewMedia once', async () => {
  const d = newDrive();
  await drainUnitAttentions(d, A, TUR);
  await drainUnitAttentions(d, B, TUR);
  d.load({ media: 'cd-rw' });
  assertSense(await run(d, A, TUR), Sense.NOT_READY_TO_READY_CHANGE_MEDIUM_MAY_HAVE_CHANGED);
  assertGood(await run(d, A, TUR));
  assertSense(await run(d, B, TUR), Sense.NOT_READY_TO_READY_CHANGE_MEDIUM_MAY_HAVE_CHANGED);
  const e1 = await mediaEvent(d);
  assert.deepEqual([e1.mediaEventCode, e1.mediaPresent, e1.doorOrTrayOpen], [MediaEvent.NEW_MEDIA, true, false]);
  const e2 = await mediaEvent(d);
  assert.equal(e2.mediaEventCode, MediaEvent.NO_CHANGE);
});

test('PREVENT blocks eject with 05/53/02 until ALLOW; the eject then reports MediaRemoval and tray open', async () => {
  const d = newDrive({ medium: 'cd-r' });
  await drainUnitAttentions(d, A, TUR);
  await mediaEvent(d); // no event yet for this nexus: it was not known at load time
  assertGood(await run(d, A, encodePreventAllowMediumRemovalCdb({ prevent: MediumRemoval.PREVENT })));
  assertSense(await run(d, A, EJECT), Sense.MEDIUM_REMOVAL_PREVENTED);
  assertSense(await run(d, B, EJECT), Sense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);
  assertSense(await run(d, B, EJECT), Sense.MEDIUM_REMOVAL_PREVENTED, 'another nexus cannot eject either');
  assert.throws(() => d.eject(), /REMOVAL PREVENTED/);
  assertGood(await run(d, A, TUR), 'the disc is still there');
  assertGood(await run(d, A, encodePreventAllowMediumRemovalCdb({ prevent: MediumRemoval.ALLOW })));
  assertGood(await run(d, A, EJECT));
  assertSense(await run(d, A, TUR), Sense.MEDIUM_NOT_PRESENT_TRAY_OPEN);
  const e = await mediaEvent(d);
  assert.deepEqual([e.mediaEventCode, e.mediaPresent, e.doorOrTrayOpen], [MediaEvent.MEDIA_REMOVAL, false, true]);
});

test('START STOP UNIT eject opens the tray with the disc on it; load closes it and the same disc becomes ready again (06/28/00 for the other nexuses)', async () => {
  let now = 1000;
  const d = newDrive({ becomingReadyMs: 500, now: () => now });
  await drainUnitAttentions(d, A, TUR);
  await drainUnitAttentions(d, B, TUR);
  d.load({ media: 'dvd+rw' });
  now += 500;
  await drainUnitAttentions(d, A, TUR);
  await drainUnitAttentions(d, B, TUR);
  while ((await mediaEvent(d, A)).mediaEventCode !== MediaEvent.NO_CHANGE);
  while ((await mediaEvent(d, B)).mediaEventCode !== MediaEvent.NO_CHANGE);
  const written = Buffer.alloc(2048, 0x3c);
  assertGood(await run(d, A, encodeWrite10Cdb({ lba: 7, transferLength: 1 }), { dataOut: written }));
  const disc = d.state.medium;

  assertGood(await run(d, A, EJECT));
  assert.equal(d.state.tray, 'open');
  assert.equal(d.state.medium, disc, 'the disc is on the open tray');
  assertSense(await run(d, A, TUR), Sense.MEDIUM_NOT_PRESENT_TRAY_OPEN);
  assertSense(await run(d, B, encodeRead10Cdb({ lba: 7, transferLength: 1 })), Sense.MEDIUM_NOT_PRESENT_TRAY_OPEN, 'out of reach for every nexus');
  for (const who of [A, B]) {
    const e = await mediaEvent(d, who);
    assert.deepEqual([e.mediaEventCode, e.mediaPresent, e.doorOrTrayOpen], [MediaEvent.MEDIA_REMOVAL, false, true]);
  }
  assertGood(await run(d, A, EJECT), 'ejecting an open tray changes nothing');
  assert.equal((await mediaEvent(d, A)).mediaEventCode, MediaEvent.NO_CHANGE);

  assertGood(await run(d, B, LOAD));
  assert.equal(d.state.tray, 'closed');
  assertSense(await run(d, A, TUR), Sense.NOT_READY_TO_READY_CHANGE_MEDIUM_MAY_HAVE_CHANGED);
  assertSense(await run(d, A, TUR), Sense.LOGICAL_UNIT_IS_IN_PROCESS_OF_BECOMING_READY);
  const e = await mediaEvent(d, A);
  assert.deepEqual([e.mediaEventCode, e.mediaPresent, e.doorOrTrayOpen], [MediaEvent.NEW_MEDIA, true, false]);
  now += 500;
  assertGood(await run(d, A, TUR));
  assert.deepEqual((await run(d, A, encodeRead10Cdb({ lba: 7, transferLength: 1 }))).dataIn, written, 'the same disc, with what was written');
  assertGood(await run(d, B, TUR), 'the nexus that loaded gets no unit attention for its own load');
  assert.equal((await mediaEvent(d, B)).mediaEventCode, MediaEvent.NEW_MEDIA, 'but the media event');
  assertGood(await run(d, B, LOAD), 'loading a closed tray changes nothing');
  assertGood(await run(d, B, TUR));
  d.eject();
  d.closeTray();
  assertSense(await run(d, B, TUR), Sense.NOT_READY_TO_READY_CHANGE_MEDIUM_MAY_HAVE_CHANGED, 'a tray closed by hand: every nexus is told');
});

test('START STOP UNIT with a POWER CONDITIONS value (1..15, reserved ones too) completes GOOD and moves neither tray nor disc', async () => {
  const d = newDrive({ medium: 'cd-r' });
  await drainUnitAttentions(d, A, TUR);
  for (let pc = 1; pc < 16; pc++) {
    for (const bits of [0x02, 0x03, 0x00]) {
      const cdb = Buffer.from([Opcode.START_STOP_UNIT, 1, 0, 0, (pc << 4) | bits, 0]);
      assertGood(await run(d, A, cdb), `POWER CONDITIONS ${pc}, LoEj/Start ${bits}`);
      assertGood(await run(d, A, TUR), `still ready after POWER CONDITIONS ${pc}`);
    }
  }
  assert.equal(d.state.tray, 'closed');
  assertSense(await run(d, A, Buffer.from([Opcode.START_STOP_UNIT, 0, 1, 0, 0x42, 0])), Sense.INVALID_FIELD_IN_CDB, 'reserved byte 2 is still refused');
  assertSense(await run(d, A, Buffer.from([Opcode.START_STOP_UNIT, 0, 0, 0, 0x4a, 0])), Sense.INVALID_FIELD_IN_CDB, 'reserved bit 3 of byte 4 too');
  // LoEj=0: the spindle starts or stops on its own; the disc stays ready (FL/NO_FLUSH bit too).
  for (const b4 of [0x00, 0x01, 0x04, 0x05]) {
    assertGood(await run(d, A, Buffer.from([Opcode.START_STOP_UNIT, 0, 0, 0, b4, 0])));
    assertGood(await run(d, A, TUR));
  }
});

test('nexus loss drops its PREVENT', async () => {
  const d = newDrive({ medium: 'cd-r' });
  await drainUnitAttentions(d, A, TUR);
  assertGood(await run(d, A, encodePreventAllowMediumRemovalCdb({ prevent: MediumRemoval.PREVENT })));
  d.nexusLost(A);
  d.eject();
  assert.equal(d.describe().tray, 'open');
});

test('becoming ready: 02/04/01 for the configured window after a load', async () => {
  let now = 1000;
  const d = newDrive({ becomingReadyMs: 2000, now: () => now });
  await drainUnitAttentions(d, A, TUR);
  d.load({ media: 'dvd+rw' });
  assertSense(await run(d, A, TUR), Sense.NOT_READY_TO_READY_CHANGE_MEDIUM_MAY_HAVE_CHANGED);
  assertSense(await run(d, A, TUR), Sense.LOGICAL_UNIT_IS_IN_PROCESS_OF_BECOMING_READY);
  now += 1999;
  assertSense(await run(d, A, TUR), Sense.LOGICAL_UNIT_IS_IN_PROCESS_OF_BECOMING_READY);
  now += 1;
  assertGood(await run(d, A, TUR));
});

test('INQUIRY: peripheral type 05h, removable, configured identity; VPD 80h carries the serial', async () => {
  const d = newDrive({ vendor: 'ACME', product: 'BURNER 9000', revision: '2.1', serial: 'SN123' });
  const r = await run(d, A, encodeInquiryCdb({ evpd: false, pageCode: 0, allocationLength: 96 }));
  assertGood(r, 'INQUIRY is exempt from the power-on unit attention');
  // SPC-4 §6.6.2: byte 0 = qualifier 000b | type 05h; byte 1 bit 7 RMB.
  assert.equal(r.dataIn![0], 0x05);
  assert.equal(r.dataIn![1], 0x80);
  const inq = decodeInquiryReply(r.dataIn!);
  assert.deepEqual([inq.vendorIdentification, inq.productIdentification, inq.productRevisionLevel], ['ACME', 'BURNER 9000', '2.1']);
  const short = await run(d, A, encodeInquiryCdb({ evpd: false, pageCode: 0, allocationLength: 36 }));
  assert.equal(short.dataIn!.length, 36, 'cut to the allocation length');
  const vpd = await run(d, A, encodeInquiryCdb({ evpd: true, pageCode: 0x80, allocationLength: 255 }));
  assert.equal(decodeUnitSerialNumberReply(vpd.dataIn!).productSerialNumber, 'SN123');
  const none = await run(d, A, encodeInquiryCdb({ evpd: true, pageCode: 0xb0, allocationLength: 255 }));
  assertSense(none, Sense.INVALID_FIELD_IN_CDB);
});

test('default identity is OPENIMAP / EMU-BURNER / 1.0', async () => {
  const d = newDrive();
  const inq = decodeInquiryReply((await run(d, A, encodeInquiryCdb({ evpd: false, pageCode: 0, allocationLength: 96 }))).dataIn!);
  assert.deepEqual([inq.vendorIdentification, inq.productIdentification, inq.productRevisionLevel], ['OPENIMAP', 'EMU-BURNER', '1.0']);
});

test('REQUEST SENSE reports and clears the unit attention; DESC=1 returns descriptor format (72h)', async () => {
  const d = newDrive();
  const r1 = await run(d, A, encodeRequestSenseCdb({ desc: true, allocationLength: 252 }));
  assertGood(r1);
  assert.equal(r1.dataIn![0], 0x72);
  const s1 = parseSense(r1.dataIn!);
  assert.deepEqual([s1!.key, s1!.asc, s1!.ascq], [0x6, 0x29, 0x00]);
  const r2 = await run(d, A, encodeRequestSenseCdb({ desc: false, allocationLength: 18 }));
  assert.equal(r2.dataIn![0], 0x70);
  const s2 = parseSense(r2.dataIn!);
  assert.deepEqual([s2!.key, s2!.asc, s2!.ascq], [0x2, 0x3a, 0x01], 'then the not-ready reason: no disc, tray closed');
});

test('unknown opcodes (and MODE SENSE(6), absent on MMC drives) get 05/20/00', async () => {
  const d = newDrive({ medium: 'cd-r' });
  await drainUnitAttentions(d, A, TUR);
  assertSense(await run(d, A, Buffer.from([0xff, 0, 0, 0, 0, 0])), Sense.INVALID_COMMAND_OPERATION_CODE);
  assertSense(await run(d, A, Buffer.from([Opcode.MODE_SENSE_6, 0, 0x2a, 0, 0xff, 0])), Sense.INVALID_COMMAND_OPERATION_CODE);
  assertSense(await run(d, A, Buffer.alloc(0)), Sense.INVALID_COMMAND_OPERATION_CODE);
});

test('each CDB is logged at debug level with its opcode name, LBA and length', async () => {
  const lines: { msg: string; f: Record<string, unknown> }[] = [];
  const logger = { debug: (msg: string, f?: Record<string, unknown>) => lines.push({ msg, f: f ?? {} }), info() {}, warn() {} };
  const d = newDrive({ medium: 'cd-r', logger });
  await run(d, A, Buffer.from([Opcode.READ_10, 0, 0, 0, 0, 16, 0, 0, 2, 0]));
  const l = lines.find((x) => x.f.op === 'READ_10');
  assert.ok(l);
  assert.equal(l.f.lba, 16);
  assert.equal(l.f.length, 2);
  assert.equal(l.f.status, ScsiStatus.CHECK_CONDITION);
});
