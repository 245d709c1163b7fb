import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildFormattedToc,
  buildFullToc,
  buildSessionInfo,
  decodeAtipReply,
  decodeCdTextReply,
  decodeFullTocReply,
  decodePmaReply,
  decodeReadTocCdb,
  decodeSessionInfoReply,
  decodeTocReply,
  encodeAtipReply,
  encodeCdTextReply,
  encodeFullTocReply,
  encodePmaReply,
  encodeReadTocCdb,
  encodeSessionInfoReply,
  encodeTocReply,
  LEAD_OUT_TRACK,
  TocFormat,
  TocPoint,
  type Atip,
  type TocSessionSpec,
} from './read-toc-pma-atip.js';
import { assertInvalidCdbField, assertInvalidReply, hexBytes } from './command-asserts.test.helpers.js';

// MMC-6 §6.26 table "READ TOC/PMA/ATIP CDB": 43h, MSF byte 1 bit 1, format byte 2 bits 3-0, track/
// session byte 6, allocation length 7-8; the SFF-8020 form carries the format in CONTROL bits 7-6.
test('READ TOC/PMA/ATIP CDB bytes per MMC-6 table', () => {
  assert.deepEqual(encodeReadTocCdb({ msf: false, format: 0, trackSessionNumber: 1, allocationLength: 0x0324 }), hexBytes('43 00 00 00 00 00 01 03 24 00'));
  assert.deepEqual(encodeReadTocCdb({ msf: true, format: 4, trackSessionNumber: 0, allocationLength: 0x20 }), hexBytes('43 02 04 00 00 00 00 00 20 00'));
  assert.deepEqual(
    encodeReadTocCdb({ msf: false, format: 2, trackSessionNumber: 1, allocationLength: 0xfffe, legacyFormat: true }),
    hexBytes('43 00 00 00 00 00 01 ff fe 80'),
  );
});

test('READ TOC/PMA/ATIP CDB round trip, including the legacy format', () => {
  for (const p of [
    { msf: false, format: 0, trackSessionNumber: LEAD_OUT_TRACK, allocationLength: 12 },
    { msf: true, format: 1, trackSessionNumber: 0, allocationLength: 12, control: 4 },
    { msf: false, format: 2, trackSessionNumber: 1, allocationLength: 0xffff },
    { msf: false, format: 5, trackSessionNumber: 0, allocationLength: 0x1000 },
  ]) {
    assert.deepEqual(decodeReadTocCdb(encodeReadTocCdb(p)), p);
  }
  const legacy = decodeReadTocCdb(hexBytes('43 02 00 00 00 00 00 00 0c 40'));
  assert.deepEqual(legacy, { msf: true, format: TocFormat.SESSION_INFO, trackSessionNumber: 0, allocationLength: 12, legacyFormat: true, control: 0x40 });
  assert.deepEqual(encodeReadTocCdb(legacy), hexBytes('43 02 00 00 00 00 00 00 0c 40'));
});

test('READ TOC/PMA/ATIP CDB: reserved format, bad track, legacy 11b, reserved bits are INVALID FIELD IN CDB', () => {
  assertInvalidCdbField(() => decodeReadTocCdb(hexBytes('43 00 06 00 00 00 00 00 0c 00')), 2, 3);
  assertInvalidCdbField(() => decodeReadTocCdb(hexBytes('43 00 10 00 00 00 00 00 0c 00')), 2, 4);
  assertInvalidCdbField(() => decodeReadTocCdb(hexBytes('43 00 00 00 00 00 64 00 0c 00')), 6);
  assertInvalidCdbField(() => decodeReadTocCdb(hexBytes('43 00 00 00 00 00 00 00 0c c0')), 9, 7);
  assertInvalidCdbField(() => decodeReadTocCdb(hexBytes('43 01 00 00 00 00 00 00 0c 00')), 1, 0);
  assertInvalidCdbField(() => decodeReadTocCdb(hexBytes('43 00 00 00 01 00 00 00 0c 00')), 4, 0);
  assertInvalidCdbField(() => decodeReadTocCdb(hexBytes('43 00 00')), 0);
  // Track 100 is fine for the full TOC (it is a session number there, and any value is accepted).
  assert.equal(decodeReadTocCdb(hexBytes('43 00 02 00 00 00 64 00 0c 00')).trackSessionNumber, 100);
});

