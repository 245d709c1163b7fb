/**
 * Recovers a session's TOC from the Q sub-channel of its lead-in, as a drive does when it reads a disc
 * (ECMA-130 §22.3.4.2 "Mode 1 Q in the lead-in area"; MMC-6 Table 495 for the resulting format-2 entries).
 *
 * Every lead-in sector's Q is checked: CRC good (inverted CRC-16/CCITT), TNO 00, ADR 1 (POINT 01-99,
 * A0, A1, A2) or ADR 5 (B0, C0). Each POINT must carry the same value wherever it repeats; A0 gives the
 * first track, A1 the last, A2 the lead-out start, every track in between needs its POINT, track starts
 * must increase and lie before the lead-out. Anything else makes the TOC unrecoverable (the drive then
 * reports 03/57/00 UNABLE TO RECOVER TABLE OF CONTENTS).
 */
import { msfToLba } from '@openimapi/sdk';
import type { FullTocEntry } from './medium.js';
import { decodeQ, qCrcOk, qFromRaw } from './subcode.js';

export interface RecoveredToc {
  readonly entries: FullTocEntry[];
  readonly firstTrack: number;
  readonly lastTrack: number;
  readonly leadOut: number;
  /** Track starts and controls, in order. */
  readonly tracks: readonly { number: number; start: number; control: number }[];
  /** B0h: next program area start, when another session may follow. */
  readonly nextProgramArea: number | undefined;
  /** How many lead-in sectors had a good Q. */
  readonly goodQ: number;
}

export type RecoverResult = { ok: true; toc: RecoveredToc } | { ok: false; reason: string };

/** `subchannels` yields the 96-byte raw P-W of each lead-in sector. */
export function recoverToc(session: number, subchannels: Iterable<Uint8Array>): RecoverResult {
  const points = new Map<string, FullTocEntry>();
  let goodQ = 0;
  for (const raw of subchannels) {
    const q = qFromRaw(raw);
    if (!qCrcOk(q)) continue;
    const f = decodeQ(q);
    if (f.tno !== 0 || (f.adr !== 1 && f.adr !== 5)) continue;
    goodQ++;
    const e: FullTocEntry = {
      session, adr: f.adr, control: f.control, tno: 0, point: f.indexOrPoint,
      min: f.min, sec: f.sec, frame: f.frame, zero: f.zero, pmin: f.pmin, psec: f.psec, pframe: f.pframe,
    };
    const key = `${f.adr}:${f.indexOrPoint}`;
    const prev = points.get(key);
    if (prev === undefined) points.set(key, e);
    else if (prev.pmin !== e.pmin || prev.psec !== e.psec || prev.pframe !== e.pframe || prev.control !== e.control) {
      return { ok: false, reason: `POINT ${e.point.toString(16)} carries two different values` };
    }
  }
  if (goodQ === 0) return { ok: false, reason: 'no lead-in sector has a valid mode-1 Q' };
  const a0 = points.get('1:160');
  const a1 = points.get('1:161');
  const a2 = points.get('1:162');
  if (!a0 || !a1 || !a2) return { ok: false, reason: 'lead-in lacks A0, A1 or A2' };
  const firstTrack = a0.pmin;
  const lastTrack = a1.pmin;
  if (!(firstTrack >= 1 && lastTrack >= firstTrack && lastTrack <= 99)) return { ok: false, reason: `A0/A1 give tracks ${firstTrack}-${lastTrack}` };
  const lba = (e: FullTocEntry) => msfToLba(e.pmin, e.psec, e.pframe);
  let leadOut: number;
  try { leadOut = lba(a2); } catch { return { ok: false, reason: 'A2 is not an MSF' }; }
  const tracks: { number: number; start: number; control: number }[] = [];
  for (let n = firstTrack; n <= lastTrack; n++) {
    const p = points.get(`1:${n}`);
    if (!p) return { ok: false, reason: `lead-in lacks POINT ${n}` };
    let start: number;
    try { start = lba(p); } catch { return { ok: false, reason: `POINT ${n} is not an MSF` }; }
    const prev = tracks[tracks.length - 1];
    if (start < 0 || (prev && start <= prev.start) || start >= leadOut) return { ok: false, reason: `POINT ${n} start ${start} out of order` };
    tracks.push({ number: n, start, control: p.control });
  }
  for (const [key] of points) {
    const [adr, point] = key.split(':').map(Number) as [number, number];
    if (adr === 1 && point < 0xa0 && (point < firstTrack || point > lastTrack)) return { ok: false, reason: `POINT ${point} outside A0-A1` };
  }
  const b0 = points.get('5:176');
  let nextProgramArea: number | undefined;
  if (b0 && !(b0.min === 0xff || Number.isNaN(b0.min))) {
    try { nextProgramArea = msfToLba(b0.min, b0.sec, b0.frame); } catch { nextProgramArea = undefined; }
  }
  const order = (e: FullTocEntry) => (e.adr === 1 ? (e.point >= 0xa0 ? e.point - 0x100 : e.point) : 0x100 + e.point);
  const entries = [...points.values()].sort((a, b) => order(a) - order(b));
  return { ok: true, toc: { entries, firstTrack, lastTrack, leadOut, tracks, nextProgramArea, goodQ } };
}
