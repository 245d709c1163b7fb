/**
 * SEND CUE SHEET (MMC-6 §6.33): decoded and validated by the sdk codec, then mapped to the Medium's
 * entry form (one entry per 8-byte slot; MCN and ISRC pairs become two entries whose `text` is the 7
 * bytes after the CTL/ADR byte, as on the wire). The write parameters page must say SAO.
 */
import { CheckCondition, Sense, WriteType, decodeCueSheet, decodeSendCueSheetCdb, type CueSheetEntryDecoded } from '@openimapi/sdk';
import type { CueSheetEntry } from '../media/medium.js';
import type { CommandContext } from './types.js';
import { refuseMissingCapability } from './write.js';

const zero = { m: 0, s: 0, f: 0 };

function toMedium(e: CueSheetEntryDecoded): CueSheetEntry[] {
  switch (e.kind) {
    case 'position':
      return [{ control: e.ctl, adr: 1, tno: e.tno, index: e.index, dataForm: (e.subChannelForm << 6) | e.dataForm, scms: e.scms ? 0x80 : 0, msf: e.time }];
    case 'catalog': {
      const t = Buffer.from(e.mcn.padEnd(14, '\0'), 'latin1');
      return [0, 7].map((o) => ({ control: e.ctl, adr: 2, tno: 0, index: 0, dataForm: 0, scms: 0, msf: zero, text: t.subarray(o, o + 7) }));
    }
    case 'isrc':
      return [0, 6].map((o) => ({
        control: e.ctl,
        adr: 3,
        tno: e.tno,
        index: 0,
        dataForm: 0,
        scms: 0,
        msf: zero,
        text: Buffer.concat([Buffer.from([e.tno]), Buffer.from(e.isrc.slice(o, o + 6), 'latin1')]),
      }));
  }
}

export function sendCueSheet(ctx: CommandContext): void {
  const p = decodeSendCueSheetCdb(ctx.cdb);
  const data = ctx.cmd.dataOut ?? Buffer.alloc(0);
  if (data.length !== p.cueSheetSize) {
    throw new CheckCondition(Sense.PARAMETER_LIST_LENGTH_ERROR, `SEND CUE SHEET: ${data.length} bytes for a CUE SHEET SIZE of ${p.cueSheetSize}`);
  }
  const entries = decodeCueSheet(data).flatMap(toMedium);
  const m = ctx.state.requireMedium();
  const wctx = ctx.drive.modes.writeContext();
  if (wctx.writeType !== WriteType.SESSION_AT_ONCE) {
    throw new CheckCondition(Sense.COMMAND_SEQUENCE_ERROR, 'SEND CUE SHEET: the write parameters page does not select SAO (COMMAND SEQUENCE ERROR)');
  }
  refuseMissingCapability(ctx, m, 'SEND CUE SHEET');
  m.sendCueSheet(entries, wctx);
  ctx.note({ entries: entries.length });
}
