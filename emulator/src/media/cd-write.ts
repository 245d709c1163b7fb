/**
 * CD recording paths (MMC-6 §4.3.6 "CD write types"; mode page 05h; SEND CUE SHEET §6.33):
 *  - TAO / packet: WRITE at the NWA of an open track, in the data block type of mode page 05h;
 *    the drive builds the 2352-byte sector (sector.ts) and the sub-channel (mode-1 Q position).
 *  - SAO: SEND CUE SHEET lays out the session (cue.ts); one continuous WRITE stream follows from the
 *    first host-supplied cue region; the session closes when the stream reaches the lead-out and the
 *    host sends SYNCHRONIZE CACHE (or CLOSE SESSION).
 *  - RAW (DAO-96/PQ): the host writes every sector from the lead-in start (ATIP) through the lead-out,
 *    2352 main + 16 PQ or 96 P-W; the TOC is recovered from the lead-in's Q (raw-toc.ts).
 */
import { CheckCondition, Sense, lbaToMsf } from '@openimapi/sdk';
import type { MediaProfile } from './catalog.js';
import type { Disc } from './disc.js';
import { CD_STORE_SECTOR } from './disc.js';
import { DataBlockType, WriteType, dataBlockSize, type CueSheetEntry, type WriteContext } from './medium.js';
import { CD_SECTOR, isScrambledDataSector, logicalRawSector, mode1Sector, mode2Form1Sector, mode2Form2Sector, mode2Sector, sectorMode } from './sector.js';
import { encodeQ, qFromRaw, qCrcOk, decodeQ, rawFromFormattedPQ, rawFromPQ } from './subcode.js';
import type { TrackRec } from './state.js';
import { PREGAP, LEAD_IN, FIRST_LEAD_OUT } from './toc.js';
import { recoverToc } from './raw-toc.js';
import { layoutCue, regionAt, type CueLayout } from './cue.js';

/** The CD store starts at the ATIP lead-in start (recordable) or at LBA −150 (ROM). */
export function storeOrigin(p: MediaProfile): number {
  return p.leadInStart ?? -PREGAP;
}

const badMode = (why: string) => new CheckCondition(Sense.INVALID_MODE_FOR_THIS_TRACK, why);

/** Relative time as MSF (no 150 offset). */
function relMsf(frames: number): { m: number; s: number; f: number } {
  const a = Math.abs(frames);
  return { m: Math.floor(a / 4500), s: Math.floor(a / 75) % 60, f: a % 75 };
}

/** Mode-1 Q of a program-area sector: track `tno`, `index`, relative time, absolute time of `lba`. */
export function positionQ(control: number, tno: number, index: number, lba: number, trackStart: number): Buffer {
  const r = relMsf(lba - trackStart);
  const a = lbaToMsf(lba);
  return encodeQ({ control, adr: 1, tno, indexOrPoint: index, min: r.m, sec: r.s, frame: r.f, zero: 0, pmin: a.m, psec: a.s, pframe: a.f });
}

/** Builds the 2352-byte main channel for one block of `size` host bytes in data block type `dbt`. */
function mainFromBlock(lba: number, block: Uint8Array, dbt: number, ctx: WriteContext): Buffer {
  const sh = ctx.subheader ?? new Uint8Array(8);
  const sub8 = sh.length >= 8 ? sh.subarray(0, 8) : Buffer.concat([sh.subarray(0, 4), sh.subarray(0, 4)]);
  switch (dbt) {
    case DataBlockType.RAW: case DataBlockType.RAW_PQ: case DataBlockType.RAW_PW_PACKED: case DataBlockType.RAW_PW_RAW:
      return (ctx.trackMode & 4) === 0 ? Buffer.from(block.subarray(0, CD_SECTOR)) : logicalRawSector(block);
    case DataBlockType.MODE_1: return mode1Sector(lba, block);
    case DataBlockType.MODE_2: return mode2Sector(lba, block);
    case DataBlockType.MODE_2_FORM_1: return mode2Form1Sector(lba, sub8, block);
    case DataBlockType.MODE_2_FORM_1_SUBHEADER: return mode2Form1Sector(lba, block.subarray(0, 8), block.subarray(8));
    case DataBlockType.MODE_2_FORM_2: return mode2Form2Sector(lba, sub8, block);
    default: { // MODE2_MIXED: subheader + 2324; form from the submode byte
      const form2 = (block[2]! & 0x20) !== 0;
      return form2 ? mode2Form2Sector(lba, block.subarray(0, 8), block.subarray(8)) : mode2Form1Sector(lba, block.subarray(0, 8), block.subarray(8));
    }
  }
}

