/**
 * Where every sector of a RawCDImageCreator image sits and what its Q sub-channel says (IEC 60908 /
 * ECMA-130 §22; the layout cdrecord and cdrdao also write for RAW DAO-96).
 *
 *   LBA −22650 (95:00:00) … −151   lead-in: Q ADR 1, TNO 00, the TOC items A0h, A1h, A2h, then each
 *                                  track's POINT, each item on 3 consecutive sectors, cycling; MIN SEC
 *                                  FRAME = the sector's own MSF (running time); P = 0.
 *   −150 … −1                      track 1 pre-gap (INDEX 00), 150 sectors.
 *   0 …                            tracks. A track whose mode differs from the one before, or any track
 *                                  after a data track, or every track when gapless audio is disabled,
 *                                  gets a 150-sector pre-gap (INDEX 00) of its own mode; consecutive
 *                                  audio tracks are otherwise gapless.
 *   leadOutStart … +6750           lead-out: TNO AAh, INDEX 01.
 *
 * Program-area Q (ADR 1): TNO, INDEX (00 in a pre-gap), relative time (in a pre-gap counting down to
 * 00:00:00 on its last sector), absolute time. P = 1 throughout pre-gaps, 0 in the track, and in the
 * lead-out 1 for the first 2 s then alternating at 2 Hz.
 * MCN (ADR 2) replaces the position Q on sectors whose LBA is 50 mod 100, ISRC (ADR 3) on a track's own
 * sectors whose LBA is 75 mod 100 — once every 100 sectors each, as IEC 60908 requires — moved one
 * sector later when that sector is the first of an index or pre-gap, so every index change is seen in
 * an ADR 1 frame.
 * CONTROL: audio 0 | 2 (digital copy permitted) | 1 (pre-emphasis); with SCMS the copy bit is 0 for
 * LBA mod 8 in 0..3 and 1 for 4..7 (the TOC then lists it as 0); data tracks 4.
 */
import { encodeQ, QPoint, LEAD_OUT_TNO, QControl, type QLeadIn } from '../wire/subchannel.js';
import { lbaToMsf, RAW_IMAGE_START_LBA, MSF_ZERO_LBA, type Msf } from '../wire/msf.js';
import { CdSectorType, CdTrackDigitalCopySetting, type CdSectorTypeValue, type CdTrackDigitalCopySettingValue } from './types.js';

export const PREGAP_SECTORS = 150;
export const LEAD_OUT_SECTORS = 6750;
/** Largest lead-out start: the lead-out's 6750 sectors must end by MSF 89:59:74. */
export const MAX_LEAD_OUT_START = 398100;

export interface TrackSpec {
  readonly number: number;
  readonly sectorType: CdSectorTypeValue;
  readonly sectorCount: number;
  readonly indexes: readonly number[];
  readonly isrc: string;
  readonly copy: CdTrackDigitalCopySettingValue;
  readonly preemphasis: boolean;
}

export interface PlannedTrack extends TrackSpec {
  /** First sector of INDEX 00 (the pre-gap), if the track has one. */
  readonly pregapStart: number | undefined;
  /** First user sector (INDEX 01). */
  readonly start: number;
}

export interface ImagePlan {
  readonly tracks: readonly PlannedTrack[];
  readonly leadInStart: number;
  readonly leadOutStart: number;
  readonly end: number;
  readonly mcn: string;
  /** A0h PSEC: 00h (CD-DA / CD-ROM). */
  readonly discType: number;
}

function isAudio(t: { sectorType: number }): boolean {
  return t.sectorType === CdSectorType.AUDIO;
}

/** Track starts and the lead-out start for these tracks. */
export function planImage(specs: readonly TrackSpec[], opts: { disableGaplessAudio: boolean; mcn: string }): ImagePlan {
  const tracks: PlannedTrack[] = [];
  let pos = 0;
  specs.forEach((t, i) => {
    const prev = specs[i - 1];
    let pregapStart: number | undefined;
    if (i === 0) pregapStart = MSF_ZERO_LBA;
    else if (!(prev && isAudio(prev) && isAudio(t) && !opts.disableGaplessAudio)) pregapStart = pos;
    const start = i === 0 ? 0 : pos + (pregapStart === undefined ? 0 : PREGAP_SECTORS);
    tracks.push({ ...t, pregapStart, start });
    pos = start + t.sectorCount;
  });
  return { tracks, leadInStart: RAW_IMAGE_START_LBA, leadOutStart: pos, end: pos + LEAD_OUT_SECTORS, mcn: opts.mcn, discType: 0 };
}

