import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CueDataForm,
  CueTno,
  decodeCueSheet,
  decodeSendCueSheetCdb,
  encodeCueSheet,
  encodeSendCueSheetCdb,
  isDefinedMainDataForm,
  type CueSheetEntry,
} from './send-cue-sheet.js';
import { CheckCondition } from '../../wire/sense.js';
import { assertCheckCondition, assertInvalidCdbField, hexBytes } from './command-asserts.test.helpers.js';

// MMC-6 §6.37 table "SEND CUE SHEET CDB": 5Dh, cue sheet size in bytes 6-8.
test('SEND CUE SHEET CDB bytes per MMC-6 table, round trip, errors', () => {
  assert.deepEqual(encodeSendCueSheetCdb({ cueSheetSize: 0x50 }), hexBytes('5d 00 00 00 00 00 00 00 50 00'));
  for (const p of [{ cueSheetSize: 8 }, { cueSheetSize: 0xfffff8, control: 4 }]) {
    assert.deepEqual(decodeSendCueSheetCdb(encodeSendCueSheetCdb(p)), p);
  }
  assertInvalidCdbField(() => decodeSendCueSheetCdb(hexBytes('5d 00 00 00 00 00 00 00 51 00')), 6);
  assertInvalidCdbField(() => decodeSendCueSheetCdb(hexBytes('5d 00 00 01 00 00 00 00 50 00')), 3, 0);
  assertInvalidCdbField(() => decodeSendCueSheetCdb(hexBytes('5d 00 00')), 0);
});

// A two-track audio disc with catalog number and an ISRC for track 1, written out per MMC-6 table
// "Cue Sheet Format" (entries in the order of MMC's Session At Once example: catalog, lead-in, then
// per track ISRC, index 0 pre-gap, index 1, and the lead-out). CTL/ADR 01h = audio, ADR 1; 02h
// catalog; 03h ISRC. Data form 01h on lead-in/pre-gap/lead-out (generated), 00h on audio from the host.
const audioCue = hexBytes(`
  02 30 37 32 34 33 38 34
  02 39 39 37 33 30 33 00
  01 00 00 01 00 00 00 00
  03 01 55 53 52 43 31 37
  03 01 36 30 37 38 33 39
  01 01 00 01 00 00 00 00
  01 01 01 00 00 00 02 00
  01 01 02 00 00 02 00 00
  01 02 00 01 00 04 00 00
  01 02 01 00 00 04 02 00
  01 aa 01 01 00 08 00 00`);

const audioEntries: CueSheetEntry[] = [
  { kind: 'catalog', ctl: 0, mcn: '0724384997303' },
  { kind: 'position', ctl: 0, tno: CueTno.LEAD_IN, index: 0, dataForm: CueDataForm.CD_DA_GENERATED, subChannelForm: 0, scms: false, time: { m: 0, s: 0, f: 0 } },
  { kind: 'isrc', ctl: 0, tno: 1, isrc: 'USRC17607839' },
  { kind: 'position', ctl: 0, tno: 1, index: 0, dataForm: 0x01, subChannelForm: 0, scms: false, time: { m: 0, s: 0, f: 0 } },
  { kind: 'position', ctl: 0, tno: 1, index: 1, dataForm: 0x00, subChannelForm: 0, scms: false, time: { m: 0, s: 2, f: 0 } },
  { kind: 'position', ctl: 0, tno: 1, index: 2, dataForm: 0x00, subChannelForm: 0, scms: false, time: { m: 2, s: 0, f: 0 } },
  { kind: 'position', ctl: 0, tno: 2, index: 0, dataForm: 0x01, subChannelForm: 0, scms: false, time: { m: 4, s: 0, f: 0 } },
  { kind: 'position', ctl: 0, tno: 2, index: 1, dataForm: 0x00, subChannelForm: 0, scms: false, time: { m: 4, s: 2, f: 0 } },
  { kind: 'position', ctl: 0, tno: CueTno.LEAD_OUT, index: 1, dataForm: 0x01, subChannelForm: 0, scms: false, time: { m: 8, s: 0, f: 0 } },
];

test('cue sheet: encode gives the MMC-6 layout, decode gives the entries with LBAs', () => {
  assert.deepEqual(encodeCueSheet(audioEntries), audioCue);
  const d = decodeCueSheet(audioCue);
  assert.deepEqual(
    d.map((e) => (e.kind === 'position' ? (({ lba: _l, ...rest }) => rest)(e) : e)),
    audioEntries,
  );
  const lbas = d.flatMap((e) => (e.kind === 'position' ? [e.lba] : []));
  // 00:00:00 is LBA −150, 00:02:00 LBA 0, 08:00:00 LBA 35850 (MMC-6 §4.2.3.5).
  assert.deepEqual(lbas, [-150, -150, 0, 8850, 17850, 18000, 35850]);
});