/** Sub-channel (raw P-W) the host sent with a block, if its data block type carries one. */
function hostSub(block: Uint8Array, dbt: number): Uint8Array | undefined {
  if (dbt === DataBlockType.RAW_PQ) return rawFromFormattedPQ(block.subarray(CD_SECTOR, CD_SECTOR + 16));
  if (dbt === DataBlockType.RAW_PW_RAW || dbt === DataBlockType.RAW_PW_PACKED) {
    // Packed P-W: R-W are packs in bits 5..0; P and Q ride in bits 7..6 of the same 96 bytes, as in raw.
    // A view: callers copy it into the sector they build.
    return block.subarray(CD_SECTOR, CD_SECTOR + 96);
  }
  return undefined;
}

export function write(d: Disc, lba: number, data: Uint8Array, ctx: WriteContext, count?: number): void {
  switch (ctx.writeType) {
    case WriteType.TRACK_AT_ONCE: case WriteType.PACKET_INCREMENTAL: return writeTao(d, lba, data, ctx);
    case WriteType.SESSION_AT_ONCE: return writeSao(d, lba, data, ctx, count);
    case WriteType.RAW: return writeRaw(d, lba, data, ctx);
    default: throw new CheckCondition(Sense.CANNOT_WRITE_MEDIUM_INCOMPATIBLE_FORMAT, `write type ${ctx.writeType} on CD`);
  }
}

function blockCount(data: Uint8Array, size: number): number {
  if (data.length % size !== 0) throw new CheckCondition(Sense.INVALID_FIELD_IN_CDB, `${data.length} bytes is not whole ${size}-byte blocks`);
  return data.length / size;
}

function writeTao(d: Disc, lba: number, data: Uint8Array, ctx: WriteContext): void {
  const size = dataBlockSize(ctx.dataBlockType);
  if (size === undefined) throw badMode(`data block type ${ctx.dataBlockType}`);
  const audio = (ctx.trackMode & 4) === 0;
  if (audio && ctx.dataBlockType > DataBlockType.RAW_PW_RAW) throw badMode('audio track needs a raw data block type');
  const n = blockCount(data, size);
  if (n === 0) return;
  const t = d.sequentialTarget(lba, n);
  if (t.recorded > 0 && (t.mode === 'audio') !== audio) throw badMode(`track ${t.number} is ${t.mode === 'audio' ? 'audio' : 'data'}`);
  if (ctx.testWrite) return;
  const buf = Buffer.alloc(n * CD_STORE_SECTOR);
  for (let i = 0; i < n; i++) {
    const block = data.subarray(i * size, (i + 1) * size);
    const main = mainFromBlock(lba + i, block, ctx.dataBlockType, ctx);
    main.copy(buf, i * CD_STORE_SECTOR);
    const sub = hostSub(block, ctx.dataBlockType) ?? rawFromPQ(false, positionQ(ctx.trackMode & 0x0f, t.number, 1, lba + i, t.start));
    buf.set(sub, i * CD_STORE_SECTOR + CD_SECTOR);
  }
  if (t.recorded === 0) {
    t.control = ctx.trackMode & 0x0f;
    t.mode = audio ? 'audio' : modeOf(buf.subarray(0, CD_SECTOR));
    if (ctx.isrc !== undefined) t.isrc = ctx.isrc;
    const s = d.st.sessions.find((x) => x.number === t.session)!;
    if (d.st.tracks.find((x) => x.session === t.session) === t) s.format = ctx.sessionFormat;
    if (ctx.mcn !== undefined) d.st.mcn = ctx.mcn;
  }
  d.store.write(lba, buf);
  t.recorded += n;
}

function modeOf(main: Uint8Array): 1 | 2 {
  const m = sectorMode(main, false);
  return m === 'mode1' || m === 'mode0' || m === 'audio' ? 1 : 2;
}

