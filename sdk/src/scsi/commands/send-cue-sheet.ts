/**
 * SEND CUE SHEET (5Dh) — MMC-6 (T10/1836-D r2g) §6.37; cue sheet format from MMC-6 §6.37.3
 * (Session At Once recording).
 *
 * CDB (MMC-6 table "SEND CUE SHEET CDB"):
 *   byte 0     OPERATION CODE (5Dh)
 *   bytes 1-5  Reserved
 *   bytes 6-8  CUE SHEET SIZE (bytes of the parameter list; a multiple of 8)
 *   byte 9     CONTROL
 *
 * Parameter list: 8-byte cue sheet entries (MMC-6 table "Cue Sheet Format"):
 *   byte 0     CTL (7..4, the Q CONTROL nibble) | ADR (3..0)
 *   ADR 1 (position): 1 TNO (00h lead-in, 01h-63h track, AAh lead-out), 2 INDEX (00h-63h),
 *                     3 DATA FORM: sub-channel form (7..6) | main data form (5..0),
 *                     4 SCMS (7) | reserved, 5-7 ABSOLUTE TIME MIN, SEC, FRAME (binary)
 *   ADR 2 (media catalog number, two consecutive entries): bytes 1-7 of the first and 1-6 of the
 *                     second carry the 13 ASCII digits N1..N13; byte 7 of the second is 0
 *   ADR 3 (ISRC, two consecutive entries): byte 1 TNO in both; bytes 2-7 of each carry the 12
 *                     ISRC characters I1..I12 (country 2, owner 3, year 2, serial 5)
 * Main data forms (MMC-6 table "Data Form of Main Data"): CD-DA 00h (2352 bytes per sector from the
 * host) and 01h (none sent: the drive generates zero data — lead-in, lead-out, silence); CD-ROM
 * Mode 1 10h (2048 user bytes), 11h (2352 raw), …, 14h (none sent, generated); CD-ROM XA / CD-I
 * 20h-24h; CD-ROM Mode 2 30h (2336), 31h (2352 raw), …, 34h (none sent, generated).
 *
 * A cue sheet starts with the lead-in position entry (TNO 0) and ends with the lead-out (TNO AAh);
 * the absolute times of position entries never decrease, tracks go up by one, and indexes within a
 * track go up. The decoder (emulator side) checks all of this and throws INVALID FIELD IN PARAMETER
 * LIST pointing at the offending byte; a size that is not a multiple of 8 is PARAMETER LIST LENGTH
 * ERROR.
 */
import { ByteReader, ByteWriter } from '../../wire/bytes.js';
import { CheckCondition, Sense } from '../../wire/sense.js';
import { msfToLba, type Msf } from '../../wire/msf.js';
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidCdbField, invalidParameterField, type CdbCommon } from '../codec.js';
import { expectOpcode, readControl, rejectBytes, uint, writeControl } from './cdb-fields.js';

export const CUE_SHEET_ENTRY_LENGTH = 8;

/** TNO of the lead-in and lead-out position entries. */
export const CueTno = {
  LEAD_IN: 0x00,
  LEAD_OUT: 0xaa,
} as const;

/** Main data forms (DATA FORM bits 5..0). */
export const CueDataForm = {
  CD_DA: 0x00,
  CD_DA_GENERATED: 0x01,
  MODE1: 0x10,
  MODE1_RAW: 0x11,
  MODE1_GENERATED: 0x14,
  CD_ROM_XA: 0x20,
  CD_ROM_XA_GENERATED: 0x24,
  MODE2: 0x30,
  MODE2_RAW: 0x31,
  MODE2_GENERATED: 0x34,
} as const;

/** Main data form codes MMC-6 defines: 00h-01h (CD-DA) and x0h-x4h for x = 1 (Mode 1), 2 (XA), 3 (Mode 2). */
export function isDefinedMainDataForm(form: number): boolean {
  if (form === 0x00 || form === 0x01) return true;
  const family = form >> 4;
  return family >= 1 && family <= 3 && (form & 0x0f) <= 4;
}

// ---------------------------------------------------------------------------------------------
// CDB

export interface SendCueSheetCdb extends CdbCommon {
  cueSheetSize: number;
}

export function encodeSendCueSheetCdb(p: SendCueSheetCdb): Buffer {
  const w = new ByteWriter(10);
  w.u8(0, Opcode.SEND_CUE_SHEET);
  w.u24(6, uint('cueSheetSize', p.cueSheetSize, 0xffffff));
  writeControl(w, 9, p.control);
  return w.buffer;
}

export function decodeSendCueSheetCdb(cdb: Uint8Array): SendCueSheetCdb {
  const what = 'SEND CUE SHEET CDB';
  const r = cdbReader(cdb, 10, what);
  expectOpcode(r, Opcode.SEND_CUE_SHEET, what);
  rejectBytes(r, 1, 5, what);
  const cueSheetSize = r.u24(6);
  if (cueSheetSize % CUE_SHEET_ENTRY_LENGTH !== 0) throw invalidCdbField(6, `SEND CUE SHEET: cue sheet size ${cueSheetSize} is not a multiple of 8`);
  return { cueSheetSize, ...readControl(r, 9, what) };
}

