/**
 * READ DISC INFORMATION (51h) — MMC-6 (T10/1836-D r2g) §6.22.
 *
 * CDB (MMC-6 table "READ DISC INFORMATION CDB"):
 *   byte 0     OPERATION CODE (51h)
 *   byte 1     Reserved (7..3) | DATA TYPE (2..0): 000b standard disc information,
 *              001b track resources information, 010b POW resources information, others reserved
 *   bytes 2-6  Reserved
 *   bytes 7-8  ALLOCATION LENGTH
 *   byte 9     CONTROL
 *
 * Standard disc information (MMC-6 table "Disc Information Block", data type 000b):
 *   bytes 0-1  DISC INFORMATION LENGTH (bytes that follow this field: 32 + 8 × OPC tables)
 *   byte 2     DISC INFORMATION DATA TYPE (7..5) | Erasable (4) | STATE OF LAST SESSION (3..2) |
 *              DISC STATUS (1..0)
 *   byte 3     NUMBER OF FIRST TRACK ON DISC
 *   byte 4     NUMBER OF SESSIONS (LSB)
 *   byte 5     FIRST TRACK NUMBER IN LAST SESSION (LSB)
 *   byte 6     LAST TRACK NUMBER IN LAST SESSION (LSB)
 *   byte 7     DID_V (7) | DBC_V (6) | URU (5) | DAC_V (4) | Reserved (3) | Legacy (2) |
 *              BG FORMAT STATUS (1..0)
 *   byte 8     DISC TYPE: 00h CD-DA or CD-ROM, 10h CD-I, 20h CD-ROM XA, FFh undefined
 *   byte 9     NUMBER OF SESSIONS (MSB)
 *   byte 10    FIRST TRACK NUMBER IN LAST SESSION (MSB)
 *   byte 11    LAST TRACK NUMBER IN LAST SESSION (MSB)
 *   bytes 12-15 DISC IDENTIFICATION
 *   bytes 16-19 LAST SESSION LEAD-IN START ADDRESS
 *   bytes 20-23 LAST POSSIBLE LEAD-OUT START ADDRESS
 *   bytes 24-31 DISC BAR CODE
 *   byte 32    DISC APPLICATION CODE
 *   byte 33    NUMBER OF OPC TABLES
 *   bytes 34.. OPC table entries, 8 bytes each: 0-1 SPEED (kB/s), 2-7 OPC VALUES
 *
 * The two addresses: on CD-R/RW they are MSF in the form 00 M S F (binary), the lead-in one in the
 * lead-in's 9x minute range — so their LBA is negative — and FFFFFFFFh when not available (finalized
 * disc); on other media they are LBAs. Both the raw field and its MSF reading are returned; the
 * caller picks by the current profile.
 */
import { ByteWriter } from '../../wire/bytes.js';
import { decodeMsfAddressField, msfAddressField, type Msf } from '../../wire/msf.js';
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidCdbField, invalidReply, replyReader, type CdbCommon } from '../codec.js';
import { expectOpcode, readControl, rejectBits, rejectBytes, uint, writeControl } from './cdb-fields.js';

export const DiscInformationDataType = {
  STANDARD: 0,
  TRACK_RESOURCES: 1,
  POW_RESOURCES: 2,
} as const;

/** DISC STATUS (byte 2 bits 1..0). */
export const DiscStatus = {
  EMPTY: 0,
  INCOMPLETE: 1,
  FINALIZED: 2,
  OTHER: 3,
} as const;

/** STATE OF LAST SESSION (byte 2 bits 3..2). */
export const SessionState = {
  EMPTY: 0,
  INCOMPLETE: 1,
  RESERVED_DAMAGED: 2,
  COMPLETE: 3,
} as const;

/** DISC TYPE (byte 8). */
export const DiscType = {
  CD_DA_OR_CD_ROM: 0x00,
  CD_I: 0x10,
  CD_ROM_XA: 0x20,
  UNDEFINED: 0xff,
} as const;

/** BG FORMAT STATUS (byte 7 bits 1..0). */
export const BgFormatStatus = {
  NONE: 0,
  STARTED_NOT_RUNNING: 1,
  IN_PROGRESS: 2,
  COMPLETED: 3,
} as const;

/** The field value MMC uses for "address not available". */
export const ADDRESS_NOT_AVAILABLE = 0xffffffff;

