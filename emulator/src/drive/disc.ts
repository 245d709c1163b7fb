/**
 * Thin handlers over the Medium for what describes the disc: READ CAPACITY(10), READ DISC
 * INFORMATION (data type 000b), READ TRACK INFORMATION, READ TOC/PMA/ATIP formats 0, 1, 2 and 4.
 * The medium computes; these map its answer to the sdk reply codecs.
 */
import {
  CheckCondition,
  DiscInformationDataType,
  DiscStatus,
  LEAD_OUT_TRACK,
  SessionState,
  TocFormat,
  decodeReadCapacity10Cdb,
  decodeReadDiscInformationCdb,
  decodeReadTocCdb,
  decodeReadTrackInformationCdb,
  encodeAtipReply,
  encodeDiscInformationReply,
  encodeFullTocReply,
  encodeReadCapacity10Reply,
  encodeSessionInfoReply,
  encodeTocReply,
  encodeTrackInformationReply,
  invalidCdbField,
  lbaDiscAddress,
  msfDiscAddress,
  Sense,
  ADDRESS_NOT_AVAILABLE,
  discAddressField,
  type TrackInformation,
} from '@openimapi/sdk';
import type { DiscInformation as MediumDiscInformation, Medium, TrackInfo } from '../media/medium.js';
import { upTo, type CommandContext } from './types.js';

/** READ CAPACITY(10) (MMC-6 §6.23): last recorded LBA and 2048; a blank disc reports 0 (MMC-6 §6.23.3). */
export function readCapacity(ctx: CommandContext): Buffer {
  decodeReadCapacity10Cdb(ctx.cdb);
  const m = ctx.state.requireMedium();
  const c = m.capacity();
  return encodeReadCapacity10Reply({ lastLba: Math.max(0, c.lastLba) >>> 0, blockLength: c.blockLength });
}

const discStatusCode: Record<MediumDiscInformation['discStatus'], number> = {
  empty: DiscStatus.EMPTY,
  incomplete: DiscStatus.INCOMPLETE,
  finalized: DiscStatus.FINALIZED,
  'random-access': DiscStatus.OTHER,
};
const sessionStateCode: Record<MediumDiscInformation['lastSessionState'], number> = {
  empty: SessionState.EMPTY,
  incomplete: SessionState.INCOMPLETE,
  reserved: SessionState.RESERVED_DAMAGED,
  complete: SessionState.COMPLETE,
};

/** READ DISC INFORMATION (MMC-6 §6.22), standard disc information only. */
export function readDiscInformation(ctx: CommandContext): Buffer {
  const p = decodeReadDiscInformationCdb(ctx.cdb);
  if (p.dataType !== DiscInformationDataType.STANDARD) throw invalidCdbField(1, `READ DISC INFORMATION: data type ${p.dataType} is not supported`, 2);
  const m = ctx.state.requireMedium();
  const d = m.discInformation();
  const cd = m.info.family === 'cd';
  const addr = (lba: number | undefined) => (cd ? msfDiscAddress(lba) : lba === undefined ? discAddressField(ADDRESS_NOT_AVAILABLE) : lbaDiscAddress(lba));
  const data = encodeDiscInformationReply({
    erasable: d.erasable,
    stateOfLastSession: sessionStateCode[d.lastSessionState],
    discStatus: discStatusCode[d.discStatus],
    firstTrackNumber: d.firstTrack,
    numberOfSessions: d.sessions,
    firstTrackInLastSession: d.firstTrackInLastSession,
    lastTrackInLastSession: d.lastTrackInLastSession,
    didValid: false,
    dbcValid: false,
    uru: d.unrestrictedUse,
    dacValid: false,
    legacy: false,
    bgFormatStatus: d.bgFormatStatus,
    discType: d.discType,
    discIdentification: 0,
    lastSessionLeadInStart: addr(d.lastSessionLeadIn),
    lastPossibleLeadOutStart: addr(d.lastPossibleLeadOut),
    discBarCode: new Uint8Array(8),
    discApplicationCode: 0,
    opcTables: [],
  });
  return upTo(data, p.allocationLength);
}

