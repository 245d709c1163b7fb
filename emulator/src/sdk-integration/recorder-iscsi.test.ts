/**
 * DiscMaster2 / DiscRecorder2 / DiscRecorder2Ex over real TCP iSCSI against the emulated burner: every
 * property, the tray, media-change notifications, and each Ex method with its documented errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DiscMaster2, DiscFormat2Data, ImapiError, HResult, StorageBusType, ModePageRequestType, type DiscRecorder2Ex,
  encodeModeSelect10Cdb, encodeModeSelect10Parameters, type ModePage, type WriteParametersPage,
} from '@openimapi/sdk';
import { createDrives, type MmcDrive } from '../drive/index.js';
import { startTarget, type StartedTarget } from '../iscsi/target.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hr = (name: string) => (e: unknown) => ImapiError.is(e, name as never);

async function serve(media: string, count = 1): Promise<{ t: StartedTarget; drives: MmcDrive[]; portal: string; openFirst: (mcnPollMs?: number) => Promise<DiscRecorder2Ex> }> {
  const drives = createDrives({ media, count, becomingReadyMs: 0 });
  const t = await startTarget({ port: 0, luns: drives });
  const portal = `iscsi://${t.host}:${t.port}`;
  const openFirst = async (mcnPollMs = 0) => {
    const master = new DiscMaster2({ portals: [portal], recorder: { mcnPollMs } });
    return master.openRecorder((await master.recorders())[0]!);
  };
  return { t, drives, portal, openFirst };
}

test('DiscMaster2 over a portal: both LUNs, stable ids, legacy numbers; every DiscRecorder2 property', async () => {
  const { t, drives, portal } = await serve('dvd+r', 2);
  try {
    const master = new DiscMaster2({ portals: [portal], recorder: { mcnPollMs: 0 } });
    assert.equal(master.isSupportedEnvironment, true);
    const ids = await master.recorders();
    assert.deepEqual(ids, [0, 1].map((l) => `${portal}/${t.iqn}/${l}`));
    assert.equal(await master.count(), 2);
    assert.equal(await master.item(1), ids[1]);
    await assert.rejects(master.item(2), RangeError);
    assert.deepEqual(await new DiscMaster2({ portals: [portal] }).recorders(), ids, 'another master lists the same ids');

    const rec = await master.openRecorder(ids[1]!);
    const other = await master.openRecorder(ids[0]!);
    try {
      assert.equal(rec.activeDiscRecorder, ids[1]);
      assert.deepEqual([rec.vendorId, rec.productId, rec.productRevision], ['OPENIMAP', 'EMU-BURNER', '1.0']);
      assert.equal(rec.volumeName, '');
      assert.deepEqual(rec.volumePathNames, []);
      assert.deepEqual([rec.legacyDeviceNumber, other.legacyDeviceNumber], [1, 0]);
      assert.equal(await rec.getDeviceCanLoadMedia(), true);
      const supported = await rec.getSupportedFeaturePages();
      const current = await rec.getCurrentFeaturePages();
      for (const f of [0x0000, 0x0001, 0x0003, 0x002b]) assert.ok(supported.includes(f), `feature ${f.toString(16)}`);
      assert.ok(current.includes(0x002b), 'DVD+R feature current with a DVD+R loaded');
      assert.ok(current.every((f) => supported.includes(f)));
      assert.deepEqual(await rec.getSupportedFeaturePages(true), current);
      const profiles = await rec.getSupportedProfiles();
      for (const p of [0x09, 0x0a, 0x11, 0x1b, 0x41]) assert.ok(profiles.includes(p), `profile ${p.toString(16)}`);
      assert.deepEqual(await rec.getCurrentProfiles(), [0x1b]);
      assert.deepEqual(await rec.getSupportedProfiles(true), [0x1b]);
      const pages = await rec.getSupportedModePages();
      for (const p of [0x01, 0x05, 0x2a]) assert.ok(pages.includes(p), `mode page ${p.toString(16)}`);
      assert.ok((await rec.getSupportedModePages(ModePageRequestType.CHANGEABLE_VALUES)).includes(0x05));
      assert.equal(await rec.getExclusiveAccessOwner(), '');
      await rec.acquireExclusiveAccess(false, 'Property test');
      assert.equal(rec.exclusiveAccessMethod, 'pr');
      assert.equal(await other.getExclusiveAccessOwner(), '', 'the other LUN is not locked');
      assert.equal(await rec.getExclusiveAccessOwner(), 'Property test', 'the client name, read back from the device');
      await rec.releaseExclusiveAccess();
      assert.equal(await rec.getExclusiveAccessOwner(), '');
      const res = drives[1]!.describe().reservations;
      assert.deepEqual([res.persistent, res.registrations, res.spc2], [null, [], null], 'released and unregistered at the device');
    } finally {
      await rec.close();
      await other.close();
    }
    assert.throws(() => rec.vendorId, hr('HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)'));
    await assert.rejects(rec.getSupportedProfiles(), (e: unknown) => e instanceof ImapiError && e.hresult === 0x80070006);
    await assert.rejects(rec.ejectMedia(), (e: unknown) => e instanceof ImapiError && e.hresult === 0x80070006);
  } finally {
    await t.close();
  }
});

test('ejectMedia opens the tray (after allowing removal) with the disc on it; closeTray loads the same disc again', async () => {
  const { t, drives, openFirst } = await serve('cd-r');
  try {
    const rec = await openFirst();
    // A PREVENT from this client must not stop the eject: ejectMedia allows removal first.
    await rec.sendCommandNoData(Buffer.from([0x1e, 0, 0, 0, 1, 0]), 5);
    await rec.ejectMedia();
    assert.equal(drives[0]!.describe().tray, 'open');
    assert.deepEqual(await rec.getCurrentProfiles(), []);
    await assert.rejects(rec.getDiscInformation(), hr('E_IMAPI_RECORDER_MEDIA_NO_MEDIA'));
    await rec.closeTray();
    assert.equal(drives[0]!.describe().tray, 'closed');
    assert.equal(drives[0]!.describe().medium?.kind, 'cd-r', 'the disc on the tray went back in');
    assert.deepEqual(await rec.getCurrentProfiles(), [0x09]);
    assert.equal((await rec.getDiscInformation()).discStatus, 0, 'and reads as the blank CD-R it was');
    drives[0]!.remove();
    await rec.closeTray();
    await assert.rejects(rec.getDiscInformation(), hr('E_IMAPI_RECORDER_MEDIA_NO_MEDIA'));
    drives[0]!.load('cd-r');
    assert.deepEqual(await rec.getCurrentProfiles(), [0x09]);
    await rec.close();
  } finally {
    await t.close();
  }
});

test('MCN: media arrival and removal are mediaChanged events; disableMcn holds them back, enableMcn resumes; a format write suspends MCN while the media is prepared', async () => {
  const { t, drives, openFirst } = await serve('dvd+r');
  try {
    const rec = await openFirst(40);
    const events: string[] = [];
    rec.on('mediaChanged', (e) => events.push(e.reason));
    const until = async (reason: string) => {
      for (let i = 0; i < 200 && !events.includes(reason); i++) await sleep(25);
      assert.ok(events.includes(reason), `${reason} in ${events.join(', ')}`);
    };
    await sleep(300); // the poller drains what the drive queued since power-on
    events.length = 0;
    drives[0]!.eject();
    await until('media-removal');
    drives[0]!.load('dvd+r');
    await until('new-media');

    rec.disableMcn();
    rec.disableMcn();
    events.length = 0;
    drives[0]!.eject();
    await sleep(300);
    await rec.pollMediaEvent().catch(() => undefined); // the drive reports, the recorder stays quiet
    rec.enableMcn();
    assert.equal(rec.mcnEnabled, false, 'disable/enable nest');
    drives[0]!.load('dvd+r');
    await sleep(200);
    assert.deepEqual(events, []);
    rec.enableMcn();
    assert.equal(rec.mcnEnabled, true);
    drives[0]!.eject();
    await until('media-removal');
    drives[0]!.load('dvd+r');
    await until('new-media');

    const data = new DiscFormat2Data();
    data.recorder = rec;
    data.clientName = 'MCN test';
    const seen: boolean[] = [];
    data.on('update', () => seen.push(rec.mcnEnabled));
    await data.write(Buffer.alloc(2048 * 64, 0x33));
    assert.ok(seen.length > 0 && seen.every((on) => on === false), 'MCN is off during the write');
    assert.equal(rec.mcnEnabled, true, 'and back on after the media is released');
    await rec.close();
  } finally {
    await t.close();
  }
});

test('DiscRecorder2Ex pass-through: S_OK with data, S_IMAPI_COMMAND_HAS_SENSE_DATA with the 18-byte sense, data out', async () => {
  const { t, openFirst } = await serve('dvd+r');
  try {
    const rec = await openFirst();
    await rec.sendCommandNoData(Buffer.alloc(6), 5); // the power-on unit attention
    const tur = await rec.sendCommandNoData(Buffer.alloc(6), 5);
    assert.deepEqual([tur.hresult, tur.senseBuffer], [0, Buffer.alloc(18)]);
    const di = await rec.sendCommandGetDataFromDevice(Buffer.from([0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0]), 34, 5);
    assert.deepEqual([di.hresult, di.data.length, di.bytesTransferred, di.data[2]! & 3], [0, 34, 34, 0]);
    const bad = await rec.sendCommandNoData(Buffer.from([0xff, 0, 0, 0, 0, 0]), 5);
    assert.equal(bad.hresult, HResult.S_IMAPI_COMMAND_HAS_SENSE_DATA);
    assert.equal(bad.hresult, 0x00aa0200);
    assert.equal(bad.senseBuffer.length, 18);
    assert.deepEqual([bad.senseBuffer[0]! & 0x7f, bad.senseBuffer[2]! & 0x0f, bad.senseBuffer[12], bad.senseBuffer[13]], [0x70, 0x05, 0x20, 0x00]);
    // Data out: MODE SELECT(10) of the current page 05h with a reserved WRITE TYPE → sense; a valid one → S_OK.
    const wp = (await rec.getModePage(0x05)) as WriteParametersPage;
    const list = (page: ModePage) => encodeModeSelect10Parameters({ mediumType: 0, deviceSpecificParameter: 0, longLba: false, blockDescriptors: Buffer.alloc(0), pages: [page] });
    const badList = list({ ...wp, writeType: 7 });
    const r1 = await rec.sendCommandSendDataToDevice(encodeModeSelect10Cdb({ pf: true, sp: false, parameterListLength: badList.length }), badList, 5);
    assert.equal(r1.hresult, 0x00aa0200);
    assert.deepEqual([r1.senseBuffer[2]! & 0x0f, r1.senseBuffer[12]], [0x05, 0x26]);
    const good = list({ ...wp, writeType: 0 });
    const r2 = await rec.sendCommandSendDataToDevice(encodeModeSelect10Cdb({ pf: true, sp: false, parameterListLength: good.length }), good, 5);
    assert.deepEqual([r2.hresult, r2.bytesTransferred], [0, good.length]);
    assert.equal(((await rec.getModePage(0x05)) as WriteParametersPage).writeType, 0);
    await assert.rejects(rec.sendCommandNoData(Buffer.alloc(5), 5), TypeError);
    await assert.rejects(rec.sendCommandNoData(Buffer.alloc(6), 0), TypeError);
    await rec.close();
  } finally {
    await t.close();
  }
});

test('DiscRecorder2Ex queries: disc/track information, feature and mode pages, DVD structures, descriptors, transfer sizes', async () => {
  const { t, portal } = await serve('dvd+r');
  const cd = await serve('cd-r');
  try {
    const master = new DiscMaster2({ portals: [portal, cd.portal], recorder: { mcnPollMs: 0 } });
    const [id, cdId] = await master.recorders();
    const rec: DiscRecorder2Ex = await master.openRecorder(id!);
    const cdRec: DiscRecorder2Ex = await master.openRecorder(cdId!);
    const disc = await rec.getDiscInformation();
    assert.deepEqual([disc.discStatus, disc.erasable], [0, false]);
    const track = await rec.getTrackInformation(1, 1);
    assert.equal(track.trackNumber, 1);
    assert.equal(track.blank, true);
    assert.equal((await rec.getFeaturePage(0x002b, true)).current, true);
    await assert.rejects(rec.getFeaturePage(0x002d, true), hr('E_IMAPI_RECORDER_FEATURE_IS_NOT_CURRENT'));
    assert.equal((await rec.getFeaturePage(0x002d, false)).current, false);
    await assert.rejects(rec.getFeaturePage(0x0fff), (e: unknown) => e instanceof ImapiError && e.hresult === 0xc0aa020a);
    assert.equal((await rec.getModePage(0x2a)).kind, 'capabilities');
    await assert.rejects(rec.getModePage(0x3e), (e: unknown) => e instanceof ImapiError && e.hresult === 0xc0aa0201);
    const wp = (await rec.getModePage(0x05)) as WriteParametersPage;
    await rec.setModePage(ModePageRequestType.CURRENT_VALUES, { ...wp, writeType: 0, multiSession: 3 });
    assert.deepEqual([((await rec.getModePage(0x05)) as WriteParametersPage).multiSession], [3]);
    await assert.rejects(rec.setModePage(ModePageRequestType.CURRENT_VALUES, { ...wp, dataBlockType: 4 }), (e: unknown) => e instanceof ImapiError && e.hresult === 0xc0aa0208);
    await assert.rejects(rec.setModePage(ModePageRequestType.CHANGEABLE_VALUES, wp), TypeError);

    // READ DISC STRUCTURE: DVD physical format information of the DVD+R; none on a CD.
    const pfi = await rec.readDvdStructure(0, 0, 0, 0);
    assert.equal(pfi.length, 2048);
    assert.equal(pfi[0]! >> 4, 0xa, 'book type DVD+R');
    await assert.rejects(cdRec.readDvdStructure(0, 0, 0, 0), (e: unknown) => e instanceof ImapiError && e.hresult === 0xc0aa020e);
    await assert.rejects(rec.sendDvdStructure(0x0f, Buffer.alloc(8)), (e: unknown) => e instanceof ImapiError && e.sense?.key === 5 && e.sense.asc === 0x20, 'the emulator has no SEND DISC STRUCTURE');
    await assert.rejects(rec.readDvdStructure(0, 0, 0, 4), TypeError);

    const adapter = await rec.getAdapterDescriptor();
    const burst = (rec.device.transport as { negotiated?: { params: { maxBurstLength: number } } }).negotiated!.params.maxBurstLength;
    assert.deepEqual([adapter.busType, adapter.maximumTransferLength, adapter.alignmentMask, adapter.commandQueueing], [StorageBusType.ISCSI, burst, 0, true]);
    assert.equal(adapter.busType, 9);
    const device = await rec.getDeviceDescriptor();
    assert.deepEqual([device.deviceType, device.removableMedia, device.vendorId, device.productId, device.serialNumber, device.busType], [5, true, 'OPENIMAP', 'EMU-BURNER', 'EMU0000000', 9]);
    assert.equal(device.rawDeviceProperties.subarray(8, 16).toString('latin1'), 'OPENIMAP');
    assert.equal(rec.getByteAlignmentMask(), 0);
    assert.equal(rec.getMaximumNonPageAlignedTransferSize(), burst);
    assert.equal(rec.getMaximumPageAlignedTransferSize() % 4096, 0);
    await rec.close();
    await cdRec.close();
    assert.throws(() => rec.getByteAlignmentMask(), (e: unknown) => e instanceof ImapiError && e.hresult === 0x80070006);
  } finally {
    await t.close();
    await cd.t.close();
  }
});

test('watch: polling a portal raises deviceRemoved when its target goes away and deviceAdded when it is back', async () => {
  let { t, portal } = await serve('cd-r');
  const port = t.port;
  const master = new DiscMaster2({ portals: [portal] });
  const events: string[] = [];
  master.on('deviceAdded', (id) => events.push(`+${id}`));
  master.on('deviceRemoved', (id) => events.push(`-${id}`));
  const [id] = await master.recorders();
  const stop = master.watch(100);
  try {
    await t.close();
    for (let i = 0; i < 100 && !events.length; i++) await sleep(50);
    assert.deepEqual(events, [`-${id}`]);
    t = await startTarget({ port, luns: createDrives({ media: 'cd-r' }) });
    for (let i = 0; i < 100 && events.length < 2; i++) await sleep(50);
    assert.deepEqual(events, [`-${id}`, `+${id}`], 'the same stable id again');
  } finally {
    stop();
    await t.close();
  }
});