test('cue sheet: a data track (CTL 4, Mode 1) with SCMS and a sub-channel form round trips', () => {
  const entries: CueSheetEntry[] = [
    { kind: 'position', ctl: 4, tno: 0, index: 0, dataForm: CueDataForm.MODE1_GENERATED, subChannelForm: 0, scms: false, time: { m: 0, s: 0, f: 0 } },
    { kind: 'position', ctl: 4, tno: 1, index: 1, dataForm: CueDataForm.MODE1, subChannelForm: 3, scms: true, time: { m: 0, s: 2, f: 0 } },
    { kind: 'position', ctl: 4, tno: 0xaa, index: 1, dataForm: CueDataForm.MODE1_GENERATED, subChannelForm: 0, scms: false, time: { m: 14, s: 55, f: 47 } },
  ];
  const bytes = encodeCueSheet(entries);
  assert.deepEqual(bytes.subarray(8, 16), hexBytes('41 01 01 d0 80 00 02 00'));
  const last = decodeCueSheet(bytes)[2]!;
  assert.ok(last.kind === 'position' && last.lba === 67022);
});

test('cue sheet: data forms MMC-6 defines', () => {
  for (const f of [0x00, 0x01, 0x10, 0x11, 0x14, 0x20, 0x24, 0x30, 0x34]) assert.equal(isDefinedMainDataForm(f), true, f.toString(16));
  for (const f of [0x02, 0x05, 0x15, 0x0f, 0x40, 0x3f]) assert.equal(isDefinedMainDataForm(f), false, f.toString(16));
});

/** Expects INVALID FIELD IN PARAMETER LIST pointing at `byte`. */
function assertBadField(data: Uint8Array, byte: number): void {
  const err = assertCheckCondition(() => decodeCueSheet(data), 5, 0x26, 0);
  assert.ok(err instanceof CheckCondition);
  assert.equal(err.fieldPointer?.cd, false);
  assert.equal(err.fieldPointer?.byte, byte);
}

const patched = (at: number, v: number): Buffer => {
  const b = Buffer.from(audioCue);
  b[at] = v;
  return b;
};

test('cue sheet validation: length, ADR, times, order, lead-in/lead-out, catalog and ISRC text', () => {
  assertCheckCondition(() => decodeCueSheet(audioCue.subarray(0, 20)), 5, 0x1a, 0);
  assertCheckCondition(() => decodeCueSheet(new Uint8Array(0)), 5, 0x1a, 0);
  assertCheckCondition(() => decodeCueSheet(audioCue.subarray(80, 88)), 5, 0x26, 0); // lead-out alone: not a lead-in first
  assertBadField(patched(16, 0x04), 16); // ADR 4
  assertBadField(patched(0 + 3, 0x41), 3); // catalog digit 'A'
  assertBadField(patched(8, 0x01), 8); // catalog second half with ADR 1
  assertBadField(patched(24 + 4, 0x61), 28); // ISRC lowercase 'a'
  assertBadField(patched(32 + 1, 0x02), 33); // ISRC halves for different tracks
  assertBadField(patched(16 + 1, 0x01), 17); // first position entry is not the lead-in
  assertBadField(patched(48 + 6, 60), 54); // second 60
  assertBadField(patched(48 + 7, 75), 55); // frame 75
  assertBadField(patched(56 + 5, 0), 61); // track 1 index 2 at 00:00:00, before index 1 at 00:02:00
  assertBadField(patched(64 + 1, 0x03), 65); // track 3 after track 1
  assertBadField(patched(72 + 2, 0x00), 74); // track 2 index 0 after index 1
  assertBadField(patched(80 + 2, 0x00), 82); // lead-out index 0
  assertBadField(patched(40 + 3, 0x05), 43); // undefined data form
  assertBadField(patched(40 + 2, 100), 42); // index 100
  assertBadField(audioCue.subarray(0, 80), 72); // no lead-out at the end
  assert.throws(() => encodeCueSheet([{ kind: 'isrc', ctl: 0, tno: 1, isrc: 'usrc17607839' }]), TypeError);
  assert.throws(() => encodeCueSheet([{ kind: 'catalog', ctl: 0, mcn: '123' }]), TypeError);
});