export function trackInformation(t: TrackInfo): TrackInformation {
  return {
    trackNumber: t.number,
    sessionNumber: t.session,
    ljrs: 0,
    damage: false,
    copy: false,
    trackMode: t.control,
    rt: t.reserved,
    blank: t.blank,
    packetInc: t.packet,
    fp: t.fixedPacketSize > 0,
    dataMode: t.dataMode,
    lraValid: t.lastRecorded !== undefined,
    nwaValid: t.nextWritable !== undefined,
    trackStartAddress: t.start,
    nextWritableAddress: t.nextWritable ?? 0,
    freeBlocks: t.freeBlocks,
    fixedPacketSize: t.fixedPacketSize,
    trackSize: t.size,
    lastRecordedAddress: t.lastRecorded ?? 0,
    readCompatibilityLba: 0,
    nextLayerJumpAddress: 0,
    lastLayerJumpAddress: 0,
  };
}

/** READ TRACK INFORMATION (MMC-6 §6.27). The OPEN bit (first open track) is answered like type 01b. */
export function readTrackInformation(ctx: CommandContext): Buffer {
  const p = decodeReadTrackInformationCdb(ctx.cdb);
  const m = ctx.state.requireMedium();
  const t = m.trackInformation(p.addressType as 0 | 1 | 2, p.address);
  ctx.note({ track: t.number });
  return upTo(encodeTrackInformationReply(trackInformation(t)), p.allocationLength);
}

/** READ TOC/PMA/ATIP (MMC-6 §6.26): formats 0 (TOC), 1 (session info), 2 (full TOC), 4 (ATIP). */
export function readTocPmaAtip(ctx: CommandContext): Buffer {
  const p = decodeReadTocCdb(ctx.cdb);
  const m = ctx.state.requireMedium();
  ctx.note({ format: p.format, msf: p.msf });
  let data: Buffer;
  switch (p.format) {
    case TocFormat.TOC:
      data = formattedToc(m, p.trackSessionNumber, p.msf);
      break;
    case TocFormat.SESSION_INFO: {
      const s = m.sessionToc();
      data = encodeSessionInfoReply(
        {
          firstCompleteSession: s.firstSession,
          lastCompleteSession: s.lastSession,
          adr: s.firstTrackInLastSession.adr,
          control: s.firstTrackInLastSession.control,
          firstTrackInLastSession: s.firstTrackInLastSession.track,
          startLba: s.firstTrackInLastSession.lba,
        },
        { msf: p.msf },
      );
      break;
    }
    case TocFormat.FULL_TOC: {
      const full = m.fullToc();
      data = encodeFullTocReply({ firstSession: full.firstSession, lastSession: full.lastSession, entries: full.entries.map((e) => ({ ...e })) });
      break;
    }
    case TocFormat.ATIP: {
      const a = m.atip();
      const three = (v: readonly [number, number, number] | undefined) => Uint8Array.from(v ?? [0, 0, 0]);
      data = encodeAtipReply({
        indicativeTargetWritingPower: a.writingPower,
        ddcd: false,
        referenceSpeed: a.referenceSpeed,
        uru: a.unrestrictedUse,
        discTypeRw: a.cdrw,
        discSubType: a.discSubType,
        a1Valid: a.a1 !== undefined,
        a2Valid: a.a2 !== undefined,
        a3Valid: a.a3 !== undefined,
        leadInStart: a.leadInStart,
        lastPossibleLeadOutStart: a.lastPossibleLeadOutStart,
        a1: three(a.a1),
        a2: three(a.a2),
        ...(a.a3 !== undefined ? { a3: three(a.a3) } : {}),
      });
      break;
    }
    default:
      throw invalidCdbField(2, `READ TOC/PMA/ATIP: format ${p.format} is not supported`, 3);
  }
  return upTo(data, p.allocationLength);
}

/** Format 0: descriptors from track `from` on (AAh: the lead-out only); a start past the last track is 05/24/00. */
function formattedToc(m: Medium, from: number, msf: boolean): Buffer {
  if (!m.tocReadable) throw new CheckCondition(Sense.UNABLE_TO_RECOVER_TABLE_OF_CONTENTS);
  const toc = m.toc();
  const start = from === 0 ? 1 : from;
  const tracks = toc.descriptors.filter((d) => (start === LEAD_OUT_TRACK ? d.track === LEAD_OUT_TRACK : d.track >= start));
  if (tracks.length === 0 || (start !== LEAD_OUT_TRACK && start > toc.lastTrack)) {
    throw invalidCdbField(6, `READ TOC: starting track ${from} is past the last track ${toc.lastTrack}`);
  }
  return encodeTocReply(
    { firstTrack: toc.firstTrack, lastTrack: toc.lastTrack, tracks: tracks.map((d) => ({ adr: d.adr, control: d.control, trackNumber: d.track, startLba: d.lba })) },
    { msf },
  );
}
