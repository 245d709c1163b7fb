/**
 * READ CD (MMC-6 §6.19): the selected fields of each CD sector, from the Medium (CD only; a DVD/BD
 * disc answers 05/64/00 through the medium's own checks).
 */
import { CheckCondition, Sense, decodeReadCdCdb } from '@openimapi/sdk';
import { afterTransfer } from './read.js';
import type { CommandContext } from './types.js';

export function readCd(ctx: CommandContext): Buffer | Promise<Buffer> {
  const p = decodeReadCdCdb(ctx.cdb);
  ctx.note({ lba: p.lba, blocks: p.transferLength, sectorType: p.expectedSectorType, sub: p.subChannel });
  const m = ctx.state.requireMedium();
  if (m.info.family !== 'cd') throw new CheckCondition(Sense.CANNOT_READ_MEDIUM_INCOMPATIBLE_FORMAT, 'READ CD of a non-CD medium');
  if (p.transferLength === 0) return Buffer.alloc(0);
  const data = m.readCd(p.lba, p.transferLength, {
    sectorType: p.expectedSectorType,
    sync: p.sync,
    headerCodes: p.headerCodes,
    userData: p.userData,
    edcEcc: p.edcEcc,
    c2: p.c2ErrorInformation,
    subChannel: p.subChannel,
  });
  return afterTransfer(ctx, data, ctx.state.readSpeed ?? m.info.readSpeed);
}
