/**
 * READ TOC/PMA/ATIP (43h) — MMC-6 (T10/1836-D r2g) §6.26.
 *
 * CDB (MMC-6 table "READ TOC/PMA/ATIP CDB"):
 *   byte 0     OPERATION CODE (43h)
 *   byte 1     Reserved (7..2) | MSF (1) | Reserved (0)
 *   byte 2     Reserved (7..4) | FORMAT (3..0): 0 formatted TOC, 1 multi-session information,
 *              2 raw (full) TOC, 3 PMA, 4 ATIP, 5 CD-TEXT; 6..15 reserved
 *   bytes 3-5  Reserved
 *   byte 6     TRACK/SESSION NUMBER (format 0: starting track 0..99 or AAh lead-out; format 2:
 *              starting session)
 *   bytes 7-8  ALLOCATION LENGTH
 *   byte 9     CONTROL — bits 7..6 carry the format in the legacy (SFF-8020) form of the command
 *              that older hosts still send: when FORMAT is 0 and these bits are not, they are the
 *              format (00b TOC, 01b session information, 10b full TOC)
 *
 * Every reply starts with a 4-byte header: bytes 0-1 DATA LENGTH (bytes after this field), then two
 * bytes that depend on the format. Addresses are LBAs, or with MSF=1 the 4-byte form 00 M S F.
 * Format 0 (table "Formatted TOC"): byte 2 FIRST TRACK, 3 LAST TRACK; 8-byte track descriptors:
 *   0 reserved, 1 ADR (7..4) | CONTROL (3..0), 2 TRACK NUMBER (AAh = lead-out), 3 reserved,
 *   4-7 TRACK START ADDRESS
 * Format 1 (table "Multi-session information"): byte 2 FIRST COMPLETE SESSION, 3 LAST COMPLETE
 *   SESSION; one 8-byte descriptor: 1 ADR/CONTROL, 2 FIRST TRACK NUMBER IN LAST COMPLETE SESSION,
 *   4-7 START ADDRESS OF THAT TRACK
 * Format 2 (table "Raw TOC"): byte 2 FIRST COMPLETE SESSION, 3 LAST COMPLETE SESSION; 11-byte
 *   descriptors: 0 SESSION NUMBER, 1 ADR (7..4) | CONTROL (3..0), 2 TNO, 3 POINT, 4 MIN, 5 SEC,
 *   6 FRAME, 7 ZERO, 8 PMIN, 9 PSEC, 10 PFRAME — the lead-in Q sub-channel, in binary (MMC drives
 *   convert the disc's BCD). ADR 1 points: 01..63h track start (P = MSF), A0h first track (PMIN) and
 *   disc type (PSEC), A1h last track (PMIN), A2h lead-out start (P = MSF). ADR 5 points: B0h next
 *   program area start (MIN/SEC/FRAME) and outermost lead-out start (P), ZERO = number of ADR 5
 *   pointers; B1h skip intervals; B2h-B4h skip track numbers; C0h ATIP special information
 *   (MIN/SEC/FRAME) and first lead-in start (P); C1h copy of the ATIP additional information.
 * Format 3 (table "PMA"): bytes 2-3 reserved; 11-byte descriptors as format 2.
 * Format 4 (table "ATIP"): bytes 2-3 reserved; descriptor:
 *   4  1 (7) | INDICATIVE TARGET WRITING POWER (6..4) | DDCD (3) | REFERENCE SPEED (2..0)
 *   5  0 (7) | URU (6) | reserved
 *   6  1 (7) | DISC TYPE (6: 1 = CD-RW) | DISC SUB-TYPE (5..3) | A1 valid (2) | A2 valid (1) | A3 valid (0)
 *   8-10  ATIP START TIME OF LEAD-IN (M, S, F)     12-14 ATIP LAST POSSIBLE START TIME OF LEAD-OUT
 *   16-18 A1 VALUES   20-22 A2 VALUES   24-26 A3 VALUES   28-30 S4 VALUES (the last two only in
 *   the longer replies of newer drives)
 * Format 5 (table "CD-TEXT"): bytes 2-3 reserved; 18-byte CD-TEXT packs (returned raw here).
 */
import { ByteReader, ByteWriter } from '../../wire/bytes.js';
import { decodeMsfAddressField, lbaToMsf, msfAddressField, msfToLba, type Msf } from '../../wire/msf.js';
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidCdbField, invalidReply, replyReader, type CdbCommon } from '../codec.js';
import { expectOpcode, readControl, rejectBits, rejectBytes, uint, writeControl } from './cdb-fields.js';