// A real drive's raw TOC: PLEXTOR DVDR PX-806SA, one-session data CD-R, as `readom -clone` printed
// it (Ubuntu forums "Brasero does not seem to get along with the burner", 2010-03-04): "TOC len:
// 70. First Session: 1 Last Session: 1." then the six 11-byte entries below, and "Lead out 1: 67022".
const plextorFullToc = hexBytes(`
  00 44 01 01
  01 14 00 A0 00 00 00 00 01 00 00
  01 14 00 A1 00 00 00 00 01 00 00
  01 14 00 A2 00 00 00 00 0E 37 2F
  01 14 00 01 00 00 00 00 00 02 00
  01 54 00 B0 11 19 2F 02 4F 3B 4A
  01 54 00 C0 A0 00 40 00 61 11 06`);

test('READ TOC format 2: decode a real PLEXTOR PX-806SA raw TOC', () => {
  const d = decodeFullTocReply(plextorFullToc);
  assert.equal(d.truncated, false);
  assert.equal(d.fullLength, 70);
  assert.deepEqual([d.firstSession, d.lastSession], [1, 1]);
  assert.deepEqual(d.entries.map((e) => e.point), [0xa0, 0xa1, 0xa2, 0x01, 0xb0, 0xc0]);
  const [a0, a1, a2, t1, b0, c0] = d.entries;
  assert.deepEqual([a0!.adr, a0!.control, a0!.pmin, a0!.psec], [1, 4, 1, 0x00]);
  assert.equal(a1!.pmin, 1);
  assert.equal(a2!.pmsfLba, 67022); // readom: "Lead out 1: 67022"
  assert.equal(t1!.pmsfLba, 0);
  assert.deepEqual([b0!.adr, b0!.zero, b0!.msfLba, b0!.pmsfLba], [5, 2, 78272, 359849]); // 17:25:47, 79:59:74
  assert.equal(c0!.pmsfLba, -12369); // 97:17:06, first lead-in start
  assert.equal(a0!.pmsfLba, undefined);
});

const plextorSession: TocSessionSpec = {
  discType: 0x00,
  tracks: [{ number: 1, control: 4, startLba: 0 }],
  leadOutLba: 67022,
  next: { programAreaLba: 78272, maxLeadOutLba: 359849 },
  atip: { special: [0xa0, 0x00, 0x40], firstLeadInLba: -12369 },
};

test('buildFullToc reproduces the PX-806SA raw TOC byte for byte', () => {
  assert.deepEqual(encodeFullTocReply(buildFullToc([plextorSession])), plextorFullToc);
});

test('buildFullToc: two sessions, audio then data', () => {
  const toc = buildFullToc([
    { discType: 0x00, tracks: [{ number: 1, control: 0, startLba: 0 }, { number: 2, control: 0, startLba: 20000 }], leadOutLba: 40000 },
    { discType: 0x20, tracks: [{ number: 3, control: 4, startLba: 51400 }], leadOutLba: 60000 },
  ]);
  assert.deepEqual([toc.firstSession, toc.lastSession], [1, 2]);
  const d = decodeFullTocReply(encodeFullTocReply(toc));
  const s2 = d.entries.filter((e) => e.session === 2);
  assert.deepEqual(s2.map((e) => [e.point, e.pmin, e.psec]), [[0xa0, 3, 0x20], [0xa1, 3, 0], [0xa2, 13, 22], [3, 11, 27]]);
  assert.equal(s2[2]!.pmsfLba, 60000);
  assert.equal(s2[3]!.pmsfLba, 51400);
  assert.equal(d.entries.find((e) => e.point === 2)!.pmsfLba, 20000);
  assert.equal(d.entries.filter((e) => e.point === TocPoint.LEAD_OUT).length, 2);
});

