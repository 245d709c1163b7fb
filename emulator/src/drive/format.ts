/**
 * Formatting and power calibration: READ FORMAT CAPACITIES (MMC-6 §6.24), FORMAT UNIT (§6.5) and
 * SEND OPC INFORMATION (§6.35).
 *
 * READ FORMAT CAPACITIES answers for every medium, as drives do (growisofs asks before it writes any
 * DVD/BD): DVD+RW and BD-RE are formatted (descriptor type 10b, their capacity) and list the formats
 * FORMAT UNIT takes — DVD+RW full format 26h; BD-RE full format 00h and with spare areas 30h, at the
 * catalog capacity (the default spare areas); a blank BD-R is unformatted media (01b) at its whole
 * capacity (SRM without spares, recordable as it is) and lists format 32h (BD-R with spare areas) with
 * a minimal and the default spare area — growisofs pre-formats a blank BD-R with the largest; every
 * other disc reports its user capacity as formatted media (10b) with nothing to format; no disc is 11b.
 *
 * FORMAT UNIT re-formats DVD+RW / BD-RE with one of those format types (any other type is 05/26/00 at
 * the FORMAT TYPE field): the user data stays (a re-format rewrites the disc's management areas, not the
 * data zone), the drive is busy (02/04/04 with progress) for the time writing those areas takes, and
 * the disc then reports a medium change. A blank BD-R formatted with 32h sets the spare area aside
 * (its capacity shrinks by it) and stays blank, recorded sequentially at the NWA (the format subtype
 * is not checked: pseudo-overwrite is not emulated, so a host that asks for SRM+POW must still write
 * at the NWA). The NUMBER OF BLOCKS must be one the list offers (FFFFFFFFh: the first). Other media,
 * and a BD-R with data on it, are 05/30/06 CANNOT FORMAT MEDIUM.
 *
 * SEND OPC INFORMATION: the laser needs no calibration here; a disc must be present.
 */
import {
  CapacityDescriptorType,
  CheckCondition,
  FormatType,
  Sense,
  decodeFormatUnitCdb,
  decodeFormatUnitParameters,
  decodeReadFormatCapacitiesCdb,
  decodeSendOpcInformationCdb,
  encodeReadFormatCapacitiesReply,
  invalidParameterField,
  type FormatCapacities,
  type FormattableCapacity,
} from '@openimapi/sdk';
import type { Medium } from '../media/medium.js';
import { MEDIA } from '../media/catalog.js';
import { transferMs } from './timing.js';
import { effectiveWriteSpeed } from './speed.js';
import { longOperation } from './write.js';
import { upTo, type CommandContext } from './types.js';

/** BD-R spare area sizes offered with format 32h (blocks): a minimal one (2048 clusters) and the default (as BD-RE's). */
const BD_R_SPARES = [65_536, 393_216];

/** What FORMAT UNIT takes on a medium: one entry per formattable descriptor READ FORMAT CAPACITIES lists. */
function formatsFor(m: Medium): FormattableCapacity[] {
  switch (m.kind) {
    case 'dvd+rw':
      return [{ blocks: m.info.capacity, formatType: FormatType.DVD_PLUS_RW_FULL, typeDependent: 0 }];
    case 'bd-re':
      return [FormatType.FULL, FormatType.BD_RE_FULL_WITH_SPARE].map((formatType) => ({ blocks: m.info.capacity, formatType, typeDependent: 0 }));
    case 'bd-r':
      return m.state === 'blank' ? BD_R_SPARES.map((spare) => ({ blocks: m.info.capacity - spare, formatType: FormatType.BD_R_FULL_WITH_SPARE, typeDependent: spare })) : [];
    default:
      return [];
  }
}

/** Blocks a format rewrites besides the data zone (lead-in/out, DMA/PAC areas): what its time comes from. */
const MANAGEMENT_BLOCKS = 65_536;

export function formatCapacities(m: Medium | undefined): FormatCapacities {
  if (!m) return { current: { blocks: MEDIA['bd-re'].capacity, descriptorType: CapacityDescriptorType.NO_MEDIA, blockLength: 2048 }, formattable: [] };
  const blocks = m.info.recording === 'read-only' ? Math.max(0, m.capacity().lastLba + 1) : m.capacityBlocks;
  const unformatted = m.kind === 'bd-r' && m.state === 'blank' && m.capacityBlocks === m.info.capacity;
  return {
    current: { blocks, descriptorType: unformatted ? CapacityDescriptorType.UNFORMATTED : CapacityDescriptorType.FORMATTED, blockLength: 2048 },
    formattable: formatsFor(m),
  };
}

export function readFormatCapacities(ctx: CommandContext): Buffer {
  const p = decodeReadFormatCapacitiesCdb(ctx.cdb);
  const s = ctx.state;
  const m = s.notReadyCondition() === undefined ? s.medium : undefined;
  return upTo(encodeReadFormatCapacitiesReply(formatCapacities(m)), p.allocationLength);
}

export async function formatUnit(ctx: CommandContext): Promise<void> {
  decodeFormatUnitCdb(ctx.cdb);
  const p = decodeFormatUnitParameters(ctx.cmd.dataOut ?? Buffer.alloc(0));
  const m = ctx.state.requireMedium();
  const formats = formatsFor(m);
  if (formats.length === 0) throw new CheckCondition(Sense.CANNOT_FORMAT_MEDIUM_INCOMPATIBLE_MEDIUM, `FORMAT UNIT on ${m.kind}${m.kind === 'bd-r' ? ' with data on it' : ''}`);
  const ofType = formats.filter((f) => f.formatType === p.formatType);
  if (ofType.length === 0) throw invalidParameterField(8, `FORMAT UNIT: format type ${p.formatType.toString(16)}h is not one ${m.kind} takes`, 7);
  const chosen = ofType.find((f) => f.blocks === p.blocks) ?? (p.blocks === 0xffffffff ? ofType[0] : undefined);
  if (!chosen) throw invalidParameterField(4, `FORMAT UNIT: ${p.blocks} blocks (${m.kind} formats to ${ofType.map((f) => f.blocks).join(' or ')})`);
  ctx.note({ formatType: p.formatType, blocks: chosen.blocks, immed: p.immed });
  const result = m.format(m.kind === 'bd-r' ? { spareBlocks: chosen.typeDependent } : {});
  const ms = ctx.drive.realTime(transferMs((result.blocks > 0 ? MANAGEMENT_BLOCKS : 0) * 2048, effectiveWriteSpeed(m, ctx.state.writeSpeed) ?? 1385));
  await longOperation(ctx, 'format', ms, p.immed);
}

export function sendOpcInformation(ctx: CommandContext): void {
  const p = decodeSendOpcInformationCdb(ctx.cdb);
  const data = ctx.cmd.dataOut ?? Buffer.alloc(0);
  if (data.length !== p.parameterListLength || data.length % 8 !== 0) {
    throw new CheckCondition(Sense.PARAMETER_LIST_LENGTH_ERROR, `SEND OPC INFORMATION: ${data.length} bytes for a PARAMETER LIST LENGTH of ${p.parameterListLength}`);
  }
  ctx.state.requireMedium();
  ctx.note({ doOpc: p.doOpc });
}
