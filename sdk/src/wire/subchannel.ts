/**
 * The CD sub-channel (IEC 60908 / ECMA-130 §22; MMC-6 §4.2.3.6 and the "Sub-channel data formats"
 * of READ CD and of write data block types 1–3).
 *
 * Every sector carries 96 bytes of sub-code, one bit of each of the eight channels P, Q, R..W per byte.
 * MMC passes it in three forms:
 *
 *   raw P-W (data block type 3, READ CD sub-channel 001b) — 96 bytes, byte i = bit i of each channel:
 *     bit 7 P, bit 6 Q, bits 5..0 R S T U V W. R-W are interleaved as on the disc surface.
 *   packed P-W (data block type 2, IMAPI "cooked") — the same 96 bytes, P and Q in bits 7..6 exactly as
 *     in raw, but R-W (bits 5..0) de-interleaved into 4 packs of 24 six-bit symbols (the form CD+G and
 *     CD-TEXT are written in). The drive does the interleaving when it records.
 *   formatted Q (data block type 1, 2368-byte sectors; READ CD sub-channel 010b) — 16 bytes:
 *     bytes 0–11 the Q channel (CRC included), 12–14 zero, byte 15 bit 7 = P (bits 6..0 zero).
 *
 * The Q channel (96 bits = 12 bytes, most significant bit first):
 *   byte 0     CONTROL (bits 7..4: 8 four-channel, 4 data track, 2 digital copy permitted,
 *              1 pre-emphasis) | ADR (bits 3..0)
 *   bytes 1–9  ADR 1, program area / lead-out:  TNO, INDEX, MIN SEC FRAME (relative), ZERO,
 *                                               AMIN ASEC AFRAME (absolute), all BCD; TNO AAh = lead-out
 *              ADR 1 (and 5), lead-in:          TNO 00, POINT, MIN SEC FRAME (running time), ZERO,
 *                                               PMIN PSEC PFRAME. POINT 01–99 track start, A0h first track
 *                                               (PSEC = disc type), A1h last track, A2h lead-out start;
 *                                               ADR 5 B0h next program area / C0h ATIP information.
 *              ADR 2 (MCN):   13 BCD digits in bytes 1–7 (low nibble of byte 7 zero), byte 8 zero,
 *                             byte 9 AFRAME.
 *              ADR 3 (ISRC):  5 characters in 6-bit code (bytes 1–4, 30 bits then 2 zero bits),
 *                             7 BCD digits (bytes 5–8, low nibble of byte 8 zero), byte 9 AFRAME.
 *                             6-bit code: '0'–'9' → 0–9, 'A'–'Z' → 17–42 (ASCII − 30h).
 *   bytes 10–11 CRC: CRC-16 with x^16 + x^12 + x^5 + 1, initial value 0, over bytes 0–9, stored inverted,
 *              most significant byte first — the catalogued CRC-16/GSM.
 *
 * R-W interleave (IEC 60908 §20.6): packs of 24 symbols; symbols 1↔18, 2↔5 and 3↔23 are swapped, then
 * symbol j of a pack is delayed by j mod 8 packs. Packs run on across sector boundaries (4 a sector), so
 * the conversion between packed and raw is stateful (`RwInterleaver`) or done over a run of sectors
 * (`packedToRaw` / `rawToPacked`). Parity symbols are carried as given: no RS encoding or correction.
 *
 * Bit-level loops below work on arrays whose lengths are checked on entry; field layouts go through the
 * ByteReader/ByteWriter.
 */
import { ByteReader, ByteWriter } from './bytes.js';
import { fromBcd, toBcd, type Msf } from './msf.js';

export const SUBCHANNEL_SIZE = 96;
export const Q_SIZE = 12;
export const FORMATTED_Q_SIZE = 16;
export const RW_PACK_SYMBOLS = 24;
export const RW_PACKS_PER_SECTOR = 4;

/** CONTROL bits of the Q channel (high nibble of byte 0, given here as the 4-bit value). */
export const QControl = {
  PRE_EMPHASIS: 0x1,
  COPY_PERMITTED: 0x2,
  DATA_TRACK: 0x4,
  FOUR_CHANNEL: 0x8,
} as const;

/** Lead-in POINT values with a meaning of their own (ECMA-130 §22.3.4.2). */
export const QPoint = {
  FIRST_TRACK: 0xa0,
  LAST_TRACK: 0xa1,
  LEAD_OUT: 0xa2,
  NEXT_PROGRAM_AREA: 0xb0,
  ATIP_SPECIAL: 0xc0,
} as const;