/** After a crash the image may hold blocks of a track whose mode the JSON never learnt: read it back. */
export function adoptTrackModeFromImage(d: Disc, t: TrackRec): void {
  const raw = d.store.read(t.start, 1);
  const q = qFromRaw(raw.subarray(CD_SECTOR));
  if (!qCrcOk(q)) return;
  t.control = decodeQ(q).control;
  t.mode = (t.control & 4) === 0 ? 'audio' : modeOf(raw.subarray(0, CD_SECTOR));
}

// ---- SAO ----------------------------------------------------------------------------------------

export function sendCueSheet(d: Disc, entries: readonly CueSheetEntry[], ctx: WriteContext): void {
  const inv = d.st.finalized || d.st.dao ? undefined : d.st.tracks.find((t) => !t.closed && t.reservedSize === undefined);
  if (!inv || inv.recorded > 0 || d.openTracks().some((t) => t.reservedSize !== undefined)) {
    throw new CheckCondition(Sense.COMMAND_SEQUENCE_ERROR, 'SEND CUE SHEET needs an empty open session');
  }
  const layout = layoutCue(entries, inv.number, inv.start, d.lastLba());
  if (ctx.testWrite) return;
  d.st.tracks = d.st.tracks.filter((t) => t !== inv);
  for (const t of layout.tracks) d.st.tracks.push({ ...t, session: inv.session, recorded: 0, closed: false });
  const s = d.st.sessions[d.st.sessions.length - 1]!;
  s.format = ctx.sessionFormat;
  if (layout.mcn !== undefined) d.st.mcn = layout.mcn;
  d.st.dao = { type: 'sao', start: layout.hostStart, next: layout.hostStart, end: layout.leadOut, cue: [...entries], multiSession: ctx.multiSession };
}

function cueLayout(d: Disc): CueLayout {
  const inv = d.st.tracks.find((t) => !t.closed && t.session === d.st.sessions[d.st.sessions.length - 1]!.number)!;
  return layoutCue(d.st.dao!.cue!, inv.number, inv.start, d.lastLba());
}

function writeSao(d: Disc, lba: number, data: Uint8Array, ctx: WriteContext, count?: number): void {
  const plan = d.st.dao;
  if (!plan || plan.type !== 'sao') throw new CheckCondition(Sense.COMMAND_SEQUENCE_ERROR, 'SAO write without a cue sheet');
  const layout = cueLayout(d);
  // Dry pass: which region each host block falls in, and that the data is exactly whole blocks.
  const blocks: { lba: number; off: number; size: number; region: ReturnType<typeof regionAt> }[] = [];
  let off = 0;
  let at = plan.next;
  // Regions the drive generates (0 host bytes) between the stream position and the write are recorded first.
  for (let r = regionAt(layout, at); at < lba && r && r.hostBytes === 0; r = regionAt(layout, at)) blocks.push({ lba: at++, off: 0, size: 0, region: r });
  if (lba !== at) throw new CheckCondition(Sense.INVALID_ADDRESS_FOR_WRITE, `SAO stream is at ${at}, not ${lba}`, { information: lba >>> 0 });
  while (off < data.length) {
    const r = regionAt(layout, at);
    if (!r || at >= plan.end!) throw new CheckCondition(Sense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE, `SAO write past the lead-out at ${plan.end}`, { information: at >>> 0 });
    if (r.hostBytes === 0) { blocks.push({ lba: at, off, size: 0, region: r }); at++; continue; }
    if (off + r.hostBytes > data.length) throw new CheckCondition(Sense.INVALID_FIELD_IN_CDB, `partial ${r.hostBytes}-byte block at ${at}`);
    blocks.push({ lba: at, off, size: r.hostBytes, region: r });
    off += r.hostBytes;
    at++;
  }
  const hostBlocks = blocks.reduce((n, b) => n + (b.size > 0 ? 1 : 0), 0);
  if (count !== undefined && hostBlocks !== count) {
    throw new CheckCondition(Sense.INVALID_FIELD_IN_CDB, `SAO: ${data.length} bytes hold ${hostBlocks} blocks of the cue sheet's regions from ${lba}, not the ${count} of the CDB`);
  }
  // Generated regions right after the host data (e.g. a silent post-gap) are recorded too.
  for (let r = regionAt(layout, at); r && r.hostBytes === 0 && at < plan.end!; r = regionAt(layout, at)) blocks.push({ lba: at++, off, size: 0, region: r });
  if (ctx.testWrite) return;
  const buf = Buffer.alloc(blocks.length * CD_STORE_SECTOR);
  blocks.forEach((b, i) => {
    const r = b.region!;
    const block = b.size ? data.subarray(b.off, b.off + b.size) : Buffer.alloc(r.mainForm === 'audio' ? CD_SECTOR : r.mainForm === 'mode2' ? 2336 : 2048);
    const main = r.mainForm === 'audio' ? Buffer.from(block.length >= CD_SECTOR ? block.subarray(0, CD_SECTOR) : Buffer.alloc(CD_SECTOR)) : r.raw ? logicalRawSector(block)
      : r.mainForm === 'mode1' ? mode1Sector(b.lba, block) : r.mainForm === 'xa' ? mode2Form1Sector(b.lba, new Uint8Array(8), block) : mode2Sector(b.lba, block);
    main.copy(buf, i * CD_STORE_SECTOR);
    const q = positionQ(r.control, r.tno, r.index, b.lba, r.trackStart);
    const rw = r.subBytes && b.size ? block.subarray(b.size - 96) : undefined;
    rawFromPQ(r.index === 0, q, rw).copy(buf, i * CD_STORE_SECTOR + CD_SECTOR);
  });
  const first = blocks[0]?.lba ?? lba;
  d.store.write(first, buf);
  const end = first + blocks.length;
  plan.next = end;
  for (const t of d.openTracks()) if (t.reservedSize !== undefined) t.recorded = Math.max(t.recorded, Math.min(t.reservedSize, end - t.start));
}