/** The CONTROL nibble of a track's sector at `lba` (SCMS toggles the copy bit). */
export function trackControl(t: TrackSpec, lba?: number): number {
  if (!isAudio(t)) return QControl.DATA_TRACK;
  let copy = t.copy === CdTrackDigitalCopySetting.PERMITTED;
  if (t.copy === CdTrackDigitalCopySetting.SCMS && lba !== undefined) copy = ((lba % 8) + 8) % 8 >= 4;
  return (copy ? QControl.COPY_PERMITTED : 0) | (t.preemphasis ? QControl.PRE_EMPHASIS : 0);
}

function frames(n: number): Msf {
  return { m: Math.floor(n / 4500), s: Math.floor(n / 75) % 60, f: n % 75 };
}

/** The lead-in TOC items, in the order they cycle: A0h, A1h, A2h, then the tracks. */
export function tocItems(plan: ImagePlan): QLeadIn[] {
  const first = plan.tracks[0];
  const last = plan.tracks[plan.tracks.length - 1];
  if (!first || !last) return [];
  const item = (control: number, point: number, pointTime: Msf): QLeadIn => ({ adr: 1, control, tno: 0, point, time: { m: 0, s: 0, f: 0 }, zero: 0, pointTime });
  return [
    item(trackControl(first), QPoint.FIRST_TRACK, { m: first.number, s: plan.discType, f: 0 }),
    item(trackControl(last), QPoint.LAST_TRACK, { m: last.number, s: 0, f: 0 }),
    item(trackControl(last), QPoint.LEAD_OUT, lbaToMsf(plan.leadOutStart)),
    ...plan.tracks.map((t) => item(trackControl(t), t.number, lbaToMsf(t.start))),
  ];
}

/**
 * Computes the P flag and the Q channel of every sector in order. Built once per image; `at(lba)`
 * must be called with increasing LBAs (it keeps a cursor over the tracks).
 */
export class SubcodePlanner {
  private readonly items: QLeadIn[];
  private readonly boundaries = new Set<number>();
  private cursor = 0;

  constructor(private readonly plan: ImagePlan) {
    this.items = tocItems(plan);
    for (const t of plan.tracks) {
      if (t.pregapStart !== undefined) this.boundaries.add(t.pregapStart);
      for (const o of t.indexes) this.boundaries.add(t.start + o);
    }
  }

  /** The track whose pre-gap or user sectors hold `lba` (program area only). */
  trackAt(lba: number): PlannedTrack {
    const ts = this.plan.tracks;
    while (this.cursor < ts.length - 1 && lba >= ts[this.cursor]!.start + ts[this.cursor]!.sectorCount) this.cursor++;
    while (this.cursor > 0 && lba < (ts[this.cursor]!.pregapStart ?? ts[this.cursor]!.start)) this.cursor--;
    return ts[this.cursor]!;
  }

  private slot(lba: number, k: number): boolean {
    const m = (x: number) => ((x % 100) + 100) % 100;
    if (m(lba) === k && !this.boundaries.has(lba)) return true;
    return m(lba - 1) === k && this.boundaries.has(lba - 1);
  }

  at(lba: number): { q: Buffer; p: boolean } {
    const plan = this.plan;
    if (lba < MSF_ZERO_LBA) {
      const k = lba - plan.leadInStart;
      const item = this.items[Math.floor(k / 3) % this.items.length]!;
      return { q: encodeQ({ ...item, time: lbaToMsf(lba) }), p: false };
    }
    if (lba >= plan.leadOutStart) {
      const j = lba - plan.leadOutStart;
      const last = plan.tracks[plan.tracks.length - 1]!;
      const p = j < 150 || Math.floor(((j - 150) * 4) / 75) % 2 === 0;
      return { q: encodeQ({ adr: 1, control: trackControl(last), tno: LEAD_OUT_TNO, index: 1, relative: frames(j), absolute: lbaToMsf(lba) }), p };
    }
    const t = this.trackAt(lba);
    const control = trackControl(t, lba);
    const absolute = lbaToMsf(lba);
    const aframe = absolute.f;
    if (plan.mcn !== '' && this.slot(lba, 50)) return { q: encodeQ({ adr: 2, control, mcn: plan.mcn, aframe }), p: lba < t.start };
    if (lba < t.start) {
      return { q: encodeQ({ adr: 1, control, tno: t.number, index: 0, relative: frames(t.start - 1 - lba), absolute }), p: true };
    }
    if (t.isrc !== '' && this.slot(lba, 75) && lba !== t.start) return { q: encodeQ({ adr: 3, control, isrc: t.isrc, aframe }), p: false };
    const offset = lba - t.start;
    let index = 0;
    while (index < t.indexes.length && t.indexes[index]! <= offset) index++;
    return { q: encodeQ({ adr: 1, control, tno: t.number, index, relative: frames(offset), absolute }), p: false };
  }
}