/** TNO of the lead-out area. */
export const LEAD_OUT_TNO = 0xaa;

// ---------------------------------------------------------------------------------------------
// CRC

const CRC_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let b = 0; b < 8; b++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

/** CRC-16 with polynomial 1021h, initial 0, no reflection, no final inversion (CRC-16/XMODEM). */
export function crc16(data: Uint8Array, start = 0, end = data.length): number {
  if (start < 0 || end > data.length || start > end) throw new RangeError(`crc16: range ${start}..${end} outside ${data.length} bytes`);
  let crc = 0;
  for (let i = start; i < end; i++) crc = (CRC_TABLE[((crc >> 8) ^ data[i]!) & 0xff]! ^ (crc << 8)) & 0xffff;
  return crc;
}

/** The value stored in Q bytes 10–11 for Q bytes 0–9: the inverted CRC-16 (CRC-16/GSM). */
export function qCrc(q: Uint8Array): number {
  if (q.length < 10) throw new RangeError(`Q: need 10 bytes to compute the CRC, have ${q.length}`);
  return ~crc16(q, 0, 10) & 0xffff;
}

/** Writes the CRC into bytes 10–11 of a 12-byte Q and returns it. */
export function sealQ(q: Uint8Array): Uint8Array {
  new ByteWriter(q).u16(10, qCrc(q));
  return q;
}

/** True when bytes 10–11 hold the CRC of bytes 0–9. */
export function qCrcOk(q: Uint8Array): boolean {
  return new ByteReader(q, { what: 'Q' }).u16(10) === qCrc(q);
}

// ---------------------------------------------------------------------------------------------
// Q frames

/** ADR 1 in the program area or lead-out: where this sector is. */
export interface QPosition {
  readonly adr: 1;
  readonly control: number;
  /** Track number 1–99, or LEAD_OUT_TNO (AAh). */
  readonly tno: number;
  /** Index 0–99 (0: pre-gap / pause). */
  readonly index: number;
  /** Time inside the track (counting down in the pre-gap). */
  readonly relative: Msf;
  /** Absolute time on the disc. */
  readonly absolute: Msf;
}

/** ADR 1 or 5 in the lead-in (TNO 00): one TOC item. Fields are numbers decoded from BCD. */
export interface QLeadIn {
  readonly adr: 1 | 5;
  readonly control: number;
  readonly tno: 0;
  /** 1–99 (track), or A0h, A1h, A2h, B0h, C0h. */
  readonly point: number;
  /** MIN SEC FRAME: the running time in the lead-in (B0h: next program area; C0h: ATIP bytes). */
  readonly time: Msf;
  /** ZERO byte (B0h: the number of mode-5 pointers). */
  readonly zero: number;
  /** PMIN PSEC PFRAME: for A0h first track and disc type, A1h last track, else a start time. */
  readonly pointTime: Msf;
}

/** ADR 2: media catalog number. */
export interface QMcn {
  readonly adr: 2;
  readonly control: number;
  /** 13 digits. */
  readonly mcn: string;
  readonly aframe: number;
}

/** ADR 3: ISRC of the track. */
export interface QIsrc {
  readonly adr: 3;
  readonly control: number;
  /** 12 characters: country (2), owner (3), year (2), serial (5). */
  readonly isrc: string;
  readonly aframe: number;
}

/** Any other ADR: the 9 data bytes as they are. */
export interface QOther {
  readonly adr: number;
  readonly control: number;
  readonly data: Buffer;
}

export type QFrame = QPosition | QLeadIn | QMcn | QIsrc | QOther;
export type DecodedQ = QFrame & { readonly crcOk: boolean; readonly kind: 'position' | 'lead-in' | 'mcn' | 'isrc' | 'other' };

/** TNO / POINT / ZERO byte: BCD up to 99, hex (A0h–FFh) above. */
function encodePointByte(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0 || n > 0xff) throw new RangeError(`${what} ${n} out of range`);
  if (n >= 0xa0) return n;
  if (n > 99) throw new RangeError(`${what} ${n} is neither 0–99 nor A0h–FFh`);
  return toBcd(n);
}

function decodePointByte(b: number): number {
  return b >= 0xa0 ? b : fromBcd(b);
}

function writeMsf(w: ByteWriter, off: number, m: Msf, what: string): void {
  for (const [i, v] of [m.m, m.s, m.f].entries()) {
    if (!Number.isInteger(v) || v < 0 || v > 99) throw new RangeError(`${what}: ${v} is not a BCD byte value`);
    w.u8(off + i, toBcd(v));
  }
}

