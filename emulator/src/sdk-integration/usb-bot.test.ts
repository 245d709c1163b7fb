// UsbBotTransport (USB Mass Storage Bulk-Only Transport) against a simulated USB device whose bulk
// endpoints feed the emulator's drive core: commands, data phases, stalls, residues, reset recovery,
// a device unplugged mid-command, timeouts, cancellation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DiscFormat2Data,
  DiscMaster2,
  DiscRecorder2Ex,
  ImapiError,
  Profile,
  ScsiDevice,
  ScsiStatus,
  TocFormat,
  UsbBotTransport,
  decodeGetConfigurationReply,
  decodeInquiryReply,
  decodeTocReply,
  encodeGetConfigurationCdb,
  encodeInquiryCdb,
  encodeRead10Cdb,
  encodeReadTocCdb,
  encodeTestUnitReadyCdb,
  encodeWrite10Cdb,
  parseSense,
  usbProvider,
  type ScsiRequest,
  type UsbDeviceLike,
  type WebUsbLike,
} from '@openimapi/sdk';
import { newDrive } from '../drive/drive.test-helpers.js';
import type { MmcDrive } from '../drive/index.js';
import { SimulatedUsbDevice, SimulatedWebUsb, type SimulatedUsbDeviceOptions } from './usb-device.test.helpers.js';

const hr = (name: string) => (e: unknown) => e instanceof ImapiError && e.hresultName === name;
const INQUIRY = encodeInquiryCdb({ evpd: false, pageCode: 0, allocationLength: 255 });
const TUR = encodeTestUnitReadyCdb();

async function setup(opts: Partial<SimulatedUsbDeviceOptions> & { medium?: string } = {}) {
  const drive: MmcDrive = newDrive({ medium: opts.medium ?? 'cd-r' });
  const webusb = new SimulatedWebUsb();
  const dev = webusb.plug(new SimulatedUsbDevice({ lu: drive, ...opts }));
  const t = await UsbBotTransport.open(dev as unknown as UsbDeviceLike, { webusb: webusb as unknown as WebUsbLike });
  return { drive, webusb, dev, t, scsi: new ScsiDevice(t) };
}

function req(cdb: Uint8Array, extra: Partial<ScsiRequest> = {}): ScsiRequest {
  return { cdb, direction: 'none', timeoutMs: 10_000, ...extra };
}
const inquiry = (extra: Partial<ScsiRequest> = {}) => req(INQUIRY, { direction: 'in', dataInLength: 255, ...extra });
const opcodes = (dev: SimulatedUsbDevice) => dev.log.cbws.map((c) => c.cb[0]);

test('BOT: open asks Get Max LUN, names the device usb:VID:PID:SERIAL; INQUIRY and GET CONFIGURATION through CBW/CSW', async () => {
  const { dev, t, scsi } = await setup({ serialNumber: 'SN 1' });
  assert.equal(dev.log.getMaxLun, 1);
  assert.equal(t.maxLun, 0);
  assert.equal(t.id, 'usb:1d6b:0bd0:SN%201');
  const inq = await scsi.read({ cdb: (n) => encodeInquiryCdb({ evpd: false, pageCode: 0, allocationLength: n }), allocationLength: 96, maxAllocationLength: 0xff, decode: decodeInquiryReply });
  assert.equal(inq.peripheralDeviceType, 5);
  assert.equal(inq.vendorIdentification, 'OPENIMAP');
  const cfg = await scsi.read({ cdb: (n) => encodeGetConfigurationCdb({ rt: 0, startingFeature: 0, allocationLength: n }), allocationLength: 8, decode: decodeGetConfigurationReply });
  assert.equal(cfg.currentProfile, Profile.CD_R);
  assert.ok(cfg.features.length > 5, 'GET CONFIGURATION re-read at its full length');
  // Tags count up from 1, direction and length as asked; the truncated GET CONFIGURATION was re-issued.
  assert.deepEqual(dev.log.cbws.map((c) => [c.tag, c.direction, c.cb[0]]).slice(0, 2), [[1, 'in', 0x12], [2, 'in', 0x46]]);
  assert.equal(dev.log.cbws[1]!.dataTransferLength, 8);
  assert.equal(dev.log.resets, 0);
  await t.close();
  assert.equal(dev.opened, false);
  await assert.rejects(t.execute(inquiry()), hr('HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)'));
});

