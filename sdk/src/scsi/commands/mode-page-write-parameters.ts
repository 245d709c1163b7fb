/**
 * Write Parameters mode page (05h) — MMC-6 §7.5, table "Write Parameters Mode Page Format", with the
 * tables "Write Type Field", "Multi-session Field Definition", "Data Block Type Codes" and
 * "Session Format Codes".
 *
 *   byte 0      PS (7) | Reserved (6) | PAGE CODE (05h)
 *   byte 1      PAGE LENGTH (32h, or 36h with the vendor specific bytes)
 *   byte 2      Reserved (7) | BUFE (6) | LS_V (5) | TEST WRITE (4) | WRITE TYPE (3-0)
 *   byte 3      MULTI-SESSION (7-6) | FP (5) | COPY (4) | TRACK MODE (3-0)
 *   byte 4      Reserved (7-4) | DATA BLOCK TYPE (3-0)
 *   byte 5      LINK SIZE
 *   byte 6      Reserved
 *   byte 7      Reserved (7-6) | HOST APPLICATION CODE (5-0)
 *   byte 8      SESSION FORMAT
 *   byte 9      Reserved
 *   bytes 10-13 PACKET SIZE
 *   bytes 14-15 AUDIO PAUSE LENGTH
 *   bytes 16-31 MEDIA CATALOG NUMBER: byte 16 MCVAL (7); bytes 17-29 N1..N13 (ASCII digits);
 *               byte 30 zero; byte 31 AFRAME
 *   bytes 32-47 INTERNATIONAL STANDARD RECORDING CODE: byte 32 TCVAL (7); bytes 33-44 I1..I12 (ASCII);
 *               byte 45 zero; byte 46 AFRAME; byte 47 reserved
 *   bytes 48-51 SUB-HEADER BYTE 0..3
 *   bytes 52-55 Vendor Specific (only when PAGE LENGTH is 36h)
 *
 * A page 05h shorter than 32h is kept raw (see mode-parameters.ts).
 */
import { ByteReader, ByteWriter } from '../../wire/bytes.js';
import { uint } from './cdb-fields.js';
import { bool } from './arg-checks.js';
import { ModePageCode } from './mode-page-format.js';

/** PAGE LENGTH without the vendor specific bytes (MMC-1 to MMC-6). */
export const WRITE_PARAMETERS_PAGE_LENGTH = 0x32;

/** WRITE TYPE (MMC-6 table "Write Type Field"). */
export const WriteType = {
  PACKET_INCREMENTAL: 0,
  TRACK_AT_ONCE: 1,
  /** Session at once (CD) / disc at once (DVD-R). */
  SESSION_AT_ONCE: 2,
  RAW: 3,
  LAYER_JUMP: 4,
} as const;

/** MULTI-SESSION (MMC-6 table "Multi-session Field Definition"); 10b is reserved. */
export const MultiSession = {
  /** 00b: no B0 pointer; next session not allowed. */
  NO_NEXT_SESSION: 0,
  /** 01b: B0 pointer = FF:FF:FF; next session not allowed. */
  NO_NEXT_SESSION_B0_FFFFFF: 1,
  /** 11b: next session allowed; B0 pointer = next possible program area. */
  NEXT_SESSION_ALLOWED: 3,
} as const;

/** DATA BLOCK TYPE (MMC-6 table "Data Block Type Codes"); 4-6 and 14 reserved, 7 and 15 vendor specific. */
export const DataBlockType = {
  /** 2352 bytes of raw data. */
  RAW: 0,
  /** 2368: raw data with P and Q sub-channel (16 bytes). */
  RAW_PQ: 1,
  /** 2448: raw data with P-W sub-channel appended, packed (cooked R-W). */
  RAW_PW_PACKED: 2,
  /** 2448: raw data with raw P-W sub-channel appended. */
  RAW_PW_RAW: 3,
  /** 2048: Mode 1 (ISO/IEC 10149). */
  MODE_1: 8,
  /** 2336: Mode 2 (ISO/IEC 10149). */
  MODE_2: 9,
  /** 2048: Mode 2 Form 1 (CD-ROM XA); sub-header from the page. */
  MODE_2_FORM_1: 10,
  /** 2056: Mode 2 Form 1 with the 8-byte sub-header in the data. */
  MODE_2_FORM_1_SUBHEADER: 11,
  /** 2324: Mode 2 Form 2 (CD-ROM XA); sub-header from the page. */
  MODE_2_FORM_2: 12,
  /** 2332: Mode 2 Form 1, Form 2 or mixed, with the 8-byte sub-header in the data. */
  MODE_2_MIXED_SUBHEADER: 13,
} as const;