export const TocFormat = {
  TOC: 0,
  SESSION_INFO: 1,
  FULL_TOC: 2,
  PMA: 3,
  ATIP: 4,
  CD_TEXT: 5,
} as const;

/** Track number of the lead-out in formatted TOC descriptors and in the CDB. */
export const LEAD_OUT_TRACK = 0xaa;

/** Points of the raw TOC (lead-in Q sub-channel, MMC-6 table "Raw TOC"). */
export const TocPoint = {
  FIRST_TRACK: 0xa0,
  LAST_TRACK: 0xa1,
  LEAD_OUT: 0xa2,
  NEXT_PROGRAM_AREA: 0xb0,
  SKIP_INTERVALS: 0xb1,
  SKIP_TRACKS_B2: 0xb2,
  SKIP_TRACKS_B3: 0xb3,
  SKIP_TRACKS_B4: 0xb4,
  ATIP_SPECIAL: 0xc0,
  ATIP_ADDITIONAL: 0xc1,
} as const;

// ---------------------------------------------------------------------------------------------
// CDB

export interface ReadTocCdb extends CdbCommon {
  msf: boolean;
  /** TocFormat. */
  format: number;
  trackSessionNumber: number;
  allocationLength: number;
  /** The format travels in CONTROL bits 7..6 (SFF-8020 form) and FORMAT is 0: formats 1 and 2 only. */
  legacyFormat?: boolean;
}

export function encodeReadTocCdb(p: ReadTocCdb): Buffer {
  const format = uint('format', p.format, 15);
  const w = new ByteWriter(10);
  w.u8(0, Opcode.READ_TOC_PMA_ATIP);
  w.u8(1, p.msf ? 2 : 0);
  w.u8(6, uint('trackSessionNumber', p.trackSessionNumber, 0xff));
  w.u16(7, uint('allocationLength', p.allocationLength, 0xffff));
  if (p.legacyFormat) {
    if (format < 1 || format > 2) throw new TypeError('legacyFormat: only formats 1 and 2 can be sent in CONTROL bits 7..6');
    writeControl(w, 9, (uint('control', p.control ?? 0, 0xff) & 0x3f) | (format << 6));
  } else {
    w.u8(2, format);
    writeControl(w, 9, p.control);
  }
  return w.buffer;
}

export function decodeReadTocCdb(cdb: Uint8Array): ReadTocCdb {
  const what = 'READ TOC/PMA/ATIP CDB';
  const r = cdbReader(cdb, 10, what);
  expectOpcode(r, Opcode.READ_TOC_PMA_ATIP, what);
  rejectBits(r, 1, 0xfd, what);
  rejectBits(r, 2, 0xf0, what);
  rejectBytes(r, 3, 5, what);
  const control = readControl(r, 9, what);
  let format = r.bits(2, 0, 4);
  let legacyFormat = false;
  if (format > TocFormat.CD_TEXT) throw invalidCdbField(2, `READ TOC/PMA/ATIP: format ${format} is reserved`, 3);
  const legacy = r.bits(9, 6, 2);
  if (format === 0 && legacy !== 0) {
    if (legacy === 3) throw invalidCdbField(9, 'READ TOC/PMA/ATIP: legacy format 11b in CONTROL is reserved', 7);
    format = legacy;
    legacyFormat = true;
  }
  const trackSessionNumber = r.u8(6);
  if (format === TocFormat.TOC && trackSessionNumber > 99 && trackSessionNumber !== LEAD_OUT_TRACK) {
    throw invalidCdbField(6, `READ TOC/PMA/ATIP: starting track ${trackSessionNumber} is neither 0..99 nor AAh`);
  }
  return {
    msf: r.bit(1, 1),
    format,
    trackSessionNumber,
    allocationLength: r.u16(7),
    ...(legacyFormat ? { legacyFormat } : {}),
    ...control,
  };
}

// ---------------------------------------------------------------------------------------------
// Shared reply plumbing

interface ListReply {
  r: ByteReader;
  fullLength: number;
  /** Offsets of the whole descriptors present. */
  offsets: number[];
  truncated: boolean;
}