test('BOT: Command Failed → REQUEST SENSE (auto-sense): the power-on unit attention, then no media after an eject', async () => {
  const { drive, dev, t, scsi } = await setup();
  const first = await t.execute(req(TUR));
  assert.equal(first.status, ScsiStatus.CHECK_CONDITION);
  assert.deepEqual(pick(parseSense(first.sense)), { key: 6, asc: 0x29, ascq: 0 });
  assert.deepEqual(opcodes(dev), [0x00, 0x03], 'TUR then the transport’s REQUEST SENSE');
  assert.equal(dev.log.cbws[1]!.dataTransferLength, 18);
  await scsi.exec(TUR);
  drive.eject({ force: true });
  await assert.rejects(scsi.exec(TUR), (e) => hr('E_IMAPI_RECORDER_MEDIA_NO_MEDIA')(e) && pick((e as ImapiError).sense) !== undefined && (e as ImapiError).sense!.asc === 0x3a);
  await t.close();
});

test('BOT: write a data disc and read it back through Data-Out/Data-In; READ TOC shows the track', async () => {
  const { t } = await setup({ medium: 'cd-r' });
  const rec = new DiscRecorder2Ex({ mcnPollMs: 0 });
  await rec.attach(t, t.id);
  const d = new DiscFormat2Data();
  d.recorder = rec;
  d.clientName = 'usb test';
  const img = Buffer.alloc(300 * 2048);
  for (let i = 0; i < img.length; i++) img[i] = (i * 31 + (i >> 11)) & 0xff;
  await d.write(img);
  const back: Buffer[] = [];
  for (let lba = 0; lba < 300; lba += 100) back.push((await rec.device.run({ cdb: encodeRead10Cdb({ lba, transferLength: 100 }), direction: 'in', dataInLength: 100 * 2048 })).dataIn);
  assert.ok(Buffer.concat(back).equals(img), 'read back byte for byte');
  const toc = await rec.device.read({ cdb: (n) => encodeReadTocCdb({ msf: false, format: TocFormat.TOC, trackSessionNumber: 1, allocationLength: n }), allocationLength: 12, decode: (b) => decodeTocReply(b, { msf: false }) });
  assert.equal(toc.firstTrack, 1);
  assert.equal(toc.tracks[0]!.trackNumber, 1);
  assert.equal(toc.tracks[0]!.startLba, 0);
  const leadOut = toc.tracks.find((x) => x.trackNumber === 0xaa)!;
  assert.ok(leadOut.startLba >= 300, `lead-out at ${leadOut.startLba}`);
  await rec.close();
});

for (const mode of ['short-packet', 'short-packet-then-stall', 'pad'] as const) {
  test(`BOT: a Data-In shorter than asked (${mode}) → dataIn and residual from the transfer and dCSWDataResidue`, async () => {
    const { dev, t } = await setup({ shortDataIn: mode });
    const r = await t.execute(inquiry());
    assert.equal(r.status, ScsiStatus.GOOD);
    const n = decodeInquiryReply(r.dataIn).fullLength;
    assert.equal(r.dataIn.length, n);
    assert.equal(r.residual, 255 - n);
    assert.equal(r.overflow, 0);
    assert.deepEqual(dev.log.clearHalts, mode === 'short-packet-then-stall' ? ['in'] : []);
    assert.equal(dev.log.resets, 0);
    await t.close();
  });
}

