/**
 * READ(10)/READ(12) (MMC-6 §6.15/§6.16): 2048-byte user data from the medium. READ CD is in
 * read-cd.ts. The medium raises BLANK CHECK, LBA OUT OF RANGE and ILLEGAL MODE FOR THIS TRACK itself.
 * In the realistic speed model the transfer takes the time it would at the current read speed.
 */
import { CheckCondition, Sense, decodeRead10Cdb, decodeRead12Cdb } from '@openimapi/sdk';
import { sleep, transferMs } from './timing.js';
import type { CommandContext } from './types.js';

async function readBlocks(ctx: CommandContext, lba: number, count: number): Promise<Buffer> {
  ctx.note({ lba, blocks: count });
  const m = ctx.state.requireMedium();
  if (!m.tocReadable) throw new CheckCondition(Sense.UNABLE_TO_RECOVER_TABLE_OF_CONTENTS);
  if (count === 0) return Buffer.alloc(0);
  const data = m.read(lba, count);
  const speed = ctx.state.readSpeed ?? m.info.readSpeed;
  await sleep(ctx.drive.realTime(transferMs(data.length, speed)), ctx.cmd.signal);
  return data;
}

export function read10(ctx: CommandContext): Promise<Buffer> {
  const p = decodeRead10Cdb(ctx.cdb);
  return readBlocks(ctx, p.lba, p.transferLength);
}

export function read12(ctx: CommandContext): Promise<Buffer> {
  const p = decodeRead12Cdb(ctx.cdb);
  return readBlocks(ctx, p.lba, p.transferLength);
}