/** Header + fixed-size descriptors: validates DATA LENGTH and finds the descriptors present. */
function readList(buf: Uint8Array, size: number, what: string): ListReply {
  const r = replyReader(buf, what);
  const len = r.u16(0);
  if (buf.length >= 2 && len < 2) throw invalidReply(`${what}: DATA LENGTH ${len} is less than the 2 header bytes it counts`);
  if (buf.length >= 2 && (len - 2) % size !== 0) {
    throw invalidReply(`${what}: DATA LENGTH ${len} leaves ${len - 2} bytes, not a whole number of ${size}-byte descriptors`);
  }
  const fullLength = buf.length >= 2 ? len + 2 : 4;
  const offsets: number[] = [];
  for (let o = 4; o + size <= Math.min(fullLength, buf.length); o += size) offsets.push(o);
  r.u8(3); // header bytes count toward truncation
  return { r, fullLength, offsets, truncated: false };
}

function finish(l: ListReply, buf: Uint8Array): boolean {
  return l.r.readPastEnd || buf.length < l.fullLength;
}

function writeAddress(w: ByteWriter, off: number, lba: number, msf: boolean): void {
  if (msf) w.u32(off, msfAddressField(lba));
  else w.i32(off, lba);
}

function readAddress(r: ByteReader, off: number, msf: boolean, what: string): number {
  if (!msf) return r.i32(off);
  const m = decodeMsfAddressField(r.u32(off));
  if (!m) throw invalidReply(`${what}: address ${r.u32(off).toString(16).padStart(8, '0')}h at offset ${off} is not an MSF address`);
  return m.lba;
}

// ---------------------------------------------------------------------------------------------
// Format 0: formatted TOC

export interface TocTrackDescriptor {
  adr: number;
  control: number;
  /** 1..99, or LEAD_OUT_TRACK. */
  trackNumber: number;
  /** Start as an LBA (converted from MSF when the reply was in MSF form). */
  startLba: number;
}

export interface TocReply {
  firstTrack: number;
  lastTrack: number;
  tracks: TocTrackDescriptor[];
}

export interface TocReplyDecoded extends TocReply {
  truncated: boolean;
  fullLength: number;
}

export function encodeTocReply(toc: TocReply, opts: { msf: boolean }): Buffer {
  const w = new ByteWriter(4 + 8 * toc.tracks.length);
  w.u16(0, uint('TOC data length', 2 + 8 * toc.tracks.length, 0xffff));
  w.u8(2, uint('firstTrack', toc.firstTrack, 0xff));
  w.u8(3, uint('lastTrack', toc.lastTrack, 0xff));
  toc.tracks.forEach((t, i) => {
    const o = 4 + 8 * i;
    w.u8(o + 1, (uint('adr', t.adr, 15) << 4) | uint('control', t.control, 15));
    w.u8(o + 2, uint('trackNumber', t.trackNumber, 0xff));
    writeAddress(w, o + 4, t.startLba, opts.msf);
  });
  return w.buffer;
}

export function decodeTocReply(buf: Uint8Array, opts: { msf: boolean }): TocReplyDecoded {
  const what = 'READ TOC/PMA/ATIP format 0 reply';
  const l = readList(buf, 8, what);
  const tracks = l.offsets.map((o) => ({
    adr: l.r.bits(o + 1, 4, 4),
    control: l.r.bits(o + 1, 0, 4),
    trackNumber: l.r.u8(o + 2),
    startLba: readAddress(l.r, o + 4, opts.msf, what),
  }));
  return { firstTrack: l.r.u8(2), lastTrack: l.r.u8(3), tracks, truncated: finish(l, buf), fullLength: l.fullLength };
}

// ---------------------------------------------------------------------------------------------
// Format 1: multi-session information

export interface SessionInfoReply {
  firstCompleteSession: number;
  lastCompleteSession: number;
  adr: number;
  control: number;
  firstTrackInLastSession: number;
  startLba: number;
}

export interface SessionInfoReplyDecoded extends SessionInfoReply {
  truncated: boolean;
  fullLength: number;
}

export function encodeSessionInfoReply(s: SessionInfoReply, opts: { msf: boolean }): Buffer {
  const w = new ByteWriter(12);
  w.u16(0, 10);
  w.u8(2, uint('firstCompleteSession', s.firstCompleteSession, 0xff));
  w.u8(3, uint('lastCompleteSession', s.lastCompleteSession, 0xff));
  w.u8(5, (uint('adr', s.adr, 15) << 4) | uint('control', s.control, 15));
  w.u8(6, uint('firstTrackInLastSession', s.firstTrackInLastSession, 0xff));
  writeAddress(w, 8, s.startLba, opts.msf);
  return w.buffer;
}

