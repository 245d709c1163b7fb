/**
 * Mode parameter list with the 10-byte header, shared by MODE SENSE(10) data-in and MODE SELECT(10)
 * data-out — SPC-4 §7.5.4, table "Mode parameter header(10)"; then the block descriptors
 * (SPC-4 §7.5.5, 8 bytes each, 16 with LONGLBA; MMC drives send none) and the mode pages.
 *
 *   bytes 0-1   MODE DATA LENGTH (n-1: bytes after this field; reserved in MODE SELECT)
 *   byte 2      MEDIUM TYPE
 *   byte 3      DEVICE-SPECIFIC PARAMETER
 *   byte 4      Reserved (7-1) | LONGLBA (0)
 *   byte 5      Reserved
 *   bytes 6-7   BLOCK DESCRIPTOR LENGTH
 *   bytes 8..   block descriptors, then mode pages (page layout in mode-page-format.ts)
 *
 * Typed pages: 01h (mode-page-error-recovery.ts), 05h (mode-page-write-parameters.ts),
 * 2Ah (mode-page-capabilities.ts). Any other page, or a typed code with a length the typed codec
 * does not cover, is kept as a RawModePage so nothing is lost.
 */
import { ByteWriter } from '../../wire/bytes.js';
import { invalidReply } from '../codec.js';
import { uint } from './cdb-fields.js';
import { bool } from './arg-checks.js';
import { ModePageCode, frameModePage, unframeModePage, type RawModePage } from './mode-page-format.js';
import { decodeErrorRecoveryPage, encodeErrorRecoveryPage, ERROR_RECOVERY_PAGE_LENGTH, type ReadWriteErrorRecoveryPage } from './mode-page-error-recovery.js';
import { decodeWriteParametersPage, encodeWriteParametersPage, WRITE_PARAMETERS_PAGE_LENGTH, type WriteParametersPage } from './mode-page-write-parameters.js';
import { decodeCapabilitiesPage, encodeCapabilitiesPage, type CapabilitiesPage } from './mode-page-capabilities.js';

/** Length of the mode parameter header(10). */
export const MODE_PARAMETER_HEADER_10_LENGTH = 8;

export type ModePage = ReadWriteErrorRecoveryPage | WriteParametersPage | CapabilitiesPage | RawModePage;

/** The contents of a mode parameter list (header fields, block descriptors, pages). */
export interface ModeParameterList {
  mediumType: number;
  deviceSpecificParameter: number;
  longLba: boolean;
  /** Block descriptors as bytes (8 or 16 per descriptor); empty for MMC. */
  blockDescriptors: Buffer;
  pages: ModePage[];
}

/** Page code of any page. */
export function modePageCode(p: ModePage): number {
  switch (p.kind) {
    case 'readWriteErrorRecovery':
      return ModePageCode.READ_WRITE_ERROR_RECOVERY;
    case 'writeParameters':
      return ModePageCode.WRITE_PARAMETERS;
    case 'capabilities':
      return ModePageCode.CAPABILITIES_AND_MECHANICAL_STATUS;
    case 'raw':
      return p.pageCode;
  }
}

/** Subpage code of any page (0 for page_0 format). */
export function modePageSubpage(p: ModePage): number {
  return p.kind === 'raw' ? p.subpageCode : 0;
}

/** True when the two pages have the same page code and subpage code. */
export function sameModePage(a: ModePage, b: ModePage): boolean {
  return modePageCode(a) === modePageCode(b) && modePageSubpage(a) === modePageSubpage(b);
}

/** The whole page as bytes (header included). */
export function encodeModePage(p: ModePage): Buffer {
  switch (p.kind) {
    case 'readWriteErrorRecovery':
      return encodeErrorRecoveryPage(p);
    case 'writeParameters':
      return encodeWriteParametersPage(p);
    case 'capabilities':
      return encodeCapabilitiesPage(p);
    case 'raw':
      bool('ps', p.ps);
      bool('spf', p.spf);
      return frameModePage(p);
  }
}

/**
 * Decodes one whole page (exactly its 2 + PAGE LENGTH or 4 + PAGE LENGTH bytes) into its typed form
 * when the code and length are covered, else a RawModePage. `fail` builds the error for a page that
 * contradicts itself (offset relative to the page start); default: invalid response from device.
 */
export function decodeModePage(
  page: Uint8Array,
  fail: (offset: number, message: string) => Error = (_o, m) => invalidReply(m),
): ModePage {
  const raw = unframeModePage(page);
  if (raw.spf || raw.subpageCode !== 0) return raw;
  const len = raw.data.length;
  switch (raw.pageCode) {
    case ModePageCode.READ_WRITE_ERROR_RECOVERY:
      return len === ERROR_RECOVERY_PAGE_LENGTH ? decodeErrorRecoveryPage(page) : raw;
    case ModePageCode.WRITE_PARAMETERS:
      return len >= WRITE_PARAMETERS_PAGE_LENGTH ? decodeWriteParametersPage(page) : raw;
    case ModePageCode.CAPABILITIES_AND_MECHANICAL_STATUS:
      return decodeCapabilitiesPage(page, fail);
    default:
      return raw;
  }
}

/**
 * Builds a mode parameter list with the 10-byte header. For MODE SENSE data `modeDataLength` is
 * filled in (total - 2); for MODE SELECT (`forSelect`) that field is reserved and written as zero.
 */
export function encodeModeParameterList10(list: ModeParameterList, forSelect = false): Buffer {
  const bd = list.blockDescriptors;
  if (!(bd instanceof Uint8Array)) throw new TypeError('blockDescriptors must be a byte array');
  const pages = list.pages.map(encodeModePage);
  const total = MODE_PARAMETER_HEADER_10_LENGTH + bd.length + pages.reduce((n, p) => n + p.length, 0);
  if (total - 2 > 0xffff) throw new TypeError(`mode parameter list of ${total} bytes is too long for MODE DATA LENGTH`);
  const w = new ByteWriter(total);
  w.u16(0, forSelect ? 0 : total - 2);
  w.u8(2, uint('mediumType', list.mediumType, 0xff));
  w.u8(3, uint('deviceSpecificParameter', list.deviceSpecificParameter, 0xff));
  w.u8(4, bool('longLba', list.longLba) ? 1 : 0);
  w.u16(6, bd.length);
  w.bytes(MODE_PARAMETER_HEADER_10_LENGTH, bd);
  let o = MODE_PARAMETER_HEADER_10_LENGTH + bd.length;
  for (const p of pages) {
    w.bytes(o, p);
    o += p.length;
  }
  return w.buffer;
}
