/**
 * Recording handlers, thin over the Medium: WRITE(10/12) with the current write parameters page as
 * the write context, RESERVE TRACK, SYNCHRONIZE CACHE, CLOSE TRACK/SESSION, BLANK, READ BUFFER
 * CAPACITY. SEND CUE SHEET is in cue-sheet.ts.
 *
 * Timing: in the 'unlimited' speed model everything completes at once. In 'realistic', a WRITE takes
 * the time its bytes take at the current write speed, and BLANK holds the drive busy (02/04/07 to
 * TEST UNIT READY, progress in REQUEST SENSE, Device Busy in GET EVENT STATUS NOTIFICATION) for the
 * time the erase would take; with IMMED the command returns at once, else when the blank is done.
 */
import {
  BlankingType,
  CheckCondition,
  CloseFunction,
  MultiSession,
  Sense,
  dataBlockSize,
  decodeBlankCdb,
  decodeCloseTrackSessionCdb,
  decodeReadBufferCapacityCdb,
  decodeReserveTrackCdb,
  decodeSynchronizeCache10Cdb,
  decodeWrite10Cdb,
  decodeWrite12Cdb,
  encodeReadBufferCapacityReply,
  invalidCdbField,
} from '@openimapi/sdk';
import { sleep, transferMs } from './timing.js';
import { upTo, type CommandContext } from './types.js';

/** Drive buffer size in bytes (mode page 2Ah BUFFER SIZE SUPPORTED is 2048 KB). */
export const DRIVE_BUFFER_BYTES = 2048 * 1024;

function currentWriteSpeed(ctx: CommandContext): number {
  const m = ctx.state.medium;
  const max = m?.info.writeSpeeds[0] ?? 0;
  return Math.min(ctx.state.writeSpeed ?? max, max);
}

async function writeBlocks(ctx: CommandContext, lba: number, count: number): Promise<void> {
  ctx.note({ lba, blocks: count });
  const m = ctx.state.requireMedium();
  const wctx = ctx.drive.modes.writeContext();
  const blockSize = m.info.family === 'cd' ? dataBlockSize(wctx.dataBlockType) : 2048;
  if (blockSize === undefined) throw new CheckCondition(Sense.INVALID_MODE_FOR_THIS_TRACK, `data block type ${wctx.dataBlockType} has no block size`);
  const data = ctx.cmd.dataOut ?? Buffer.alloc(0);
  if (data.length !== count * blockSize) {
    throw invalidCdbField(ctx.cdb.length === 12 ? 6 : 7, `WRITE: ${data.length} bytes of data for ${count} blocks of ${blockSize}`);
  }
  if (count === 0) return;
  m.write(lba, data, wctx);
  await sleep(ctx.drive.realTime(transferMs(data.length, currentWriteSpeed(ctx))), ctx.cmd.signal);
}

export function write10(ctx: CommandContext): Promise<void> {
  const p = decodeWrite10Cdb(ctx.cdb);
  return writeBlocks(ctx, p.lba, p.transferLength);
}

export function write12(ctx: CommandContext): Promise<void> {
  const p = decodeWrite12Cdb(ctx.cdb);
  return writeBlocks(ctx, p.lba, p.transferLength);
}

/** RESERVE TRACK (MMC-6 §6.31): by size (ARSV=0); reserving up to an LBA (ARSV=1) is not emulated. */
export function reserveTrack(ctx: CommandContext): void {
  const p = decodeReserveTrackCdb(ctx.cdb);
  if (p.arsv) throw invalidCdbField(1, 'RESERVE TRACK: ARSV=1 (reservation by LBA) is not supported', 0);
  const m = ctx.state.requireMedium();
  const t = m.reserveTrack(p.reservationSize);
  ctx.note({ track: t.number, size: p.reservationSize });
}

/** SYNCHRONIZE CACHE (MMC-6 §6.41): flushes the image; ends a DAO/RAW write. */
export function synchronizeCache(ctx: CommandContext): void {
  decodeSynchronizeCache10Cdb(ctx.cdb);
  ctx.state.requireMedium().synchronizeCache();
}

