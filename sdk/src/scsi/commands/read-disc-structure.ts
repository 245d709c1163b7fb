/**
 * READ DISC STRUCTURE (ADh) — MMC-6 §6.22: tables "READ DISC STRUCTURE CDB", "Media Type", "READ DISC
 * STRUCTURE Data Format (Format Code = 00h)" (DVD physical format information), "Disc Structure List
 * (Format Code = FFh)". Only the structures the emulator and the SDK use are modelled: media type 0
 * (DVD) format 00h, and format FFh (the structure list) for any media type.
 *
 * CDB:
 *   byte 0      OPERATION CODE (ADh)
 *   byte 1      Reserved (7-4) | MEDIA TYPE (3-0): 0000b DVD / HD DVD, 0001b BD, others reserved
 *   bytes 2-5   ADDRESS
 *   byte 6      LAYER NUMBER
 *   byte 7      FORMAT CODE
 *   bytes 8-9   ALLOCATION LENGTH
 *   byte 10     AGID (7-6) | Reserved (5-0)
 *   byte 11     CONTROL
 *
 * Data in, every format: a 4-byte header, then the structure.
 *   bytes 0-1   DISC STRUCTURE DATA LENGTH (bytes after this field)
 *   bytes 2-3   Reserved
 *
 * Format 00h, media type 0 — DVD physical format information (2048 bytes after the header; byte n
 * of the structure is reply byte n + 4):
 *   byte 0      BOOK TYPE (7-4) | PART VERSION (3-0)
 *   byte 1      DISC SIZE (7-4): 0 120 mm, 1 80 mm | MAXIMUM RATE (3-0): 0 2.52, 1 5.04, 2 10.08,
 *               3 20.16, 4 30.24 Mbit/s, Fh not specified
 *   byte 2      Reserved (7) | NUMBER OF LAYERS (6-5): 00b one layer, 01b two | TRACK PATH (4):
 *               0 parallel (PTP), 1 opposite (OTP) | LAYER TYPE (3-0): bit 0 embossed, bit 1
 *               recordable, bit 2 rewritable
 *   byte 3      LINEAR DENSITY (7-4): 0 0.267 µm/bit, 1 0.293, 2 0.409-0.435, 4 0.280-0.291,
 *               8 0.353 | TRACK DENSITY (3-0): 0 0.74 µm/track, 1 0.80, 2 0.615
 *   bytes 4-7   STARTING PHYSICAL SECTOR NUMBER OF DATA AREA (byte 4 is 00h; 030000h on DVD)
 *   bytes 8-11  END PHYSICAL SECTOR NUMBER OF DATA AREA (byte 8 is 00h)
 *   bytes 12-15 END SECTOR NUMBER IN LAYER 0 (byte 12 is 00h)
 *   byte 16     BCA (7) | Reserved (6-0)
 *   bytes 17-2047 Media specific
 *
 * Format FFh — disc structure list, one 4-byte descriptor per structure the medium can give:
 *   byte 0      FORMAT CODE
 *   byte 1      SDS (7): SEND DISC STRUCTURE accepts it | RDS (6): READ DISC STRUCTURE returns it |
 *               Reserved (5-0)
 *   bytes 2-3   STRUCTURE LENGTH (the structure's length without the 4-byte header)
 *
 * Replies cut short by the allocation length decode with `truncated` (codec.ts rule). A DATA LENGTH
 * too small for the fixed part of format 00h (17 bytes), or a list length that is not whole
 * descriptors, is an invalid response.
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidCdbField, invalidReply, replyReader, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBits, uint, writeControl } from './cdb-fields.js';
import { bool } from './arg-checks.js';

export const READ_DISC_STRUCTURE_CDB_LENGTH = 12;
export const READ_DISC_STRUCTURE_DIRECTION: DataDirection = 'in';
/** Length of the reply header (DISC STRUCTURE DATA LENGTH + 2 reserved bytes). */
export const DISC_STRUCTURE_HEADER_LENGTH = 4;
/** DVD physical format information: 2048 bytes of structure. */
export const DVD_PHYSICAL_FORMAT_LENGTH = 2048;
/** Whole reply of format 00h on DVD (what a host asks for: 2052). */
export const DVD_PHYSICAL_FORMAT_REPLY_LENGTH = DISC_STRUCTURE_HEADER_LENGTH + DVD_PHYSICAL_FORMAT_LENGTH;
/** Bytes of format 00h with defined fields (through the BCA flag). */
const PFI_FIXED_LENGTH = 17;

/** MEDIA TYPE (MMC-6 table "Media Type"). */
export const DiscStructureMediaType = {
  DVD: 0,
  BD: 1,
} as const;

/** FORMAT CODE values this codec models. */
export const DiscStructureFormat = {
  /** Media type 0: DVD physical format information. */
  PHYSICAL_FORMAT_INFORMATION: 0x00,
  /** Any media type: the list of structures the medium can give. */
  STRUCTURE_LIST: 0xff,
} as const;