// Formatted TOC and session information of the same disc, per MMC-6 tables "Formatted TOC" and
// "Multi-session information": LBA 67022 = 0001 05CEh; MSF 14:55:47 = 00 0E 37 2F.
test('READ TOC format 0: LBA and MSF forms', () => {
  const toc = buildFormattedToc([plextorSession]);
  const lba = hexBytes('00 12 01 01  00 14 01 00 00 00 00 00  00 14 aa 00 00 01 05 ce');
  const msf = hexBytes('00 12 01 01  00 14 01 00 00 00 02 00  00 14 aa 00 00 0e 37 2f');
  assert.deepEqual(encodeTocReply(toc, { msf: false }), lba);
  assert.deepEqual(encodeTocReply(toc, { msf: true }), msf);
  for (const [bytes, isMsf] of [[lba, false], [msf, true]] as const) {
    const d = decodeTocReply(bytes, { msf: isMsf });
    assert.deepEqual(d, { ...toc, truncated: false, fullLength: 20 });
  }
  assert.deepEqual(buildFormattedToc([plextorSession], LEAD_OUT_TRACK).tracks.map((t) => t.trackNumber), [LEAD_OUT_TRACK]);
});

test('READ TOC format 1: session information', () => {
  const s = buildSessionInfo([plextorSession]);
  const bytes = hexBytes('00 0a 01 01 00 14 01 00 00 00 00 00');
  assert.deepEqual(encodeSessionInfoReply(s, { msf: false }), bytes);
  assert.deepEqual(decodeSessionInfoReply(bytes, { msf: false }), { ...s, truncated: false, fullLength: 12 });
  assert.deepEqual(decodeSessionInfoReply(encodeSessionInfoReply(s, { msf: true }), { msf: true }).startLba, 0);
  const cut = decodeSessionInfoReply(bytes.subarray(0, 6), { msf: false });
  assert.deepEqual([cut.truncated, cut.firstTrackInLastSession, cut.startLba], [true, 0, 0]);
  assertInvalidReply(() => decodeSessionInfoReply(hexBytes('00 12 01 01 00 14 01 00 00 00 00 00 00 14 aa 00 00 01 05 ce'), { msf: false }));
});

test('READ TOC format 3: PMA entries round trip', () => {
  const entries = buildFullToc([plextorSession]).entries.slice(0, 4);
  const d = decodePmaReply(encodePmaReply(entries));
  assert.equal(d.truncated, false);
  assert.deepEqual(d.entries.map(({ msfLba: _m, pmsfLba: _p, ...e }) => e), entries);
});

// ATIP of a CD-RW as cdrecord decoded it on an LG CED-8083B ("Indicated writing power: 5", "Is not
// unrestricted", "Is erasable", "ATIP start of lead in: -11635 (97:26/65)", "ATIP start of lead
// out: 337350 (75:00/00)", "A1 values: 02 4C B0", "A2 values: 00 00 00"), written back into the
// MMC-6 table "ATIP descriptor" layout: D1 (1, ITWP 5, DDCD 0, reference speed 1), 00, C4 (1, CD-RW,
// sub-type 0, A1 valid), 61 1A 41, 4B 00 00, A1, A2. The expected LBAs are cdrecord's.
const lgCdRwAtip = hexBytes(`
  00 16 00 00  d1 00 c4 00  61 1a 41 00  4b 00 00 00
  02 4c b0 00  00 00 00 00`);

test('READ TOC format 4: ATIP of a CD-RW decodes to the values cdrecord printed', () => {
  const d = decodeAtipReply(lgCdRwAtip);
  assert.equal(d.truncated, false);
  assert.equal(d.fullLength, 24);
  const a = d.atip!;
  assert.deepEqual([a.indicativeTargetWritingPower, a.uru, a.discTypeRw, a.discSubType], [5, false, true, 0]);
  assert.deepEqual([a.a1Valid, a.a2Valid, a.a3Valid, a.ddcd, a.referenceSpeed], [true, false, false, false, 1]);
  assert.equal(a.leadInStartLba, -11635);
  assert.equal(a.lastPossibleLeadOutStartLba, 337350);
  assert.deepEqual([...a.a1], [0x02, 0x4c, 0xb0]);
  assert.equal(a.a3, undefined);
  const { leadInStartLba: _l, lastPossibleLeadOutStartLba: _o, ...plain } = a;
  assert.deepEqual(encodeAtipReply(plain), lgCdRwAtip);
});