function readMsf(r: ByteReader, off: number): Msf {
  return { m: fromBcd(r.u8(off)), s: fromBcd(r.u8(off + 1)), f: fromBcd(r.u8(off + 2)) };
}

const MCN_RE = /^[0-9]{13}$/;
/** ISRC: CC OOO YY NNNNN (hyphens allowed on input). */
const ISRC_RE = /^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$/;

export function isValidMcn(mcn: string): boolean {
  return MCN_RE.test(mcn);
}

/** Normalizes an ISRC (drops hyphens, upper-cases) or returns undefined if it is not one. */
export function normalizeIsrc(isrc: string): string | undefined {
  const s = isrc.replace(/-/g, '').toUpperCase();
  return ISRC_RE.test(s) ? s : undefined;
}

function isrcChar(c: string): number {
  const code = c.charCodeAt(0);
  return code >= 0x41 ? code - 0x41 + 17 : code - 0x30;
}

function isrcCharFrom(v: number): string {
  if (v <= 9) return String.fromCharCode(0x30 + v);
  if (v >= 17 && v <= 42) return String.fromCharCode(0x41 + v - 17);
  return '?';
}

/** Encodes a Q frame into 12 bytes and seals its CRC. */
export function encodeQ(f: QFrame): Buffer {
  const w = new ByteWriter(Q_SIZE);
  if (!Number.isInteger(f.control) || f.control < 0 || f.control > 15) throw new RangeError(`Q control ${f.control} out of range 0..15`);
  if (!Number.isInteger(f.adr) || f.adr < 0 || f.adr > 15) throw new RangeError(`Q ADR ${f.adr} out of range 0..15`);
  w.u8(0, (f.control << 4) | f.adr);
  if ('relative' in f) {
    w.u8(1, encodePointByte(f.tno, 'TNO'));
    w.u8(2, encodePointByte(f.index, 'INDEX'));
    writeMsf(w, 3, f.relative, 'relative time');
    writeMsf(w, 7, f.absolute, 'absolute time');
  } else if ('point' in f) {
    w.u8(2, encodePointByte(f.point, 'POINT'));
    writeMsf(w, 3, f.time, 'lead-in time');
    w.u8(6, encodePointByte(f.zero, 'ZERO'));
    writeMsf(w, 7, f.pointTime, 'POINT time');
  } else if ('mcn' in f) {
    if (!isValidMcn(f.mcn)) throw new RangeError(`MCN must be 13 digits, got ${JSON.stringify(f.mcn)}`);
    const d = [...f.mcn].map(Number);
    for (let i = 0; i < 7; i++) w.u8(1 + i, ((d[2 * i] ?? 0) << 4) | (d[2 * i + 1] ?? 0));
    w.u8(9, toBcd(f.aframe));
  } else if ('isrc' in f) {
    const s = normalizeIsrc(f.isrc);
    if (s === undefined) throw new RangeError(`ISRC must be CC-OOO-YY-NNNNN, got ${JSON.stringify(f.isrc)}`);
    // 5 six-bit characters = 30 bits, then 2 zero bits: bytes 1-4.
    let bits = 0;
    for (let i = 0; i < 5; i++) bits = bits * 64 + isrcChar(s[i]!);
    w.u32(1, (bits * 4) >>> 0);
    const d = [...s.slice(5)].map(Number);
    for (let i = 0; i < 4; i++) w.u8(5 + i, ((d[2 * i] ?? 0) << 4) | (d[2 * i + 1] ?? 0));
    w.u8(9, toBcd(f.aframe));
  } else {
    if (f.data.length !== 9) throw new RangeError(`Q data must be 9 bytes, got ${f.data.length}`);
    w.bytes(1, f.data);
  }
  sealQ(w.buffer);
  return w.buffer;
}

/**
 * Decodes a 12-byte Q. ADR 1 with TNO 00 is a lead-in item, any other TNO a position; BCD fields that
 * are not BCD decode to NaN. `crcOk` tells whether bytes 10–11 match.
 */
