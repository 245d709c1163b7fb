/**
 * Recording capabilities switched off at run time (capabilities.ts): the bytes GET CONFIGURATION and
 * MODE SENSE page 2Ah show, MODE SELECT page 05h refusing what the drive then cannot record, a WRITE
 * with such a page 05h refused, and the control plane's GET/POST/DELETE /drives/:n/capabilities.
 * Feature descriptor layouts: MMC-6 §5.3.12 (0021h), §5.3.23 (002Dh), §5.3.24 (002Eh); page 2Ah:
 * MMC-3 §6.3.11; page 05h: MMC-6 §7.5.4.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DataBlockType,
  Feature,
  ModePageCode,
  MultiSession,
  Sense,
  WriteType,
  decodeGetConfigurationReply,
  decodeModeSense10Reply,
  encodeGetConfigurationCdb,
  encodeModeSelect10Cdb,
  encodeModeSelect10Parameters,
  encodeModeSense10Cdb,
  encodeCueSheet,
  encodeSendCueSheetCdb,
  encodeTestUnitReadyCdb,
  encodeWrite10Cdb,
  parseSense,
  type WriteParametersPage,
} from '@openimapi/sdk';
import { A, assertGood, assertSense, drainUnitAttentions, newDrive, run, setWriteParameters } from './drive.test-helpers.js';
import { startControlServer } from './control-server.js';
import { defaultCapabilities } from './capabilities.js';
import type { MmcDrive } from './mmc-drive.js';
import { generateDao96, imageChunk } from '../media/testing/dao96.js';

const TUR = encodeTestUnitReadyCdb();

async function ready(medium = 'cd-r'): Promise<MmcDrive> {
  const d = newDrive({ medium });
  await drainUnitAttentions(d, A, TUR);
  return d;
}

/** One feature descriptor as the drive sends it (GET CONFIGURATION RT 10b), header included. */
async function featureBytes(d: MmcDrive, code: number): Promise<number[]> {
  const r = await run(d, A, encodeGetConfigurationCdb({ rt: 2, startingFeature: code, allocationLength: 0xffff }));
  assertGood(r);
  return [...r.dataIn!.subarray(8)];
}

/** Page 2Ah byte 3 (DVD-RAM Write, DVD-R Write, Test Write, CD-RW Write, CD-R Write). */
async function page2aByte3(d: MmcDrive): Promise<number> {
  const r = await run(d, A, encodeModeSense10Cdb({ llbaa: false, dbd: true, pageControl: 0, pageCode: ModePageCode.CAPABILITIES_AND_MECHANICAL_STATUS, subpageCode: 0, allocationLength: 0xffff }));
  assertGood(r);
  return r.dataIn![8 + 3]!;
}

async function page05(d: MmcDrive): Promise<WriteParametersPage> {
  const r = await run(d, A, encodeModeSense10Cdb({ llbaa: false, dbd: true, pageControl: 0, pageCode: ModePageCode.WRITE_PARAMETERS, subpageCode: 0, allocationLength: 0xffff }));
  return decodeModeSense10Reply(r.dataIn!).pages[0] as WriteParametersPage;
}

function selectPage05(d: MmcDrive, wp: WriteParametersPage) {
  const data = encodeModeSelect10Parameters({ mediumType: 0, deviceSpecificParameter: 0, longLba: false, blockDescriptors: Buffer.alloc(0), pages: [wp] });
  return run(d, A, encodeModeSelect10Cdb({ pf: true, sp: false, parameterListLength: data.length }), { dataOut: data });
}

const RAW96 = { writeType: WriteType.RAW, dataBlockType: DataBlockType.RAW_PW_RAW, trackMode: 0, multiSession: MultiSession.NO_NEXT_SESSION, testWrite: false };

