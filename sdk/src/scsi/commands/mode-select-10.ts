/**
 * MODE SELECT(10) (55h) — SPC-4 §6.10, table "MODE SELECT(10) command"; MMC-6 requires PF = 1.
 *
 *   byte 0      OPERATION CODE (55h)
 *   byte 1      Reserved (7-5) | PF (4) | Reserved (3-1) | SP (0)
 *   bytes 2-6   Reserved
 *   bytes 7-8   PARAMETER LIST LENGTH
 *   byte 9      CONTROL
 *
 * Data out: mode parameter list with the 10-byte header (mode-parameters.ts); MODE DATA LENGTH is
 * reserved (sent as zero), and PS is reserved in each page.
 *
 * `validateModeSelect` applies a page list against the current pages and the changeable-bits mask
 * the way QEMU's scsi-disk does it: every page is checked before anything changes, and no change is
 * made if there is an error. A bit that differs from the current value where the mask is zero is
 * INVALID FIELD IN PARAMETER LIST pointing at that byte and bit of the parameter list (SPC-4 §6.10:
 * changing an unchangeable parameter terminates the command with that sense).
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidParameterField, parameterReader, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { CheckCondition, Sense } from '../../wire/sense.js';
import { expectOpcode, hex, readControl, rejectBits, rejectBytes, uint, writeControl } from './cdb-fields.js';
import { bool } from './arg-checks.js';
import { modePageHeaderLength, unframeModePage, type RawModePage } from './mode-page-format.js';
import {
  decodeModePage, encodeModePage, encodeModeParameterList10, MODE_PARAMETER_HEADER_10_LENGTH, modePageCode, modePageSubpage, sameModePage,
  type ModePage, type ModeParameterList,
} from './mode-parameters.js';

export const MODE_SELECT_10_CDB_LENGTH = 10;
export const MODE_SELECT_10_DIRECTION: DataDirection = 'out';

export interface ModeSelect10Cdb extends CdbCommon {
  /** PF: pages follow the standard page format (MMC: always 1). */
  pf: boolean;
  /** SP: save pages. */
  sp: boolean;
  parameterListLength: number;
}

export function encodeModeSelect10Cdb(params: ModeSelect10Cdb): Buffer {
  const w = new ByteWriter(MODE_SELECT_10_CDB_LENGTH);
  w.u8(0, Opcode.MODE_SELECT_10);
  w.u8(1, (bool('pf', params.pf) ? 0x10 : 0) | (bool('sp', params.sp) ? 0x01 : 0));
  w.u16(7, uint('parameterListLength', params.parameterListLength, 0xffff));
  writeControl(w, 9, params.control);
  return w.buffer;
}

export function decodeModeSelect10Cdb(cdb: Uint8Array): ModeSelect10Cdb {
  const what = 'MODE SELECT(10)';
  const r = cdbReader(cdb, MODE_SELECT_10_CDB_LENGTH, what);
  expectOpcode(r, Opcode.MODE_SELECT_10, what);
  rejectBits(r, 1, 0xee, what);
  rejectBytes(r, 2, 6, what);
  return { pf: r.bit(1, 4), sp: r.bit(1, 0), parameterListLength: r.u16(7), ...readControl(r, 9, what) };
}

/** The parameter list an initiator sends (MODE DATA LENGTH zero, as it is reserved here). */
export function encodeModeSelect10Parameters(list: ModeParameterList): Buffer {
  return encodeModeParameterList10(list, true);
}

export interface ModeSelect10Parameters {
  mediumType: number;
  deviceSpecificParameter: number;
  longLba: boolean;
  blockDescriptors: Buffer;
  /** The pages exactly as sent (reserved bits included), for `validateModeSelect`. */
  pages: RawModePage[];
  /** Byte offset of each page in the parameter list (for field pointers). */
  pageOffsets: number[];
}

/**
 * Decodes a MODE SELECT(10) parameter list (emulator side). An empty list (PARAMETER LIST LENGTH 0)
 * is no error and yields no pages. A list shorter than the header, or block descriptors or a page
 * running past its end, is PARAMETER LIST LENGTH ERROR.
 */