// ---- RAW ----------------------------------------------------------------------------------------

function writeRaw(d: Disc, lba: number, data: Uint8Array, ctx: WriteContext): void {
  const dbt = ctx.dataBlockType;
  if (dbt !== DataBlockType.RAW_PQ && dbt !== DataBlockType.RAW_PW_PACKED && dbt !== DataBlockType.RAW_PW_RAW) throw badMode(`RAW recording needs data block type 1, 2 or 3, not ${dbt}`);
  const size = dataBlockSize(dbt)!;
  const n = blockCount(data, size);
  let plan = d.st.dao;
  if (plan && (plan.type !== 'raw' || plan.dataBlockType !== dbt)) throw new CheckCondition(Sense.COMMAND_SEQUENCE_ERROR, 'another recording is in progress');
  const session = d.st.sessions[d.st.sessions.length - 1]!;
  if (!plan) {
    const inv = d.st.finalized ? undefined : d.st.tracks.find((t) => !t.closed && t.reservedSize === undefined);
    if (!inv || inv.recorded > 0 || d.openTracks().length !== 1 || session.leadIn === undefined) throw new CheckCondition(Sense.INVALID_ADDRESS_FOR_WRITE, 'RAW recording needs an empty open session', { information: lba >>> 0 });
    if (lba !== session.leadIn) throw new CheckCondition(Sense.INVALID_ADDRESS_FOR_WRITE, `RAW recording starts at the lead-in ${session.leadIn}, not ${lba}`, { information: lba >>> 0 });
  } else if (lba !== plan.next) {
    throw new CheckCondition(Sense.INVALID_ADDRESS_FOR_WRITE, `RAW stream is at ${plan.next}, not ${lba}`, { information: lba >>> 0 });
  }
  if (lba + n > d.lastLba() + FIRST_LEAD_OUT) throw new CheckCondition(Sense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE, `RAW write of ${n} at ${lba} passes the disc's end`, { information: lba >>> 0 });
  if (ctx.testWrite || n === 0) return;
  // The Q the host sent says whether a sector is audio (kept as sent) or data (stored descrambled:
  // hosts send data sectors RAW as they lie on the disc, scrambled).
  const keepMain = (block: Uint8Array): boolean => {
    if (!isScrambledDataSector(block)) return true;
    const q = qFromRaw(hostSub(block, dbt)!);
    return qCrcOk(q) && (decodeQ(q).control & 4) === 0;
  };
  // Raw P-W blocks (type 3) are the store's own layout (2352 main + 96 raw P-W): stored as they came
  // when no main channel needs descrambling (audio, or a host that sent logical sectors).
  let buf: Uint8Array = data;
  let asIs = dbt === DataBlockType.RAW_PW_RAW;
  for (let i = 0; asIs && i < n; i++) asIs = keepMain(data.subarray(i * size, (i + 1) * size));
  if (!asIs) {
    const out = Buffer.allocUnsafe(n * CD_STORE_SECTOR); // every byte is set below
    for (let i = 0; i < n; i++) {
      const block = data.subarray(i * size, (i + 1) * size);
      out.set(keepMain(block) ? block.subarray(0, CD_SECTOR) : logicalRawSector(block), i * CD_STORE_SECTOR);
      out.set(hostSub(block, dbt)!, i * CD_STORE_SECTOR + CD_SECTOR);
    }
    buf = out;
  }
  if (!plan) {
    plan = { type: 'raw', start: lba, next: lba, end: undefined, dataBlockType: dbt, multiSession: ctx.multiSession };
    d.st.dao = plan;
    d.save(); // the JSON must know a RAW recording began before the image holds any of it
  }
  d.store.write(lba, buf);
  plan.next = lba + n;
}