test('GET CONFIGURATION: CD Mastering, CD TAO and Incremental Streaming bits follow the capabilities, byte for byte', async () => {
  const d = await ready();
  // 002Eh v1 current, 4 bytes: BUF SAO RawMS Raw TestWrite CD-RW R-W = 7Fh, cue sheet up to FFFFh.
  assert.deepEqual(await featureBytes(d, Feature.CD_MASTERING), [0x00, 0x2e, 0x05, 0x04, 0x7f, 0x00, 0xff, 0xff]);
  // 002Dh v2 current: BUF, R-W Raw, R-W Pack, Test Write, CD-RW, R-W Subcode = 5Fh; types 0-3, 8-13.
  assert.deepEqual(await featureBytes(d, Feature.CD_TRACK_AT_ONCE), [0x00, 0x2d, 0x09, 0x04, 0x5f, 0x00, 0x3f, 0x0f]);
  // 0021h v1 current: data block types 3F0Fh, TRIO and BUF, one link size (7).
  assert.deepEqual(await featureBytes(d, Feature.INCREMENTAL_STREAMING_WRITABLE), [0x00, 0x21, 0x05, 0x08, 0x3f, 0x0f, 0x05, 0x01, 0x07, 0x00, 0x00, 0x00]);
  assert.equal(await page2aByte3(d) & 0x04, 0x04, 'page 2Ah Test Write');

  d.setCapabilities({ rwSubcode: false });
  assert.deepEqual(await featureBytes(d, Feature.CD_MASTERING), [0x00, 0x2e, 0x05, 0x04, 0x7e, 0x00, 0xff, 0xff], 'R-W (bit 0) off');
  assert.deepEqual(await featureBytes(d, Feature.CD_TRACK_AT_ONCE), [0x00, 0x2d, 0x09, 0x04, 0x46, 0x00, 0x3f, 0x03], 'R-W Raw/Pack/Subcode off, types 2 and 3 gone');
  assert.deepEqual((await featureBytes(d, Feature.INCREMENTAL_STREAMING_WRITABLE)).slice(4, 6), [0x3f, 0x03]);

  d.setCapabilities({ rwSubcode: true, sao: false, testWrite: false });
  assert.deepEqual(await featureBytes(d, Feature.CD_MASTERING), [0x00, 0x2e, 0x05, 0x04, 0x5b, 0x00, 0x00, 0x00], 'SAO and Test Write off, no cue sheet length');
  assert.deepEqual((await featureBytes(d, Feature.CD_TRACK_AT_ONCE)).slice(4), [0x5b, 0x00, 0x3f, 0x0f]);
  assert.equal(await page2aByte3(d) & 0x04, 0, 'page 2Ah Test Write off');

  d.setCapabilities({ rawMultiSession: false });
  assert.equal((await featureBytes(d, Feature.CD_MASTERING))[4], 0x4b, 'Raw MS off');
  d.setCapabilities({ sao: true, raw: false, rawMultiSession: true });
  assert.equal((await featureBytes(d, Feature.CD_MASTERING))[4], 0x63, 'Raw off: Raw MS is not claimed either');
  d.setCapabilities({ sao: false, raw: false });
  assert.deepEqual(await featureBytes(d, Feature.CD_MASTERING), [], 'neither SAO nor Raw: no CD Mastering feature');
  const all = decodeGetConfigurationReply((await run(d, A, encodeGetConfigurationCdb({ rt: 0, startingFeature: 0, allocationLength: 0xffff }))).dataIn!);
  assert.ok(!all.features.some((f) => f.code === Feature.CD_MASTERING) && all.features.some((f) => f.code === Feature.CD_TRACK_AT_ONCE));

  d.resetCapabilities();
  assert.deepEqual(await featureBytes(d, Feature.CD_MASTERING), [0x00, 0x2e, 0x05, 0x04, 0x7f, 0x00, 0xff, 0xff]);
  assert.equal(await page2aByte3(d) & 0x04, 0x04);
});