export function decodeSessionInfoReply(buf: Uint8Array, opts: { msf: boolean }): SessionInfoReplyDecoded {
  const what = 'READ TOC/PMA/ATIP format 1 reply';
  const l = readList(buf, 8, what);
  if (buf.length >= 2 && l.fullLength !== 12) throw invalidReply(`${what}: DATA LENGTH ${l.fullLength - 2}, expected 10`);
  const whole = l.offsets.length === 1;
  return {
    firstCompleteSession: l.r.u8(2),
    lastCompleteSession: l.r.u8(3),
    adr: l.r.bits(5, 4, 4),
    control: l.r.bits(5, 0, 4),
    firstTrackInLastSession: l.r.u8(6),
    startLba: whole ? readAddress(l.r, 8, opts.msf, what) : 0,
    truncated: finish(l, buf),
    fullLength: l.fullLength,
  };
}

// ---------------------------------------------------------------------------------------------
// Formats 2 and 3: raw TOC, PMA

/** One raw TOC / PMA descriptor, fields as the drive returns them (binary). */
export interface FullTocEntry {
  session: number;
  adr: number;
  control: number;
  tno: number;
  point: number;
  min: number;
  sec: number;
  frame: number;
  zero: number;
  pmin: number;
  psec: number;
  pframe: number;
}

/** A raw TOC entry with the times it carries, as LBAs, where its point gives them that meaning. */
export interface FullTocEntryDecoded extends FullTocEntry {
  /** MIN/SEC/FRAME as an LBA: B0h (start of the next possible program area). */
  msfLba?: number;
  /** PMIN/PSEC/PFRAME as an LBA: track starts 01h-63h and A2h (ADR 1), B0h and C0h (ADR 5). */
  pmsfLba?: number;
}

export interface FullTocReply {
  /** Format 2: first/last complete session; format 3: reserved (0). */
  firstSession: number;
  lastSession: number;
  entries: FullTocEntry[];
}

export interface FullTocReplyDecoded {
  firstSession: number;
  lastSession: number;
  entries: FullTocEntryDecoded[];
  truncated: boolean;
  fullLength: number;
}

function timeLba(m: number, s: number, f: number): number | undefined {
  return m <= 99 && s <= 59 && f <= 74 ? msfToLba(m, s, f) : undefined;
}

/** Adds the LBA readings of an entry's times (see FullTocEntryDecoded). */
export function decodeFullTocEntryTimes(e: FullTocEntry): FullTocEntryDecoded {
  const out: FullTocEntryDecoded = { ...e };
  const pTime =
    (e.adr === 1 && ((e.point >= 0x01 && e.point <= 0x63) || e.point === TocPoint.LEAD_OUT)) ||
    (e.adr === 5 && (e.point === TocPoint.NEXT_PROGRAM_AREA || e.point === TocPoint.ATIP_SPECIAL));
  if (pTime) {
    const l = timeLba(e.pmin, e.psec, e.pframe);
    if (l !== undefined) out.pmsfLba = l;
  }
  if (e.adr === 5 && e.point === TocPoint.NEXT_PROGRAM_AREA) {
    const l = timeLba(e.min, e.sec, e.frame);
    if (l !== undefined) out.msfLba = l;
  }
  return out;
}

function encodeEntries(firstByte: number, secondByte: number, entries: readonly FullTocEntry[]): Buffer {
  const w = new ByteWriter(4 + 11 * entries.length);
  w.u16(0, uint('TOC data length', 2 + 11 * entries.length, 0xffff));
  w.u8(2, firstByte).u8(3, secondByte);
  entries.forEach((e, i) => {
    const o = 4 + 11 * i;
    w.u8(o, uint('session', e.session, 0xff));
    w.u8(o + 1, (uint('adr', e.adr, 15) << 4) | uint('control', e.control, 15));
    const fields = [e.tno, e.point, e.min, e.sec, e.frame, e.zero, e.pmin, e.psec, e.pframe];
    fields.forEach((v, j) => w.u8(o + 2 + j, uint('raw TOC field', v, 0xff)));
  });
  return w.buffer;
}