export function decodeQ(q: Uint8Array): DecodedQ {
  const r = new ByteReader(q, { what: 'Q' });
  r.u8(Q_SIZE - 1);
  const control = r.u8(0) >> 4;
  const adr = r.u8(0) & 0x0f;
  const crcOk = qCrcOk(q);
  if ((adr === 1 || adr === 5) && r.u8(1) === 0) {
    return {
      kind: 'lead-in', crcOk, adr, control, tno: 0, point: decodePointByte(r.u8(2)), time: readMsf(r, 3),
      zero: decodePointByte(r.u8(6)), pointTime: readMsf(r, 7),
    };
  }
  if (adr === 1) {
    return {
      kind: 'position', crcOk, adr, control, tno: decodePointByte(r.u8(1)), index: decodePointByte(r.u8(2)),
      relative: readMsf(r, 3), absolute: readMsf(r, 7),
    };
  }
  if (adr === 2) {
    let mcn = '';
    for (let i = 0; i < 7; i++) mcn += `${r.bits(1 + i, 4, 4)}${r.bits(1 + i, 0, 4)}`;
    return { kind: 'mcn', crcOk, adr, control, mcn: mcn.slice(0, 13), aframe: fromBcd(r.u8(9)) };
  }
  if (adr === 3) {
    const bits = r.u32(1) >>> 2;
    let isrc = '';
    for (let i = 4; i >= 0; i--) isrc += isrcCharFrom(Math.floor(bits / 64 ** i) % 64);
    for (let i = 0; i < 4; i++) isrc += `${r.bits(5 + i, 4, 4)}${r.bits(5 + i, 0, 4)}`;
    return { kind: 'isrc', crcOk, adr, control, isrc: isrc.slice(0, 12), aframe: fromBcd(r.u8(9)) };
  }
  return { kind: 'other', crcOk, adr, control, data: r.bytes(1, 9) };
}

// ---------------------------------------------------------------------------------------------
// P-W interleaving into 96 bytes

/** P channel of a whole sector: 12 bytes, all FF (flag on) or all 00. */
export function pChannel(flag: boolean): Buffer {
  return Buffer.alloc(Q_SIZE, flag ? 0xff : 0x00);
}

/**
 * 96 bytes of P-W from the P channel (12 bytes, or a flag for all-ones/all-zeros), the Q channel
 * (12 bytes) and optionally R-W (96 bytes whose bits 5..0 are taken as they are — raw or packed).
 */
export function interleavePW(p: boolean | Uint8Array, q: Uint8Array, rw?: Uint8Array): Buffer {
  const pc = typeof p === 'boolean' ? pChannel(p) : p;
  if (pc.length !== Q_SIZE) throw new RangeError(`P channel must be 12 bytes, got ${pc.length}`);
  if (q.length !== Q_SIZE) throw new RangeError(`Q channel must be 12 bytes, got ${q.length}`);
  if (rw !== undefined && rw.length !== SUBCHANNEL_SIZE) throw new RangeError(`R-W must be 96 bytes, got ${rw.length}`);
  const out = Buffer.alloc(SUBCHANNEL_SIZE);
  for (let i = 0; i < SUBCHANNEL_SIZE; i++) {
    const shift = 7 - (i & 7);
    const byte = i >> 3;
    out[i] = (((pc[byte]! >> shift) & 1) << 7) | (((q[byte]! >> shift) & 1) << 6) | (rw ? rw[i]! & 0x3f : 0);
  }
  return out;
}

/** Splits 96 bytes of P-W into the P channel (12 bytes), the Q channel (12 bytes) and R-W (96 bytes, bits 5..0). */
export function deinterleavePW(pw: Uint8Array): { p: Buffer; q: Buffer; rw: Buffer } {
  if (pw.length < SUBCHANNEL_SIZE) throw new RangeError(`P-W sub-channel must be 96 bytes, got ${pw.length}`);
  const p = Buffer.alloc(Q_SIZE);
  const q = Buffer.alloc(Q_SIZE);
  const rw = Buffer.alloc(SUBCHANNEL_SIZE);
  for (let i = 0; i < SUBCHANNEL_SIZE; i++) {
    const b = pw[i]!;
    const bit = 0x80 >> (i & 7);
    if (b & 0x80) p[i >> 3]! |= bit;
    if (b & 0x40) q[i >> 3]! |= bit;
    rw[i] = b & 0x3f;
  }
  return { p, q, rw };
}

/** The Q channel of 96 bytes of P-W. */
export function qFromPW(pw: Uint8Array): Buffer {
  return deinterleavePW(pw).q;
}

/** The P flag of 96 bytes of P-W: true when most of its 96 P bits are set. */
export function pFlagFromPW(pw: Uint8Array): boolean {
  if (pw.length < SUBCHANNEL_SIZE) throw new RangeError(`P-W sub-channel must be 96 bytes, got ${pw.length}`);
  let n = 0;
  for (let i = 0; i < SUBCHANNEL_SIZE; i++) n += pw[i]! >> 7;
  return n >= 48;
}