const BLOCK_SIZES: Readonly<Record<number, number>> = {
  0: 2352,
  1: 2368,
  2: 2448,
  3: 2448,
  8: 2048,
  9: 2336,
  10: 2048,
  11: 2056,
  12: 2324,
  13: 2332,
};

/** Bytes per sector the host sends for a DATA BLOCK TYPE; undefined for reserved and vendor codes. */
export function dataBlockSize(type: number): number | undefined {
  return BLOCK_SIZES[type];
}

/** SESSION FORMAT (MMC-6 table "Session Format Codes"). */
export const SessionFormat = {
  CD_DA_OR_CD_ROM: 0x00,
  CD_I: 0x10,
  CD_ROM_XA: 0x20,
} as const;

export interface WriteParametersPage {
  kind: 'writeParameters';
  /** PS: the page can be saved (MODE SENSE only). */
  ps: boolean;
  /** BUFE: buffer under-run free recording enabled. */
  bufe: boolean;
  /** LS_V: LINK SIZE is valid. */
  lsV: boolean;
  testWrite: boolean;
  /** WRITE TYPE (`WriteType`), 4 bits. */
  writeType: number;
  /** MULTI-SESSION (`MultiSession`), 2 bits. */
  multiSession: number;
  /** FP: fixed packets. */
  fp: boolean;
  copy: boolean;
  /** TRACK MODE: the Q sub-channel CONTROL nibble for the track (4 = data, 0 = audio...). */
  trackMode: number;
  /** DATA BLOCK TYPE (`DataBlockType`), 4 bits. */
  dataBlockType: number;
  linkSize: number;
  /** HOST APPLICATION CODE, 6 bits. */
  hostApplicationCode: number;
  /** SESSION FORMAT (`SessionFormat`). */
  sessionFormat: number;
  packetSize: number;
  /** AUDIO PAUSE LENGTH in blocks (150 = 2 s is the usual value). */
  audioPauseLength: number;
  /** Bytes 16-31 as on the wire: MCVAL in bit 7 of the first byte (see `mcnField`/`parseMcnField`). */
  mcn: Buffer;
  /** Bytes 32-47 as on the wire: TCVAL in bit 7 of the first byte (see `isrcField`/`parseIsrcField`). */
  isrc: Buffer;
  /** SUB-HEADER bytes 0-3 (Mode 2 Form 1/2 writing). */
  subHeader: Buffer;
  /** Bytes 52.. : empty for PAGE LENGTH 32h, 4 bytes for 36h. */
  vendorSpecific: Buffer;
}

/** A 16-byte MEDIA CATALOG NUMBER field (MCVAL set) for a 13-digit catalog number. */
export function mcnField(catalogNumber: string): Buffer {
  if (!/^[0-9]{13}$/.test(catalogNumber)) throw new TypeError(`catalogNumber must be 13 decimal digits, got "${catalogNumber}"`);
  const w = new ByteWriter(16);
  w.u8(0, 0x80);
  w.ascii(1, 13, catalogNumber);
  return w.buffer;
}

/** The 13-digit catalog number of a MEDIA CATALOG NUMBER field, or undefined when MCVAL is 0. */
export function parseMcnField(field: Uint8Array): string | undefined {
  const r = new ByteReader(field, { zeroFill: true });
  return r.bit(0, 7) ? r.bytes(1, 13).toString('latin1') : undefined;
}

/** A 16-byte ISRC field (TCVAL set) for a 12-character ISRC (`CCOOOYYSSSSS`). */
export function isrcField(isrc: string): Buffer {
  if (!/^[A-Z0-9]{5}[0-9]{7}$/.test(isrc)) throw new TypeError(`isrc must be 12 characters CCOOOYYSSSSS, got "${isrc}"`);
  const w = new ByteWriter(16);
  w.u8(0, 0x80);
  w.ascii(1, 12, isrc);
  return w.buffer;
}

/** The 12-character ISRC of an ISRC field, or undefined when TCVAL is 0. */
export function parseIsrcField(field: Uint8Array): string | undefined {
  const r = new ByteReader(field, { zeroFill: true });
  return r.bit(0, 7) ? r.bytes(1, 12).toString('latin1') : undefined;
}

function fixed(name: string, v: unknown, len: number): Buffer {
  if (!(v instanceof Uint8Array) || v.length !== len) throw new TypeError(`${name} must be ${len} bytes`);
  return Buffer.from(v);
}