function decodeEntries(buf: Uint8Array, what: string): FullTocReplyDecoded {
  const l = readList(buf, 11, what);
  const r = l.r;
  const entries = l.offsets.map((o) =>
    decodeFullTocEntryTimes({
      session: r.u8(o),
      adr: r.bits(o + 1, 4, 4),
      control: r.bits(o + 1, 0, 4),
      tno: r.u8(o + 2),
      point: r.u8(o + 3),
      min: r.u8(o + 4),
      sec: r.u8(o + 5),
      frame: r.u8(o + 6),
      zero: r.u8(o + 7),
      pmin: r.u8(o + 8),
      psec: r.u8(o + 9),
      pframe: r.u8(o + 10),
    }),
  );
  return { firstSession: r.u8(2), lastSession: r.u8(3), entries, truncated: finish(l, buf), fullLength: l.fullLength };
}

export function encodeFullTocReply(toc: FullTocReply): Buffer {
  return encodeEntries(uint('firstSession', toc.firstSession, 0xff), uint('lastSession', toc.lastSession, 0xff), toc.entries);
}

export function decodeFullTocReply(buf: Uint8Array): FullTocReplyDecoded {
  return decodeEntries(buf, 'READ TOC/PMA/ATIP format 2 reply');
}

export function encodePmaReply(entries: readonly FullTocEntry[]): Buffer {
  return encodeEntries(0, 0, entries);
}

export function decodePmaReply(buf: Uint8Array): { entries: FullTocEntryDecoded[]; truncated: boolean; fullLength: number } {
  const d = decodeEntries(buf, 'READ TOC/PMA/ATIP format 3 reply');
  return { entries: d.entries, truncated: d.truncated, fullLength: d.fullLength };
}

// ---------------------------------------------------------------------------------------------
// TOC builders (emulator): sessions → tracks

export interface TocTrackSpec {
  number: number;
  /** Q CONTROL nibble (4 = data track, 0 = audio). */
  control: number;
  startLba: number;
}

export interface TocSessionSpec {
  /** A0h PSEC: DiscType (00h CD-DA/CD-ROM, 10h CD-I, 20h CD-ROM XA). */
  discType: number;
  tracks: TocTrackSpec[];
  leadOutLba: number;
  /** For an open disc: B0h start of the next possible program area and the outermost lead-out start. */
  next?: { programAreaLba: number; maxLeadOutLba: number };
  /** C0h: ATIP special information (3 bytes) and the start of the disc's first lead-in. */
  atip?: { special: [number, number, number]; firstLeadInLba: number };
}

function msfOf(lba: number): Msf {
  return lbaToMsf(lba);
}

/**
 * The raw TOC (format 2) a drive returns for these sessions: per session A0h, A1h, A2h, the track
 * points, then B0h and C0h when given (the order a PLEXTOR PX-806SA returns them). MIN/SEC/FRAME of
 * the ADR 1 points (the running time inside the lead-in) are zero, as drives report them.
 */
export function buildFullToc(sessions: readonly TocSessionSpec[]): FullTocReply {
  const entries: FullTocEntry[] = [];
  sessions.forEach((s, i) => {
    const session = i + 1;
    if (s.tracks.length === 0) throw new TypeError(`sessions[${i}].tracks: a session needs at least one track`);
    const first = s.tracks[0]!;
    const last = s.tracks[s.tracks.length - 1]!;
    const e = (control: number, point: number, p: [number, number, number], adr = 1, t: [number, number, number, number] = [0, 0, 0, 0]): FullTocEntry => ({
      session, adr, control, tno: 0, point, min: t[0], sec: t[1], frame: t[2], zero: t[3], pmin: p[0], psec: p[1], pframe: p[2],
    });
    const pm = (lba: number): [number, number, number] => {
      const m = msfOf(lba);
      return [m.m, m.s, m.f];
    };
    entries.push(e(first.control, TocPoint.FIRST_TRACK, [first.number, uint('discType', s.discType, 0xff), 0]));
    entries.push(e(last.control, TocPoint.LAST_TRACK, [last.number, 0, 0]));
    entries.push(e(last.control, TocPoint.LEAD_OUT, pm(s.leadOutLba)));
    for (const t of s.tracks) entries.push(e(t.control, uint('track number', t.number, 99), pm(t.startLba)));
    const mode5 = (s.next ? 1 : 0) + (s.atip ? 1 : 0);
    if (s.next) {
      const n = msfOf(s.next.programAreaLba);
      entries.push(e(last.control, TocPoint.NEXT_PROGRAM_AREA, pm(s.next.maxLeadOutLba), 5, [n.m, n.s, n.f, mode5]));
    }
    if (s.atip) {
      entries.push(e(last.control, TocPoint.ATIP_SPECIAL, pm(s.atip.firstLeadInLba), 5, [...s.atip.special, 0]));
    }
  });
  return { firstSession: sessions.length > 0 ? 1 : 0, lastSession: sessions.length, entries };
}

