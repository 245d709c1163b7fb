/**
 * READ CD (BEh) — MMC-6 (T10/1836-D r2g) §6.19.
 *
 * CDB (MMC-6 table "READ CD CDB"):
 *   byte 0     OPERATION CODE (BEh)
 *   byte 1     Reserved (7..5) | EXPECTED SECTOR TYPE (4..2): 0 any, 1 CD-DA, 2 Mode 1, 3 Mode 2
 *              formless, 4 Mode 2 Form 1, 5 Mode 2 Form 2, 6-7 reserved | DAP (1) | Obsolete (0)
 *   bytes 2-5  STARTING LOGICAL BLOCK ADDRESS (signed: lead-in LBAs are negative)
 *   bytes 6-8  TRANSFER LENGTH (sectors)
 *   byte 9     SYNC (7) | HEADER CODES (6..5): 00b none, 01b header, 10b sub-header, 11b all headers |
 *              USER DATA (4) | EDC & ECC (3) | C2 ERROR INFORMATION (2..1): 00b none, 01b C2 error
 *              bits (294 bytes), 10b C2 error bits and block error byte (296 bytes), 11b reserved |
 *              Reserved (0)
 *   byte 10    Reserved (7..3) | SUB-CHANNEL DATA SELECTION (2..0): 000b none, 001b raw P-W (96),
 *              010b formatted Q (16), 100b corrected and de-interleaved R-W (96), others reserved
 *   byte 11    CONTROL
 *
 * Bytes per sector (MMC-6 table "Number of Bytes Returned Based on Data Selection Field"): the
 * selected main-channel fields of the sector's layout, then C2, then sub-channel:
 *   CD-DA                 user data 2352 (no sync/header/EDC fields: those bits add nothing)
 *   Mode 1                sync 12 | header 4 | user 2048 | EDC/ECC 288
 *   Mode 2 formless       sync 12 | header 4 | user 2336
 *   Mode 2 Form 1         sync 12 | header 4 | sub-header 8 | user 2048 | EDC/ECC 280
 *   Mode 2 Form 2         sync 12 | header 4 | sub-header 8 | user 2324 | EDC 4
 * A selection that skips a field between two selected ones (e.g. sync + user data without the
 * header) is one the table marks illegal: INVALID FIELD IN CDB at byte 9.
 * The reply is just the sectors, back to back; `decodeReadCdReply` splits them.
 */
import { ByteWriter } from '../../wire/bytes.js';
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidCdbField, invalidReply, type CdbCommon } from '../codec.js';
import { expectOpcode, int, readControl, rejectBits, uint, writeControl } from './cdb-fields.js';

export const SectorType = {
  ANY: 0,
  CD_DA: 1,
  MODE1: 2,
  MODE2_FORMLESS: 3,
  MODE2_FORM1: 4,
  MODE2_FORM2: 5,
} as const;

export const HeaderCodes = {
  NONE: 0,
  HEADER: 1,
  SUBHEADER: 2,
  ALL: 3,
} as const;

export const C2ErrorInformation = {
  NONE: 0,
  C2_ERROR_BITS: 1,
  C2_AND_BLOCK_ERROR_BITS: 2,
} as const;

export const SubChannelSelection = {
  NONE: 0,
  RAW_PW: 1,
  FORMATTED_Q: 2,
  RW: 4,
} as const;

export interface ReadCdCdb extends CdbCommon {
  /** SectorType. */
  expectedSectorType: number;
  dap: boolean;
  lba: number;
  transferLength: number;
  sync: boolean;
  /** HeaderCodes. */
  headerCodes: number;
  userData: boolean;
  edcEcc: boolean;
  /** C2ErrorInformation. */
  c2ErrorInformation: number;
  /** SubChannelSelection. */
  subChannel: number;
}

/** The fields of READ CD that choose what each returned sector holds. */
export type ReadCdSelection = Pick<ReadCdCdb, 'expectedSectorType' | 'sync' | 'headerCodes' | 'userData' | 'edcEcc' | 'c2ErrorInformation' | 'subChannel'>;

const validSubChannel = (v: number) => v === 0 || v === 1 || v === 2 || v === 4;

