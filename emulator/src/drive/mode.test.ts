/**
 * MODE SENSE(10)/MODE SELECT(10): current/changeable/default values, validation before change.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ModePageCode,
  PageControl,
  Sense,
  decodeModeSense10Reply,
  encodeModeSelect10Cdb,
  encodeModeSelect10Parameters,
  encodeModeSense10Cdb,
  encodeTestUnitReadyCdb,
  parseSense,
  type ModePage,
  type WriteParametersPage,
} from '@openimapi/sdk';
import { A, B, assertGood, assertSense, drainUnitAttentions, newDrive, run } from './drive.test-helpers.js';
import type { MmcDrive } from './mmc-drive.js';

const TUR = encodeTestUnitReadyCdb();

async function sense(d: MmcDrive, pageCode: number, pageControl: number = PageControl.CURRENT) {
  const r = await run(d, A, encodeModeSense10Cdb({ llbaa: false, dbd: true, pageControl, pageCode, subpageCode: 0, allocationLength: 0xffff }));
  return r;
}

async function page05(d: MmcDrive): Promise<WriteParametersPage> {
  const r = await sense(d, ModePageCode.WRITE_PARAMETERS);
  assertGood(r);
  const p = decodeModeSense10Reply(r.dataIn!).pages[0]!;
  assert.equal(p.kind, 'writeParameters');
  return p as WriteParametersPage;
}

function select(d: MmcDrive, pages: ModePage[], who = A) {
  const data = encodeModeSelect10Parameters({ mediumType: 0, deviceSpecificParameter: 0, longLba: false, blockDescriptors: Buffer.alloc(0), pages });
  return run(d, who, encodeModeSelect10Cdb({ pf: true, sp: false, parameterListLength: data.length }), { dataOut: data });
}

async function ready() {
  const d = newDrive({ medium: 'cd-r' });
  await drainUnitAttentions(d, A, TUR);
  return d;
}

test('MODE SENSE: page 05h defaults (TAO, mode 1 data blocks), all pages in code order', async () => {
  const d = await ready();
  const wp = await page05(d);
  assert.deepEqual([wp.writeType, wp.dataBlockType, wp.trackMode, wp.multiSession], [1, 8, 4, 0]);
  const all = decodeModeSense10Reply((await sense(d, ModePageCode.ALL_PAGES)).dataIn!);
  assert.deepEqual(all.pages.map((p) => p.kind), ['readWriteErrorRecovery', 'writeParameters', 'capabilities']);
  const cap = all.pages[2]!;
  assert.equal(cap.kind === 'capabilities' && cap.writeSpeedDescriptors.length, 7, 'CD-R: seven write speeds (48x..4x)');
});

test('MODE SENSE of an absent page is 05/24/00; PC=11b (saved) is 05/39/00', async () => {
  const d = await ready();
  assertSense(await sense(d, 0x0e), Sense.INVALID_FIELD_IN_CDB);
  assertSense(await sense(d, ModePageCode.WRITE_PARAMETERS, PageControl.SAVED), Sense.SAVING_PARAMETERS_NOT_SUPPORTED);
});

test('MODE SENSE PC=01b: write type is changeable, page 2Ah is not', async () => {
  const d = await ready();
  const r = decodeModeSense10Reply((await sense(d, ModePageCode.ALL_PAGES, PageControl.CHANGEABLE)).dataIn!);
  const wp = r.pages.find((p) => p.kind === 'writeParameters') as WriteParametersPage;
  assert.equal(wp.writeType, 0xf);
  const cap = r.pages.find((p) => p.kind === 'capabilities');
  assert.ok(cap && cap.kind === 'capabilities');
  assert.equal(cap.maxReadSpeed, 0);
  assert.equal(cap.cdRWrite, false);
});

test('MODE SELECT changes page 05h, and other nexuses get 06/2A/01', async () => {
  const d = await ready();
  await drainUnitAttentions(d, B, TUR);
  const wp = await page05(d);
  assertGood(await select(d, [{ ...wp, writeType: 2, multiSession: 3, dataBlockType: 0, trackMode: 0 }]));
  const after = await page05(d);
  assert.deepEqual([after.writeType, after.multiSession, after.dataBlockType, after.trackMode], [2, 3, 0, 0]);
  assertSense(await run(d, B, TUR), Sense.MODE_PARAMETERS_CHANGED);
  assertGood(await run(d, A, TUR), 'not to the nexus that changed them');
  const ctx = d.modes.writeContext();
  assert.deepEqual([ctx.writeType, ctx.multiSession, ctx.dataBlockType], [2, 3, 0]);
});

test('MODE SELECT with a bad page changes nothing — not even a good page before it in the list', async () => {
  const d = await ready();
  const wp = await page05(d);
  const all = decodeModeSense10Reply((await sense(d, ModePageCode.ALL_PAGES)).dataIn!).pages;
  const cap = all.find((p) => p.kind === 'capabilities')!;
  // Page 2Ah is not changeable: flipping a bit is INVALID FIELD IN PARAMETER LIST.
  const r = await select(d, [{ ...wp, writeType: 2 }, { ...cap, cdRWrite: false } as ModePage]);
  assertSense(r, Sense.INVALID_FIELD_IN_PARAMETER_LIST);
  assert.equal(parseSense(r.sense)!.fieldPointer?.cd, false);
  assert.equal((await page05(d)).writeType, 1, 'page 05h unchanged');
  // A reserved WRITE TYPE (7) passes the mask but not the value check.
  const r2 = await select(d, [{ ...wp, writeType: 7 }]);
  assertSense(r2, Sense.INVALID_FIELD_IN_PARAMETER_LIST);
  assert.equal(parseSense(r2.sense)!.fieldPointer?.byte, 8 + 2, 'points at WRITE TYPE (page byte 2 after the 8-byte header)');
  assert.equal((await page05(d)).writeType, 1);
  // A reserved DATA BLOCK TYPE (4).
  assertSense(await select(d, [{ ...wp, dataBlockType: 4 }]), Sense.INVALID_FIELD_IN_PARAMETER_LIST);
  assert.equal((await page05(d)).dataBlockType, 8);
});

test('MODE SELECT: a parameter list shorter than its length is 05/1A/00; SP=1 is 05/39/00', async () => {
  const d = await ready();
  const wp = await page05(d);
  const data = encodeModeSelect10Parameters({ mediumType: 0, deviceSpecificParameter: 0, longLba: false, blockDescriptors: Buffer.alloc(0), pages: [wp] });
  assertSense(await run(d, A, encodeModeSelect10Cdb({ pf: true, sp: false, parameterListLength: data.length + 4 }), { dataOut: data }), Sense.PARAMETER_LIST_LENGTH_ERROR);
  assertSense(await run(d, A, encodeModeSelect10Cdb({ pf: true, sp: true, parameterListLength: data.length }), { dataOut: data }), Sense.SAVING_PARAMETERS_NOT_SUPPORTED);
});

test('a LUN reset restores the default write parameters and reports 06/29/00', async () => {
  const d = await ready();
  const wp = await page05(d);
  assertGood(await select(d, [{ ...wp, writeType: 2 }]));
  d.reset('lun-reset', A);
  assertSense(await run(d, A, TUR), Sense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);
  assert.equal((await page05(d)).writeType, 1);
});
