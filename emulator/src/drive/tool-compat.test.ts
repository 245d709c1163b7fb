/**
 * Commands as the real burning tools send them (cdrskin/libburn, wodim, cdrdao, growisofs — byte
 * sequences taken from the emulator's --verbose log of each tool burning through the guest kernel):
 * SAO with a 2048-byte pregap from the cue sheet, SYNCHRONIZE CACHE ending a TAO track and a
 * disc-at-once session, MODE SELECT with a block descriptor, GET PERFORMANCE with TOLERANCE 00b,
 * READ FORMAT CAPACITIES / FORMAT UNIT per medium, SEND OPC INFORMATION.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CapacityDescriptorType,
  FormatType,
  MediaEvent,
  NotificationClass,
  Sense,
  decodeGetEventStatusNotificationReply,
  decodeGetPerformanceReply,
  decodeReadCapacity10Reply,
  decodeReadFormatCapacitiesReply,
  decodeTocReply,
  decodeTrackInformationReply,
  encodeFormatUnitCdb,
  encodeFormatUnitParameters,
  encodeGetEventStatusNotificationCdb,
  encodeModeSelect10Cdb,
  encodeModeSelect10Parameters,
  encodeRead10Cdb,
  encodeReadCapacity10Cdb,
  encodeReadFormatCapacitiesCdb,
  encodeReadTocCdb,
  encodeReadTrackInformationCdb,
  encodeSendCueSheetCdb,
  encodeSendOpcInformationCdb,
  encodeSynchronizeCache10Cdb,
  encodeTestUnitReadyCdb,
  encodeWrite10Cdb,
  notificationClassMask,
  writeParametersPage,
} from '@openimapi/sdk';
import { A, B, assertGood, assertSense, drainUnitAttentions, newDrive, run, setWriteParameters } from './drive.test-helpers.js';
import type { MmcDrive } from './mmc-drive.js';

const TUR = encodeTestUnitReadyCdb();
const SYNC = encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 });
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

async function ready(kind: string): Promise<MmcDrive> {
  const d = newDrive({ medium: kind });
  await drainUnitAttentions(d, A, TUR);
  await drainUnitAttentions(d, B, TUR);
  return d;
}

async function invisibleTrack(d: MmcDrive) {
  return decodeTrackInformationReply((await run(d, A, encodeReadTrackInformationCdb({ open: false, addressType: 1, address: 0xff, allocationLength: 48 }))).dataIn!);
}

function mediaEvent(d: MmcDrive, who = A) {
  return run(d, who, encodeGetEventStatusNotificationCdb({ polled: true, notificationClassRequest: notificationClassMask([NotificationClass.MEDIA]), allocationLength: 8 }))
    .then((r) => decodeGetEventStatusNotificationReply(r.dataIn!).event);
}

test('SAO as wodim -dao sends it: the cue sheet makes the pregap 2048-byte mode 1 blocks; SYNCHRONIZE CACHE closes the session and reports it', async () => {
  const d = await ready('cd-r');
  await setWriteParameters(d, { writeType: 2, dataBlockType: 8, trackMode: 4, multiSession: 0 });
  // Lead-in (14h), track 1 index 0 at 00:00:00 (10h), index 1 at 00:02:00, lead-out at 00:15:25 (LBA 1000).
  const cue = hex('41000014 00000000 41010010 00000000 41010110 00000200 41aa0114 00000f19');
  assertGood(await run(d, A, encodeSendCueSheetCdb({ cueSheetSize: cue.length }), { dataOut: cue }));
  // wodim asks for the invisible track right after the cue sheet: the cue's first track answers.
  const t1 = await invisibleTrack(d);
  assert.deepEqual([t1.trackNumber, t1.trackStartAddress, t1.rt, t1.trackSize], [1, 0, true, 1000]);
  const user = (lba: number) => Buffer.alloc(2048, (lba * 13 + 5) & 0xff);
  // 150 pregap blocks from LBA −150, then the track; the WRITE's transfer length counts 2048-byte blocks.
  for (let lba = -150; lba < 1000; lba += 50) {
    const data = Buffer.concat(Array.from({ length: 50 }, (_, i) => (lba + i < 0 ? Buffer.alloc(2048) : user(lba + i))));
    assertGood(await run(d, A, encodeWrite10Cdb({ lba, transferLength: 50 }), { dataOut: data }), `WRITE at ${lba}`);
  }
  assertSense(await run(d, A, encodeWrite10Cdb({ lba: 1000, transferLength: 1 }), { dataOut: Buffer.alloc(2048) }), Sense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE);
  assert.equal(await mediaEvent(d).then((e) => e?.kind === 'media' && e.mediaEventCode), MediaEvent.NO_CHANGE, 'nothing reported before the flush');
  assertGood(await run(d, A, SYNC));
  assert.equal(d.state.medium!.state, 'complete');
  assertSense(await run(d, B, TUR), Sense.MODE_PARAMETERS_CHANGED);
  assertSense(await run(d, B, TUR), Sense.NOT_READY_TO_READY_CHANGE_MEDIUM_MAY_HAVE_CHANGED, 'the other client learns the disc changed');
  assert.equal(await mediaEvent(d).then((e) => e?.kind === 'media' && e.mediaEventCode), MediaEvent.NEW_MEDIA);
  const toc = decodeTocReply((await run(d, A, encodeReadTocCdb({ msf: false, format: 0, trackSessionNumber: 0, allocationLength: 100 }))).dataIn!, { msf: false });
  assert.deepEqual(toc.tracks.map((t) => [t.trackNumber, t.startLba]), [[1, 0], [0xaa, 1000]]);
  const back = await run(d, A, encodeRead10Cdb({ lba: 998, transferLength: 2 }));
  assert.deepEqual(back.dataIn, Buffer.concat([user(998), user(999)]));
});

test('SAO: a WRITE whose data does not split into its transfer length of cue-sized blocks is 05/24/00', async () => {
  const d = await ready('cd-r');
  await setWriteParameters(d, { writeType: 2, dataBlockType: 8, trackMode: 4, multiSession: 0 });
  const cue = hex('41000014 00000000 41010010 00000000 41010110 00000200 41aa0114 00000f19');
  assertGood(await run(d, A, encodeSendCueSheetCdb({ cueSheetSize: cue.length }), { dataOut: cue }));
  assertSense(await run(d, A, encodeWrite10Cdb({ lba: -150, transferLength: 16 }), { dataOut: Buffer.alloc(16 * 2352) }), Sense.INVALID_FIELD_IN_CDB, '2352-byte blocks where the cue says 2048');
  assertSense(await run(d, A, encodeWrite10Cdb({ lba: -150, transferLength: 17 }), { dataOut: Buffer.alloc(16 * 2048) }), Sense.INVALID_FIELD_IN_CDB);
  assertGood(await run(d, A, encodeWrite10Cdb({ lba: -150, transferLength: 16 }), { dataOut: Buffer.alloc(16 * 2048) }), 'nothing was recorded by the refused WRITEs');
});

test('TAO as cdrskin sends it: SYNCHRONIZE CACHE ends the track; the next track is written at the NWA after its pregap', async () => {
  const d = await ready('cd-r');
  await setWriteParameters(d, { writeType: 1, dataBlockType: 0, trackMode: 0, multiSession: 0 });
  const audio = Buffer.alloc(750 * 2352, 0x21);
  assertGood(await run(d, A, encodeWrite10Cdb({ lba: 0, transferLength: 750 }), { dataOut: audio }));
  assertGood(await run(d, A, SYNC));
  const t2 = await invisibleTrack(d);
  assert.deepEqual([t2.trackNumber, t2.trackStartAddress, t2.nextWritableAddress], [2, 900, 900], 'an audio track has no run-out; 150-block pregap');
  assertSense(await run(d, A, encodeWrite10Cdb({ lba: 750, transferLength: 1 }), { dataOut: Buffer.alloc(2352) }), Sense.INVALID_ADDRESS_FOR_WRITE, 'track 1 is over');
  await setWriteParameters(d, { writeType: 1, dataBlockType: 8, trackMode: 4, multiSession: 0 });
  assertGood(await run(d, A, encodeWrite10Cdb({ lba: 900, transferLength: 10 }), { dataOut: Buffer.alloc(10 * 2048, 7) }));
  assertGood(await run(d, A, SYNC));
  const t3 = await invisibleTrack(d);
  assert.deepEqual([t3.trackNumber, t3.trackStartAddress], [3, 900 + 10 + 2 + 150], 'a data track ends with 2 run-out blocks');
  // In SAO nothing ends a track early: SYNCHRONIZE CACHE mid-stream leaves the recording open.
});

test('MODE SELECT with the block descriptor wodim sends (2048-byte blocks) is accepted; another block length is 05/26/00', async () => {
  const d = await ready('cd-r');
  const header = (blockLength: number) => {
    const b = hex('0000 0000 0000 0008  00 000000 00 000000');
    b.writeUIntBE(blockLength, 13, 3);
    return b;
  };
  assertGood(await run(d, A, encodeModeSelect10Cdb({ pf: true, sp: false, parameterListLength: 16 }), { dataOut: header(2048) }));
  const r = await run(d, A, encodeModeSelect10Cdb({ pf: true, sp: false, parameterListLength: 16 }), { dataOut: header(512) });
  assertSense(r, Sense.INVALID_FIELD_IN_PARAMETER_LIST);
  assert.equal(r.sense!.readUInt16BE(16), 13, 'field pointer on the block length');
  // The descriptor and a page together: the page is applied.
  const page = encodeModeSelect10Parameters({
    mediumType: 0, deviceSpecificParameter: 0, longLba: false, blockDescriptors: header(2048).subarray(8), pages: [{ ...writeParametersPage({ trackMode: 4 }), writeType: 2 }],
  });
  assertGood(await run(d, A, encodeModeSelect10Cdb({ pf: true, sp: false, parameterListLength: page.length }), { dataOut: page }));
  assert.equal(d.modes.writeParameters.writeType, 2);
});

test('GET PERFORMANCE with TOLERANCE 00b, as libburn asks for the write speed (AC 10 ...), is answered like 10b', async () => {
  const d = await ready('dvd+r');
  const r = await run(d, A, hex('ac10 00000000 0000 0001 00 00'));
  assertGood(r);
  const perf = decodeGetPerformanceReply(r.dataIn!, 0);
  assert.ok(perf.type === 0 && !perf.except);
  assert.equal(perf.descriptors[0]!.endPerformance, 22160, 'DVD+R 16x, the fastest');
  assertSense(await run(d, A, hex('ac13 00000000 0000 0001 00 00')), Sense.INVALID_FIELD_IN_CDB, 'EXCEPT 11b stays reserved');
});

test('READ FORMAT CAPACITIES per medium: formatted DVD+RW/BD-RE with their formats, blank BD-R unformatted with 32h, others formatted, no disc 11b', async () => {
  const rfc = async (d: MmcDrive) => decodeReadFormatCapacitiesReply((await run(d, A, encodeReadFormatCapacitiesCdb({ allocationLength: 0xfffc }))).dataIn!);
  const plus = await rfc(await ready('dvd+rw'));
  assert.deepEqual(plus.current, { blocks: 2_295_104, descriptorType: CapacityDescriptorType.FORMATTED, blockLength: 2048 });
  assert.deepEqual(plus.formattable.map((f) => [f.formatType, f.blocks]), [[FormatType.DVD_PLUS_RW_FULL, 2_295_104]]);
  const re = await rfc(await ready('bd-re'));
  assert.deepEqual(re.formattable.map((f) => f.formatType), [FormatType.FULL, FormatType.BD_RE_FULL_WITH_SPARE]);
  const bdr = await rfc(await ready('bd-r'));
  assert.equal(bdr.current.descriptorType, CapacityDescriptorType.UNFORMATTED);
  assert.deepEqual(bdr.formattable.map((f) => [f.formatType, f.blocks, f.typeDependent]), [
    [FormatType.BD_R_FULL_WITH_SPARE, 12_219_392 - 65_536, 65_536],
    [FormatType.BD_R_FULL_WITH_SPARE, 12_219_392 - 393_216, 393_216],
  ]);
  const cdr = await rfc(await ready('cd-r'));
  assert.deepEqual([cdr.current.descriptorType, cdr.current.blocks, cdr.formattable.length], [CapacityDescriptorType.FORMATTED, 359_849, 0]);
  const empty = newDrive();
  await drainUnitAttentions(empty, A, TUR);
  assert.equal((await rfc(empty)).current.descriptorType, CapacityDescriptorType.NO_MEDIA);
});

test('FORMAT UNIT: a blank BD-R with spare areas loses that capacity; DVD+RW keeps its data; CD-R is 05/30/06; unknown type 05/26/00', async () => {
  const format = (d: MmcDrive, p: { blocks: number; formatType: number; typeDependent?: number }) => {
    const data = encodeFormatUnitParameters({ fov: false, immed: true, formatSubtype: 0, typeDependent: 0, ...p });
    return run(d, A, encodeFormatUnitCdb({ cmpList: false }), { dataOut: data });
  };
  const bdr = await ready('bd-r');
  assertSense(await format(bdr, { blocks: 12_000_000, formatType: FormatType.BD_R_FULL_WITH_SPARE }), Sense.INVALID_FIELD_IN_PARAMETER_LIST, 'a size the list does not offer');
  assertGood(await format(bdr, { blocks: 12_219_392 - 65_536, formatType: FormatType.BD_R_FULL_WITH_SPARE, typeDependent: 65_536 }));
  assertGood(await run(bdr, A, TUR));
  assertSense(await run(bdr, B, TUR), Sense.NOT_READY_TO_READY_CHANGE_MEDIUM_MAY_HAVE_CHANGED);
  const t = await invisibleTrack(bdr);
  assert.equal(t.freeBlocks, 12_219_392 - 65_536);
  assert.equal(bdr.state.medium!.state, 'blank');

  const plus = await ready('dvd+rw');
  assertGood(await run(plus, A, encodeWrite10Cdb({ lba: 100, transferLength: 1 }), { dataOut: Buffer.alloc(2048, 0x5a) }));
  assertSense(await format(plus, { blocks: 2_295_104, formatType: FormatType.BD_RE_FULL_WITH_SPARE }), Sense.INVALID_FIELD_IN_PARAMETER_LIST);
  assertGood(await format(plus, { blocks: 2_295_104, formatType: FormatType.DVD_PLUS_RW_FULL }));
  assert.deepEqual((await run(plus, A, encodeRead10Cdb({ lba: 100, transferLength: 1 }))).dataIn, Buffer.alloc(2048, 0x5a));
  const cap = decodeReadCapacity10Reply((await run(plus, A, encodeReadCapacity10Cdb())).dataIn!);
  assert.equal(cap.lastLba, 2_295_103);

  assertSense(await format(await ready('cd-r'), { blocks: 359_849, formatType: 0 }), Sense.CANNOT_FORMAT_MEDIUM_INCOMPATIBLE_MEDIUM);
});

test('FORMAT UNIT in the realistic model keeps the drive busy with 02/04/04 until the format is done', async () => {
  const d = newDrive({ medium: 'bd-re', speedModel: 'realistic', timeScale: 100 });
  await drainUnitAttentions(d, A, TUR);
  const data = encodeFormatUnitParameters({ fov: false, immed: true, formatSubtype: 0, typeDependent: 0, blocks: 11_826_176, formatType: FormatType.FULL });
  assertGood(await run(d, A, encodeFormatUnitCdb({ cmpList: false }), { dataOut: data }));
  assertSense(await run(d, A, TUR), Sense.LOGICAL_UNIT_NOT_READY_FORMAT_IN_PROGRESS);
  const until = Date.now() + 10_000;
  while (d.state.operation && Date.now() < until) await new Promise((res) => setTimeout(res, 5));
  assertGood(await run(d, A, TUR));
});

test('SEND OPC INFORMATION (DoOpc) is GOOD with a disc, NOT READY without one', async () => {
  const d = await ready('dvd-r');
  assertGood(await run(d, A, encodeSendOpcInformationCdb({ doOpc: true, exclude0: false, exclude1: false, parameterListLength: 0 })));
  const empty = newDrive();
  await drainUnitAttentions(empty, A, TUR);
  assertSense(await run(empty, A, encodeSendOpcInformationCdb({ doOpc: true, exclude0: false, exclude1: false, parameterListLength: 0 })), Sense.MEDIUM_NOT_PRESENT_TRAY_CLOSED);
});

test('DVD-RW Disc-At-Once as libburn writes it: RESERVE TRACK, WRITE, SYNCHRONIZE CACHE — the disc is then closed and the change reported', async () => {
  const d = await ready('dvd-rw');
  await setWriteParameters(d, { writeType: 2, multiSession: 0 });
  assertGood(await run(d, A, hex('53 00 00 00 00 00 00 00 64 00'))); // RESERVE TRACK, 100 blocks
  const data = Buffer.alloc(100 * 2048, 0x3c);
  assertGood(await run(d, A, encodeWrite10Cdb({ lba: 0, transferLength: 60 }), { dataOut: data.subarray(0, 60 * 2048) }));
  assertGood(await run(d, A, SYNC), 'a flush before the reserved track is full changes nothing');
  assert.equal(d.state.medium!.state, 'appendable');
  assertGood(await run(d, A, encodeWrite10Cdb({ lba: 60, transferLength: 40 }), { dataOut: data.subarray(60 * 2048) }));
  assertGood(await run(d, A, SYNC));
  assert.equal(d.state.medium!.state, 'complete');
  assertSense(await run(d, B, TUR), Sense.MODE_PARAMETERS_CHANGED);
  assertSense(await run(d, B, TUR), Sense.NOT_READY_TO_READY_CHANGE_MEDIUM_MAY_HAVE_CHANGED);
  const toc = decodeTocReply((await run(d, A, encodeReadTocCdb({ msf: false, format: 0, trackSessionNumber: 0, allocationLength: 100 }))).dataIn!, { msf: false });
  assert.deepEqual(toc.tracks.map((t) => [t.trackNumber, t.startLba]), [[1, 0], [0xaa, 100]]);
  assert.deepEqual((await run(d, A, encodeRead10Cdb({ lba: 0, transferLength: 100 }))).dataIn, data);
});
