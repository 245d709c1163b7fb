/**
 * Mode page framing shared by MODE SENSE(10) / MODE SELECT(10) and the typed MMC page codecs.
 *
 * Page_0 format (SPC-4 §7.5.7, table "Page_0 mode page format"):
 *   byte 0     PS (7) | SPF (6) = 0 | PAGE CODE (5-0)
 *   byte 1     PAGE LENGTH (n-1)
 *   bytes 2-n  mode parameters
 * Sub_page format (SPC-4 §7.5.7, table "Sub_page mode page format"):
 *   byte 0     PS (7) | SPF (6) = 1 | PAGE CODE (5-0)
 *   byte 1     SUBPAGE CODE
 *   bytes 2-3  PAGE LENGTH (n-3)
 *   bytes 4-n  mode parameters
 *
 * PS (parameters saveable) is meaningful in MODE SENSE data only; in MODE SELECT it is reserved.
 * Pages this SDK does not type are kept as `RawModePage` (their parameter bytes, untouched).
 */
import { ByteWriter } from '../../wire/bytes.js';
import { uint } from './cdb-fields.js';

/** Page codes of the mode pages typed here (MMC-6 §7, MMC-3 §6.3.11), and the all-pages code. */
export const ModePageCode = {
  READ_WRITE_ERROR_RECOVERY: 0x01,
  WRITE_PARAMETERS: 0x05,
  CAPABILITIES_AND_MECHANICAL_STATUS: 0x2a,
  /** MODE SENSE only: return all pages. */
  ALL_PAGES: 0x3f,
} as const;

/** A page kept as bytes: any page code this SDK does not type, or a typed code with an unusual length. */
export interface RawModePage {
  kind: 'raw';
  ps: boolean;
  /** SPF: sub_page format (4-byte page header). */
  spf: boolean;
  pageCode: number;
  /** 0 for page_0 format pages. */
  subpageCode: number;
  /** The mode parameters (the bytes after the 2- or 4-byte page header). */
  data: Buffer;
}

/** The byte length of the page header for this first byte (2 for page_0, 4 for sub_page format). */
export function modePageHeaderLength(byte0: number): 2 | 4 {
  return (byte0 & 0x40) !== 0 ? 4 : 2;
}

/** Builds a whole page: header (page_0 or sub_page format) then `data`. */
export function frameModePage(p: { ps: boolean; spf: boolean; pageCode: number; subpageCode: number; data: Uint8Array }): Buffer {
  uint('pageCode', p.pageCode, 0x3f);
  const hl = p.spf ? 4 : 2;
  if (!p.spf && p.subpageCode !== 0) throw new TypeError('subpageCode must be 0 for a page_0 format page (spf false)');
  const max = p.spf ? 0xffff : 0xff;
  if (p.data.length > max) throw new TypeError(`mode page ${p.pageCode.toString(16)}h: ${p.data.length} parameter bytes exceed ${max}`);
  const w = new ByteWriter(hl + p.data.length);
  w.u8(0, (p.ps ? 0x80 : 0) | (p.spf ? 0x40 : 0) | p.pageCode);
  if (p.spf) {
    w.u8(1, uint('subpageCode', p.subpageCode, 0xff));
    w.u16(2, p.data.length);
  } else {
    w.u8(1, p.data.length);
  }
  w.bytes(hl, p.data);
  return w.buffer;
}

/** Splits a whole page (header included, exactly its length) into its header fields and parameters. */
export function unframeModePage(page: Uint8Array): RawModePage {
  const b0 = page[0] ?? 0;
  const spf = (b0 & 0x40) !== 0;
  const hl = spf ? 4 : 2;
  return {
    kind: 'raw',
    ps: (b0 & 0x80) !== 0,
    spf,
    pageCode: b0 & 0x3f,
    subpageCode: spf ? (page[1] ?? 0) : 0,
    data: Buffer.from(page.subarray(hl)),
  };
}