/**
 * Ends a disc-at-once recording when it is complete. `explicit` (CLOSE SESSION) turns an incomplete
 * SAO stream into 05/72/03; a RAW stream is judged as soon as its lead-in is written: a lead-in with
 * no recoverable TOC leaves a closed disc whose TOC cannot be read.
 */
export function finishDao(d: Disc, explicit: boolean): void {
  const plan = d.st.dao!;
  const s = d.st.sessions[d.st.sessions.length - 1]!;
  if (plan.type === 'sao') {
    if (plan.next < plan.end!) {
      if (explicit) throw new CheckCondition(Sense.SESSION_FIXATION_ERROR_INCOMPLETE_TRACK_IN_SESSION, `SAO stream stopped at ${plan.next} of ${plan.end}`);
      return;
    }
    for (const t of d.openTracks()) { t.recorded = t.reservedSize ?? t.recorded; t.closed = true; }
    delete d.st.dao;
    d.sealSession(plan.multiSession === 3);
    return;
  }
  const leadInEnd = s.number === 1 ? -PREGAP : s.leadIn! + LEAD_IN;
  if (plan.next < leadInEnd && !explicit) return;
  const subs = function* (): Generator<Uint8Array> {
    const stop = Math.min(plan.next, leadInEnd);
    for (let lba = plan.start; lba < stop; lba += 256) {
      const n = Math.min(256, stop - lba);
      const raw = d.store.read(lba, n);
      for (let i = 0; i < n; i++) yield raw.subarray(i * CD_STORE_SECTOR + CD_SECTOR, (i + 1) * CD_STORE_SECTOR);
    }
  };
  const rec = recoverToc(s.number, subs());
  if (rec.ok && plan.next < rec.toc.leadOut && !explicit) return; // program area still being written
  const firstTrackNo = d.st.tracks.find((t) => t.session === s.number)?.number ?? 1;
  d.st.tracks = d.st.tracks.filter((t) => t.session !== s.number);
  delete d.st.dao;
  if (!rec.ok || rec.toc.firstTrack !== firstTrackNo) {
    d.st.tocReadable = false;
    d.st.finalized = true;
    s.closed = true;
    return;
  }
  const toc = rec.toc;
  toc.tracks.forEach((p, i) => {
    const end = toc.tracks[i + 1]?.start ?? toc.leadOut;
    const mainFirst = d.store.read(p.start, 1).subarray(0, CD_SECTOR);
    d.st.tracks.push({
      number: p.number, session: s.number, pregapStart: i === 0 && s.number === 1 ? -PREGAP : p.start, start: p.start,
      recorded: Math.max(0, Math.min(end, plan.next) - p.start), closed: true, control: p.control,
      mode: (p.control & 4) === 0 ? 'audio' : modeOf(mainFirst),
    });
  });
  const a0 = toc.entries.find((e) => e.adr === 1 && e.point === 0xa0);
  s.format = a0?.psec ?? 0;
  s.rawToc = toc.entries;
  const next = toc.nextProgramArea;
  if (next !== undefined && next < d.lastLba()) {
    s.leadOut = toc.leadOut;
    s.closed = true;
    const n = s.number + 1;
    const leadIn = next - LEAD_IN - PREGAP;
    d.st.sessions.push({ number: n, closed: false, format: s.format, leadIn });
    d.st.tracks.push({ number: toc.lastTrack + 1, session: n, pregapStart: next - PREGAP, start: next, recorded: 0, closed: false, control: 4, mode: 1 });
  } else {
    s.leadOut = toc.leadOut;
    s.closed = true;
    d.st.finalized = true;
  }
}