export function encodeReadCdCdb(p: ReadCdCdb): Buffer {
  if (!validSubChannel(p.subChannel)) throw new TypeError(`subChannel must be 0, 1, 2 or 4, got ${p.subChannel}`);
  const w = new ByteWriter(12);
  w.u8(0, Opcode.READ_CD);
  w.u8(1, (uint('expectedSectorType', p.expectedSectorType, 5) << 2) | (p.dap ? 2 : 0));
  w.i32(2, int('lba', p.lba, -0x80000000, 0x7fffffff));
  w.u24(6, uint('transferLength', p.transferLength, 0xffffff));
  w.u8(
    9,
    (p.sync ? 0x80 : 0) | (uint('headerCodes', p.headerCodes, 3) << 5) | (p.userData ? 0x10 : 0) | (p.edcEcc ? 0x08 : 0) |
      (uint('c2ErrorInformation', p.c2ErrorInformation, 2) << 1),
  );
  w.u8(10, p.subChannel);
  writeControl(w, 11, p.control);
  return w.buffer;
}

export function decodeReadCdCdb(cdb: Uint8Array): ReadCdCdb {
  const what = 'READ CD CDB';
  const r = cdbReader(cdb, 12, what);
  expectOpcode(r, Opcode.READ_CD, what);
  rejectBits(r, 1, 0xe1, what);
  const expectedSectorType = r.bits(1, 2, 3);
  if (expectedSectorType > SectorType.MODE2_FORM2) throw invalidCdbField(1, `READ CD: expected sector type ${expectedSectorType} is reserved`, 4);
  rejectBits(r, 9, 0x01, what);
  const c2ErrorInformation = r.bits(9, 1, 2);
  if (c2ErrorInformation === 3) throw invalidCdbField(9, 'READ CD: C2 error information 11b is reserved', 2);
  rejectBits(r, 10, 0xf8, what);
  const subChannel = r.bits(10, 0, 3);
  if (!validSubChannel(subChannel)) throw invalidCdbField(10, `READ CD: sub-channel selection ${subChannel} is reserved`, 2);
  return {
    expectedSectorType,
    dap: r.bit(1, 1),
    lba: r.i32(2),
    transferLength: r.u24(6),
    sync: r.bit(9, 7),
    headerCodes: r.bits(9, 5, 2),
    userData: r.bit(9, 4),
    edcEcc: r.bit(9, 3),
    c2ErrorInformation,
    subChannel,
    ...readControl(r, 11, what),
  };
}

// ---------------------------------------------------------------------------------------------
// Bytes per sector

type Field = 'sync' | 'header' | 'subheader' | 'user' | 'edc';
const layouts: Record<number, [Field, number][]> = {
  [SectorType.MODE1]: [['sync', 12], ['header', 4], ['user', 2048], ['edc', 288]],
  [SectorType.MODE2_FORMLESS]: [['sync', 12], ['header', 4], ['user', 2336]],
  [SectorType.MODE2_FORM1]: [['sync', 12], ['header', 4], ['subheader', 8], ['user', 2048], ['edc', 280]],
  [SectorType.MODE2_FORM2]: [['sync', 12], ['header', 4], ['subheader', 8], ['user', 2324], ['edc', 4]],
};

/** How many bytes of each part one sector of the reply carries. */
export interface ReadCdSectorLayout {
  main: number;
  c2: number;
  subChannel: number;
  total: number;
}

/**
 * The layout of each sector READ CD returns for `sel`. `sectorType` is the type of the sector on the
 * disc; it defaults to the expected sector type and must be given when that is 0 (any). An illegal
 * combination of main-channel fields throws INVALID FIELD IN CDB at byte 9, as a drive reports it.
 */
