/**
 * Additional Header Segments (RFC 7143 §11.2.2): after the BHS, TotalAHSLength 4-byte words of
 *   bytes 0-1  AHSLength (length of the AHS-specific bytes that follow byte 3, plus the reserved byte 3
 *              for the two defined types; excludes padding)
 *   byte 2     AHSType: 1 = Extended CDB, 2 = Bidirectional Read Expected Data Transfer Length
 *   byte 3..   AHS-specific (reserved byte first), padded to 4
 */
import { ByteReader, ByteWriter } from '../wire/bytes.js';
import { pad4 } from './bhs.js';

export const AhsType = {
  EXTENDED_CDB: 1,
  BIDI_READ_EXPECTED_LENGTH: 2,
} as const;

export interface Ahs {
  readonly type: number;
  /** The AHS-specific bytes after the type byte (starting with byte 3, the reserved byte). */
  readonly specific: Buffer;
}

export class AhsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AhsError';
  }
}

/** Splits an AHS area into its segments; a length running past the area throws AhsError. */
export function decodeAhs(area: Uint8Array): Ahs[] {
  const r = new ByteReader(area, { what: 'AHS', fail: (m) => new AhsError(m) });
  const out: Ahs[] = [];
  let o = 0;
  while (o < area.length) {
    const len = r.u16(o);
    const type = r.u8(o + 2);
    if (len === 0) throw new AhsError(`AHS at ${o}: AHSLength 0`);
    const specific = r.bytes(o + 3, len);
    out.push({ type, specific });
    o += 3 + len + pad4(3 + len);
  }
  return out;
}

/** Builds an AHS area (padded, so its length / 4 is TotalAHSLength). */
export function encodeAhs(list: readonly Ahs[]): Buffer {
  const size = list.reduce((n, a) => n + 3 + a.specific.length + pad4(3 + a.specific.length), 0);
  const w = new ByteWriter(size);
  let o = 0;
  for (const a of list) {
    w.u16(o, a.specific.length);
    w.u8(o + 2, a.type);
    w.bytes(o + 3, a.specific);
    o += 3 + a.specific.length + pad4(3 + a.specific.length);
  }
  return w.buffer;
}

/** Extended CDB AHS for the CDB bytes beyond the first 16 (AHSLength = CDB length - 15). */
export function extendedCdbAhs(cdb: Uint8Array): Ahs {
  const rest = cdb.subarray(16);
  const specific = Buffer.alloc(1 + rest.length);
  specific.set(rest, 1);
  return { type: AhsType.EXTENDED_CDB, specific };
}

/** Bidirectional Read Expected Data Transfer Length AHS (AHSLength 5). */
export function bidiReadLengthAhs(length: number): Ahs {
  const w = new ByteWriter(5);
  w.u32(1, length);
  return { type: AhsType.BIDI_READ_EXPECTED_LENGTH, specific: w.buffer };
}