// ---------------------------------------------------------------------------------------------
// Cue sheet

export interface CuePositionEntry {
  kind: 'position';
  /** Q CONTROL nibble (4 = data track). */
  ctl: number;
  /** CueTno.LEAD_IN, 1..99, or CueTno.LEAD_OUT. */
  tno: number;
  index: number;
  /** Main data form (CueDataForm). */
  dataForm: number;
  /** Sub-channel data form (DATA FORM bits 7..6). */
  subChannelForm: number;
  scms: boolean;
  time: Msf;
}

export interface CueCatalogEntry {
  kind: 'catalog';
  ctl: number;
  /** 13 ASCII digits. */
  mcn: string;
}

export interface CueIsrcEntry {
  kind: 'isrc';
  ctl: number;
  tno: number;
  /** 12 characters, A-Z and 0-9. */
  isrc: string;
}

export type CueSheetEntry = CuePositionEntry | CueCatalogEntry | CueIsrcEntry;

/** A position entry as decoded, with its absolute time as an LBA (00:00:00 is LBA −150). */
export type CueSheetEntryDecoded = (CuePositionEntry & { lba: number }) | CueCatalogEntry | CueIsrcEntry;

const MCN = /^[0-9]{13}$/;
const ISRC = /^[A-Z0-9]{12}$/;

/** The parameter list for these entries (a catalog or ISRC entry takes two 8-byte slots). */
export function encodeCueSheet(entries: readonly CueSheetEntry[]): Buffer {
  const slots = entries.reduce((n, e) => n + (e.kind === 'position' ? 1 : 2), 0);
  const w = new ByteWriter(slots * CUE_SHEET_ENTRY_LENGTH);
  let o = 0;
  for (const e of entries) {
    const ctl = uint('ctl', e.ctl, 15) << 4;
    switch (e.kind) {
      case 'position': {
        w.u8(o, ctl | 1);
        w.u8(o + 1, uint('tno', e.tno, 0xff));
        w.u8(o + 2, uint('index', e.index, 99));
        w.u8(o + 3, (uint('subChannelForm', e.subChannelForm, 3) << 6) | uint('dataForm', e.dataForm, 0x3f));
        w.u8(o + 4, e.scms ? 0x80 : 0);
        msfToLba(e.time);
        w.u8(o + 5, e.time.m).u8(o + 6, e.time.s).u8(o + 7, e.time.f);
        o += 8;
        break;
      }
      case 'catalog':
        if (!MCN.test(e.mcn)) throw new TypeError(`mcn must be 13 digits, got "${e.mcn}"`);
        w.u8(o, ctl | 2).ascii(o + 1, 7, e.mcn.slice(0, 7));
        w.u8(o + 8, ctl | 2).ascii(o + 9, 6, e.mcn.slice(7));
        o += 16;
        break;
      case 'isrc':
        if (!ISRC.test(e.isrc)) throw new TypeError(`isrc must be 12 characters A-Z/0-9, got "${e.isrc}"`);
        for (const half of [0, 1]) {
          w.u8(o, ctl | 3).u8(o + 1, uint('tno', e.tno, 99)).ascii(o + 2, 6, e.isrc.slice(half * 6, half * 6 + 6));
          o += 8;
        }
        break;
    }
  }
  return w.buffer;
}

/**
 * Decodes and validates a cue sheet parameter list (emulator side). Throws CheckCondition
 * PARAMETER LIST LENGTH ERROR (size not a multiple of 8, or a catalog/ISRC pair cut off) or INVALID
 * FIELD IN PARAMETER LIST with the byte (and bit) at fault.
 */
