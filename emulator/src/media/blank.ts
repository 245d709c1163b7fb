/**
 * BLANK on rewritable media (MMC-6 §6.2, Table 285 blanking types), planned first (validation and the
 * number of blocks the erase covers, which the drive uses for timing), applied second:
 *   0 full            the whole disc, lead-in to last possible lead-out; disc blank
 *   1 minimal         PMA, lead-in and first pregap (4500 + 150 blocks); disc blank (the old program
 *                     area is unreachable, so it is dropped from the image too)
 *   3 unreserve track the last reserved track, when nothing was written in it, returns to the invisible track
 *   5 unclose session the last complete session is reopened (its lead-in/lead-out are rewritten later)
 *   6 erase session   the last session holding data is erased; the disc is appendable from there
 * Types 2 (blank a track) and 4 (blank track tail) are not supported: 05/24/00 with the field pointer
 * on the blanking type. Write-once and overwrite media: 05/30/05; ROM: 07/27/00.
 */
import { CheckCondition, Sense } from '@openimapi/sdk';
import type { Disc } from './disc.js';
import { freshState } from './disc.js';
import { BlankingType, type EraseResult } from './medium.js';
import { FIRST_LEAD_OUT, LEAD_IN, PREGAP } from './toc.js';

export interface BlankPlan extends EraseResult {
  apply(): void;
}

const sequence = (why: string) => new CheckCondition(Sense.COMMAND_SEQUENCE_ERROR, `BLANK: ${why}`);

export function planBlank(d: Disc, type: number): BlankPlan {
  if (d.info.recording === 'read-only') throw new CheckCondition(Sense.WRITE_PROTECTED);
  if (d.info.recording !== 'rewritable') throw new CheckCondition(Sense.CANNOT_WRITE_MEDIUM_INCOMPATIBLE_FORMAT, `BLANK on ${d.kind}`);
  const gap = d.isCd ? PREGAP : 0;
  switch (type) {
    case BlankingType.FULL:
    case BlankingType.MINIMAL:
      return {
        blocks: type === BlankingType.MINIMAL ? (d.isCd ? LEAD_IN + PREGAP : 0) : d.lastLba() - (d.info.leadInStart ?? 0),
        apply() {
          d.store.truncate(d.store.origin);
          d.st = freshState(d.kind);
        },
      };
    case BlankingType.UNRESERVE_TRACK: {
      const open = d.openTracks();
      const inv = open[open.length - 1];
      const reserved = open[open.length - 2];
      if (d.st.dao || !inv || inv.reservedSize !== undefined || !reserved || reserved.reservedSize === undefined || reserved.recorded > 0) {
        throw sequence('no unwritten reserved track to unreserve');
      }
      return {
        blocks: 0,
        apply() {
          d.st.tracks = d.st.tracks.filter((t) => t !== inv);
          delete reserved.reservedSize;
        },
      };
    }
    case BlankingType.UNCLOSE_LAST_SESSION: {
      const sessions = d.st.sessions;
      const lastOpen = sessions[sessions.length - 1]!;
      const target = lastOpen.closed ? lastOpen : sessions[sessions.length - 2];
      const openHasData = !lastOpen.closed && (d.st.tracks.some((t) => t.session === lastOpen.number && (t.recorded > 0 || t.reservedSize !== undefined)) || d.st.dao);
      if (!target || !target.closed || openHasData) throw sequence('no complete last session to unclose');
      if (target.rawToc) throw sequence('a session recorded RAW cannot be reopened');
      return {
        blocks: LEAD_IN + FIRST_LEAD_OUT,
        apply() {
          d.st.sessions = d.st.sessions.filter((s) => s.number <= target.number);
          d.st.tracks = d.st.tracks.filter((t) => t.session <= target.number);
          target.closed = false;
          delete target.leadOut;
          d.st.finalized = false;
          const last = d.st.tracks[d.st.tracks.length - 1]!;
          const start = last.start + last.recorded + gap;
          d.st.tracks.push({ number: last.number + 1, session: target.number, pregapStart: start - gap, start, recorded: 0, closed: false, control: 4, mode: 1 });
        },
      };
    }
    case BlankingType.LAST_SESSION: {
      const withData = d.st.sessions.filter((s) => s.closed || d.st.dao || d.st.tracks.some((t) => t.session === s.number && t.recorded > 0));
      const target = withData[withData.length - 1];
      if (!target) throw sequence('the disc is blank');
      const tracks = d.st.tracks.filter((t) => t.session >= target.number);
      const first = tracks[0];
      const cut = target.leadIn ?? first?.pregapStart ?? 0;
      const end = Math.max(cut, d.store.extent());
      return {
        blocks: end - cut,
        apply() {
          if (target.number === 1) {
            d.store.truncate(d.store.origin);
            d.st = freshState(d.kind);
            return;
          }
          d.store.truncate(cut);
          d.st.sessions = d.st.sessions.filter((s) => s.number < target.number);
          d.st.tracks = d.st.tracks.filter((t) => t.session < target.number);
          d.st.sessions.push({ number: target.number, closed: false, format: 0, ...(target.leadIn !== undefined ? { leadIn: target.leadIn } : {}) });
          const n = first?.number ?? d.st.tracks[d.st.tracks.length - 1]!.number + 1;
          const start = first?.start ?? cut + LEAD_IN + gap;
          d.st.tracks.push({ number: n, session: target.number, pregapStart: start - gap, start, recorded: 0, closed: false, control: 4, mode: 1 });
          d.st.finalized = false;
          d.st.tocReadable = true;
          delete d.st.dao;
        },
      };
    }
    default:
      throw new CheckCondition(Sense.INVALID_FIELD_IN_CDB, `blanking type ${type} not supported`, { fieldPointer: { cd: true, byte: 1, bit: 2 } });
  }
}