test('BOT: a STALL on Data-In → clear halt, CSW Command Failed, sense by REQUEST SENSE; the next command works', async () => {
  for (const stallStyle of ['reject', 'status'] as const) {
    const { dev, t } = await setup({ stallStyle });
    dev.faults.stallDataIn = true;
    const r = await t.execute(inquiry());
    assert.equal(r.status, ScsiStatus.CHECK_CONDITION, stallStyle);
    assert.deepEqual(pick(parseSense(r.sense)), { key: 0xb, asc: 0, ascq: 0 });
    assert.equal(r.dataIn.length, 0);
    assert.equal(r.residual, 255);
    assert.deepEqual(dev.log.clearHalts, ['in']);
    assert.equal((await t.execute(inquiry())).status, ScsiStatus.GOOD);
    assert.equal(dev.log.resets, 0, 'a stall is not a reason to reset');
    await t.close();
  }
});

test('BOT: a STALL on Data-Out → clear halt, CSW Command Failed with the residue; the next command works', async () => {
  const { dev, t } = await setup({ medium: 'dvd+rw' });
  await t.execute(req(TUR));
  dev.faults.stallDataOutAfter = 0;
  const w = await t.execute(req(encodeWrite10Cdb({ lba: 0, transferLength: 2 }), { direction: 'out', dataOut: Buffer.alloc(4096, 0x5a) }));
  assert.equal(w.status, ScsiStatus.CHECK_CONDITION);
  assert.deepEqual(pick(parseSense(w.sense)), { key: 0xb, asc: 0, ascq: 0 });
  assert.equal(w.residual, 4096);
  assert.deepEqual(dev.log.clearHalts, ['out']);
  const again = await t.execute(req(encodeWrite10Cdb({ lba: 0, transferLength: 2 }), { direction: 'out', dataOut: Buffer.alloc(4096, 0x5a) }));
  assert.equal(again.status, ScsiStatus.GOOD);
  assert.equal(again.residual, 0);
  const r = await t.execute(req(encodeRead10Cdb({ lba: 0, transferLength: 2 }), { direction: 'in', dataInLength: 4096 }));
  assert.ok(r.dataIn.equals(Buffer.alloc(4096, 0x5a)));
  await t.close();
});

test('BOT: a STALL when reading the CSW → clear halt and read it again (BOT §6.7.2)', async () => {
  const { dev, t } = await setup();
  dev.faults.stallCswOnce = true;
  assert.equal((await t.execute(inquiry())).status, ScsiStatus.GOOD);
  assert.deepEqual(dev.log.clearHalts, ['in']);
  assert.equal(dev.log.resets, 0);
  await t.close();
});

test('BOT: Phase Error → reset recovery (reset, clear halt in, clear halt out), the command fails, the device works after', async () => {
  const { dev, t } = await setup();
  dev.faults.phaseError = true;
  await assert.rejects(t.execute(inquiry()), (e) => hr('E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE')(e) && /phase error/.test((e as Error).message));
  assert.equal(dev.log.resets, 1);
  assert.deepEqual(dev.log.clearHalts, ['in', 'out']);
  assert.equal(t.closed, false);
  assert.equal((await t.execute(inquiry())).status, ScsiStatus.GOOD);
  await t.close();
});

for (const bad of ['tag', 'signature', 'length'] as const) {
  test(`BOT: a CSW with a wrong ${bad} → reset recovery, then E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE`, async () => {
    const { dev, t } = await setup();
    dev.faults.corruptCsw = bad;
    const why = { tag: /dCSWTag 0x00000002 does not match dCBWTag 0x00000001/, signature: /dCSWSignature 0x43425355/, length: /CSW of 12 bytes/ }[bad];
    await assert.rejects(t.execute(inquiry()), (e) => hr('E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE')(e) && why.test((e as Error).message));
    assert.equal(dev.log.resets, 1);
    assert.deepEqual(dev.log.clearHalts, ['in', 'out']);
    const ok = await t.execute(inquiry());
    assert.equal(ok.status, ScsiStatus.GOOD);
    assert.equal(dev.log.cbws.at(-1)!.tag, 2);
    await t.close();
  });
}

