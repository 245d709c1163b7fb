/**
 * READ DISC STRUCTURE (ADh, MMC-6 §6.22) for DVD media: format 00h (physical format information of the
 * inserted kind) and FFh (the list of structures). A CD, or a BD asked for a DVD structure (and the
 * reverse), is 05/30/02 CANNOT READ MEDIUM - INCOMPATIBLE FORMAT; any other format code, and BD
 * structures other than the list, are 05/24/00 INVALID FIELD IN CDB at the format code (the SDK maps
 * both to E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT).
 *
 * Physical format information per kind (MMC-6 "Book Type Field", "Layer Type"): DVD-ROM book 0,
 * embossed; DVD-R book 2 part version 5 (DVD-R for General 2.0), recordable; DVD+R book Ah, recordable;
 * DVD+RW book 9 part version 2, rewritable. All single layer, PTP, 120 mm, 10.08 Mbit/s, 0.267 µm/bit,
 * 0.74 µm/track, no BCA. The data area starts at PSN 030000h; it ends at the last sector the disc can
 * hold (recordable: its capacity; a pressed disc: its last recorded LBA).
 */
import {
  CheckCondition,
  DVD_DATA_AREA_START_PSN,
  DVD_PHYSICAL_FORMAT_LENGTH,
  DiscStructureFormat,
  DiscStructureMediaType,
  DvdBookType,
  DvdLayerType,
  Sense,
  decodeReadDiscStructureCdb,
  encodeDiscStructureListReply,
  encodeDvdPhysicalFormatReply,
  invalidCdbField,
  type DiscStructureListEntry,
  type DvdPhysicalFormat,
} from '@openimapi/sdk';
import type { Medium } from '../media/medium.js';
import { upTo, type CommandContext } from './types.js';

const BOOK: Partial<Record<string, { bookType: number; partVersion: number; layerType: number }>> = {
  'dvd-rom': { bookType: DvdBookType.DVD_ROM, partVersion: 1, layerType: DvdLayerType.EMBOSSED },
  'dvd-r': { bookType: DvdBookType.DVD_R, partVersion: 5, layerType: DvdLayerType.RECORDABLE },
  'dvd-rw': { bookType: DvdBookType.DVD_RW, partVersion: 3, layerType: DvdLayerType.REWRITABLE },
  'dvd+r': { bookType: DvdBookType.DVD_PLUS_R, partVersion: 1, layerType: DvdLayerType.RECORDABLE },
  'dvd+rw': { bookType: DvdBookType.DVD_PLUS_RW, partVersion: 2, layerType: DvdLayerType.REWRITABLE },
};

/** The physical format information of a DVD medium (undefined for other families). */
export function dvdPhysicalFormat(m: Medium): DvdPhysicalFormat | undefined {
  const book = BOOK[m.kind];
  if (!book || m.info.family !== 'dvd') return undefined;
  const blocks = m.info.recording === 'read-only' ? m.capacity().lastLba + 1 : m.info.capacity;
  return {
    ...book,
    discSize: 0,
    maximumRate: 2,
    layers: 1,
    oppositeTrackPath: false,
    linearDensity: 0,
    trackDensity: 0,
    dataStartSector: DVD_DATA_AREA_START_PSN,
    dataEndSector: DVD_DATA_AREA_START_PSN + Math.max(1, blocks) - 1,
    layer0EndSector: 0,
    bca: false,
  };
}

export function readDiscStructure(ctx: CommandContext): Buffer {
  const p = decodeReadDiscStructureCdb(ctx.cdb);
  const m = ctx.state.requireMedium();
  ctx.note({ mediaType: p.mediaType, format: p.formatCode, layer: p.layerNumber });
  const family = p.mediaType === DiscStructureMediaType.DVD ? 'dvd' : 'bd';
  if (m.info.family !== family) {
    throw new CheckCondition(Sense.CANNOT_READ_MEDIUM_INCOMPATIBLE_FORMAT, `READ DISC STRUCTURE: media type ${p.mediaType} on a ${m.kind} disc`);
  }
  const pfi = family === 'dvd' ? dvdPhysicalFormat(m) : undefined;
  if (p.formatCode === DiscStructureFormat.STRUCTURE_LIST) {
    const list: DiscStructureListEntry[] = [];
    if (pfi) list.push({ formatCode: DiscStructureFormat.PHYSICAL_FORMAT_INFORMATION, sds: false, rds: true, length: DVD_PHYSICAL_FORMAT_LENGTH });
    list.push({ formatCode: DiscStructureFormat.STRUCTURE_LIST, sds: false, rds: true, length: (list.length + 1) * 4 });
    return upTo(encodeDiscStructureListReply(list), p.allocationLength);
  }
  if (p.formatCode === DiscStructureFormat.PHYSICAL_FORMAT_INFORMATION && pfi) {
    // Layer numbers past the disc's layers do not exist (single layer here).
    if (p.layerNumber >= pfi.layers) throw invalidCdbField(6, `READ DISC STRUCTURE: layer ${p.layerNumber} does not exist`);
    return upTo(encodeDvdPhysicalFormatReply(pfi), p.allocationLength);
  }
  throw invalidCdbField(7, `READ DISC STRUCTURE: format ${p.formatCode.toString(16)}h is not supported for ${m.kind}`);
}