/** BOOK TYPE (MMC-6 table "Book Type Field"; DVD Forum and DVD+RW Alliance values). */
export const DvdBookType = {
  DVD_ROM: 0x0,
  DVD_RAM: 0x1,
  DVD_R: 0x2,
  DVD_RW: 0x3,
  HD_DVD_ROM: 0x4,
  HD_DVD_RAM: 0x5,
  HD_DVD_R: 0x6,
  DVD_PLUS_RW: 0x9,
  DVD_PLUS_R: 0xa,
  DVD_PLUS_RW_DL: 0xd,
  DVD_PLUS_R_DL: 0xe,
} as const;

/** LAYER TYPE bits. */
export const DvdLayerType = {
  EMBOSSED: 0x1,
  RECORDABLE: 0x2,
  REWRITABLE: 0x4,
} as const;

/** Physical sector number where the data area of a DVD starts (ECMA-267 §14.2, all DVD books). */
export const DVD_DATA_AREA_START_PSN = 0x030000;

export interface ReadDiscStructureCdb extends CdbCommon {
  /** MEDIA TYPE (`DiscStructureMediaType`), 0 or 1. */
  mediaType: number;
  /** ADDRESS: meaning depends on the format (0 for 00h and FFh). */
  address: number;
  /** LAYER NUMBER. */
  layerNumber: number;
  /** FORMAT CODE (`DiscStructureFormat`). */
  formatCode: number;
  allocationLength: number;
  /** AGID (authentication grant ID, CSS/CPPM formats only), 0-3. */
  agid: number;
}

export function encodeReadDiscStructureCdb(params: ReadDiscStructureCdb): Buffer {
  const w = new ByteWriter(READ_DISC_STRUCTURE_CDB_LENGTH);
  w.u8(0, Opcode.READ_DISC_STRUCTURE);
  w.u8(1, uint('mediaType', params.mediaType, 1));
  w.u32(2, uint('address', params.address, 0xffffffff));
  w.u8(6, uint('layerNumber', params.layerNumber, 0xff));
  w.u8(7, uint('formatCode', params.formatCode, 0xff));
  w.u16(8, uint('allocationLength', params.allocationLength, 0xffff));
  w.u8(10, uint('agid', params.agid, 3) << 6);
  writeControl(w, 11, params.control);
  return w.buffer;
}

export function decodeReadDiscStructureCdb(cdb: Uint8Array): ReadDiscStructureCdb {
  const what = 'READ DISC STRUCTURE';
  const r = cdbReader(cdb, READ_DISC_STRUCTURE_CDB_LENGTH, what);
  expectOpcode(r, Opcode.READ_DISC_STRUCTURE, what);
  rejectBits(r, 1, 0xf0, what);
  const mediaType = r.bits(1, 0, 4);
  if (mediaType > DiscStructureMediaType.BD) throw invalidCdbField(1, `${what}: media type ${mediaType} is reserved`, 3);
  rejectBits(r, 10, 0x3f, what);
  return {
    mediaType,
    address: r.u32(2),
    layerNumber: r.u8(6),
    formatCode: r.u8(7),
    allocationLength: r.u16(8),
    agid: r.bits(10, 6, 2),
    ...readControl(r, 11, what),
  };
}

/** DVD physical format information (format 00h, media type 0). */
export interface DvdPhysicalFormat {
  /** BOOK TYPE (`DvdBookType`), 4 bits. */
  bookType: number;
  /** PART VERSION (the book's version), 4 bits. */
  partVersion: number;
  /** DISC SIZE: 0 120 mm, 1 80 mm. */
  discSize: number;
  /** MAXIMUM RATE code, 4 bits (Fh not specified). */
  maximumRate: number;
  /** Layers on the side: 1 or 2 (NUMBER OF LAYERS field + 1). */
  layers: number;
  /** TRACK PATH: false parallel (PTP), true opposite (OTP). */
  oppositeTrackPath: boolean;
  /** LAYER TYPE bits (`DvdLayerType`). */
  layerType: number;
  /** LINEAR DENSITY code, 4 bits. */
  linearDensity: number;
  /** TRACK DENSITY code, 4 bits. */
  trackDensity: number;
  /** Starting physical sector number of the data area (24 bits; 030000h). */
  dataStartSector: number;
  /** End physical sector number of the data area (24 bits). */
  dataEndSector: number;
  /** End sector number in layer 0 (24 bits; 0 on single-layer discs). */
  layer0EndSector: number;
  /** BCA flag: the disc has a burst cutting area. */
  bca: boolean;
}

/** Wraps a structure in the 4-byte header. */
function withHeader(structure: Uint8Array): Buffer {
  const w = new ByteWriter(DISC_STRUCTURE_HEADER_LENGTH + structure.length);
  w.u16(0, uint('structure length', structure.length + 2, 0xffff));
  w.bytes(DISC_STRUCTURE_HEADER_LENGTH, structure);
  return w.buffer;
}

