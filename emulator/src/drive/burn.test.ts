/**
 * Media-dependent commands through the drive: a TAO data burn on CD-R read back, the media change
 * after CLOSE SESSION, BLANK with IMMED in the realistic model, speeds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloseFunction,
  MediaEvent,
  NotificationClass,
  PerformanceType,
  Sense,
  decodeDiscInformationReply,
  decodeGetEventStatusNotificationReply,
  decodeGetPerformanceReply,
  decodeReadCapacity10Reply,
  decodeTocReply,
  decodeTrackInformationReply,
  encodeBlankCdb,
  encodeCloseTrackSessionCdb,
  encodeGetEventStatusNotificationCdb,
  encodeGetPerformanceCdb,
  encodeRead10Cdb,
  encodeReadCapacity10Cdb,
  encodeReadDiscInformationCdb,
  encodeReadTocCdb,
  encodeReadTrackInformationCdb,
  encodeSetCdSpeedCdb,
  encodeSynchronizeCache10Cdb,
  encodeTestUnitReadyCdb,
  encodeWrite10Cdb,
  notificationClassMask,
} from '@openimapi/sdk';
import { A, B, assertGood, assertSense, drainUnitAttentions, newDrive, run, setWriteParameters } from './drive.test-helpers.js';

const TUR = encodeTestUnitReadyCdb();

test('TAO data burn on CD-R: write at the NWA, close track and session, read back; the change is reported', async () => {
  const d = newDrive({ medium: 'cd-r' });
  await drainUnitAttentions(d, A, TUR);
  await drainUnitAttentions(d, B, TUR);
  await setWriteParameters(d, { writeType: 1, dataBlockType: 8, trackMode: 4, multiSession: 0 });
  const ti = decodeTrackInformationReply((await run(d, A, encodeReadTrackInformationCdb({ open: false, addressType: 1, address: 0xff, allocationLength: 48 }))).dataIn!);
  assert.equal(ti.nwaValid, true);
  assert.equal(ti.nextWritableAddress, 0);
  const payload = Buffer.alloc(16 * 2048);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 7 + (i >> 11)) & 0xff;
  assertGood(await run(d, A, encodeWrite10Cdb({ lba: 0, transferLength: 16 }), { dataOut: payload }));
  assertSense(await run(d, A, encodeWrite10Cdb({ lba: 100, transferLength: 1 }), { dataOut: Buffer.alloc(2048) }), Sense.INVALID_ADDRESS_FOR_WRITE);
  assertSense(await run(d, A, encodeWrite10Cdb({ lba: 16, transferLength: 2 }), { dataOut: Buffer.alloc(2048) }), Sense.INVALID_FIELD_IN_CDB);
  assertGood(await run(d, A, encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 })));
  assertGood(await run(d, A, encodeCloseTrackSessionCdb({ immed: false, closeFunction: CloseFunction.CLOSE_TRACK, trackNumber: 1 })));
  assertGood(await run(d, A, encodeCloseTrackSessionCdb({ immed: false, closeFunction: CloseFunction.CLOSE_SESSION, trackNumber: 0 })));
  // The other nexus is told the medium changed; every nexus gets a NewMedia event.
  assertSense(await run(d, B, TUR), Sense.MODE_PARAMETERS_CHANGED, 'first the MODE SELECT of nexus A');
  assertSense(await run(d, B, TUR), Sense.NOT_READY_TO_READY_CHANGE_MEDIUM_MAY_HAVE_CHANGED);
  assertGood(await run(d, A, TUR));
  const g = decodeGetEventStatusNotificationReply(
    (await run(d, A, encodeGetEventStatusNotificationCdb({ polled: true, notificationClassRequest: notificationClassMask([NotificationClass.MEDIA]), allocationLength: 8 }))).dataIn!,
  );
  assert.equal(g.event?.kind === 'media' && g.event.mediaEventCode, MediaEvent.NEW_MEDIA);
  const di = decodeDiscInformationReply((await run(d, A, encodeReadDiscInformationCdb({ dataType: 0, allocationLength: 34 }))).dataIn!);
  assert.equal(di.discStatus, 2, 'finalized (multi-session 00b)');
  const toc = decodeTocReply((await run(d, A, encodeReadTocCdb({ msf: false, format: 0, trackSessionNumber: 0, allocationLength: 0xffff }))).dataIn!, { msf: false });
  assert.deepEqual([toc.firstTrack, toc.lastTrack], [1, 1]);
  assert.equal(toc.tracks[0]!.startLba, 0);
  assert.equal(toc.tracks.at(-1)!.trackNumber, 0xaa);
  const cap = decodeReadCapacity10Reply((await run(d, A, encodeReadCapacity10Cdb())).dataIn!);
  // 16 data blocks + the 2 run-out blocks a TAO track ends with (as READ CAPACITY reports on real TAO discs).
  assert.deepEqual([cap.lastLba, cap.blockLength], [17, 2048]);
  const back = await run(d, A, encodeRead10Cdb({ lba: 0, transferLength: 16 }));
  assertGood(back);
  assert.ok(back.dataIn!.equals(payload), 'read back byte for byte');
});

test('write-once media cannot be blanked; BLANK IMMED on CD-RW keeps the drive busy (02/04/07) until done', async () => {
  const r = newDrive({ medium: 'cd-r' });
  await drainUnitAttentions(r, A, TUR);
  assert.equal((await run(r, A, encodeBlankCdb({ immed: false, blankingType: 1, startAddress: 0 }))).status, 2);

  const d = newDrive({ medium: 'cd-rw', speedModel: 'realistic', timeScale: 1000 });
  await drainUnitAttentions(d, A, TUR);
  assertGood(await run(d, A, encodeBlankCdb({ immed: true, blankingType: 1, startAddress: 0 })));
  assertSense(await run(d, A, TUR), Sense.LOGICAL_UNIT_NOT_READY_OPERATION_IN_PROGRESS);
  const busy = decodeGetEventStatusNotificationReply(
    (await run(d, A, encodeGetEventStatusNotificationCdb({ polled: true, notificationClassRequest: notificationClassMask([NotificationClass.DEVICE_BUSY]), allocationLength: 8 }))).dataIn!,
  );
  assert.equal(busy.notificationClass, NotificationClass.DEVICE_BUSY);
  assert.equal(busy.event?.kind === 'raw' && busy.event.data[1], 2, 'busy status: immediate');
  const until = Date.now() + 5000;
  while (d.state.operation && Date.now() < until) await new Promise((res) => setTimeout(res, 5));
  assert.equal(d.state.operation, undefined, 'the blank finished');
  assertGood(await run(d, A, TUR));
});

test('SET CD SPEED rounds down to the medium speed list; GET PERFORMANCE type 03h lists it', async () => {
  const d = newDrive({ medium: 'cd-r' });
  await drainUnitAttentions(d, A, TUR);
  assertGood(await run(d, A, encodeSetCdSpeedCdb({ rotationalControl: 0, readSpeed: 0xffff, writeSpeed: 5000 })));
  assert.equal(d.state.writeSpeed, 4234, '24x (24 × 176.4 kB/s, rounded) is the fastest ≤ 5000');
  const perf = decodeGetPerformanceReply(
    (await run(d, A, encodeGetPerformanceCdb({ type: PerformanceType.WRITE_SPEED, dataType: 0, startingLba: 0, maxDescriptors: 32 }))).dataIn!,
    3,
  );
  assert.ok(perf.type === 3);
  assert.deepEqual(perf.writeSpeeds.map((s) => s.writeSpeed), [8467, 7056, 5645, 4234, 2822, 1411, 706]);
});
