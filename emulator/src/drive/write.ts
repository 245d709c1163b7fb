/**
 * Recording handlers, thin over the Medium: WRITE(10/12) with the current write parameters page as
 * the write context, RESERVE TRACK, SYNCHRONIZE CACHE, CLOSE TRACK/SESSION, BLANK, READ BUFFER
 * CAPACITY. SEND CUE SHEET is in cue-sheet.ts.
 *
 * Timing: in the 'unlimited' speed model everything completes at once and the buffer always reads
 * empty. In 'realistic', the drive buffer (media/write-buffer.ts, the size page 2Ah reports) sits
 * between the host and the laser: the first WRITE of a recording run starts the laser, which drains
 * the buffer at the current write speed (SET CD SPEED / SET STREAMING, within the medium's list) ×
 * the time scale until SYNCHRONIZE CACHE or CLOSE TRACK/SESSION; a WRITE completes once its data fits
 * (a host that feeds faster than the drive writes is held back). If the buffer runs empty before the
 * next WRITE arrives, that WRITE (or the flush) gets 03/0C/09 LOSS OF STREAMING when page 05h BUFE is
 * off — its data is not recorded and the run ends, the track/session left as far as it was recorded
 * (incomplete; CLOSE TRACK/SESSION close it short, as after a real underrun) — while with BUFE on the
 * drive just pauses and resumes. BLANK holds the drive busy (02/04/07 to TEST UNIT READY, progress in
 * REQUEST SENSE, Device Busy in GET EVENT STATUS NOTIFICATION) for the time the erase would take;
 * with IMMED the command returns at once, else when the blank is done.
 */