/** The whole page (header included); PAGE LENGTH 32h, or 32h + vendor specific bytes. */
export function encodeWriteParametersPage(p: WriteParametersPage): Buffer {
  if (!(p.vendorSpecific instanceof Uint8Array) || p.vendorSpecific.length > 0xff - WRITE_PARAMETERS_PAGE_LENGTH) {
    throw new TypeError('vendorSpecific must be a byte array of at most 205 bytes');
  }
  const len = WRITE_PARAMETERS_PAGE_LENGTH + p.vendorSpecific.length;
  const w = new ByteWriter(2 + len);
  w.u8(0, (bool('ps', p.ps) ? 0x80 : 0) | ModePageCode.WRITE_PARAMETERS);
  w.u8(1, len);
  w.u8(2, (bool('bufe', p.bufe) ? 0x40 : 0) | (bool('lsV', p.lsV) ? 0x20 : 0) | (bool('testWrite', p.testWrite) ? 0x10 : 0) |
    uint('writeType', p.writeType, 0x0f));
  w.u8(3, (uint('multiSession', p.multiSession, 3) << 6) | (bool('fp', p.fp) ? 0x20 : 0) | (bool('copy', p.copy) ? 0x10 : 0) |
    uint('trackMode', p.trackMode, 0x0f));
  w.u8(4, uint('dataBlockType', p.dataBlockType, 0x0f));
  w.u8(5, uint('linkSize', p.linkSize, 0xff));
  w.u8(7, uint('hostApplicationCode', p.hostApplicationCode, 0x3f));
  w.u8(8, uint('sessionFormat', p.sessionFormat, 0xff));
  w.u32(10, uint('packetSize', p.packetSize, 0xffffffff));
  w.u16(14, uint('audioPauseLength', p.audioPauseLength, 0xffff));
  w.bytes(16, fixed('mcn', p.mcn, 16));
  w.bytes(32, fixed('isrc', p.isrc, 16));
  w.bytes(48, fixed('subHeader', p.subHeader, 4));
  w.bytes(52, p.vendorSpecific);
  return w.buffer;
}

/** Decodes a whole page 05h whose PAGE LENGTH is at least 32h (the caller checks code and length). */
export function decodeWriteParametersPage(page: Uint8Array): WriteParametersPage {
  const r = new ByteReader(page, { zeroFill: true, what: 'mode page 05h' });
  const len = r.u8(1);
  return {
    kind: 'writeParameters',
    ps: r.bit(0, 7),
    bufe: r.bit(2, 6),
    lsV: r.bit(2, 5),
    testWrite: r.bit(2, 4),
    writeType: r.bits(2, 0, 4),
    multiSession: r.bits(3, 6, 2),
    fp: r.bit(3, 5),
    copy: r.bit(3, 4),
    trackMode: r.bits(3, 0, 4),
    dataBlockType: r.bits(4, 0, 4),
    linkSize: r.u8(5),
    hostApplicationCode: r.bits(7, 0, 6),
    sessionFormat: r.u8(8),
    packetSize: r.u32(10),
    audioPauseLength: r.u16(14),
    mcn: r.bytes(16, 16),
    isrc: r.bytes(32, 16),
    subHeader: r.bytes(48, 4),
    vendorSpecific: r.bytes(52, Math.max(0, len - WRITE_PARAMETERS_PAGE_LENGTH)),
  };
}

/** A page 05h with the usual defaults (TAO, Mode 1, 150-block pause, the rest zero) and the fields given. */
export function writeParametersPage(fields: Partial<Omit<WriteParametersPage, 'kind'>> = {}): WriteParametersPage {
  return {
    kind: 'writeParameters',
    ps: false,
    bufe: false,
    lsV: false,
    testWrite: false,
    writeType: WriteType.TRACK_AT_ONCE,
    multiSession: MultiSession.NO_NEXT_SESSION,
    fp: false,
    copy: false,
    trackMode: 0,
    dataBlockType: DataBlockType.MODE_1,
    linkSize: 0,
    hostApplicationCode: 0,
    sessionFormat: SessionFormat.CD_DA_OR_CD_ROM,
    packetSize: 0,
    audioPauseLength: 150,
    mcn: Buffer.alloc(16),
    isrc: Buffer.alloc(16),
    subHeader: Buffer.alloc(4),
    vendorSpecific: Buffer.alloc(0),
    ...fields,
  };
}