test('MODE SELECT: raw-96 (WRITE TYPE 3, DATA BLOCK TYPE 3) is refused without R-W, accepted with it; PQ-only still accepted', async () => {
  const d = await ready();
  d.setCapabilities({ rwSubcode: false });
  const wp = await page05(d);
  for (const dataBlockType of [DataBlockType.RAW_PW_RAW, DataBlockType.RAW_PW_PACKED]) {
    const r = await selectPage05(d, { ...wp, ...RAW96, dataBlockType });
    assertSense(r, Sense.INVALID_FIELD_IN_PARAMETER_LIST, `data block type ${dataBlockType}`);
    assert.deepEqual(parseSense(r.sense)!.fieldPointer, { cd: false, byte: 8 + 4, bit: 3 }, 'points at DATA BLOCK TYPE');
  }
  assert.deepEqual([(await page05(d)).writeType, (await page05(d)).dataBlockType], [WriteType.TRACK_AT_ONCE, DataBlockType.MODE_1], 'nothing changed');
  assertGood(await selectPage05(d, { ...wp, ...RAW96, dataBlockType: DataBlockType.RAW_PQ }), 'PQ only (2368) needs no R-W');
  d.setCapabilities({ rwSubcode: true });
  assertGood(await selectPage05(d, { ...wp, ...RAW96 }));
  assert.equal((await page05(d)).dataBlockType, DataBlockType.RAW_PW_RAW);
});

test('MODE SELECT: write type, multi-session and Test Write need their capability; on a DVD write type 2 is not CD SAO', async () => {
  const d = await ready();
  d.setCapabilities({ sao: false, raw: false, testWrite: false });
  const wp = await page05(d);
  const pointer = async (change: Partial<WriteParametersPage>) => {
    const r = await selectPage05(d, { ...wp, ...change });
    assertSense(r, Sense.INVALID_FIELD_IN_PARAMETER_LIST, JSON.stringify(change));
    return parseSense(r.sense)!.fieldPointer;
  };
  assert.deepEqual(await pointer({ writeType: WriteType.SESSION_AT_ONCE, dataBlockType: 0, trackMode: 0 }), { cd: false, byte: 10, bit: 3 });
  assert.deepEqual(await pointer({ ...RAW96 }), { cd: false, byte: 10, bit: 3 });
  assert.deepEqual(await pointer({ testWrite: true }), { cd: false, byte: 10, bit: 4 });
  d.setCapabilities({ raw: true, rawMultiSession: false });
  assert.deepEqual(await pointer({ ...RAW96, multiSession: MultiSession.NEXT_SESSION_ALLOWED }), { cd: false, byte: 11, bit: 7 });
  assertGood(await selectPage05(d, { ...wp, ...RAW96 }), 'raw single-session is still recorded');
  assertGood(await selectPage05(d, { ...wp, writeType: WriteType.TRACK_AT_ONCE, dataBlockType: DataBlockType.MODE_1, trackMode: 4, multiSession: MultiSession.NEXT_SESSION_ALLOWED }), 'TAO multi-session is not raw');

  const dvd = await ready('dvd-r');
  dvd.setCapabilities({ sao: false, testWrite: false });
  const dwp = await page05(dvd);
  assertGood(await selectPage05(dvd, { ...dwp, writeType: WriteType.SESSION_AT_ONCE }), 'DVD-R disc at once');
  assertSense(await selectPage05(dvd, { ...dwp, testWrite: true }), Sense.INVALID_FIELD_IN_PARAMETER_LIST, 'no simulation on any medium');
});

test('a WRITE or SEND CUE SHEET with page 05h selected before the capability went off is 05/64/00; nothing is recorded', async () => {
  const d = await ready();
  const leadIn = d.state.medium!.sessions()[0]!.leadIn!;
  const img = generateDao96({ leadInStart: leadIn, tracks: [{ control: 0, sectors: 300 }], sub: 'raw' });
  await setWriteParameters(d, RAW96);
  d.setCapabilities({ rwSubcode: false });
  const r = await run(d, A, encodeWrite10Cdb({ lba: leadIn, transferLength: 1 }), { dataOut: imageChunk(img, 0, 1) });
  assertSense(r, Sense.INVALID_MODE_FOR_THIS_TRACK);
  assert.equal(d.state.medium!.state, 'blank', 'no recording began');
  d.setCapabilities({ rwSubcode: true });
  assertGood(await run(d, A, encodeWrite10Cdb({ lba: leadIn, transferLength: 1 }), { dataOut: imageChunk(img, 0, 1) }), 'the same WRITE once R-W is back');

  const s = await ready();
  await setWriteParameters(s, { writeType: WriteType.SESSION_AT_ONCE, dataBlockType: 0, trackMode: 0 });
  s.setCapabilities({ sao: false });
  const at = (tno: number, index: number, dataForm: number, s: number) => ({ kind: 'position' as const, ctl: 0, tno, index, dataForm, subChannelForm: 0, scms: false, time: { m: 0, s, f: 0 } });
  const cue = encodeCueSheet([at(0, 0, 1, 0), at(1, 0, 0, 0), at(1, 1, 0, 2), at(0xaa, 1, 1, 10)]);
  assertSense(await run(s, A, encodeSendCueSheetCdb({ cueSheetSize: cue.length }), { dataOut: cue }), Sense.INVALID_MODE_FOR_THIS_TRACK);
});