import {
  BlankingType,
  CheckCondition,
  CloseFunction,
  MultiSession,
  Sense,
  WriteType,
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
import { WriteBuffer } from '../media/write-buffer.js';
import type { Medium } from '../media/medium.js';
import { transferMs } from './timing.js';
import { DRIVE_BUFFER_KB, effectiveWriteSpeed } from './speed.js';
import { upTo, type CommandContext } from './types.js';
import { missingCapability } from './capabilities.js';

/** Drive buffer size in bytes (mode page 2Ah BUFFER SIZE SUPPORTED, in KB). */
export const DRIVE_BUFFER_BYTES = DRIVE_BUFFER_KB * 1024;

/** Bytes per block the host sends with the current page 05h (DVD/BD: 2048). */
function hostBlockSize(ctx: CommandContext, m: Medium): number | undefined {
  return m.info.family === 'cd' ? dataBlockSize(ctx.drive.modes.writeParameters.dataBlockType) : 2048;
}

/** The buffer of the recording run (started here by a first WRITE); undefined in the unlimited model. */
function recordingBuffer(ctx: CommandContext, m: Medium): WriteBuffer | undefined {
  if (ctx.drive.config.speedModel !== 'realistic') return undefined;
  const speed = effectiveWriteSpeed(m, ctx.state.writeSpeed);
  if (!speed) return undefined;
  let b = ctx.state.writeBuffer;
  if (!b || (!b.recording && b.speedKBps !== speed)) {
    b = new WriteBuffer({ size: DRIVE_BUFFER_BYTES, speedKBps: speed, timeScale: ctx.drive.config.timeScale, now: ctx.state.opts.now });
    ctx.state.writeBuffer = b;
  }
  return b;
}

/** Ends the recording run before SYNCHRONIZE CACHE / CLOSE: waits for the buffer to be recorded; LOSS OF STREAMING after an underrun without BUFE. */
async function flushBuffer(ctx: CommandContext): Promise<void> {
  const b = ctx.state.writeBuffer;
  if (!b) return;
  ctx.state.writeBuffer = undefined;
  let wait: number;
  try {
    wait = b.flush(ctx.drive.modes.writeParameters.bufe);
  } catch (e) {
    ctx.note({ underrun: true });
    throw e;
  }
  if (b.pauses > 0) ctx.note({ pauses: b.pauses });
  await ctx.drive.sleep(wait, ctx.cmd.signal);
}

/**
 * Page 05h values selected before a capability was switched off (MODE SELECT refuses them since):
 * a recording with them is 05/64/00 ILLEGAL MODE FOR THIS TRACK.
 */
export function refuseMissingCapability(ctx: CommandContext, m: Medium, command: string): void {
  const missing = missingCapability(ctx.drive.capabilities, ctx.drive.modes.writeParameters, m.info.family === 'cd');
  if (missing) throw new CheckCondition(Sense.INVALID_MODE_FOR_THIS_TRACK, `${command}: ${missing.what}`);
}

async function writeBlocks(ctx: CommandContext, lba: number, count: number): Promise<void> {
  ctx.note({ lba, blocks: count });
  const m = ctx.state.requireMedium();
  refuseMissingCapability(ctx, m, 'WRITE');
  const wctx = ctx.drive.modes.writeContext();
  const blockSize = hostBlockSize(ctx, m);
  if (blockSize === undefined) throw new CheckCondition(Sense.INVALID_MODE_FOR_THIS_TRACK, `data block type ${wctx.dataBlockType} has no block size`);
  const data = ctx.cmd.dataOut ?? Buffer.alloc(0);
  // SAO on CD: each block's size comes from the cue sheet region it falls in; the medium checks the count.
  const cueSized = m.info.family === 'cd' && wctx.writeType === WriteType.SESSION_AT_ONCE;
  if (!cueSized && data.length !== count * blockSize) {
    throw invalidCdbField(ctx.cdb.length === 12 ? 6 : 7, `WRITE: ${data.length} bytes of data for ${count} blocks of ${blockSize}`);
  }
  if (count === 0) return;
  const buffer = recordingBuffer(ctx, m);
  if (buffer) {
    try {
      buffer.check(wctx.bufe);
    } catch (e) {
      // The laser ran out of data: this WRITE is not recorded and the run is over.
      ctx.state.writeBuffer = undefined;
      ctx.note({ underrun: true });
      throw e;
    }
  }
  m.write(lba, data, wctx, count);
  if (buffer) await ctx.drive.sleep(buffer.add(data.length), ctx.cmd.signal);
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

/**
 * SYNCHRONIZE CACHE (MMC-6 §6.41): records what is buffered and flushes the image. On CD in TAO the
 * laser stops, which ends the track (libburn writes the next track at the NWA it reads right after);
 * a disc-at-once recording (CD SAO/RAW that reached its lead-out; DVD-R/-RW DAO, write type 2, whose
 * reserved track is written to its end — libburn's default for DVD-RW) is closed — and then, as after
 * CLOSE SESSION, the change is reported (06/28/00 to the other nexuses, a NewMedia event to all).
 */
export async function synchronizeCache(ctx: CommandContext): Promise<void> {
  decodeSynchronizeCache10Cdb(ctx.cdb);
  const m = ctx.state.requireMedium();
  await flushBuffer(ctx);
  const before = closedSessions(m);
  const writeType = ctx.drive.modes.writeParameters.writeType;
  m.synchronizeCache({ endTrack: m.info.family === 'cd' && writeType === WriteType.TRACK_AT_ONCE, discAtOnce: m.info.family === 'dvd' && writeType === WriteType.SESSION_AT_ONCE });
  if (closedSessions(m) !== before) ctx.state.mediumChanged(ctx.nexus.id);
}

/** Closed sessions and disc state, to see whether a command closed one. */
function closedSessions(m: Medium): string {
  return `${m.state}:${m.sessions().filter((s) => s.state === 'complete').length}`;
}

/**
 * CLOSE TRACK/SESSION (MMC-6 §6.3). Close session leaves the disc appendable when page 05h says the
 * next session is allowed (MULTI-SESSION 11b), else finalizes it; functions 5 and 6 always finalize.
 * Quick stop of background format (0) and function 3 on overwrite media are accepted without effect.
 * A closed session changes the disc as a new one would: the other nexuses get 06/28/00 and every
 * nexus a NewMedia event, so an OS re-reads TOC and capacity.
 */
export async function closeTrackSession(ctx: CommandContext): Promise<void> {
  const p = decodeCloseTrackSessionCdb(ctx.cdb);
  const m = ctx.state.requireMedium();
  ctx.note({ function: p.closeFunction, track: p.trackNumber });
  if (p.closeFunction > CloseFunction.FINALIZE_DISC) {
    throw invalidCdbField(2, `CLOSE TRACK/SESSION: close function ${p.closeFunction} is not supported`, 2);
  }
  // A drive records what is in its buffer before it closes anything.
  await flushBuffer(ctx);
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
      // Page 05h's multi-session field governs CD and DVD-R/-RW; DVD+R and BD-R have no write
      // parameters: closing the session leaves them appendable, finalizing is 101b/110b (MMC-6 §6.3).
      m.closeSession(m.info.family === 'cd' || m.info.kind === 'dvd-r' ? ctx.drive.modes.writeParameters.multiSession === MultiSession.NEXT_SESSION_ALLOWED : true);
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
  ctx.state.writeBuffer = undefined;
  ctx.note({ type: p.blankingType, blocks: result.blocks, immed: p.immed });
  // CD-RW erases at its write speed; a minimal blank still rewrites the lead-in and PMA.
  const ms = ctx.drive.realTime(transferMs(Math.max(result.blocks, 6750) * 2352, effectiveWriteSpeed(m, ctx.state.writeSpeed) || 1411));
  await longOperation(ctx, 'blank', ms, p.immed);
}

/**
 * Keeps the drive busy with BLANK/FORMAT for `ms` (NOT READY with progress, Device Busy events); then
 * the disc reports a medium change. Resolves at once with IMMED, else when the operation is over.
 */
export async function longOperation(ctx: CommandContext, kind: 'blank' | 'format', ms: number, immed: boolean): Promise<void> {
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  ctx.state.startOperation(kind, ms, () => {
    ctx.state.mediumChanged(ctx.nexus.id);
    done();
  });
  if (!immed) await finished;
}

/**
 * READ BUFFER CAPACITY (MMC-6 §6.20): the drive buffer's length and free space — all free outside a
 * recording run (and always in the unlimited model); during one, what the laser has not drained yet.
 * The block form counts free blocks of the size the host sends with the current page 05h.
 */
export function readBufferCapacity(ctx: CommandContext): Buffer {
  const p = decodeReadBufferCapacityCdb(ctx.cdb);
  const m = ctx.state.requireMedium();
  const free = ctx.state.writeBuffer?.free() ?? DRIVE_BUFFER_BYTES;
  ctx.note({ free });
  const data = p.block
    ? encodeReadBufferCapacityReply({ block: true, availableBlocks: Math.floor(free / (hostBlockSize(ctx, m) ?? 2048)) })
    : encodeReadBufferCapacityReply({ block: false, bufferLength: DRIVE_BUFFER_BYTES, availableLength: free });
  return upTo(data, p.allocationLength);
}
