import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModeSense10Cdb, decodeModeSense10Reply, encodeModeSense10Cdb, encodeModeSense10Reply, PageControl } from './mode-sense-10.js';
import { ModePageCode, type RawModePage } from './mode-page-format.js';
import type { ReadWriteErrorRecoveryPage } from './mode-page-error-recovery.js';
import { writeParametersPage } from './mode-page-write-parameters.js';
import type { ModeParameterList } from './mode-parameters.js';
import { assertCheckCondition, assertInvalidCdbField, assertInvalidReply, hexBytes } from './command-asserts.test.helpers.js';

// SPC-4 §6.12 table "MODE SENSE(10) command", written out by hand.
test('MODE SENSE(10) CDB bytes per SPC-4 §6.12', () => {
  // libburn's capabilities probe: page 2Ah, current values, allocation length 30 (spc_sense_caps).
  assert.deepEqual(
    encodeModeSense10Cdb({ llbaa: false, dbd: false, pageControl: PageControl.CURRENT, pageCode: 0x2a, subpageCode: 0, allocationLength: 30 }),
    hexBytes('5A 00 2A 00 00 00 00 00 1E 00'),
  );
  // DBD + LLBAA, changeable values (PC 01b) of all pages (3Fh), subpage FFh, 0x1234 bytes, NACA.
  assert.deepEqual(
    encodeModeSense10Cdb({ llbaa: true, dbd: true, pageControl: PageControl.CHANGEABLE, pageCode: 0x3f, subpageCode: 0xff, allocationLength: 0x1234, control: 0x04 }),
    hexBytes('5A 18 7F FF 00 00 00 12 34 04'),
  );
});

test('MODE SENSE(10) CDB from a real tool decodes (DVRTool/ImgBurn LabelFlash probe "5A 00 2D 00 00 00 00 00 FC 00")', () => {
  assert.deepEqual(decodeModeSense10Cdb(hexBytes('5A 00 2D 00 00 00 00 00 FC 00')), {
    llbaa: false, dbd: false, pageControl: 0, pageCode: 0x2d, subpageCode: 0, allocationLength: 0xfc,
  });
});

test('MODE SENSE(10) CDB round trip', () => {
  for (const p of [
    { llbaa: false, dbd: true, pageControl: 2, pageCode: 0x05, subpageCode: 0, allocationLength: 60 },
    { llbaa: true, dbd: false, pageControl: 3, pageCode: 0x01, subpageCode: 7, allocationLength: 0xffff, control: 0xc0 },
  ]) {
    assert.deepEqual(decodeModeSense10Cdb(encodeModeSense10Cdb(p)), p);
  }
});

test('MODE SENSE(10) CDB decode errors point at the field', () => {
  assertInvalidCdbField(() => decodeModeSense10Cdb(hexBytes('5A 01 2A 00 00 00 00 00 1E 00')), 1, 0); // reserved bit 0
  assertInvalidCdbField(() => decodeModeSense10Cdb(hexBytes('5A 20 2A 00 00 00 00 00 1E 00')), 1, 5); // reserved bit 5
  assertInvalidCdbField(() => decodeModeSense10Cdb(hexBytes('5A 00 2A 00 00 80 00 00 1E 00')), 5, 7); // reserved byte 5
  assertInvalidCdbField(() => decodeModeSense10Cdb(hexBytes('5A 00 2A 00 00 00 00 00 1E 08')), 9, 3); // CONTROL reserved
  assertInvalidCdbField(() => decodeModeSense10Cdb(hexBytes('5A 00 2A 00 00 00')), 0); // short CDB
  assertCheckCondition(() => decodeModeSense10Cdb(hexBytes('1A 00 2A 00 1E 00 00 00 00 00')), 5, 0x20, 0);
});

// A real capture: HDAT2 4.7.1 "Mode Sense 10 Data: Current values" of an HL-DT-ST DVDRAM GSA-4040B
// (forum.hddguru.com MODESENS.TXT): header "00 F4 41 00 00 00 00 00", then page 01h
// "01 0A 80 13 00 00 00 00 03 00 00 00". The list goes on for F4h bytes; the first 20 alone are a
// reply cut by the allocation length.
const GSA4040B_HEAD = hexBytes('00 F4 41 00 00 00 00 00  01 0A 80 13 00 00 00 00 03 00 00 00');

test('MODE SENSE(10) real GSA-4040B capture: truncated reply decodes the whole pages that arrived', () => {
  const r = decodeModeSense10Reply(GSA4040B_HEAD);
  assert.equal(r.truncated, true);
  assert.equal(r.fullLength, 0xf4 + 2);
  assert.equal(r.mediumType, 0x41); // "120mm DVD data only"
  assert.equal(r.deviceSpecificParameter, 0);
  assert.equal(r.pages.length, 1);
  const p = r.pages[0] as ReadWriteErrorRecoveryPage;
  assert.deepEqual(p, {
    kind: 'readWriteErrorRecovery', ps: false, awre: true, arre: false, tb: false, rc: false, per: false, dte: false, dcr: false,
    readRetryCount: 0x13, emcdr: 0, writeRetryCount: 3, recoveryTimeLimit: 0,
  });
  // Cut in the middle of page 01h: no pages, still no throw.
  const mid = decodeModeSense10Reply(GSA4040B_HEAD.subarray(0, 14));
  assert.deepEqual([mid.truncated, mid.pages.length, mid.fullLength], [true, 0, 0xf6]);
  // Cut inside the header, and before MODE DATA LENGTH.
  assert.deepEqual(decodeModeSense10Reply(GSA4040B_HEAD.subarray(0, 5)).pages, []);
  assert.equal(decodeModeSense10Reply(GSA4040B_HEAD.subarray(0, 1)).truncated, true);
});