test('setCapabilities checks the whole change first: unknown keys and non-booleans are TypeErrors that change nothing', () => {
  const d = newDrive({ medium: 'cd-r' });
  assert.throws(() => d.setCapabilities({ rwSubcode: false, bogus: true }), { name: 'TypeError', message: /unknown capability "bogus"/ });
  assert.throws(() => d.setCapabilities({ raw: false, sao: 'no' }), { name: 'TypeError', message: /"sao" must be true or false/ });
  assert.throws(() => d.setCapabilities([{ raw: false }]), TypeError);
  assert.throws(() => d.setCapabilities(null), TypeError);
  assert.deepEqual(d.capabilities, defaultCapabilities);
  assert.deepEqual(d.setCapabilities({ testWrite: false }), { ...defaultCapabilities, testWrite: false });
  d.reset('lun-reset', A);
  assert.equal(d.capabilities.testWrite, false, 'a reset keeps them (they are the hardware, not mode parameters)');
});

async function call(url: string, method: string, body?: string) {
  const res = await fetch(url, { method, ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}) });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

test('control plane: GET/POST/DELETE /drives/:n/capabilities round trip, 400 on a bad body, /state shows them', async (t) => {
  const drives = [newDrive({ medium: 'cd-r' }), newDrive({ medium: 'cd-r' })];
  const srv = await startControlServer(drives);
  t.after(() => srv.close());
  const url = `${srv.url}/drives/0/capabilities`;
  assert.deepEqual(await call(url, 'GET'), { status: 200, json: { sao: true, raw: true, rawMultiSession: true, rwSubcode: true, testWrite: true } });
  const set = await call(url, 'POST', '{"rwSubcode": false}');
  assert.deepEqual(set, { status: 200, json: { sao: true, raw: true, rawMultiSession: true, rwSubcode: false, testWrite: true } });
  assert.equal((await call(url, 'GET')).json.rwSubcode, false);
  assert.equal(drives[0]!.capabilities.rwSubcode, false);
  assert.equal(drives[1]!.capabilities.rwSubcode, true, 'only that drive');
  assert.equal((await call(`${srv.url}/drives/0/state`, 'GET')).json.capabilities.rwSubcode, false);

  for (const [body, error] of [
    ['{"rwSubcode": true, "cdText": false}', /unknown capability "cdText"/],
    ['{"raw": 0}', /"raw" must be true or false, not 0/],
    ['[{"raw": false}]', /expected a JSON object/],
    ['{"raw":', /bad JSON/],
  ] as const) {
    const r = await call(url, 'POST', body);
    assert.equal(r.status, 400, body);
    assert.match(r.json.error, error);
  }
  assert.equal(drives[0]!.capabilities.rwSubcode, false, 'a refused body changes nothing (not even its good keys)');
  assert.equal((await call(url, 'POST', '{}')).json.rwSubcode, false, 'an empty change keeps everything');

  assert.deepEqual(await call(url, 'DELETE'), { status: 200, json: { ...defaultCapabilities } });
  assert.deepEqual(drives[0]!.capabilities, defaultCapabilities);
  assert.equal((await call(`${srv.url}/drives/5/capabilities`, 'GET')).status, 404);
  assert.equal((await call(url, 'PUT', '{}')).status, 404);
});