/** The formatted TOC (format 0) of these sessions: every track from `fromTrack`, then the lead-out. */
export function buildFormattedToc(sessions: readonly TocSessionSpec[], fromTrack = 1): TocReply {
  const all = sessions.flatMap((s) => s.tracks);
  const lastSession = sessions[sessions.length - 1];
  if (!lastSession || all.length === 0) throw new TypeError('sessions: need at least one track');
  const tracks: TocTrackDescriptor[] = all
    .filter((t) => t.number >= fromTrack)
    .map((t) => ({ adr: 1, control: t.control, trackNumber: t.number, startLba: t.startLba }));
  const lastTrack = all[all.length - 1]!;
  tracks.push({ adr: 1, control: lastTrack.control, trackNumber: LEAD_OUT_TRACK, startLba: lastSession.leadOutLba });
  return { firstTrack: all[0]!.number, lastTrack: lastTrack.number, tracks };
}

/** Multi-session information (format 1) of these (complete) sessions. */
export function buildSessionInfo(sessions: readonly TocSessionSpec[]): SessionInfoReply {
  const last = sessions[sessions.length - 1];
  const t = last?.tracks[0];
  if (!last || !t) throw new TypeError('sessions: need at least one session with a track');
  return { firstCompleteSession: 1, lastCompleteSession: sessions.length, adr: 1, control: t.control, firstTrackInLastSession: t.number, startLba: t.startLba };
}

// ---------------------------------------------------------------------------------------------
// Format 4: ATIP

export interface Atip {
  indicativeTargetWritingPower: number;
  ddcd: boolean;
  referenceSpeed: number;
  uru: boolean;
  /** Disc type bit: true = CD-RW (erasable), false = CD-R. */
  discTypeRw: boolean;
  discSubType: number;
  a1Valid: boolean;
  a2Valid: boolean;
  a3Valid: boolean;
  leadInStart: Msf;
  lastPossibleLeadOutStart: Msf;
  /** 3 bytes each. */
  a1: Uint8Array;
  a2: Uint8Array;
  /** Present only in replies long enough to carry them. */
  a3?: Uint8Array;
  s4?: Uint8Array;
}

export interface AtipDecoded extends Atip {
  /** `leadInStart` as an LBA (negative: the lead-in). */
  leadInStartLba: number;
  lastPossibleLeadOutStartLba: number;
}

export interface AtipReplyDecoded {
  /** Undefined when the drive returned the header only (no ATIP: pressed disc). */
  atip?: AtipDecoded;
  truncated: boolean;
  fullLength: number;
}

function checkMsf(name: string, m: Msf): void {
  if (![m.m, m.s, m.f].every((v) => Number.isInteger(v) && v >= 0) || timeLba(m.m, m.s, m.f) === undefined) {
    throw new TypeError(`${name} must be an MSF time, got ${m.m}:${m.s}:${m.f}`);
  }
}

function three(name: string, v: Uint8Array | undefined): Uint8Array {
  const b = v ?? new Uint8Array(3);
  if (b.length !== 3) throw new TypeError(`${name} must be 3 bytes, got ${b.length}`);
  return b;
}