/** The 2052-byte reply of format 00h; the media-specific bytes are zero. */
export function encodeDvdPhysicalFormatReply(p: DvdPhysicalFormat): Buffer {
  const s = new ByteWriter(DVD_PHYSICAL_FORMAT_LENGTH);
  s.u8(0, (uint('bookType', p.bookType, 0xf) << 4) | uint('partVersion', p.partVersion, 0xf));
  s.u8(1, (uint('discSize', p.discSize, 0xf) << 4) | uint('maximumRate', p.maximumRate, 0xf));
  const layers = uint('layers', p.layers, 4);
  if (layers < 1) throw new TypeError('layers must be 1..4');
  s.u8(2, ((layers - 1) << 5) | (bool('oppositeTrackPath', p.oppositeTrackPath) ? 0x10 : 0) | uint('layerType', p.layerType, 0xf));
  s.u8(3, (uint('linearDensity', p.linearDensity, 0xf) << 4) | uint('trackDensity', p.trackDensity, 0xf));
  s.u32(4, uint('dataStartSector', p.dataStartSector, 0xffffff));
  s.u32(8, uint('dataEndSector', p.dataEndSector, 0xffffff));
  s.u32(12, uint('layer0EndSector', p.layer0EndSector, 0xffffff));
  s.u8(16, bool('bca', p.bca) ? 0x80 : 0);
  return withHeader(s.buffer);
}

export type DvdPhysicalFormatReply = DvdPhysicalFormat & {
  truncated: boolean;
  /** DISC STRUCTURE DATA LENGTH + 2 (2052), or 2052 when even the length was cut off. */
  fullLength: number;
};

export function decodeDvdPhysicalFormatReply(buf: Uint8Array): DvdPhysicalFormatReply {
  const r = replyReader(buf, 'READ DISC STRUCTURE format 00h data');
  const fullLength = buf.length >= 2 ? r.u16(0) + 2 : DVD_PHYSICAL_FORMAT_REPLY_LENGTH;
  if (fullLength < DISC_STRUCTURE_HEADER_LENGTH + PFI_FIXED_LENGTH) {
    throw invalidReply(`READ DISC STRUCTURE: data length ${fullLength - 2} is too short for physical format information`);
  }
  const o = DISC_STRUCTURE_HEADER_LENGTH;
  return {
    bookType: r.bits(o, 4, 4),
    partVersion: r.bits(o, 0, 4),
    discSize: r.bits(o + 1, 4, 4),
    maximumRate: r.bits(o + 1, 0, 4),
    layers: r.bits(o + 2, 5, 2) + 1,
    oppositeTrackPath: r.bit(o + 2, 4),
    layerType: r.bits(o + 2, 0, 4),
    linearDensity: r.bits(o + 3, 4, 4),
    trackDensity: r.bits(o + 3, 0, 4),
    dataStartSector: r.u24(o + 5),
    dataEndSector: r.u24(o + 9),
    layer0EndSector: r.u24(o + 13),
    bca: r.bit(o + 16, 7),
    truncated: buf.length < fullLength,
    fullLength,
  };
}

/** One descriptor of the structure list (format FFh). */
export interface DiscStructureListEntry {
  formatCode: number;
  /** SDS: SEND DISC STRUCTURE accepts this format. */
  sds: boolean;
  /** RDS: READ DISC STRUCTURE returns this format. */
  rds: boolean;
  /** STRUCTURE LENGTH (without the 4-byte header). */
  length: number;
}

export function encodeDiscStructureListReply(entries: readonly DiscStructureListEntry[]): Buffer {
  const s = new ByteWriter(entries.length * 4);
  entries.forEach((e, i) => {
    s.u8(i * 4, uint('formatCode', e.formatCode, 0xff));
    s.u8(i * 4 + 1, (bool('sds', e.sds) ? 0x80 : 0) | (bool('rds', e.rds) ? 0x40 : 0));
    s.u16(i * 4 + 2, uint('length', e.length, 0xffff));
  });
  return withHeader(s.buffer);
}

export interface DiscStructureListReply {
  entries: DiscStructureListEntry[];
  truncated: boolean;
  /** DISC STRUCTURE DATA LENGTH + 2, or 4 when even the length was cut off. */
  fullLength: number;
}

export function decodeDiscStructureListReply(buf: Uint8Array): DiscStructureListReply {
  const r = replyReader(buf, 'READ DISC STRUCTURE format FFh data');
  const fullLength = buf.length >= 2 ? r.u16(0) + 2 : DISC_STRUCTURE_HEADER_LENGTH;
  if (fullLength < DISC_STRUCTURE_HEADER_LENGTH || (fullLength - DISC_STRUCTURE_HEADER_LENGTH) % 4 !== 0) {
    throw invalidReply(`READ DISC STRUCTURE: structure list length ${fullLength - 2} is not a header plus whole 4-byte descriptors`);
  }
  const entries: DiscStructureListEntry[] = [];
  const end = Math.min(buf.length, fullLength);
  for (let off = DISC_STRUCTURE_HEADER_LENGTH; off + 4 <= end; off += 4) {
    entries.push({ formatCode: r.u8(off), sds: r.bit(off + 1, 7), rds: r.bit(off + 1, 6), length: r.u16(off + 2) });
  }
  return { entries, truncated: buf.length < fullLength, fullLength };
}
