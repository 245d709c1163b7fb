/**
 * READ(10)/READ(12) (MMC-6 §6.15/§6.16): 2048-byte user data from the medium. READ CD is in
 * read-cd.ts. The medium raises BLANK CHECK, LBA OUT OF RANGE and ILLEGAL MODE FOR THIS TRACK itself.
 * In the realistic speed model the transfer takes the time it would at the current read speed.
 */
import { CheckCondition, Sense, decodeRead10Cdb, decodeRead12Cdb } from '@openimapi/sdk';
import { transferMs } from './timing.js';
import type { CommandContext } from './types.js';

/** Reads up to this many blocks (4 MiB) go into a pooled buffer. */
const POOLED_BLOCKS = 2048;

function readBlocks(ctx: CommandContext, lba: number, count: number): Buffer | Promise<Buffer> {
  ctx.note({ lba, blocks: count });
  const m = ctx.state.requireMedium();
  if (!m.tocReadable) throw new CheckCondition(Sense.UNABLE_TO_RECOVER_TABLE_OF_CONTENTS);
  if (count === 0) return Buffer.alloc(0);
  // Into a pooled buffer when it is small enough to keep; a larger read allocates after the medium
  // has validated the range (a bad TRANSFER LENGTH must not allocate first).
  const data = m.read(lba, count, count <= POOLED_BLOCKS ? ctx.dataInBuffer(count * 2048) : undefined);
  return afterTransfer(ctx, data, ctx.state.readSpeed ?? m.info.readSpeed);
}

/** `data` once it has been read at `kbps` — at once (no Promise) unless the realistic speed model makes it wait. */
export function afterTransfer(ctx: CommandContext, data: Buffer, kbps: number): Buffer | Promise<Buffer> {
  const ms = ctx.drive.realTime(transferMs(data.length, kbps));
  return ms > 0 ? ctx.drive.sleep(ms, ctx.cmd.signal).then(() => data) : data;
}

export function read10(ctx: CommandContext): Buffer | Promise<Buffer> {
  const p = decodeRead10Cdb(ctx.cdb);
  return readBlocks(ctx, p.lba, p.transferLength);
}

export function read12(ctx: CommandContext): Buffer | Promise<Buffer> {
  const p = decodeRead12Cdb(ctx.cdb);
  return readBlocks(ctx, p.lba, p.transferLength);
}
