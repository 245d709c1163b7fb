/**
 * TOC views built from the disc model (MMC-6 §6.26 READ TOC/PMA/ATIP):
 *  - format 0 (formatted): every track of the complete sessions, then the lead-out (AAh) of the last
 *    complete session;
 *  - format 1 (multi-session): first/last complete session, first track of the last complete session;
 *  - format 2 (full/raw): per complete session the lead-in's mode-1 Q points A0h (first track, PSEC =
 *    disc type), A1h (last track), A2h (lead-out start), 01h-63h (track starts), then mode-5 B0h (next
 *    program area / last possible lead-out; only when another session may follow) and, in the first
 *    session, C0h (ATIP writing power, first lead-in start). Sessions recorded RAW report what their
 *    lead-in held instead (`SessionRec.rawToc`).
 * MSF fields are binary here; encoders put them in the CDB's MSF/BCD form.
 */
import { lbaToMsf } from '@openimapi/sdk';
import type { FullTocEntry, FormattedToc, SessionToc, TocTrackDescriptor } from './medium.js';
import type { DiscJson, SessionRec, TrackRec } from './state.js';

export const LEAD_OUT_TRACK = 0xaa;
/** CD lead-out lengths (MMC-6 §4.2.3.8 / Orange Book): 6750 blocks (1:30) after the first session, 2250 (0:30) after later ones; lead-in 4500 (1:00); pregap 150. */
export const FIRST_LEAD_OUT = 6750;
export const NEXT_LEAD_OUT = 2250;
export const LEAD_IN = 4500;
export const PREGAP = 150;

export function closedSessions(st: DiscJson): SessionRec[] {
  return st.sessions.filter((s) => s.closed);
}

export function trackDescriptor(t: TrackRec): TocTrackDescriptor {
  return { adr: 1, control: t.control, track: t.number, lba: t.start };
}

/** Tracks of closed sessions from the model, or from the lead-in points for RAW sessions. */
export function tocTracks(st: DiscJson): TocTrackDescriptor[] {
  const out: TocTrackDescriptor[] = [];
  for (const s of closedSessions(st)) {
    for (const t of st.tracks) if (t.session === s.number) out.push(trackDescriptor(t));
  }
  return out;
}

export function formattedToc(st: DiscJson): FormattedToc | undefined {
  const sessions = closedSessions(st);
  const last = sessions[sessions.length - 1];
  const tracks = tocTracks(st);
  if (!last || last.leadOut === undefined || tracks.length === 0) return undefined;
  const lastTrack = tracks[tracks.length - 1]!;
  return {
    firstTrack: tracks[0]!.track,
    lastTrack: lastTrack.track,
    descriptors: [...tracks, { adr: 1, control: lastTrack.control, track: LEAD_OUT_TRACK, lba: last.leadOut }],
  };
}

export function sessionToc(st: DiscJson): SessionToc | undefined {
  const sessions = closedSessions(st);
  const last = sessions[sessions.length - 1];
  if (!last) return undefined;
  const first = st.tracks.find((t) => t.session === last.number);
  if (!first) return undefined;
  return { firstSession: sessions[0]!.number, lastSession: last.number, firstTrackInLastSession: trackDescriptor(first) };
}

function entry(session: number, adr: number, control: number, point: number, p: number, m = { m: 0, s: 0, f: 0 }, zero = 0): FullTocEntry {
  const pm = lbaToMsf(p);
  return { session, adr, control, tno: 0, point, min: m.m, sec: m.s, frame: m.f, zero, pmin: pm.m, psec: pm.s, pframe: pm.f };
}

/**
 * Generated full TOC of one closed session recorded TAO/SAO. `next` is the next session's program
 * area start when another session may follow, `lastLeadOut` the medium's last possible lead-out,
 * `firstLeadIn` the ATIP lead-in start (C0h, session 1 only).
 */
export function generatedFullToc(st: DiscJson, s: SessionRec, next: number | undefined, lastLeadOut: number, firstLeadIn: number | undefined): FullTocEntry[] {
  const tracks = st.tracks.filter((t) => t.session === s.number);
  if (tracks.length === 0 || s.leadOut === undefined) return [];
  const first = tracks[0]!;
  const last = tracks[tracks.length - 1]!;
  const out: FullTocEntry[] = [];
  // A0: PMIN = first track number, PSEC = disc type (session format), PFRAME 0.
  out.push({ ...entry(s.number, 1, first.control, 0xa0, 0), pmin: first.number, psec: s.format, pframe: 0 });
  out.push({ ...entry(s.number, 1, last.control, 0xa1, 0), pmin: last.number, psec: 0, pframe: 0 });
  out.push(entry(s.number, 1, last.control, 0xa2, s.leadOut));
  for (const t of tracks) out.push(entry(s.number, 1, t.control, t.number, t.start));
  if (next !== undefined) {
    // B0 (ADR 5): MIN/SEC/FRAME next program area start; ZERO = number of ADR-5 pointers (C0 counts);
    // PMIN/PSEC/PFRAME = last possible lead-out start of the disc.
    const n = lbaToMsf(next);
    out.push(entry(s.number, 5, 0, 0xb0, lastLeadOut, n, s.number === 1 ? 2 : 1));
  }
  if (s.number === 1 && firstLeadIn !== undefined) {
    // C0 (ADR 5): MIN = indicative writing power, PMIN/PSEC/PFRAME = start of the first lead-in (ATIP).
    out.push(entry(s.number, 5, 0, 0xc0, firstLeadIn));
  }
  return out;
}
