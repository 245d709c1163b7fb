/**
 * CD sub-channel (ECMA-130 §22, MMC-6 §4.2.3.6 and Table 393 "sub-channel data formats"):
 *   - 96 bytes of raw P-W per sector: byte i carries bit i of each channel, P in bit 7, Q in bit 6,
 *     R..W in bits 5..0. The Q channel is 96 bits = 12 bytes, most significant bit first.
 *   - Q (12 bytes): CONTROL(4) | ADR(4), then 9 data bytes, then a 16-bit CRC: CRC-16/CCITT
 *     (x^16 + x^12 + x^5 + 1), initial value 0, over the first 10 bytes, stored inverted, MSB first
 *     (ECMA-130 §22.3.5).
 *   - Mode-1 Q (ADR 1) in the program area / lead-out: TNO, INDEX, MIN SEC FRAME (track-relative time),
 *     ZERO, AMIN ASEC AFRAME (absolute time), all BCD. In the lead-in: TNO 00, POINT, MIN SEC FRAME
 *     (running time), ZERO, PMIN PSEC PFRAME (ECMA-130 §22.3.4.2, MMC-6 Table 495).
 *   - Formatted Q for READ CD sub-channel 010b / write data block type 1 (16 bytes): the 12 Q bytes
 *     (CRC included), 3 zero bytes, then byte 15 bit 7 = P.
 */
import { ByteReader, ByteWriter, fromBcd, toBcd } from '@openimapi/sdk';

export const SUBCHANNEL_RAW_SIZE = 96;
export const Q_SIZE = 12;