export function decodeModeSelect10Parameters(data: Uint8Array): ModeSelect10Parameters {
  const what = 'MODE SELECT(10) parameter list';
  const none = { mediumType: 0, deviceSpecificParameter: 0, longLba: false, blockDescriptors: Buffer.alloc(0), pages: [], pageOffsets: [] };
  if (data.length === 0) return none;
  const r = parameterReader(data, what);
  r.u8(MODE_PARAMETER_HEADER_10_LENGTH - 1); // the whole header must be there
  const bdl = r.u16(6);
  const blockDescriptors = r.bytes(MODE_PARAMETER_HEADER_10_LENGTH, bdl);
  const pages: RawModePage[] = [];
  const pageOffsets: number[] = [];
  let o = MODE_PARAMETER_HEADER_10_LENGTH + bdl;
  while (o < data.length) {
    const hl = modePageHeaderLength(r.u8(o));
    const plen = hl === 4 ? r.u16(o + 2) : r.u8(o + 1);
    pages.push(unframeModePage(r.view(o, hl + plen))); // a page cut short throws PARAMETER LIST LENGTH ERROR
    pageOffsets.push(o);
    o += hl + plen;
  }
  return { mediumType: r.u8(2), deviceSpecificParameter: r.u8(3), longLba: r.bit(4, 0), blockDescriptors, pages, pageOffsets };
}

/**
 * Applies MODE SELECT `pages` to `current` under the `changeable` mask (the PC=01b values) and
 * returns the new current page list; `current` and `changeable` are not modified. Every page is
 * checked first; the first offending one throws CheckCondition INVALID FIELD IN PARAMETER LIST:
 *   - a page the device does not have: pointer at the page's byte 0;
 *   - a PAGE LENGTH different from the current page's: pointer at the PAGE LENGTH byte;
 *   - a bit different from the current value where the mask is zero: pointer at that byte and bit.
 * PS is reserved in MODE SELECT and is ignored (initiators often echo MODE SENSE data back with it
 * set). `pageOffsets` gives each page's offset in the parameter list (as decodeModeSelect10Parameters
 * returns them); by default pages are assumed to follow an 8-byte header and no block descriptors.
 */
export function validateModeSelect(
  current: readonly ModePage[],
  changeable: readonly ModePage[],
  pages: readonly ModePage[],
  pageOffsets?: readonly number[],
): ModePage[] {
  const result = current.slice();
  const staged: { index: number; bytes: Buffer; page: ModePage }[] = [];
  let offset = MODE_PARAMETER_HEADER_10_LENGTH;
  pages.forEach((page, k) => {
    const bytes = encodeModePage(page);
    const base = pageOffsets?.[k] ?? offset;
    offset = base + bytes.length;
    const index = result.findIndex((c) => sameModePage(c, page));
    const name = `mode page ${hex(modePageCode(page))}${page.kind === 'raw' && page.spf ? `/${hex(modePageSubpage(page))}` : ''}`;
    if (index < 0) throw invalidParameterField(base, `MODE SELECT: ${name} is not supported`, 5);
    // A page staged earlier in this same list is the value it is compared against.
    const prior = staged.filter((s) => s.index === index).pop();
    const cur = prior ? prior.bytes : encodeModePage(result[index]!);
    const hl = modePageHeaderLength(bytes[0]!);
    if (bytes.length !== cur.length) {
      throw invalidParameterField(base + (hl === 4 ? 2 : 1), `MODE SELECT: ${name} page length ${bytes.length - hl} is not ${cur.length - hl}`, 7);
    }
    const maskPage = changeable.find((c) => sameModePage(c, page));
    const mask = maskPage ? encodeModePage(maskPage) : Buffer.alloc(cur.length);
    for (let i = hl; i < bytes.length; i++) {
      const diff = (bytes[i]! ^ cur[i]!) & ~(mask[i] ?? 0) & 0xff;
      if (diff !== 0) {
        const bit = 31 - Math.clz32(diff);
        throw invalidParameterField(base + i, `MODE SELECT: ${name} byte ${i} bit ${bit} is not changeable`, bit);
      }
    }
    const next = Buffer.from(bytes);
    next[0] = (cur[0]! & 0x80) | (next[0]! & 0x7f); // keep the device's PS
    staged.push({ index, bytes: next, page: decodeModePage(next, (o, m) => invalidParameterField(base + o, `MODE SELECT: ${m}`)) });
  });
  // Nothing was wrong: only now does anything change (and only in the copy).
  for (const s of staged) result[s.index] = s.page;
  return result;
}

/** SAVING PARAMETERS NOT SUPPORTED, for a device that has no saved pages (SP=1 or PC=11b). */
export function savingParametersNotSupported(message = 'saving mode parameters is not supported'): CheckCondition {
  return new CheckCondition(Sense.SAVING_PARAMETERS_NOT_SUPPORTED, message);
}