export function encodeAtipReply(a: Atip): Buffer {
  const size = a.s4 ? 32 : a.a3 ? 28 : 24;
  const w = new ByteWriter(size);
  w.u16(0, size - 2);
  w.u8(4, 0x80 | (uint('indicativeTargetWritingPower', a.indicativeTargetWritingPower, 7) << 4) | (a.ddcd ? 8 : 0) | uint('referenceSpeed', a.referenceSpeed, 7));
  w.u8(5, a.uru ? 0x40 : 0);
  w.u8(6, 0x80 | (a.discTypeRw ? 0x40 : 0) | (uint('discSubType', a.discSubType, 7) << 3) | (a.a1Valid ? 4 : 0) | (a.a2Valid ? 2 : 0) | (a.a3Valid ? 1 : 0));
  checkMsf('leadInStart', a.leadInStart);
  checkMsf('lastPossibleLeadOutStart', a.lastPossibleLeadOutStart);
  w.u8(8, a.leadInStart.m).u8(9, a.leadInStart.s).u8(10, a.leadInStart.f);
  w.u8(12, a.lastPossibleLeadOutStart.m).u8(13, a.lastPossibleLeadOutStart.s).u8(14, a.lastPossibleLeadOutStart.f);
  w.bytes(16, three('a1', a.a1));
  w.bytes(20, three('a2', a.a2));
  if (a.a3 || a.s4) w.bytes(24, three('a3', a.a3));
  if (a.s4) w.bytes(28, three('s4', a.s4));
  return w.buffer;
}

export function decodeAtipReply(buf: Uint8Array): AtipReplyDecoded {
  const what = 'READ TOC/PMA/ATIP format 4 reply';
  const r = replyReader(buf, what);
  const len = r.u16(0);
  const present = buf.length >= 2;
  if (present && len < 2) throw invalidReply(`${what}: DATA LENGTH ${len} is less than the 2 header bytes it counts`);
  // The descriptor must at least reach the lead-out start time (byte 14).
  if (present && len > 2 && len < 13) throw invalidReply(`${what}: DATA LENGTH ${len} ends inside the ATIP descriptor's start times`);
  const fullLength = present ? len + 2 : 28;
  r.u8(3);
  if (present && len === 2) return { truncated: r.readPastEnd, fullLength };
  const has = (off: number) => off + 3 <= fullLength;
  const leadInStart = { m: r.u8(8), s: r.u8(9), f: r.u8(10) };
  const lastPossibleLeadOutStart = { m: r.u8(12), s: r.u8(13), f: r.u8(14) };
  const complete = buf.length >= 15;
  const lbaOf = (m: Msf, name: string): number => {
    const l = timeLba(m.m, m.s, m.f);
    if (l === undefined) {
      if (complete) throw invalidReply(`${what}: ${name} ${m.m}:${m.s}:${m.f} is not an MSF time`);
      return 0;
    }
    return l;
  };
  const atip: AtipDecoded = {
    indicativeTargetWritingPower: r.bits(4, 4, 3),
    ddcd: r.bit(4, 3),
    referenceSpeed: r.bits(4, 0, 3),
    uru: r.bit(5, 6),
    discTypeRw: r.bit(6, 6),
    discSubType: r.bits(6, 3, 3),
    a1Valid: r.bit(6, 2),
    a2Valid: r.bit(6, 1),
    a3Valid: r.bit(6, 0),
    leadInStart,
    lastPossibleLeadOutStart,
    a1: has(16) ? r.bytes(16, 3) : Buffer.alloc(3),
    a2: has(20) ? r.bytes(20, 3) : Buffer.alloc(3),
    ...(has(24) ? { a3: r.bytes(24, 3) } : {}),
    ...(has(28) ? { s4: r.bytes(28, 3) } : {}),
    leadInStartLba: lbaOf(leadInStart, 'lead-in start'),
    lastPossibleLeadOutStartLba: lbaOf(lastPossibleLeadOutStart, 'last possible lead-out start'),
  };
  return { atip, truncated: r.readPastEnd || buf.length < fullLength, fullLength };
}

// ---------------------------------------------------------------------------------------------
// Format 5: CD-TEXT (packs kept raw)

export function encodeCdTextReply(packs: readonly Uint8Array[]): Buffer {
  const w = new ByteWriter(4 + 18 * packs.length);
  w.u16(0, uint('CD-TEXT data length', 2 + 18 * packs.length, 0xffff));
  packs.forEach((p, i) => {
    if (p.length !== 18) throw new TypeError(`packs[${i}] must be 18 bytes, got ${p.length}`);
    w.bytes(4 + 18 * i, p);
  });
  return w.buffer;
}

export function decodeCdTextReply(buf: Uint8Array): { packs: Buffer[]; truncated: boolean; fullLength: number } {
  const l = readList(buf, 18, 'READ TOC/PMA/ATIP format 5 reply');
  return { packs: l.offsets.map((o) => l.r.bytes(o, 18)), truncated: finish(l, buf), fullLength: l.fullLength };
}