const LIST: ModeParameterList = {
  mediumType: 0,
  deviceSpecificParameter: 0,
  longLba: false,
  blockDescriptors: Buffer.alloc(0),
  pages: [
    {
      kind: 'readWriteErrorRecovery', ps: true, awre: false, arre: false, tb: true, rc: false, per: true, dte: false, dcr: true,
      readRetryCount: 1, emcdr: 2, writeRetryCount: 5, recoveryTimeLimit: 3000,
    },
    writeParametersPage({ ps: true, bufe: true, writeType: 2, dataBlockType: 0, trackMode: 0 }),
    // CD Device Parameters (0Dh), not typed here: seconds per minute 60, frames per second 75.
    { kind: 'raw', ps: false, spf: false, pageCode: 0x0d, subpageCode: 0, data: hexBytes('00 00 00 3C 00 4B') } satisfies RawModePage,
    { kind: 'raw', ps: false, spf: true, pageCode: 0x0a, subpageCode: 0x01, data: hexBytes('01 02 03') } satisfies RawModePage,
  ],
};

test('MODE SENSE(10) reply round trip with typed and raw pages', () => {
  const bytes = encodeModeSense10Reply(LIST);
  assert.equal(bytes.readUInt16BE(0), bytes.length - 2);
  assert.deepEqual(decodeModeSense10Reply(bytes), { ...LIST, truncated: false, fullLength: bytes.length });
});

test('MODE SENSE(10) reply bytes: header, page 01h and a sub_page format page written out by hand', () => {
  const bytes = encodeModeSense10Reply({ ...LIST, pages: [LIST.pages[0]!, LIST.pages[3]!] });
  assert.deepEqual(bytes, hexBytes(
    '00 19 00 00 00 00 00 00' + // MODE DATA LENGTH 25, no block descriptors
    '81 0A 25 01 00 00 00 02 05 00 0B B8' + // PS | 01h, 0Ah, TB|PER|DCR, retry 1, EMCDR 2, write retry 5, 3000 ms
    '4A 01 00 03 01 02 03', // SPF | 0Ah, subpage 01h, length 3
  ));
});

test('MODE SENSE(10) keeps block descriptors (QEMU sends them) and skips past them', () => {
  const withBd = encodeModeSense10Reply({ ...LIST, blockDescriptors: hexBytes('00 00 00 00 00 00 08 00'), pages: [LIST.pages[2]!] });
  assert.deepEqual(withBd.subarray(0, 8), hexBytes('00 16 00 00 00 00 00 08'));
  const r = decodeModeSense10Reply(withBd);
  assert.deepEqual(r.blockDescriptors, hexBytes('00 00 00 00 00 00 08 00'));
  assert.deepEqual(r.pages, [LIST.pages[2]]);
});

test('MODE SENSE(10) malformed replies are E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE', () => {
  // MODE DATA LENGTH 4: smaller than the rest of the header.
  assertInvalidReply(() => decodeModeSense10Reply(hexBytes('00 04 00 00 00 00')));
  // Block descriptor length 16 runs past MODE DATA LENGTH 6.
  assertInvalidReply(() => decodeModeSense10Reply(hexBytes('00 06 00 00 00 00 00 10')));
  // Page 01h says 0Ah bytes but the mode data ends 4 bytes into it.
  assertInvalidReply(() => decodeModeSense10Reply(hexBytes('00 0C 00 00 00 00 00 00  01 0A 80 13 00 00')));
  // Page 2Ah claiming 9 write speed descriptors in a page with room for 1.
  const p2a = Buffer.alloc(36);
  p2a[0] = 0x2a;
  p2a[1] = 34;
  p2a[31] = 9;
  assertInvalidReply(() => decodeModeSense10Reply(Buffer.concat([hexBytes('00 2A 00 00 00 00 00 00'), p2a])));
});

test('MODE SENSE(10) decodes page codes it does not type, and typed codes of other lengths, as raw', () => {
  const r = decodeModeSense10Reply(hexBytes('00 10 00 00 00 00 00 00  01 06 C0 05 00 00 00 00  05 00'));
  assert.deepEqual(r.pages, [
    { kind: 'raw', ps: false, spf: false, pageCode: ModePageCode.READ_WRITE_ERROR_RECOVERY, subpageCode: 0, data: hexBytes('C0 05 00 00 00 00') },
    { kind: 'raw', ps: false, spf: false, pageCode: ModePageCode.WRITE_PARAMETERS, subpageCode: 0, data: Buffer.alloc(0) },
  ]);
});