test('READ TOC format 4: ATIP round trip with A3 and S4, and the header-only reply', () => {
  const atip: Atip = {
    indicativeTargetWritingPower: 4, ddcd: true, referenceSpeed: 2, uru: true, discTypeRw: false, discSubType: 2,
    a1Valid: true, a2Valid: true, a3Valid: true,
    leadInStart: { m: 97, s: 15, f: 17 }, lastPossibleLeadOutStart: { m: 79, s: 59, f: 70 },
    a1: Buffer.from([1, 2, 3]), a2: Buffer.from([4, 5, 6]), a3: Buffer.from([7, 8, 9]), s4: Buffer.from([10, 11, 12]),
  };
  const bytes = encodeAtipReply(atip);
  assert.equal(bytes.length, 32);
  const d = decodeAtipReply(bytes);
  // cdrecord: "ATIP start of lead in: -12508 (97:15/17)", "ATIP start of lead out: 359845 (79:59/70)".
  assert.deepEqual(d.atip, { ...atip, leadInStartLba: -12508, lastPossibleLeadOutStartLba: 359845 });
  assert.deepEqual(decodeAtipReply(hexBytes('00 02 00 00')), { truncated: false, fullLength: 4 });
  assert.throws(() => encodeAtipReply({ ...atip, leadInStart: { m: 97, s: 60, f: 0 } }), TypeError);
});

test('READ TOC format 5: CD-TEXT packs are kept raw', () => {
  const packs = [Buffer.alloc(18, 0x80), Buffer.alloc(18, 0x81)];
  const d = decodeCdTextReply(encodeCdTextReply(packs));
  assert.deepEqual(d, { packs, truncated: false, fullLength: 40 });
});

test('READ TOC replies cut by the allocation length decode, truncated', () => {
  const full = decodeFullTocReply(plextorFullToc.subarray(0, 4 + 11 * 2 + 5));
  assert.deepEqual([full.truncated, full.fullLength, full.entries.length], [true, 70, 2]);
  const hdr = decodeFullTocReply(plextorFullToc.subarray(0, 2));
  assert.deepEqual([hdr.truncated, hdr.entries.length], [true, 0]);
  const toc = decodeTocReply(hexBytes('00 12 01 01  00 14 01 00 00 00 00 00  00 14'), { msf: false });
  assert.deepEqual([toc.truncated, toc.fullLength, toc.tracks.length], [true, 20, 1]);
  const atip = decodeAtipReply(lgCdRwAtip.subarray(0, 10));
  assert.equal(atip.truncated, true);
  assert.equal(atip.atip?.indicativeTargetWritingPower, 5);
});

test('READ TOC replies that contradict themselves are invalid responses', () => {
  // DATA LENGTH not a whole number of 11-byte descriptors.
  const bad = Buffer.from(plextorFullToc);
  bad[1] = 0x45;
  assertInvalidReply(() => decodeFullTocReply(bad));
  assertInvalidReply(() => decodeFullTocReply(hexBytes('00 01 01 01')));
  // MSF requested but the address is not 00 M S F (seconds 60).
  assertInvalidReply(() => decodeTocReply(hexBytes('00 0a 01 01  00 14 01 00 00 00 3c 00'), { msf: true }));
  // ATIP descriptor ending before its start times; ATIP time with 75 frames.
  assertInvalidReply(() => decodeAtipReply(hexBytes('00 06 00 00 d1 00 c4 00')));
  const badTime = Buffer.from(lgCdRwAtip);
  badTime[10] = 75;
  assertInvalidReply(() => decodeAtipReply(badTime));
});