export function decodeCueSheet(data: Uint8Array): CueSheetEntryDecoded[] {
  if (data.length % CUE_SHEET_ENTRY_LENGTH !== 0 || data.length === 0) {
    throw new CheckCondition(Sense.PARAMETER_LIST_LENGTH_ERROR, `SEND CUE SHEET: ${data.length} bytes is not a non-empty multiple of 8`);
  }
  const r = new ByteReader(data);
  const out: CueSheetEntryDecoded[] = [];
  let prev: { tno: number; index: number; lba: number } | undefined;
  let sawLeadOut = false;
  for (let o = 0; o < data.length; ) {
    const ctl = r.bits(o, 4, 4);
    const adr = r.bits(o, 0, 4);
    if (sawLeadOut) throw invalidParameterField(o, 'SEND CUE SHEET: an entry follows the lead-out');
    if (adr === 2 || adr === 3) {
      if (o + 16 > data.length) throw new CheckCondition(Sense.PARAMETER_LIST_LENGTH_ERROR, `SEND CUE SHEET: ${adr === 2 ? 'catalog' : 'ISRC'} entry at ${o} lacks its second half`);
      if (r.bits(o + 8, 0, 4) !== adr) throw invalidParameterField(o + 8, `SEND CUE SHEET: second half of the ADR ${adr} entry at ${o} has ADR ${r.bits(o + 8, 0, 4)}`, 3);
      if (adr === 2) {
        const mcn = r.bytes(o + 1, 7).toString('latin1') + r.bytes(o + 9, 6).toString('latin1');
        const bad = [...mcn].findIndex((ch) => ch < '0' || ch > '9');
        if (bad >= 0) throw invalidParameterField(bad < 7 ? o + 1 + bad : o + 9 + bad - 7, `SEND CUE SHEET: catalog number "${mcn}" is not 13 digits`);
        out.push({ kind: 'catalog', ctl, mcn });
      } else {
        const tno = r.u8(o + 1);
        if (tno < 1 || tno > 99) throw invalidParameterField(o + 1, `SEND CUE SHEET: ISRC for track ${tno}`);
        if (r.u8(o + 9) !== tno) throw invalidParameterField(o + 9, 'SEND CUE SHEET: the two halves of an ISRC entry name different tracks');
        const isrc = r.bytes(o + 2, 6).toString('latin1') + r.bytes(o + 10, 6).toString('latin1');
        const bad = [...isrc].findIndex((ch) => !/[A-Z0-9]/.test(ch));
        if (bad >= 0) throw invalidParameterField(bad < 6 ? o + 2 + bad : o + 10 + bad - 6, `SEND CUE SHEET: ISRC "${isrc}" has a character outside A-Z/0-9`);
        out.push({ kind: 'isrc', ctl, tno, isrc });
      }
      o += 16;
      continue;
    }
    if (adr !== 1) throw invalidParameterField(o, `SEND CUE SHEET: ADR ${adr} is not 1, 2 or 3`, 3);
    const tno = r.u8(o + 1);
    const index = r.u8(o + 2);
    const form = r.u8(o + 3);
    const [m, s, f] = [r.u8(o + 5), r.u8(o + 6), r.u8(o + 7)];
    if (prev === undefined && tno !== CueTno.LEAD_IN) throw invalidParameterField(o + 1, 'SEND CUE SHEET: the first position entry must be the lead-in (TNO 0)');
    if (tno > 99 && tno !== CueTno.LEAD_OUT) throw invalidParameterField(o + 1, `SEND CUE SHEET: TNO ${tno.toString(16)}h`);
    if (index > 99) throw invalidParameterField(o + 2, `SEND CUE SHEET: index ${index}`);
    if (!isDefinedMainDataForm(form & 0x3f)) throw invalidParameterField(o + 3, `SEND CUE SHEET: data form ${(form & 0x3f).toString(16)}h is not defined`, 5);
    if (m > 99) throw invalidParameterField(o + 5, `SEND CUE SHEET: minute ${m}`);
    if (s > 59) throw invalidParameterField(o + 6, `SEND CUE SHEET: second ${s}`);
    if (f > 74) throw invalidParameterField(o + 7, `SEND CUE SHEET: frame ${f}`);
    const lba = msfToLba(m, s, f);
    if (prev !== undefined) {
      if (tno === CueTno.LEAD_IN) throw invalidParameterField(o + 1, 'SEND CUE SHEET: a second lead-in entry');
      if (tno === CueTno.LEAD_OUT) {
        if (index !== 1) throw invalidParameterField(o + 2, 'SEND CUE SHEET: the lead-out entry must have index 1');
        if (prev.tno === CueTno.LEAD_IN) throw invalidParameterField(o + 1, 'SEND CUE SHEET: no track between lead-in and lead-out');
        sawLeadOut = true;
      } else if (prev.tno !== CueTno.LEAD_IN && tno !== prev.tno && tno !== prev.tno + 1) {
        throw invalidParameterField(o + 1, `SEND CUE SHEET: track ${tno} after track ${prev.tno}`);
      } else if (tno === prev.tno && index <= prev.index) {
        throw invalidParameterField(o + 2, `SEND CUE SHEET: index ${index} of track ${tno} after index ${prev.index}`);
      } else if (tno !== prev.tno && index > 1) {
        throw invalidParameterField(o + 2, `SEND CUE SHEET: track ${tno} starts at index ${index}`);
      }
      const strictly = tno === CueTno.LEAD_OUT || (prev.tno !== CueTno.LEAD_IN && tno !== CueTno.LEAD_IN);
      if (lba < prev.lba || (strictly && lba === prev.lba)) {
        throw invalidParameterField(o + 5, `SEND CUE SHEET: absolute time ${m}:${s}:${f} is not after the previous entry's`);
      }
    }
    out.push({
      kind: 'position',
      ctl,
      tno,
      index,
      dataForm: form & 0x3f,
      subChannelForm: form >> 6,
      scms: r.bit(o + 4, 7),
      time: { m, s, f },
      lba,
    });
    prev = { tno, index, lba };
    o += 8;
  }
  if (!sawLeadOut) throw invalidParameterField(data.length - 8, 'SEND CUE SHEET: the cue sheet does not end with the lead-out (TNO AAh)');
  return out;
}
