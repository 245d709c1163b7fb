/**
 * READ DISC STRUCTURE through the drive: the DVD physical format information per kind, the structure
 * list, and the refusals (CD / BD media, unknown formats).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DvdBookType,
  DvdLayerType,
  Sense,
  decodeDiscStructureListReply,
  decodeDvdPhysicalFormatReply,
  encodeReadDiscStructureCdb,
  encodeTestUnitReadyCdb,
} from '@openimapi/sdk';
import { A, assertGood, assertSense, drainUnitAttentions, newDrive, run } from './drive.test-helpers.js';

const TUR = encodeTestUnitReadyCdb();
const rds = (formatCode: number, allocationLength: number, mediaType = 0) =>
  encodeReadDiscStructureCdb({ mediaType, address: 0, layerNumber: 0, formatCode, allocationLength, agid: 0 });

async function ready(kind: string) {
  const d = newDrive({ medium: kind });
  await drainUnitAttentions(d, A, TUR);
  return d;
}

test('format 00h on each DVD kind: the book type and layer type of that kind, 2052 bytes', async () => {
  const expected: Record<string, [number, number, number]> = {
    'dvd-r': [DvdBookType.DVD_R, DvdLayerType.RECORDABLE, 2_298_496],
    'dvd+r': [DvdBookType.DVD_PLUS_R, DvdLayerType.RECORDABLE, 2_295_104],
    'dvd+rw': [DvdBookType.DVD_PLUS_RW, DvdLayerType.REWRITABLE, 2_295_104],
  };
  for (const [kind, [book, layerType, blocks]] of Object.entries(expected)) {
    const d = await ready(kind);
    // The exact CDB the SDK's media identification sends (format 00h, allocation length 2052).
    const r = await run(d, A, Buffer.from('AD000000000000000804 0000'.replace(/ /g, ''), 'hex'));
    assertGood(r, kind);
    assert.equal(r.dataIn!.length, 2052);
    const pfi = decodeDvdPhysicalFormatReply(r.dataIn!);
    assert.equal(pfi.bookType, book, kind);
    assert.equal(pfi.layerType, layerType, kind);
    assert.equal(pfi.layers, 1);
    assert.equal(pfi.dataStartSector, 0x030000);
    assert.equal(pfi.dataEndSector - pfi.dataStartSector + 1, blocks, `${kind}: data area = capacity`);
    assert.equal(pfi.truncated, false);
  }
});

test('format 00h is cut to the allocation length; layer 1 of a single-layer disc is refused', async () => {
  const d = await ready('dvd+r');
  const r = await run(d, A, rds(0, 8));
  assertGood(r);
  assert.equal(r.dataIn!.length, 8);
  const pfi = decodeDvdPhysicalFormatReply(r.dataIn!);
  assert.equal(pfi.truncated, true);
  assert.equal(pfi.fullLength, 2052);
  assert.equal(pfi.bookType, DvdBookType.DVD_PLUS_R);
  assertSense(await run(d, A, encodeReadDiscStructureCdb({ mediaType: 0, address: 0, layerNumber: 1, formatCode: 0, allocationLength: 2052, agid: 0 })), Sense.INVALID_FIELD_IN_CDB);
});

test('format FFh lists 00h and FFh on DVD, FFh alone on BD', async () => {
  const dvd = decodeDiscStructureListReply((await run(await ready('dvd-r'), A, rds(0xff, 0xffff))).dataIn!);
  assert.deepEqual(dvd.entries.map((e) => [e.formatCode, e.rds, e.length]), [[0x00, true, 2048], [0xff, true, 8]]);
  const bd = decodeDiscStructureListReply((await run(await ready('bd-r'), A, rds(0xff, 0xffff, 1))).dataIn!);
  assert.deepEqual(bd.entries.map((e) => e.formatCode), [0xff]);
});

test('CD media and mismatched media types: 05/30/02; unsupported formats: 05/24/00; no disc: not ready', async () => {
  const cd = await ready('cd-r');
  assertSense(await run(cd, A, rds(0, 2052)), Sense.CANNOT_READ_MEDIUM_INCOMPATIBLE_FORMAT);
  assertSense(await run(cd, A, rds(0xff, 0xffff)), Sense.CANNOT_READ_MEDIUM_INCOMPATIBLE_FORMAT);
  const bd = await ready('bd-re');
  assertSense(await run(bd, A, rds(0, 2052)), Sense.CANNOT_READ_MEDIUM_INCOMPATIBLE_FORMAT, 'DVD structure of a BD');
  assertSense(await run(bd, A, rds(0, 4112, 1)), Sense.INVALID_FIELD_IN_CDB, 'BD disc information is not emulated');
  const dvd = await ready('dvd+rw');
  assertSense(await run(dvd, A, rds(0xff, 0xffff, 1)), Sense.CANNOT_READ_MEDIUM_INCOMPATIBLE_FORMAT, 'BD structure of a DVD');
  assertSense(await run(dvd, A, rds(0x04, 2052)), Sense.INVALID_FIELD_IN_CDB, 'manufacturing information');
  const none = newDrive({});
  await drainUnitAttentions(none, A, TUR);
  assertSense(await run(none, A, rds(0, 2052)), Sense.MEDIUM_NOT_PRESENT_TRAY_CLOSED);
});
