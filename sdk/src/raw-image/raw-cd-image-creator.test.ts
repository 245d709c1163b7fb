import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { RawCDImageCreator } from './raw-cd-image-creator.js';
import { CdSectorType, RawImageType, CdTrackDigitalCopySetting } from './types.js';
import { decodeQ, deinterleavePW, decodeFormattedQ, pFlagFromPW, type DecodedQ, type QLeadIn } from '../wire/subchannel.js';
import { checkMode1Sector, decodeSectorHeader, makeMode1Sector, scrambleSector, hasSync, SCRAMBLER_SEQUENCE } from '../wire/cd-sector.js';
import { msfToLba, lbaToMsf, RAW_IMAGE_START_LBA } from '../wire/msf.js';
import { decodeTocReply } from '../scsi/commands/read-toc-pma-atip.js';
import { ImapiError } from '../errors/imapi-error.js';

/** Generated PCM: a ramp that differs per track, so sectors can be told apart. */
function pcm(sectors: number, seed: number): Buffer {
  const b = Buffer.alloc(sectors * 2352);
  for (let i = 0; i < b.length; i++) b[i] = (i * seed + (i >> 11)) & 0xff;
  return b;
}

async function collect(r: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

interface Sector { lba: number; main: Buffer; q: DecodedQ; p: boolean }
function sectors(img: Buffer, size: number): Sector[] {
  const out: Sector[] = [];
  for (let o = 0, lba = RAW_IMAGE_START_LBA; o < img.length; o += size, lba++) {
    const sub = img.subarray(o + 2352, o + size);
    if (size === 2368) {
      const f = decodeFormattedQ(sub);
      out.push({ lba, main: img.subarray(o, o + 2352), q: decodeQ(f.q), p: f.p });
    } else {
      out.push({ lba, main: img.subarray(o, o + 2352), q: decodeQ(deinterleavePW(sub).q), p: pFlagFromPW(sub) });
    }
  }
  return out;
}

const MCN = '0123456789012';
const ISRC1 = 'USRC17607839';

async function twoTrackAudio(type: 1 | 2 | 3 = RawImageType.SUBCODE_IS_RAW, gapless = true) {
  const img = new RawCDImageCreator();
  img.resultingImageType = type;
  img.mediaCatalogNumber = MCN;
  img.disableGaplessAudio = !gapless;
  const a = pcm(400, 3);
  const b = pcm(350, 5);
  const t1 = img.addTrack(CdSectorType.AUDIO, a);
  const t2 = img.addTrack(CdSectorType.AUDIO, { size: b.length, stream: Readable.from([b.subarray(0, 1000), b.subarray(1000)]) });
  img.trackInfo(t1).ISRC = ISRC1;
  assert.equal(img.trackInfo(t1).addTrackIndex(200), 0);
  const data = await collect(img.createResultImage());
  return { img, a, b, t1, t2, data };
}

test('2-track audio image: size, start at LBA −22650, lead-in TOC items A0/A1/A2 and track starts, each 3 times', async () => {
  const { img, a, b, data } = await twoTrackAudio();
  assert.equal(img.startOfLeadout, 750); // gapless: track 2 right after track 1
  assert.equal(img.trackInfo(1).startingLba, 0);
  assert.equal(img.trackInfo(2).startingLba, 400);
  const total = 22500 + 150 + 750 + 6750;
  assert.equal(img.imageSectorCount, total);
  assert.equal(data.length, total * 2448);
  const s = sectors(data, 2448);
  // First sector: lead-in at MSF 95:00:00.
  assert.equal(s[0]!.q.kind, 'lead-in');
  assert.deepEqual((s[0]!.q as { time: unknown }).time, { m: 95, s: 0, f: 0 });
  assert.equal(msfToLba(95, 0, 0), s[0]!.lba);
  const leadIn = s.filter((x) => x.lba < -150);
  assert.equal(leadIn.length, 22500);
  const points = new Map<number, { pointTime: { m: number; s: number; f: number }; control: number }>();
  for (const [i, x] of leadIn.entries()) {
    assert.ok(x.q.crcOk);
    assert.equal(x.q.kind, 'lead-in');
    const q = x.q as unknown as QLeadIn;
    assert.deepEqual(q.time, lbaToMsf(x.lba), 'running time is the sector\'s MSF');
    assert.equal(x.p, false);
    // Each item on 3 consecutive sectors: A0 A0 A0 A1 A1 A1 A2 A2 A2 01 01 01 02 02 02, cycling.
    const expectedPoint = [0xa0, 0xa1, 0xa2, 1, 2][Math.floor(i / 3) % 5];
    assert.equal(q.point, expectedPoint);
    const prev = points.get(q.point);
    if (prev) assert.deepEqual(prev.pointTime, q.pointTime);
    points.set(q.point, { pointTime: q.pointTime, control: q.control });
  }
  assert.deepEqual(points.get(0xa0)!.pointTime, { m: 1, s: 0, f: 0 }); // first track 1, disc type 00
  assert.deepEqual(points.get(0xa1)!.pointTime, { m: 2, s: 0, f: 0 }); // last track 2
  assert.deepEqual(points.get(0xa2)!.pointTime, lbaToMsf(750)); // lead-out start 00:12:00
  assert.deepEqual(points.get(0xa2)!.pointTime, { m: 0, s: 12, f: 0 });
  assert.deepEqual(points.get(1)!.pointTime, { m: 0, s: 2, f: 0 });
  assert.deepEqual(points.get(2)!.pointTime, lbaToMsf(400));
  assert.equal(points.get(1)!.control, 2); // audio, digital copy permitted (the default)
  // Main channel: lead-in and pre-gap silent, tracks byte for byte, lead-out silent.
  assert.ok(leadIn.every((x) => x.main.equals(Buffer.alloc(2352))));
  const t1 = Buffer.concat(s.filter((x) => x.lba >= 0 && x.lba < 400).map((x) => x.main));
  const t2 = Buffer.concat(s.filter((x) => x.lba >= 400 && x.lba < 750).map((x) => x.main));
  assert.ok(t1.equals(a));
  assert.ok(t2.equals(b));
  // The R-W bits are zero (no generator).
  for (let o = 0; o < data.length; o += 2448 * 97) assert.ok(deinterleavePW(data.subarray(o + 2352, o + 2448)).rw.equals(Buffer.alloc(96)));
});

test('program area Q: pre-gap counts down with P set, indexes, relative/absolute time, MCN and ISRC frames, lead-out', async () => {
  const { data } = await twoTrackAudio();
  const s = sectors(data, 2448);
  const at = (lba: number) => s[lba - RAW_IMAGE_START_LBA]!;
  const pos = (lba: number) => at(lba).q as DecodedQ & { tno: number; index: number; relative: unknown; absolute: unknown };
  // Track 1 pre-gap: LBA −150..−1, INDEX 00, relative 00:01:74 → 00:00:00, P = 1.
  assert.deepEqual({ ...pos(-150) }, { kind: 'position', crcOk: true, adr: 1, control: 2, tno: 1, index: 0, relative: { m: 0, s: 1, f: 74 }, absolute: { m: 0, s: 0, f: 0 } });
  assert.deepEqual(pos(-1).relative, { m: 0, s: 0, f: 0 });
  for (let l = -150; l < 0; l++) if (at(l).q.kind === 'position') assert.equal(at(l).p, true);
  // Track 1: INDEX 01 from 0, INDEX 02 from offset 200.
  assert.deepEqual({ ...pos(0) }, { kind: 'position', crcOk: true, adr: 1, control: 2, tno: 1, index: 1, relative: { m: 0, s: 0, f: 0 }, absolute: { m: 0, s: 2, f: 0 } });
  assert.equal(at(0).p, false);
  assert.equal(pos(199).index, 1);
  assert.equal(pos(200).index, 2);
  assert.deepEqual(pos(201).relative, { m: 0, s: 2, f: 51 });
  // Track 2 (gapless): 400.. TNO 2 INDEX 1.
  assert.equal(pos(399).tno, 1);
  assert.deepEqual({ tno: pos(400).tno, index: pos(400).index }, { tno: 2, index: 1 });
  // MCN and ISRC: at least once in every 100 program-area sectors; ISRC only in track 1.
  const program = s.filter((x) => x.lba >= -150 && x.lba < 750);
  for (let i = 0; i + 100 <= program.length; i++) {
    const win = program.slice(i, i + 100);
    assert.ok(win.some((x) => x.q.kind === 'mcn' && (x.q as { mcn: string }).mcn === MCN), `MCN in window at ${win[0]!.lba}`);
    assert.ok(win.filter((x) => x.q.kind === 'position').length >= 90);
  }
  const isrc = program.filter((x) => x.q.kind === 'isrc');
  assert.ok(isrc.length >= 4);
  for (const x of isrc) {
    assert.ok(x.lba >= 0 && x.lba < 400);
    assert.equal((x.q as { isrc: string }).isrc, ISRC1);
    assert.equal((x.q as { aframe: number }).aframe, lbaToMsf(x.lba).f);
    assert.ok(x.q.crcOk);
  }
  const t1 = program.filter((x) => x.lba >= 0 && x.lba < 400);
  for (let i = 0; i + 100 <= t1.length; i++) assert.ok(t1.slice(i, i + 100).some((x) => x.q.kind === 'isrc'));
  // Index changes are never hidden behind an MCN/ISRC frame.
  for (const l of [-150, 0, 200, 400]) assert.equal(at(l).q.kind, 'position');
  // Lead-out: TNO AA, INDEX 01, relative from 0, P = 1 for the first 150 sectors.
  assert.deepEqual({ ...pos(750) }, { kind: 'position', crcOk: true, adr: 1, control: 2, tno: 0xaa, index: 1, relative: { m: 0, s: 0, f: 0 }, absolute: { m: 0, s: 12, f: 0 } });
  const leadOut = s.filter((x) => x.lba >= 750);
  assert.equal(leadOut.length, 6750);
  assert.ok(leadOut.every((x) => x.q.kind === 'position' && (x.q as { tno: number }).tno === 0xaa && x.q.crcOk));
  assert.ok(leadOut.slice(0, 150).every((x) => x.p));
  assert.ok(leadOut.some((x) => !x.p));
  assert.equal(s[s.length - 1]!.lba, 750 + 6749);
});

test('gapless audio disabled: every later track gets a 150-sector INDEX 00 pre-gap', async () => {
  const { img, data } = await twoTrackAudio(RawImageType.SUBCODE_IS_RAW, false);
  assert.equal(img.trackInfo(2).startingLba, 550);
  assert.equal(img.startOfLeadout, 900);
  const s = sectors(data, 2448);
  const q = (lba: number) => s[lba - RAW_IMAGE_START_LBA]!.q as DecodedQ & { tno: number; index: number; relative: unknown };
  const first = s.find((x) => x.lba === 400)!;
  assert.equal(first.p, true);
  assert.deepEqual({ tno: q(400).tno, index: q(400).index, relative: q(400).relative }, { tno: 2, index: 0, relative: { m: 0, s: 1, f: 74 } });
  assert.deepEqual({ tno: q(550).tno, index: q(550).index }, { tno: 2, index: 1 });
});

test('PQ-only image: 2368-byte sectors whose formatted Q equals the Q of the raw image', async () => {
  const raw = sectors((await twoTrackAudio(RawImageType.SUBCODE_IS_RAW)).data, 2448);
  const pqData = (await twoTrackAudio(RawImageType.SUBCODE_PQ_ONLY)).data;
  assert.equal(pqData.length, raw.length * 2368);
  const pq = sectors(pqData, 2368);
  for (let i = 0; i < raw.length; i += 37) {
    assert.deepEqual(pq[i]!.q, raw[i]!.q);
    assert.equal(pq[i]!.p, raw[i]!.p);
    assert.ok(pq[i]!.main.equals(raw[i]!.main));
  }
  for (let o = 0; o < pqData.length; o += 2368 * 101) assert.deepEqual([...pqData.subarray(o + 2364, o + 2367)], [0, 0, 0]);
});

test('expectedTableOfContents is the READ TOC format 0 reply of the image', async () => {
  const { img } = await twoTrackAudio();
  const toc = decodeTocReply(img.expectedTableOfContents, { msf: false });
  assert.equal(toc.firstTrack, 1);
  assert.equal(toc.lastTrack, 2);
  assert.deepEqual(toc.tracks.map((t) => [t.trackNumber, t.startLba, t.control]), [[1, 0, 2], [2, 400, 2], [0xaa, 750, 2]]);
  assert.equal(img.lastUsedUserSectorInImage, 749);
  assert.equal(img.numberOfExistingTracks, 2);
});

/** The logical sector of an image's main channel: a copy, descrambled. */
const descrambled = (main: Buffer) => scrambleSector(Buffer.from(main));

test('data track (mode 1 extension), then audio: scrambled mode 1 sectors that descramble to valid EDC/ECC, data control, pre-gap between modes', async () => {
  const img = new RawCDImageCreator();
  const user = Buffer.alloc(300 * 2048);
  for (let i = 0; i < user.length; i++) user[i] = (i * 11) & 0xff;
  const audio = pcm(300, 7);
  img.addTrack(CdSectorType.MODE1, user);
  img.addTrack(CdSectorType.AUDIO, audio);
  assert.equal(img.trackInfo(2).startingLba, 450);
  const s = sectors(await collect(img.createResultImage()), 2448);
  const at = (lba: number) => s[lba - RAW_IMAGE_START_LBA]!;
  for (let l = 0; l < 300; l++) {
    const raw = at(l).main;
    // As it lies on the disc: the sync pattern in clear, the rest scrambled.
    assert.ok(hasSync(raw), `LBA ${l}: sync`);
    assert.equal(checkMode1Sector(raw).edcOk, false, `LBA ${l} is scrambled in the image`);
    const logical = descrambled(raw);
    assert.deepEqual(checkMode1Sector(logical), { edcOk: true, eccOk: true }, `LBA ${l}: EDC/ECC after descrambling`);
    assert.deepEqual(decodeSectorHeader(logical), { lba: l, mode: 1 });
    assert.ok(logical.subarray(16, 2064).equals(user.subarray(l * 2048, l * 2048 + 2048)), `LBA ${l}: user data`);
    assert.equal(at(l).q.control, 4);
  }
  // Byte 12 of a scrambled sector is its BCD MIN XOR the first scrambler byte.
  assert.equal(at(0).main[12], 0x00 ^ SCRAMBLER_SEQUENCE[0]!);
  // Lead-in and track 1's pre-gap of a data disc: scrambled mode 1 sectors too, each with its own address.
  for (const l of [RAW_IMAGE_START_LBA, -151, -150, -1]) {
    const logical = descrambled(at(l).main);
    assert.deepEqual(decodeSectorHeader(logical), { lba: l, mode: 1 }, `LBA ${l}`);
    assert.deepEqual(checkMode1Sector(logical), { edcOk: true, eccOk: true }, `LBA ${l}`);
  }
  // Track 2 (audio, its pre-gap of silence included) and the lead-out after it: PCM as given, not scrambled.
  for (let l = 300; l < 450; l++) assert.ok(at(l).main.equals(Buffer.alloc(2352)), `pre-gap LBA ${l} is silence`);
  for (let l = 450; l < 750; l++) assert.ok(at(l).main.equals(audio.subarray((l - 450) * 2352, (l - 449) * 2352)), `audio LBA ${l}`);
  assert.ok(at(750).main.equals(Buffer.alloc(2352)), 'the lead-out after an audio track is silence');
  const q300 = at(300).q as DecodedQ & { tno: number; index: number };
  assert.deepEqual([q300.tno, q300.index, q300.control], [2, 0, 2]);
});

test('a data-only disc: its lead-out is scrambled mode 1 sectors; a special pre-gap of logical data sectors is scrambled', async () => {
  const img = new RawCDImageCreator();
  // Logical mode 1 sectors for LBA −150..−1 as an application would give them (sync first), and one
  // sector without a sync pattern, which is not a data sector and stays as it is.
  const pre = Buffer.concat(Array.from({ length: 150 }, (_, i) => (i === 7 ? Buffer.alloc(2352, 0x33) : makeMode1Sector(-150 + i, Buffer.alloc(2048, i)))));
  img.addSpecialPregap(pre);
  img.addTrack(CdSectorType.MODE1, Buffer.alloc(300 * 2048, 0xc3));
  const s = sectors(await collect(img.createResultImage()), 2448);
  const at = (lba: number) => s[lba - RAW_IMAGE_START_LBA]!;
  for (const l of [-150, -149, -1]) {
    assert.ok(at(l).main.equals(scrambleSector(Buffer.from(pre.subarray((l + 150) * 2352, (l + 151) * 2352)))), `pre-gap LBA ${l} is the given sector, scrambled`);
  }
  assert.ok(at(-143).main.equals(Buffer.alloc(2352, 0x33)), 'a pre-gap sector without sync is written as given');
  for (const l of [300, 301, 300 + 6749]) {
    const logical = descrambled(at(l).main);
    assert.deepEqual(decodeSectorHeader(logical), { lba: l, mode: 1 }, `lead-out LBA ${l}`);
    assert.deepEqual(checkMode1Sector(logical), { edcOk: true, eccOk: true });
  }
});

test('SCMS alternates the copy bit; pre-emphasis sets control bit 0; MCN/ISRC off when not set', async () => {
  const img = new RawCDImageCreator();
  const n = img.addTrack(CdSectorType.AUDIO, pcm(300, 1));
  img.trackInfo(n).digitalAudioCopySetting = CdTrackDigitalCopySetting.SCMS;
  img.trackInfo(n).audioHasPreemphasis = true;
  const s = sectors(await collect(img.createResultImage()), 2448);
  const controls = s.filter((x) => x.lba >= 0 && x.lba < 16).map((x) => x.q.control);
  assert.deepEqual(controls, [1, 1, 1, 1, 3, 3, 3, 3, 1, 1, 1, 1, 3, 3, 3, 3]);
  assert.ok(!s.some((x) => x.q.kind === 'mcn' || x.q.kind === 'isrc'));
});

test('special pre-gap data fills LBA −150..−1; the R-W generator lands in bits 5..0 (interleaved in raw images)', async () => {
  for (const type of [RawImageType.SUBCODE_IS_COOKED, RawImageType.SUBCODE_IS_RAW] as const) {
    const img = new RawCDImageCreator();
    img.resultingImageType = type;
    const pre = pcm(150, 9);
    img.addSpecialPregap(pre);
    img.addTrack(CdSectorType.AUDIO, pcm(300, 2));
    const total = img.imageSectorCount;
    const rw = Buffer.alloc(total * 96);
    for (let i = 0; i < rw.length; i++) rw[i] = (i * 7 + (i >> 9)) & 0x3f;
    img.addSubcodeRWGenerator({ size: rw.length, open: () => Readable.from([rw]) });
    const data = await collect(img.createResultImage());
    const s = sectors(data, 2448);
    const pregap = Buffer.concat(s.filter((x) => x.lba >= -150 && x.lba < 0).map((x) => x.main));
    assert.ok(pregap.equals(pre));
    const gotRw = Buffer.concat(Array.from({ length: total }, (_, i) => deinterleavePW(data.subarray(i * 2448 + 2352, i * 2448 + 2448)).rw));
    if (type === RawImageType.SUBCODE_IS_COOKED) assert.ok(gotRw.equals(rw));
    else {
      const { packedToRaw } = await import('../wire/subchannel.js');
      assert.ok(gotRw.equals(packedToRaw(rw)));
      assert.ok(!gotRw.equals(rw));
    }
    // Q untouched by R-W.
    assert.ok(s.every((x) => x.q.crcOk));
  }
});

test('sources: file path, { size, open } re-read on a second createResultImage, one-shot stream fails with E_FAIL the second time', async () => {
  const { writeFileSync, mkdtempSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'rawimg-'));
  try {
    const a = pcm(300, 4);
    const file = join(dir, 't1.pcm');
    writeFileSync(file, a);
    const img = new RawCDImageCreator();
    img.addTrack(CdSectorType.AUDIO, file);
    const first = await collect(img.createResultImage());
    const second = await collect(img.createResultImage());
    assert.ok(first.equals(second));
    const img2 = new RawCDImageCreator();
    img2.addTrack(CdSectorType.AUDIO, { size: a.length, stream: Readable.from([a]) });
    await collect(img2.createResultImage());
    await assert.rejects(collect(img2.createResultImage()), (e) => ImapiError.is(e, 'E_FAIL'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a track source that ends short errors the image stream with E_FAIL; a partial last sector is zero-padded', async () => {
  const img = new RawCDImageCreator();
  img.addTrack(CdSectorType.AUDIO, { size: 300 * 2352, stream: Readable.from([Buffer.alloc(1000)]) });
  await assert.rejects(collect(img.createResultImage()), (e) => ImapiError.is(e, 'E_FAIL'));
  const img2 = new RawCDImageCreator();
  const odd = Buffer.alloc(300 * 2352 - 100, 0x77);
  img2.addTrack(CdSectorType.AUDIO, odd);
  assert.equal(img2.trackInfo(1).sectorCount, 300);
  const s = sectors(await collect(img2.createResultImage()), 2448);
  const last = s.find((x) => x.lba === 299)!.main;
  assert.equal(last[2251], 0x77);
  assert.ok(last.subarray(2252).equals(Buffer.alloc(100)));
});