export function readCdSectorLayout(sel: ReadCdSelection, sectorType: number = sel.expectedSectorType): ReadCdSectorLayout {
  if (!Number.isInteger(sectorType) || sectorType < SectorType.CD_DA || sectorType > SectorType.MODE2_FORM2) {
    throw new TypeError(`sectorType must be 1..5 (the type of the sector read), got ${sectorType}`);
  }
  let main = 0;
  if (sectorType === SectorType.CD_DA) {
    main = sel.userData ? 2352 : 0;
  } else {
    const selected: Record<Field, boolean> = {
      sync: sel.sync,
      header: sel.headerCodes === HeaderCodes.HEADER || sel.headerCodes === HeaderCodes.ALL,
      subheader: sel.headerCodes === HeaderCodes.SUBHEADER || sel.headerCodes === HeaderCodes.ALL,
      user: sel.userData,
      edc: sel.edcEcc,
    };
    const fields = layouts[sectorType]!.filter(([, size]) => size > 0);
    const picked = fields.map(([f]) => selected[f]);
    const first = picked.indexOf(true);
    const last = picked.lastIndexOf(true);
    if (first >= 0 && picked.slice(first, last + 1).includes(false)) {
      throw invalidCdbField(9, 'READ CD: the selected main-channel fields are not contiguous in the sector (an illegal combination)');
    }
    main = fields.reduce((n, [f, size]) => n + (selected[f] ? size : 0), 0);
  }
  const c2 = [0, 294, 296][sel.c2ErrorInformation];
  if (c2 === undefined) throw new TypeError(`c2ErrorInformation must be 0..2, got ${sel.c2ErrorInformation}`);
  const subChannel = sel.subChannel === SubChannelSelection.FORMATTED_Q ? 16 : sel.subChannel === SubChannelSelection.NONE ? 0 : 96;
  if (!validSubChannel(sel.subChannel)) throw new TypeError(`subChannel must be 0, 1, 2 or 4, got ${sel.subChannel}`);
  return { main, c2, subChannel, total: main + c2 + subChannel };
}

/** Bytes of each sector READ CD returns for `sel` (see readCdSectorLayout). */
export function readCdBytesPerSector(sel: ReadCdSelection, sectorType?: number): number {
  return readCdSectorLayout(sel, sectorType).total;
}

// ---------------------------------------------------------------------------------------------
// Reply

export interface ReadCdSector {
  main: Uint8Array;
  c2?: Uint8Array;
  subChannel?: Uint8Array;
}

export interface ReadCdReplyDecoded {
  /** Views into the reply buffer (no copies). */
  sectors: ReadCdSector[];
  /** Fewer bytes than TRANSFER LENGTH sectors (a residual): `sectors` holds the whole ones. */
  truncated: boolean;
  fullLength: number;
}

/** The reply for `sectors`, each of which must match `layout`. */
export function encodeReadCdReply(sectors: readonly ReadCdSector[], layout: ReadCdSectorLayout): Buffer {
  const w = new ByteWriter(sectors.length * layout.total);
  sectors.forEach((s, i) => {
    const parts: [string, Uint8Array | undefined, number][] = [['main', s.main, layout.main], ['c2', s.c2, layout.c2], ['subChannel', s.subChannel, layout.subChannel]];
    let o = i * layout.total;
    for (const [name, data, size] of parts) {
      const got = data?.length ?? 0;
      if (got !== size) throw new TypeError(`sectors[${i}].${name} must be ${size} bytes, got ${got}`);
      if (data) w.bytes(o, data);
      o += size;
    }
  });
  return w.buffer;
}

/** Splits a READ CD reply into sectors laid out as `layout`, for `transferLength` sectors. */
export function decodeReadCdReply(buf: Uint8Array, layout: ReadCdSectorLayout, transferLength: number): ReadCdReplyDecoded {
  const fullLength = layout.total * transferLength;
  if (buf.length > fullLength) throw invalidReply(`READ CD: ${buf.length} bytes for ${transferLength} sector(s) of ${layout.total}`);
  const sectors: ReadCdSector[] = [];
  if (layout.total > 0) {
    for (let o = 0; o + layout.total <= buf.length; o += layout.total) {
      const s: ReadCdSector = { main: buf.subarray(o, o + layout.main) };
      if (layout.c2 > 0) s.c2 = buf.subarray(o + layout.main, o + layout.main + layout.c2);
      if (layout.subChannel > 0) s.subChannel = buf.subarray(o + layout.main + layout.c2, o + layout.total);
      sectors.push(s);
    }
  }
  return { sectors, truncated: buf.length < fullLength, fullLength };
}