/**
 * CLOSE TRACK/SESSION (MMC-6 §6.3). Close session leaves the disc appendable when page 05h says the
 * next session is allowed (MULTI-SESSION 11b), else finalizes it; functions 5 and 6 always finalize.
 * Quick stop of background format (0) and function 3 on overwrite media are accepted without effect.
 * A closed session changes the disc as a new one would: the other nexuses get 06/28/00 and every
 * nexus a NewMedia event, so an OS re-reads TOC and capacity.
 */
export function closeTrackSession(ctx: CommandContext): void {
  const p = decodeCloseTrackSessionCdb(ctx.cdb);
  const m = ctx.state.requireMedium();
  ctx.note({ function: p.closeFunction, track: p.trackNumber });
  switch (p.closeFunction) {
    case CloseFunction.QUICK_STOP_BACKGROUND_FORMAT:
      return;
    case CloseFunction.CLOSE_TRACK:
      m.closeTrack(p.trackNumber);
      return;
    case CloseFunction.CLOSE_SESSION:
    case CloseFunction.CLOSE_SESSION_OR_FINALIZE_DVD_RW:
    case CloseFunction.CLOSE_SESSION_EXTENDED_LEAD_OUT:
      if (p.closeFunction === CloseFunction.CLOSE_SESSION_OR_FINALIZE_DVD_RW && m.info.recording === 'overwrite') return;
      m.closeSession(ctx.drive.modes.writeParameters.multiSession === MultiSession.NEXT_SESSION_ALLOWED);
      break;
    case CloseFunction.FINALIZE_MINIMAL_RADIUS:
    case CloseFunction.FINALIZE_DISC:
      m.closeSession(false);
      break;
    default:
      throw invalidCdbField(2, `CLOSE TRACK/SESSION: close function ${p.closeFunction} is not supported`, 2);
  }
  ctx.state.mediumChanged(ctx.nexus.id);
}

/**
 * BLANK (MMC-6 §6.2). The medium validates and erases at once; the drive then stays busy for the
 * erase's realistic duration (none in the unlimited model).
 */
export async function blank(ctx: CommandContext): Promise<void> {
  const p = decodeBlankCdb(ctx.cdb);
  const m = ctx.state.requireMedium();
  if (p.blankingType > BlankingType.LAST_SESSION) throw invalidCdbField(1, `BLANK: blanking type ${p.blankingType} is reserved`, 2);
  const trackOrLba = p.blankingType === BlankingType.TRACK || p.blankingType === BlankingType.TRACK_TAIL ? p.startAddress : undefined;
  const result = m.blank(p.blankingType, trackOrLba);
  ctx.note({ type: p.blankingType, blocks: result.blocks, immed: p.immed });
  // CD-RW erases at its write speed; a minimal blank still rewrites the lead-in and PMA.
  const ms = ctx.drive.realTime(transferMs(Math.max(result.blocks, 6750) * 2352, currentWriteSpeed(ctx) || 1411));
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  ctx.state.startOperation('blank', ms, () => {
    ctx.state.mediumChanged(ctx.nexus.id);
    done();
  });
  if (!p.immed) await finished;
}

/** READ BUFFER CAPACITY (MMC-6 §6.20): the drive's buffer, empty between writes. */
export function readBufferCapacity(ctx: CommandContext): Buffer {
  const p = decodeReadBufferCapacityCdb(ctx.cdb);
  ctx.state.requireMedium();
  const data = p.block
    ? encodeReadBufferCapacityReply({ block: true, availableBlocks: Math.floor(DRIVE_BUFFER_BYTES / 2048) })
    : encodeReadBufferCapacityReply({ block: false, bufferLength: DRIVE_BUFFER_BYTES, availableLength: DRIVE_BUFFER_BYTES });
  return upTo(data, p.allocationLength);
}
