import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeModeSelect10Cdb, decodeModeSelect10Parameters, encodeModeSelect10Cdb, encodeModeSelect10Parameters, validateModeSelect,
} from './mode-select-10.js';
import { writeParametersPage, WriteType, DataBlockType, type WriteParametersPage } from './mode-page-write-parameters.js';
import type { ReadWriteErrorRecoveryPage } from './mode-page-error-recovery.js';
import { decodeCapabilitiesPage, encodeCapabilitiesPage } from './mode-page-capabilities.js';
import { encodeModePage, type ModePage, type ModeParameterList } from './mode-parameters.js';
import { assertCheckCondition, assertInvalidCdbField, hexBytes } from './command-asserts.test.helpers.js';
import { CheckCondition } from '../../wire/sense.js';

// SPC-4 §6.10 table "MODE SELECT(10) command". libburn sends PF=1 (its SPC_MODE_SELECT template
// starts 55h 10h) with the parameter list length in bytes 7-8.
test('MODE SELECT(10) CDB bytes per SPC-4 §6.10', () => {
  assert.deepEqual(encodeModeSelect10Cdb({ pf: true, sp: false, parameterListLength: 60 }), hexBytes('55 10 00 00 00 00 00 00 3C 00'));
  assert.deepEqual(encodeModeSelect10Cdb({ pf: true, sp: true, parameterListLength: 0x0102, control: 4 }), hexBytes('55 11 00 00 00 00 00 01 02 04'));
});

test('MODE SELECT(10) CDB round trip and decode errors', () => {
  for (const p of [{ pf: true, sp: false, parameterListLength: 60 }, { pf: false, sp: true, parameterListLength: 0xffff, control: 0x40 }]) {
    assert.deepEqual(decodeModeSelect10Cdb(encodeModeSelect10Cdb(p)), p);
  }
  assertInvalidCdbField(() => decodeModeSelect10Cdb(hexBytes('55 12 00 00 00 00 00 00 3C 00')), 1, 1);
  assertInvalidCdbField(() => decodeModeSelect10Cdb(hexBytes('55 90 00 00 00 00 00 00 3C 00')), 1, 7);
  assertInvalidCdbField(() => decodeModeSelect10Cdb(hexBytes('55 10 01 00 00 00 00 00 3C 00')), 2, 0);
  assertInvalidCdbField(() => decodeModeSelect10Cdb(hexBytes('55 10 00 00 00 00 00 00 3C')), 0);
  assertCheckCondition(() => decodeModeSelect10Cdb(hexBytes('5A 10 00 00 00 00 00 00 3C 00')), 5, 0x20, 0);
});

// libburn's spc_probe_write_modes builds this MODE SELECT(10) parameter list to try TAO with data
// block type 8 (Mode 1): an all-zero 8-byte header, then data[8]=05h, data[9]=32h, data[10]=write
// type 1, data[11]=track mode 4 (block types above 4), data[12]=block type 8, data[23]=150 (audio
// pause length LSB), everything else zero: 8 + 2 + 32h = 60 bytes.
const LIBBURN_TAO_MODE1 = hexBytes(
  '00 00 00 00 00 00 00 00' +
  '05 32 01 04 08 00 00 00 00 00 00 00 00 00 00 96' +
  '00'.repeat(36),
);

test('MODE SELECT(10) parameters: page 05h encodes to the bytes libburn sends for TAO / Mode 1', () => {
  const list: ModeParameterList = {
    mediumType: 0, deviceSpecificParameter: 0, longLba: false, blockDescriptors: Buffer.alloc(0),
    pages: [writeParametersPage({ writeType: WriteType.TRACK_AT_ONCE, trackMode: 4, dataBlockType: DataBlockType.MODE_1, audioPauseLength: 150 })],
  };
  assert.deepEqual(encodeModeSelect10Parameters(list), LIBBURN_TAO_MODE1);
  const d = decodeModeSelect10Parameters(LIBBURN_TAO_MODE1);
  assert.deepEqual(d.pageOffsets, [8]);
  assert.equal(d.pages[0]!.pageCode, 5);
  assert.deepEqual(encodeModePage(d.pages[0]!), LIBBURN_TAO_MODE1.subarray(8));
});

test('MODE SELECT(10) parameter list errors are PARAMETER LIST LENGTH ERROR; an empty list is no error', () => {
  assert.deepEqual(decodeModeSelect10Parameters(Buffer.alloc(0)).pages, []);
  assertCheckCondition(() => decodeModeSelect10Parameters(hexBytes('00 00 00 00 00')), 5, 0x1a, 0);
  // block descriptor length 8 with nothing after the header
  assertCheckCondition(() => decodeModeSelect10Parameters(hexBytes('00 00 00 00 00 00 00 08')), 5, 0x1a, 0);
  // page 05h cut after 10 of its 52 bytes
  assertCheckCondition(() => decodeModeSelect10Parameters(LIBBURN_TAO_MODE1.subarray(0, 18)), 5, 0x1a, 0);
  // a lone page code byte with no page length
  assertCheckCondition(() => decodeModeSelect10Parameters(hexBytes('00 00 00 00 00 00 00 00 05')), 5, 0x1a, 0);
});