test('BOT: the device unplugged mid-command → ERROR_DEV_NOT_EXIST (disconnected) for it and every later command', async () => {
  const { drive, dev, t } = await setup();
  await t.execute(req(TUR));
  drive.faults.arm({ kind: 'timeout', opcode: 'TEST_UNIT_READY' });
  const pending = t.execute(req(TUR));
  const queued = t.execute(inquiry());
  await waitFor(() => dev.pendingTransfers().includes('in'));
  dev.unplug();
  await assert.rejects(pending, (e) => hr('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)')(e) && (e as ImapiError).disconnected);
  await assert.rejects(queued, hr('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)'));
  assert.equal(t.closed, true);
  await assert.rejects(t.execute(inquiry()), hr('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)'));
  await t.close();
});

test('BOT: a command that does not complete → reset recovery aborts it, E_IMAPI_RECORDER_COMMAND_TIMEOUT, the device works after', async () => {
  const { drive, dev, t } = await setup();
  await t.execute(req(TUR));
  drive.faults.arm({ kind: 'timeout', opcode: 'TEST_UNIT_READY' });
  await assert.rejects(t.execute(req(TUR, { timeoutMs: 300 })), hr('E_IMAPI_RECORDER_COMMAND_TIMEOUT'));
  assert.equal(dev.log.resets, 1);
  assert.equal(t.closed, false);
  assert.equal((await t.execute(req(TUR))).status, ScsiStatus.GOOD);
  // The reset itself refused: the command still times out, and the device counts as lost.
  drive.faults.arm({ kind: 'timeout', opcode: 'TEST_UNIT_READY' });
  dev.faults.refuseReset = true;
  await assert.rejects(t.execute(req(TUR, { timeoutMs: 300 })), hr('E_IMAPI_RECORDER_COMMAND_TIMEOUT'));
  assert.equal(t.closed, true);
  await assert.rejects(t.execute(req(TUR)), hr('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)'));
  await t.close();
});

test('BOT: cancellation — before sending, while queued (never sent), and on the wire (rejects at once)', async () => {
  const { drive, dev, t } = await setup();
  await t.execute(req(TUR));
  const sent = dev.log.cbws.length;
  await assert.rejects(t.execute(req(TUR, { signal: AbortSignal.abort() })), (e) => hr('E_IMAPI_REQUEST_CANCELLED')(e) && (e as ImapiError).canceled);
  assert.equal(dev.log.cbws.length, sent);
  drive.faults.arm({ kind: 'timeout', opcode: 'TEST_UNIT_READY' });
  const onWire = new AbortController();
  const first = t.execute(req(TUR, { timeoutMs: 1500, signal: onWire.signal }));
  const inQueue = new AbortController();
  const second = t.execute(req(encodeInquiryCdb({ evpd: false, pageCode: 0, allocationLength: 36 }), { direction: 'in', dataInLength: 36, signal: inQueue.signal }));
  await waitFor(() => dev.pendingTransfers().includes('in'));
  inQueue.abort();
  await assert.rejects(second, hr('E_IMAPI_REQUEST_CANCELLED'));
  onWire.abort();
  await assert.rejects(first, hr('E_IMAPI_REQUEST_CANCELLED'));
  // The hung command times out on the device side and is reset; the transport stays usable.
  assert.equal((await t.execute(inquiry())).status, ScsiStatus.GOOD);
  assert.equal(dev.log.cbws.filter((c) => c.dataTransferLength === 36).length, 0, 'the cancelled queued INQUIRY never reached the device');
  assert.equal(dev.log.resets, 1);
  await t.close();
});