/** 16-byte formatted Q (data block type 1): Q, three zero bytes, P in bit 7 of byte 15. */
export function encodeFormattedQ(q: Uint8Array, p: boolean): Buffer {
  if (q.length !== Q_SIZE) throw new RangeError(`Q channel must be 12 bytes, got ${q.length}`);
  const w = new ByteWriter(FORMATTED_Q_SIZE);
  w.bytes(0, q);
  w.u8(15, p ? 0x80 : 0);
  return w.buffer;
}

export function decodeFormattedQ(buf: Uint8Array): { q: Buffer; p: boolean } {
  const r = new ByteReader(buf, { what: 'formatted Q' });
  return { q: r.bytes(0, Q_SIZE), p: r.bit(15, 7) };
}

// ---------------------------------------------------------------------------------------------
// R-W: packed (de-interleaved) <-> raw (interleaved)

/** Symbol swap applied before the delay (an involution): 1↔18, 2↔5, 3↔23. */
const SWAP: readonly number[] = (() => {
  const s = Array.from({ length: RW_PACK_SYMBOLS }, (_, i) => i);
  for (const [a, b] of [[1, 18], [2, 5], [3, 23]] as const) {
    s[a] = b;
    s[b] = a;
  }
  return s;
})();
/** Largest delay, in packs. */
const MAX_DELAY = 7;

/**
 * Streaming packed → raw R-W conversion. Raw pack q, symbol c = packed pack (q − c mod 8), symbol
 * swap(c). Keeps the last 7 packs; packs before the first one pushed are zero. P and Q (bits 7..6) of
 * each block pass through.
 */
export class RwInterleaver {
  /** Ring of the last 8 packed packs (including the current one). */
  private readonly ring = new Uint8Array((MAX_DELAY + 1) * RW_PACK_SYMBOLS);
  private pack = 0;

  /** Converts one sector (96 bytes, packed R-W in bits 5..0) and returns its raw form. */
  push(packed: Uint8Array): Buffer {
    if (packed.length !== SUBCHANNEL_SIZE) throw new RangeError(`sub-channel block must be 96 bytes, got ${packed.length}`);
    const out = Buffer.alloc(SUBCHANNEL_SIZE);
    for (let k = 0; k < RW_PACKS_PER_SECTOR; k++) {
      const slot = this.pack % (MAX_DELAY + 1);
      for (let j = 0; j < RW_PACK_SYMBOLS; j++) this.ring[slot * RW_PACK_SYMBOLS + j] = packed[k * RW_PACK_SYMBOLS + j]! & 0x3f;
      for (let c = 0; c < RW_PACK_SYMBOLS; c++) {
        const src = this.pack - (c % 8);
        const v = src < 0 ? 0 : this.ring[(src % (MAX_DELAY + 1)) * RW_PACK_SYMBOLS + SWAP[c]!]!;
        const i = k * RW_PACK_SYMBOLS + c;
        out[i] = (packed[i]! & 0xc0) | v;
      }
      this.pack++;
    }
    return out;
  }
}

/** Packed → raw over a run of consecutive sectors (n × 96 bytes); packs before the run are zero. */
export function packedToRaw(packed: Uint8Array): Buffer {
  if (packed.length % SUBCHANNEL_SIZE !== 0) throw new RangeError(`sub-channel run must be whole 96-byte blocks, got ${packed.length} bytes`);
  const il = new RwInterleaver();
  const out = Buffer.alloc(packed.length);
  for (let o = 0; o < packed.length; o += SUBCHANNEL_SIZE) il.push(packed.subarray(o, o + SUBCHANNEL_SIZE)).copy(out, o);
  return out;
}

/**
 * Raw → packed over a run of consecutive sectors: packed pack p, symbol i = raw pack (p + swap(i) mod 8),
 * symbol swap(i). The last packs of the run need up to 7 packs past its end; those symbols read as zero.
 */
export function rawToPacked(raw: Uint8Array): Buffer {
  if (raw.length % SUBCHANNEL_SIZE !== 0) throw new RangeError(`sub-channel run must be whole 96-byte blocks, got ${raw.length} bytes`);
  const packs = raw.length / RW_PACK_SYMBOLS;
  const out = Buffer.alloc(raw.length);
  for (let p = 0; p < packs; p++) {
    for (let i = 0; i < RW_PACK_SYMBOLS; i++) {
      const c = SWAP[i]!;
      const src = p + (c % 8);
      const v = src < packs ? raw[src * RW_PACK_SYMBOLS + c]! & 0x3f : 0;
      const o = p * RW_PACK_SYMBOLS + i;
      out[o] = (raw[o]! & 0xc0) | v;
    }
  }
  return out;
}