// ---------------------------------------------------------------------------------------------
// CDB

export interface ReadDiscInformationCdb extends CdbCommon {
  /** DiscInformationDataType. */
  dataType: number;
  allocationLength: number;
}

export function encodeReadDiscInformationCdb(p: ReadDiscInformationCdb): Buffer {
  const w = new ByteWriter(10);
  w.u8(0, Opcode.READ_DISC_INFORMATION);
  w.u8(1, uint('dataType', p.dataType, 7));
  w.u16(7, uint('allocationLength', p.allocationLength, 0xffff));
  writeControl(w, 9, p.control);
  return w.buffer;
}

export function decodeReadDiscInformationCdb(cdb: Uint8Array): ReadDiscInformationCdb {
  const what = 'READ DISC INFORMATION CDB';
  const r = cdbReader(cdb, 10, what);
  expectOpcode(r, Opcode.READ_DISC_INFORMATION, what);
  rejectBits(r, 1, 0xf8, what);
  const dataType = r.bits(1, 0, 3);
  if (dataType > DiscInformationDataType.POW_RESOURCES) throw invalidCdbField(1, `READ DISC INFORMATION: data type ${dataType} is reserved`, 2);
  rejectBytes(r, 2, 6, what);
  return { dataType, allocationLength: r.u16(7), ...readControl(r, 9, what) };
}

// ---------------------------------------------------------------------------------------------
// Reply (standard disc information)

/** A lead-in/lead-out address field: its raw value and, where it has that form, its MSF reading. */
export interface DiscAddressField {
  raw: number;
  /** The field read as 00 M S F; undefined when it is not one (FFFFFFFFh, or an LBA on non-CD media). */
  msf?: Msf;
  /** LBA of `msf` (negative in the lead-in). */
  msfLba?: number;
}

export interface OpcTableEntry {
  /** kB/s. */
  speed: number;
  /** 6 bytes. */
  values: Uint8Array;
}

export interface DiscInformation {
  erasable: boolean;
  /** SessionState. */
  stateOfLastSession: number;
  /** DiscStatus. */
  discStatus: number;
  firstTrackNumber: number;
  numberOfSessions: number;
  firstTrackInLastSession: number;
  lastTrackInLastSession: number;
  didValid: boolean;
  dbcValid: boolean;
  uru: boolean;
  dacValid: boolean;
  legacy: boolean;
  /** BgFormatStatus. */
  bgFormatStatus: number;
  /** DiscType. */
  discType: number;
  discIdentification: number;
  lastSessionLeadInStart: DiscAddressField;
  lastPossibleLeadOutStart: DiscAddressField;
  /** 8 bytes. */
  discBarCode: Uint8Array;
  discApplicationCode: number;
  opcTables: OpcTableEntry[];
}

export interface DiscInformationDecoded extends DiscInformation {
  truncated: boolean;
  fullLength: number;
}

/** An address field from an LBA, in MSF form (CD-R/RW). `undefined` gives FFFFFFFFh (not available). */
export function msfDiscAddress(lba: number | undefined): DiscAddressField {
  return discAddressField(lba === undefined ? ADDRESS_NOT_AVAILABLE : msfAddressField(lba));
}

/** An address field from an LBA as is (non-CD media). */
export function lbaDiscAddress(lba: number): DiscAddressField {
  return discAddressField(lba >>> 0);
}

/** The decoded form of a raw 4-byte address field. */
export function discAddressField(raw: number): DiscAddressField {
  const m = decodeMsfAddressField(raw);
  return m ? { raw: raw >>> 0, msf: m.msf, msfLba: m.lba } : { raw: raw >>> 0 };
}