test('BOT: open errors — interface claimed elsewhere → E_IMAPI_RECORDER_LOCKED; LUN above Get Max LUN; a stalled Get Max LUN means LUN 0; no BOT interface', async () => {
  const drive = newDrive({ medium: 'cd-r' });
  const busy = new SimulatedUsbDevice({ lu: drive });
  busy.claimedElsewhere = true;
  await assert.rejects(UsbBotTransport.open(busy as unknown as UsbDeviceLike), hr('E_IMAPI_RECORDER_LOCKED'));
  assert.equal(busy.opened, false, 'closed again after the failure');
  const single = new SimulatedUsbDevice({ lu: drive, maxLun: 'stall' });
  await assert.rejects(UsbBotTransport.open(single as unknown as UsbDeviceLike, { lun: 1 }), /lun 1 is above the device's highest LUN 0/);
  const t = await UsbBotTransport.open(single as unknown as UsbDeviceLike);
  assert.equal(t.maxLun, 0);
  await t.close();
  const uas = new SimulatedUsbDevice({ lu: drive, interfaceProtocol: 0x62 });
  await assert.rejects(UsbBotTransport.open(uas as unknown as UsbDeviceLike), (e) => e instanceof TypeError && /no interface of class 08h subclass 02h\/06h protocol 50h/.test(e.message));
  await assert.rejects(UsbBotTransport.open(single as unknown as UsbDeviceLike, { lun: 16 }), TypeError);
});

test('BOT: DiscMaster2 with a USB source lists BOT devices as usb:VID:PID:SERIAL and opens a recorder from the id', async () => {
  const webusb = new SimulatedWebUsb();
  const drive = newDrive({ medium: 'cd-rw' });
  webusb.plug(new SimulatedUsbDevice({ lu: drive, vendorId: 0x152d, productId: 0x2339, serialNumber: 'A1' }));
  webusb.plug(new SimulatedUsbDevice({ lu: newDrive(), vendorId: 0x0781, productId: 0x5581, interfaceSubclass: 0x06, interfaceProtocol: 0x62 }));
  const master = new DiscMaster2({ providers: [usbProvider({ webusb: webusb as unknown as WebUsbLike })], recorder: { mcnPollMs: 0 } });
  assert.equal(master.isSupportedEnvironment, true);
  assert.deepEqual(await master.recorders(), ['usb:152d:2339:A1']);
  const rec = await master.openRecorder('usb:152d:2339:A1');
  assert.equal(rec.vendorId.trim(), 'OPENIMAP');
  assert.equal(await rec.getCurrentProfile(), Profile.CD_RW);
  await rec.close();
  await assert.rejects(master.open('usb:152d:2339:B2'), hr('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)'));
  await assert.rejects(master.open('usb:nope'), /is not usb:VID:PID/);
});

test('simulated device: argument errors as usb 3.x reports them', async () => {
  const dev = new SimulatedUsbDevice({ lu: newDrive() });
  await dev.open();
  await dev.claimInterface(0);
  await assert.rejects(dev.transferIn('1' as unknown as number, 13), (e) => (e as { code?: string }).code === 'NumberExpected' && (e as Error).message === 'Failed to convert napi value String into rust type `u8`');
  await assert.rejects(dev.transferIn(300, 13), { message: 'Failed to convert u32 to u8' });
  await assert.rejects(dev.transferIn(3, 13), { message: 'transferIn error: endpoint not found' });
  await assert.rejects(dev.controlTransferOut({ requestType: 'class', recipient: 'interface', request: 0xff, value: 0, index: 0 }), TypeError);
  await assert.rejects(dev.transferIn(1, 13, 20), { message: 'transferIn error: Cancelled' });
  const webusb = new SimulatedWebUsb();
  await assert.rejects(webusb.requestDevice(), { message: 'requestDevice error: 1 argument required, but only 0 present' });
  await assert.rejects(webusb.requestDevice({ filters: [{ protocolCode: 0x50 }] }), { message: 'requestDevice error: subclass code is required' });
  await assert.rejects(webusb.requestDevice({ filters: [] }), { name: 'NotFoundError' });
});

function pick(s: { key: number; asc: number; ascq: number } | undefined) {
  return s && { key: s.key, asc: s.asc, ascq: s.ascq };
}

async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}
