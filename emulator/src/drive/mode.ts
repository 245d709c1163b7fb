/**
 * MODE SENSE(10) and MODE SELECT(10) (SPC-4 §6.14/§6.10, MMC-6 §7): pages 01h, 05h, 2Ah with
 * current / changeable / default values. MODE SELECT validates the whole parameter list — header,
 * every page against the changeable mask (validateModeSelect), then the page 05h values the drive
 * can record (reserved values, and values that need a recording capability the drive lacks:
 * capabilities.ts) — before anything changes ("no change is made if there is an error").
 */
import {
  CheckCondition,
  ModePageCode,
  PageControl,
  Sense,
  dataBlockSize,
  decodeModeSelect10Cdb,
  decodeModeSelect10Parameters,
  decodeModeSense10Cdb,
  encodeModeSense10Reply,
  invalidCdbField,
  invalidParameterField,
  modePageCode,
  savingParametersNotSupported,
  validateModeSelect,
  type ModePage,
} from '@openimapi/sdk';
import { upTo, type CommandContext } from './types.js';
import { missingCapability } from './capabilities.js';

/** MODE SENSE(10): an absent page (or subpage) is 05/24/00; PC 11b (saved) is 05/39/00. */
export function modeSense10(ctx: CommandContext): Buffer {
  const p = decodeModeSense10Cdb(ctx.cdb);
  if (p.pageControl === PageControl.SAVED) throw savingParametersNotSupported();
  const pc = p.pageControl as 0 | 1 | 2;
  const all = ctx.drive.modes.pages(pc);
  let pages: ModePage[];
  if (p.pageCode === ModePageCode.ALL_PAGES && (p.subpageCode === 0 || p.subpageCode === 0xff)) pages = all;
  else {
    if (p.subpageCode !== 0) throw invalidCdbField(3, `MODE SENSE: subpage ${p.subpageCode.toString(16)}h of page ${p.pageCode.toString(16)}h is not supported`);
    pages = all.filter((pg) => modePageCode(pg) === p.pageCode);
    if (pages.length === 0) throw invalidCdbField(2, `MODE SENSE: page ${p.pageCode.toString(16)}h is not supported`, 5);
  }
  ctx.note({ page: p.pageCode, pc });
  const data = encodeModeSense10Reply({ mediumType: 0, deviceSpecificParameter: 0, longLba: false, blockDescriptors: Buffer.alloc(0), pages });
  return upTo(data, p.allocationLength);
}

/**
 * A block descriptor in MODE SELECT: MMC drives have none of their own, but hosts still send the
 * general one (SPC-4 §7.5.5) to set the logical block length — cdrecord/wodim select 2048 that way
 * before a write. Accepted when it asks for what the drive does (density 0, any number of blocks,
 * block length 2048); any other block length is 05/26/00 on its field. Long-LBA descriptors are refused.
 */
function checkBlockDescriptors(bd: Buffer, longLba: boolean): void {
  if (bd.length === 0) return;
  if (longLba || bd.length !== 8) throw invalidParameterField(6, `MODE SELECT: ${bd.length} bytes of block descriptors (only one short descriptor is accepted)`);
  if (bd[0] !== 0) throw invalidParameterField(8, `MODE SELECT: density code ${bd[0]!.toString(16)}h`);
  const blockLength = bd.readUIntBE(5, 3);
  if (blockLength !== 2048) throw invalidParameterField(13, `MODE SELECT: block length ${blockLength} (the drive's logical blocks are 2048 bytes)`);
}

/** MODE SELECT(10): PF must be 1, SP 0; a block descriptor may only confirm 2048-byte blocks. */
export function modeSelect10(ctx: CommandContext): void {
  const p = decodeModeSelect10Cdb(ctx.cdb);
  if (!p.pf) throw invalidCdbField(1, 'MODE SELECT: PF=0 (vendor-specific pages) is not supported', 4);
  if (p.sp) throw savingParametersNotSupported();
  const data = ctx.cmd.dataOut ?? Buffer.alloc(0);
  if (data.length !== p.parameterListLength) {
    throw new CheckCondition(Sense.PARAMETER_LIST_LENGTH_ERROR, `MODE SELECT: ${data.length} bytes for a PARAMETER LIST LENGTH of ${p.parameterListLength}`);
  }
  if (data.length === 0) return; // nothing to change (SPC-4 §6.10: a zero length is not an error)
  const list = decodeModeSelect10Parameters(data);
  checkBlockDescriptors(list.blockDescriptors, list.longLba);
  const modes = ctx.drive.modes;
  const next = validateModeSelect(modes.pages(0), modes.pages(1), list.pages, list.pageOffsets);
  // Values the drive can hold in page 05h (MMC-6 §7.5.4): checked on the validated result, before commit.
  list.pages.forEach((raw, k) => {
    if (modePageCode(raw) !== ModePageCode.WRITE_PARAMETERS) return;
    const base = list.pageOffsets[k]!;
    const wp = next.find((x) => x.kind === 'writeParameters');
    if (!wp || wp.kind !== 'writeParameters') return;
    if (wp.writeType > 4) throw invalidParameterField(base + 2, `MODE SELECT: WRITE TYPE ${wp.writeType} is reserved`, 3);
    if (wp.multiSession === 2) throw invalidParameterField(base + 3, 'MODE SELECT: MULTI-SESSION 10b is reserved', 7);
    if (dataBlockSize(wp.dataBlockType) === undefined) throw invalidParameterField(base + 4, `MODE SELECT: DATA BLOCK TYPE ${wp.dataBlockType} is reserved`, 3);
    if (![0x00, 0x10, 0x20].includes(wp.sessionFormat)) throw invalidParameterField(base + 8, `MODE SELECT: SESSION FORMAT ${wp.sessionFormat.toString(16)}h is reserved`);
    // WRITE TYPE 2 is CD SAO unless a DVD or BD is in the drive (DVD-R disc at once).
    const family = ctx.state.loadedMedium?.info.family;
    const missing = missingCapability(ctx.drive.capabilities, wp, family === undefined || family === 'cd');
    if (missing) throw invalidParameterField(base + missing.byte, `MODE SELECT: ${missing.what}`, missing.bit);
  });
  modes.commit(next);
  ctx.note({ pages: list.pages.map((x) => modePageCode(x).toString(16)) });
  // Other nexuses learn that the parameters changed (SPC-4 §6.10: MODE PARAMETERS CHANGED).
  ctx.state.ua.establish(Sense.MODE_PARAMETERS_CHANGED, { except: ctx.nexus.id });
}