// The device side, in the manner of cdemu's defaults: page 01h (read retry and DCR changeable),
// page 05h (everything changeable except TEST WRITE: a drive without simulation), page 2Ah (nothing).
const ERR: ReadWriteErrorRecoveryPage = {
  kind: 'readWriteErrorRecovery', ps: false, awre: false, arre: false, tb: false, rc: false, per: false, dte: false, dcr: false,
  readRetryCount: 1, emcdr: 0, writeRetryCount: 0, recoveryTimeLimit: 0,
};
const ERR_MASK: ReadWriteErrorRecoveryPage = { ...ERR, dcr: true, readRetryCount: 0xff };
const WP: WriteParametersPage = writeParametersPage({ lsV: true, writeType: WriteType.TRACK_AT_ONCE, trackMode: 5, linkSize: 7, packetSize: 16 });
const WP_MASK: WriteParametersPage = writeParametersPage({
  bufe: true, lsV: true, testWrite: false, writeType: 0x0f, multiSession: 3, fp: true, copy: true, trackMode: 0x0f, dataBlockType: 0x0f,
  linkSize: 0xff, hostApplicationCode: 0x3f, sessionFormat: 0xff, packetSize: 0xffffffff, audioPauseLength: 0xffff,
  mcn: Buffer.alloc(16, 0xff), isrc: Buffer.alloc(16, 0xff), subHeader: Buffer.alloc(4, 0xff),
});
const CAPS = decodeCapabilitiesPage(hexBytes('2A 1E 3F 37 F1 77 29 23 00 00 01 00 08 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00'));
const CAPS_MASK = decodeCapabilitiesPage(encodeCapabilitiesPage({ ...CAPS }).fill(0, 2));

const current: ModePage[] = [ERR, WP, CAPS];
const changeable: ModePage[] = [ERR_MASK, WP_MASK, CAPS_MASK];
const snapshot = () => Buffer.concat(current.map(encodeModePage));

function assertParameterField(fn: () => unknown, byte: number, bit: number): void {
  const err = assertCheckCondition(fn, 5, 0x26, 0);
  assert.ok(err instanceof CheckCondition);
  assert.deepEqual(err.fieldPointer, { cd: false, byte, bit });
}

test('validateModeSelect applies changeable fields and returns new pages, leaving current as it was', () => {
  const before = snapshot();
  const d = decodeModeSelect10Parameters(LIBBURN_TAO_MODE1);
  const next = validateModeSelect(current, changeable, d.pages, d.pageOffsets);
  assert.deepEqual(snapshot(), before);
  const wp = next[1] as WriteParametersPage;
  assert.equal(wp.kind, 'writeParameters');
  assert.deepEqual([wp.writeType, wp.trackMode, wp.dataBlockType, wp.linkSize, wp.lsV, wp.packetSize], [1, 4, 8, 0, false, 0]);
  assert.equal(next[0], ERR);
  assert.equal(next[2], CAPS);
});

test('validateModeSelect rejects a change to a non-changeable bit (TEST WRITE) and changes nothing', () => {
  const before = snapshot();
  const list = encodeModeSelect10Parameters({
    mediumType: 0, deviceSpecificParameter: 0, longLba: false, blockDescriptors: Buffer.alloc(0), pages: [{ ...WP, testWrite: true }],
  });
  const d = decodeModeSelect10Parameters(list);
  // page 05h at offset 8; TEST WRITE is byte 2 bit 4 of the page → parameter list byte 10, bit 4
  assertParameterField(() => validateModeSelect(current, changeable, d.pages, d.pageOffsets), 10, 4);
  assert.deepEqual(snapshot(), before);
});

test('validateModeSelect checks every page before changing any: a bad second page leaves the first unapplied', () => {
  const before = snapshot();
  const caps = encodeModePage(CAPS);
  caps[13] = 0x10; // buffer size LSB 00h → 10h: not changeable
  const list = Buffer.concat([hexBytes('00 00 00 00 00 00 00 00'), encodeModePage({ ...ERR, readRetryCount: 9 }), caps]);
  const d = decodeModeSelect10Parameters(list);
  assert.deepEqual(d.pageOffsets, [8, 20]);
  assertParameterField(() => validateModeSelect(current, changeable, d.pages, d.pageOffsets), 20 + 13, 4);
  assert.deepEqual(snapshot(), before);
  // the first page alone is fine
  const ok = validateModeSelect(current, changeable, d.pages.slice(0, 1), d.pageOffsets);
  assert.equal((ok[0] as ReadWriteErrorRecoveryPage).readRetryCount, 9);
});

test('validateModeSelect: unknown page → pointer at its page code; other page length → pointer at PAGE LENGTH', () => {
  const unknown = decodeModeSelect10Parameters(hexBytes('00 00 00 00 00 00 00 00  1A 0A 00 03 00 00 00 00 00 00 00 00'));
  assertParameterField(() => validateModeSelect(current, changeable, unknown.pages, unknown.pageOffsets), 8, 5);
  const short = decodeModeSelect10Parameters(hexBytes('00 00 00 00 00 00 00 00  01 06 00 05 00 00 00 00'));
  assertParameterField(() => validateModeSelect(current, changeable, short.pages, short.pageOffsets), 9, 7);
});

test('validateModeSelect ignores PS (reserved in MODE SELECT) and accepts the current values sent back', () => {
  const echoed: ModePage[] = [{ ...ERR, ps: true, dcr: true }, WP];
  const next = validateModeSelect(current, changeable, echoed);
  assert.equal((next[0] as ReadWriteErrorRecoveryPage).ps, false);
  assert.equal((next[0] as ReadWriteErrorRecoveryPage).dcr, true);
  assert.deepEqual(encodeModePage(next[1]!), encodeModePage(WP));
});