/** The whole standard disc information block (the caller cuts it to the allocation length). */
export function encodeDiscInformationReply(d: DiscInformation): Buffer {
  const n = uint('opcTables.length', d.opcTables.length, 0xff);
  const w = new ByteWriter(34 + 8 * n);
  w.u16(0, 32 + 8 * n);
  w.u8(2, (d.erasable ? 0x10 : 0) | (uint('stateOfLastSession', d.stateOfLastSession, 3) << 2) | uint('discStatus', d.discStatus, 3));
  w.u8(3, uint('firstTrackNumber', d.firstTrackNumber, 0xff));
  const sessions = uint('numberOfSessions', d.numberOfSessions, 0xffff);
  const first = uint('firstTrackInLastSession', d.firstTrackInLastSession, 0xffff);
  const last = uint('lastTrackInLastSession', d.lastTrackInLastSession, 0xffff);
  w.u8(4, sessions & 0xff).u8(9, sessions >> 8);
  w.u8(5, first & 0xff).u8(10, first >> 8);
  w.u8(6, last & 0xff).u8(11, last >> 8);
  w.u8(
    7,
    (d.didValid ? 0x80 : 0) | (d.dbcValid ? 0x40 : 0) | (d.uru ? 0x20 : 0) | (d.dacValid ? 0x10 : 0) | (d.legacy ? 0x04 : 0) |
      uint('bgFormatStatus', d.bgFormatStatus, 3),
  );
  w.u8(8, uint('discType', d.discType, 0xff));
  w.u32(12, uint('discIdentification', d.discIdentification, 0xffffffff));
  w.u32(16, uint('lastSessionLeadInStart.raw', d.lastSessionLeadInStart.raw, 0xffffffff));
  w.u32(20, uint('lastPossibleLeadOutStart.raw', d.lastPossibleLeadOutStart.raw, 0xffffffff));
  if (d.discBarCode.length !== 8) throw new TypeError(`discBarCode must be 8 bytes, got ${d.discBarCode.length}`);
  w.bytes(24, d.discBarCode);
  w.u8(32, uint('discApplicationCode', d.discApplicationCode, 0xff));
  w.u8(33, n);
  d.opcTables.forEach((t, i) => {
    if (t.values.length !== 6) throw new TypeError(`opcTables[${i}].values must be 6 bytes, got ${t.values.length}`);
    w.u16(34 + 8 * i, uint(`opcTables[${i}].speed`, t.speed, 0xffff));
    w.bytes(36 + 8 * i, t.values);
  });
  return w.buffer;
}

export function decodeDiscInformationReply(buf: Uint8Array): DiscInformationDecoded {
  const r = replyReader(buf, 'READ DISC INFORMATION reply');
  const len = r.u16(0);
  const present = buf.length >= 2;
  if (present && len < 32) throw invalidReply(`READ DISC INFORMATION: DISC INFORMATION LENGTH ${len} is shorter than the 32-byte standard block`);
  const fullLength = present ? len + 2 : 34;
  const dataType = r.bits(2, 5, 3);
  if (buf.length >= 3 && dataType !== DiscInformationDataType.STANDARD) {
    throw invalidReply(`READ DISC INFORMATION: data type ${dataType} in reply to a request for standard disc information`);
  }
  const nOpc = r.u8(33);
  if (buf.length >= 34 && 32 + 8 * nOpc > len) {
    throw invalidReply(`READ DISC INFORMATION: ${nOpc} OPC tables do not fit DISC INFORMATION LENGTH ${len}`);
  }
  const opcTables: OpcTableEntry[] = [];
  for (let i = 0; i < nOpc && 34 + 8 * (i + 1) <= buf.length; i++) {
    opcTables.push({ speed: r.u16(34 + 8 * i), values: r.bytes(36 + 8 * i, 6) });
  }
  const d: DiscInformationDecoded = {
    erasable: r.bit(2, 4),
    stateOfLastSession: r.bits(2, 2, 2),
    discStatus: r.bits(2, 0, 2),
    firstTrackNumber: r.u8(3),
    numberOfSessions: (r.u8(9) << 8) | r.u8(4),
    firstTrackInLastSession: (r.u8(10) << 8) | r.u8(5),
    lastTrackInLastSession: (r.u8(11) << 8) | r.u8(6),
    didValid: r.bit(7, 7),
    dbcValid: r.bit(7, 6),
    uru: r.bit(7, 5),
    dacValid: r.bit(7, 4),
    legacy: r.bit(7, 2),
    bgFormatStatus: r.bits(7, 0, 2),
    discType: r.u8(8),
    discIdentification: r.u32(12),
    lastSessionLeadInStart: discAddressField(r.u32(16)),
    lastPossibleLeadOutStart: discAddressField(r.u32(20)),
    discBarCode: r.bytes(24, 8),
    discApplicationCode: r.u8(32),
    opcTables,
    truncated: false,
    fullLength,
  };
  d.truncated = r.readPastEnd || buf.length < fullLength;
  return d;
}