/** CRC-16/CCITT (poly 1021h, init 0), not inverted. */
export function crc16ccitt(data: Uint8Array, start = 0, end = data.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc ^= data[i]! << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** Sets bytes 10-11 of a 12-byte Q to the inverted CRC of bytes 0-9. */
export function sealQ(q: Uint8Array): Uint8Array {
  const w = new ByteWriter(q);
  w.u16(10, ~crc16ccitt(q, 0, 10) & 0xffff);
  return q;
}

/** True when the Q's CRC matches. */
export function qCrcOk(q: Uint8Array): boolean {
  const r = new ByteReader(q);
  return r.u16(10) === (~crc16ccitt(q, 0, 10) & 0xffff);
}

/** Extracts the 12-byte Q from 96 bytes of raw P-W (bit 6 of each byte). */
export function qFromRaw(raw: Uint8Array): Buffer {
  const r = new ByteReader(raw, { what: 'raw P-W' });
  const q = Buffer.alloc(Q_SIZE);
  for (let i = 0; i < 96; i++) if (r.u8(i) & 0x40) q[i >> 3]! |= 0x80 >> (i & 7);
  return q;
}

/** P flag of a raw P-W block (majority of the 96 P bits). */
export function pFromRaw(raw: Uint8Array): boolean {
  const r = new ByteReader(raw, { what: 'raw P-W' });
  let n = 0;
  for (let i = 0; i < 96; i++) if (r.u8(i) & 0x80) n++;
  return n >= 48;
}

/** Builds 96 bytes of raw P-W from a P flag, a 12-byte Q and optional R-W (96 bytes, bits 5..0 used). */
export function rawFromPQ(p: boolean, q: Uint8Array, rw?: Uint8Array): Buffer {
  const qr = new ByteReader(q, { what: 'Q' });
  const rr = rw ? new ByteReader(rw, { what: 'R-W' }) : undefined;
  const out = new ByteWriter(SUBCHANNEL_RAW_SIZE);
  for (let i = 0; i < 96; i++) {
    const qbit = (qr.u8(i >> 3) >> (7 - (i & 7))) & 1;
    out.u8(i, (p ? 0x80 : 0) | (qbit << 6) | (rr ? rr.u8(i) & 0x3f : 0));
  }
  return out.buffer;
}

/** 16-byte formatted Q (MMC-6 sub-channel 010b) from raw P-W. */
export function formattedQFromRaw(raw: Uint8Array): Buffer {
  const out = Buffer.alloc(16);
  qFromRaw(raw).copy(out, 0);
  if (pFromRaw(raw)) out[15] = 0x80;
  return out;
}

/**
 * Raw P-W from a 16-byte formatted PQ block (write data block type 1). The Q's CRC is taken inverted
 * (ECMA-130) or plain — cdrdao's generic-mmc-raw driver sends it plain — and recorded inverted, as it
 * lies on a disc; a Q whose CRC is neither stays as sent (a bad image makes a bad disc).
 */
export function rawFromFormattedPQ(pq: Uint8Array): Buffer {
  const r = new ByteReader(pq, { what: 'P-Q sub-channel' });
  const q = Buffer.from(pq.subarray(0, Q_SIZE));
  if (!qCrcOk(q) && r.u16(10) === crc16ccitt(q, 0, 10)) sealQ(q);
  return rawFromPQ((r.u8(15) & 0x80) !== 0, q);
}

/** R-W bits only (bits 5..0), as READ CD sub-channel 100b returns them (without de-interleaving CD-G packs). */
export function rwFromRaw(raw: Uint8Array): Buffer {
  const r = new ByteReader(raw, { what: 'raw P-W' });
  const out = Buffer.alloc(96);
  for (let i = 0; i < 96; i++) out[i] = r.u8(i) & 0x3f;
  return out;
}

/** A decoded mode-1 (ADR 1) or mode-5 Q, numbers binary (BCD decoded; NaN for a bad BCD byte). */
export interface QFrame {
  readonly control: number;
  readonly adr: number;
  /** Program area: TNO (AAh lead-out); lead-in: 0. */
  readonly tno: number;
  /** Program area: INDEX; lead-in: POINT (hex, not BCD for A0-C0). */
  readonly indexOrPoint: number;
  readonly min: number;
  readonly sec: number;
  readonly frame: number;
  readonly zero: number;
  readonly pmin: number;
  readonly psec: number;
  readonly pframe: number;
}

const bcdOrHex = (b: number) => (b >= 0xa0 ? b : fromBcd(b));

/** Decodes a 12-byte Q (does not check the CRC). Returns the raw bytes decoded from BCD. */
export function decodeQ(q: Uint8Array): QFrame {
  const r = new ByteReader(q, { what: 'Q' });
  return {
    control: r.u8(0) >> 4,
    adr: r.u8(0) & 0x0f,
    tno: bcdOrHex(r.u8(1)),
    indexOrPoint: bcdOrHex(r.u8(2)),
    min: fromBcd(r.u8(3)),
    sec: fromBcd(r.u8(4)),
    frame: fromBcd(r.u8(5)),
    zero: bcdOrHex(r.u8(6)),
    pmin: fromBcd(r.u8(7)),
    psec: fromBcd(r.u8(8)),
    pframe: fromBcd(r.u8(9)),
  };
}

/** Encodes a Q frame (values binary; TNO/POINT ≥ A0h pass through as hex) and seals its CRC. */
export function encodeQ(f: QFrame): Buffer {
  const enc = (n: number) => (n >= 0xa0 ? n : toBcd(n));
  const w = new ByteWriter(Q_SIZE);
  w.u8(0, ((f.control & 0xf) << 4) | (f.adr & 0xf));
  w.u8(1, enc(f.tno));
  w.u8(2, enc(f.indexOrPoint));
  w.u8(3, toBcd(f.min));
  w.u8(4, toBcd(f.sec));
  w.u8(5, toBcd(f.frame));
  w.u8(6, enc(f.zero));
  w.u8(7, toBcd(f.pmin));
  w.u8(8, toBcd(f.psec));
  w.u8(9, toBcd(f.pframe));
  sealQ(w.buffer);
  return w.buffer;
}
