/**
 * 2352-byte CD main-channel sectors (ECMA-130 §14 and Annex A; MMC-6 "CD-ROM sector formats"):
 *
 *   offset  mode 1               mode 2 formless   mode 2 form 1        mode 2 form 2
 *   0       sync 00 FF×10 00     sync              sync                 sync
 *   12      header: MIN SEC FRAME (BCD absolute time of the sector), MODE (00h, 01h, 02h)
 *   16      user data 2048       user data 2336    subheader 8          subheader 8
 *   24                                             user data 2048       user data 2324
 *   2064    EDC 4                                  (2072) EDC 4         (2348) EDC 4
 *   2068    zero 8                                 (2076) ECC P 172,
 *   2076    ECC P 172, Q 104                              Q 104 (header taken as zero)
 *   Audio: 2352 bytes of PCM, no structure. Mode 0: header, then 2336 zero bytes.
 *
 * EDC (ECMA-130 §14.3): CRC-32 over the sector from byte 0 (mode 1) or 16 (mode 2) with polynomial
 * x^32+x^31+x^16+x^15+x^4+x^3+x+1 (8001801Bh), bit-reflected, initial 0, no final XOR — the catalogued
 * CRC-32/CD-ROM-EDC — stored least significant byte first.
 *
 * ECC (ECMA-130 Annex A): a Reed-Solomon product code over GF(2^8), field polynomial
 * x^8+x^4+x^3+x^2+1. Bytes 12–2075 are 1032 16-bit words (MSB byte, LSB byte) in 24 rows of 43; each
 * column (P vector, 26 words with its parity) and each diagonal (Q vector, 45 words) is a codeword for
 * the MSB bytes and one for the LSB bytes, with check matrix H = [[1 … 1], [α^(n−1) … α 1]]: both
 * syndromes Σ b_i and Σ α^(n−1−i)·b_i are zero. Given the data's A = Σ b_i and B = Σ α^(n−1−i)·b_i,
 * the two parity bytes p0 (position n−2) and p1 (n−1) solve p0 + p1 = A, α·p0 + p1 = B:
 * p0 = (A + B) / (α + 1), p1 = A + p0.
 *   P vector Np (0..42), byte lane L: words 43·m + Np, m = 0..25 (rows 24 and 25 are the P parity,
 *     bytes 2076–2247).
 *   Q vector Nq (0..25): words (44·m + 43·Nq) mod 1118, m = 0..42, then parity words 1118 + Nq and
 *     1144 + Nq (bytes 2248–2351).
 *
 * Scrambling (ECMA-130 §15 and Annex B): on the disc, bytes 12–2351 of every data sector (any mode;
 * never audio) are XORed with a fixed sequence so that regular data does not produce regular pits. The
 * sequence is the output of a 15-bit shift register with feedback polynomial x^15 + x + 1, preset to
 * 000000000000001b at byte 12 of each sector, bits taken least significant first: 01h 80h 00h 60h 00h
 * 28h …. Drives scramble what they write in the data block types that carry user data (MMC-6 mode page
 * 05h types 8–13) and descramble what READ CD returns; in the raw types (1–3) they write the 2352 bytes
 * as given, so a host writing raw sends data sectors already scrambled, as cdrecord (encodesector →
 * scramble_L2, clone mode scrsectors), cdrdao and libburn do. Applying it twice restores the sector.
 *
 * The arithmetic loops index arrays whose size was checked on entry; fields go through ByteWriter.
 */
import { ByteReader, ByteWriter } from './bytes.js';
import { fromBcd, lbaToMsf, msfToLba, toBcd } from './msf.js';

export const CD_SECTOR_SIZE = 2352;
export const MODE1_USER_SIZE = 2048;
export const MODE2_FORMLESS_USER_SIZE = 2336;
export const MODE2_FORM1_USER_SIZE = 2048;
export const MODE2_FORM2_USER_SIZE = 2324;
export const SYNC_PATTERN: Readonly<Buffer> = Buffer.from([0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]);

/** Submode byte bits of the mode 2 subheader (CD-ROM XA). */
export const Submode = {
  END_OF_RECORD: 0x01,
  VIDEO: 0x02,
  AUDIO: 0x04,
  DATA: 0x08,
  TRIGGER: 0x10,
  FORM2: 0x20,
  REAL_TIME: 0x40,
  END_OF_FILE: 0x80,
} as const;

// ---------------------------------------------------------------------------------------------
// EDC

const EDC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let e = i;
    for (let b = 0; b < 8; b++) e = e & 1 ? (e >>> 1) ^ 0xd8018001 : e >>> 1;
    t[i] = e >>> 0;
  }
  return t;
})();

/** CRC-32/CD-ROM-EDC over `buf[start..end)`. */
export function edc(buf: Uint8Array, start = 0, end = buf.length): number {
  if (start < 0 || end > buf.length || start > end) throw new RangeError(`edc: range ${start}..${end} outside ${buf.length} bytes`);
  let e = 0;
  for (let i = start; i < end; i++) e = (e >>> 8) ^ EDC_TABLE[(e ^ buf[i]!) & 0xff]!;
  return e >>> 0;
}

// ---------------------------------------------------------------------------------------------
// GF(2^8) and the P/Q parity

const GF_EXP = new Uint8Array(512);
const GF_LOG = new Uint8Array(256);
(() => {
  let x = 1;
  for (let i = 0; i < 255; i++) {
    GF_EXP[i] = x;
    GF_LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) GF_EXP[i] = GF_EXP[i - 255]!;
})();

function gfMul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : GF_EXP[GF_LOG[a]! + GF_LOG[b]!]!;
}

/** 1 / (α + 1) */
const INV_ALPHA_PLUS_1 = GF_EXP[255 - GF_LOG[2 ^ 1]!]!;

/**
 * Parity for one codeword of n bytes whose data bytes sit at `offsets[0..n-3]` (relative to `base`),
 * written to offsets[n-2], offsets[n-1]. B is evaluated by Horner's rule: B = (…(b0·α + b1)·α + …)·α²
 * with the two parity positions still to come.
 */
function encodeCodeword(s: Uint8Array, base: number, offsets: Int32Array | number[], n: number): void {
  let a = 0;
  let b = 0;
  for (let i = 0; i < n - 2; i++) {
    const v = s[base + offsets[i]!]!;
    a ^= v;
    b = gfMul(b, 2) ^ v;
  }
  b = gfMul(gfMul(b, 2), 2); // shift past the two parity positions
  const p0 = gfMul(a ^ b, INV_ALPHA_PLUS_1);
  s[base + offsets[n - 2]!] = p0;
  s[base + offsets[n - 1]!] = a ^ p0;
}

const P_OFFSETS: Int32Array[] = [];
const Q_OFFSETS: Int32Array[] = [];
(() => {
  for (let np = 0; np < 43; np++) {
    for (let lane = 0; lane < 2; lane++) {
      const o = new Int32Array(26);
      for (let m = 0; m < 26; m++) o[m] = 2 * (43 * m + np) + lane;
      P_OFFSETS.push(o);
    }
  }
  for (let nq = 0; nq < 26; nq++) {
    for (let lane = 0; lane < 2; lane++) {
      const o = new Int32Array(45);
      for (let m = 0; m < 43; m++) o[m] = 2 * ((44 * m + 43 * nq) % 1118) + lane;
      o[43] = 2 * (1118 + nq) + lane;
      o[44] = 2 * (1144 + nq) + lane;
      Q_OFFSETS.push(o);
    }
  }
})();

/** The P and Q codeword layouts, as byte offsets from sector byte 12 (for independent checks). */
export const eccLayout = { p: P_OFFSETS as readonly Int32Array[], q: Q_OFFSETS as readonly Int32Array[] };

/** Computes ECC P (2076–2247) then ECC Q (2248–2351) over bytes 12–2075 of a 2352-byte sector, in place. */
export function computeEcc(sector: Uint8Array): void {
  if (sector.length !== CD_SECTOR_SIZE) throw new RangeError(`CD sector must be ${CD_SECTOR_SIZE} bytes, got ${sector.length}`);
  for (const o of P_OFFSETS) encodeCodeword(sector, 12, o, 26);
  for (const o of Q_OFFSETS) encodeCodeword(sector, 12, o, 45);
}

// ---------------------------------------------------------------------------------------------
// Scrambler

/** The 2340 scrambler bytes for sector bytes 12–2351 (see the header). */
export const SCRAMBLER_SEQUENCE: Readonly<Uint8Array> = (() => {
  const seq = new Uint8Array(CD_SECTOR_SIZE - 12);
  let shift = 0x0001; // bit 0 is the next output bit
  for (let i = 0; i < seq.length; i++) {
    let byte = 0;
    for (let bit = 0; bit < 8; bit++) {
      byte |= (shift & 1) << bit;
      const feedback = (shift ^ (shift >>> 1)) & 1; // x^15 + x + 1: taps at stages 0 and 1
      shift = (shift >>> 1) | (feedback << 14);
    }
    seq[i] = byte;
  }
  return seq;
})();

/**
 * Scrambles (or, applied to a scrambled one, descrambles) the 2352-byte sector at `offset` of `buf`
 * in place: bytes 12–2351 XOR the scrambler sequence; the sync pattern stays as it is. Returns `buf`.
 */
export function scrambleSector<T extends Uint8Array>(buf: T, offset = 0): T {
  if (!Number.isInteger(offset) || offset < 0 || offset + CD_SECTOR_SIZE > buf.length) {
    throw new RangeError(`scrambleSector: a ${CD_SECTOR_SIZE}-byte sector at ${offset} does not fit in ${buf.length} bytes`);
  }
  for (let i = 0, o = offset + 12; i < SCRAMBLER_SEQUENCE.length; i++, o++) buf[o] = buf[o]! ^ SCRAMBLER_SEQUENCE[i]!;
  return buf;
}

// ---------------------------------------------------------------------------------------------
// Header

export interface SectorHeader {
  /** LBA from the BCD MIN SEC FRAME (NaN if they are not BCD or no MSF). */
  readonly lba: number;
  readonly mode: number;
}

function writeSyncAndHeader(w: ByteWriter, lba: number, mode: number): void {
  const msf = lbaToMsf(lba);
  w.bytes(0, SYNC_PATTERN);
  w.u8(12, toBcd(msf.m)).u8(13, toBcd(msf.s)).u8(14, toBcd(msf.f)).u8(15, mode);
}

/** True when the sector starts with the sync pattern. */
export function hasSync(sector: Uint8Array): boolean {
  const r = new ByteReader(sector, { what: 'CD sector' });
  return Buffer.from(r.view(0, 12)).equals(SYNC_PATTERN);
}

export function decodeSectorHeader(sector: Uint8Array): SectorHeader {
  const r = new ByteReader(sector, { what: 'CD sector' });
  const m = fromBcd(r.u8(12));
  const s = fromBcd(r.u8(13));
  const f = fromBcd(r.u8(14));
  let lba = NaN;
  try {
    lba = msfToLba(m, s, f);
  } catch {
    lba = NaN;
  }
  return { lba, mode: r.u8(15) };
}

function userData(data: Uint8Array | undefined, size: number, what: string): Uint8Array {
  if (data === undefined) return new Uint8Array(size);
  if (data.length !== size) throw new RangeError(`${what} user data must be ${size} bytes, got ${data.length}`);
  return data;
}

// ---------------------------------------------------------------------------------------------
// Sector builders

/** Mode 1: sync, header, 2048 bytes of user data, EDC, 8 zero bytes, ECC P and Q. */
export function makeMode1Sector(lba: number, data?: Uint8Array): Buffer {
  const w = new ByteWriter(CD_SECTOR_SIZE);
  writeSyncAndHeader(w, lba, 1);
  w.bytes(16, userData(data, MODE1_USER_SIZE, 'mode 1'));
  w.buffer.writeUInt32LE(edc(w.buffer, 0, 2064), 2064);
  computeEcc(w.buffer);
  return w.buffer;
}

/** Mode 0: sync, header, 2336 zero bytes. */
export function makeMode0Sector(lba: number): Buffer {
  const w = new ByteWriter(CD_SECTOR_SIZE);
  writeSyncAndHeader(w, lba, 0);
  return w.buffer;
}

/** Mode 2 formless: sync, header, 2336 bytes of user data (no EDC/ECC). */
export function makeMode2FormlessSector(lba: number, data?: Uint8Array): Buffer {
  const w = new ByteWriter(CD_SECTOR_SIZE);
  writeSyncAndHeader(w, lba, 2);
  w.bytes(16, userData(data, MODE2_FORMLESS_USER_SIZE, 'mode 2 formless'));
  return w.buffer;
}

/** The 8-byte subheader: file, channel, submode, coding information, written twice. */
export interface Subheader {
  file: number;
  channel: number;
  submode: number;
  codingInfo: number;
}

function writeSubheader(w: ByteWriter, sh: Subheader): void {
  for (const off of [16, 20]) w.u8(off, sh.file).u8(off + 1, sh.channel).u8(off + 2, sh.submode).u8(off + 3, sh.codingInfo);
}

/** Mode 2 form 1: subheader (FORM2 bit cleared), 2048 bytes, EDC over 16–2071, ECC with the header as zero. */
export function makeMode2Form1Sector(lba: number, data?: Uint8Array, subheader: Subheader = { file: 0, channel: 0, submode: Submode.DATA, codingInfo: 0 }): Buffer {
  const w = new ByteWriter(CD_SECTOR_SIZE);
  writeSubheader(w, { ...subheader, submode: subheader.submode & ~Submode.FORM2 });
  w.bytes(24, userData(data, MODE2_FORM1_USER_SIZE, 'mode 2 form 1'));
  w.buffer.writeUInt32LE(edc(w.buffer, 16, 2072), 2072);
  computeEcc(w.buffer); // header bytes 12-15 are still zero here, as ECMA-130 requires for form 1
  writeSyncAndHeader(w, lba, 2);
  return w.buffer;
}

/** Mode 2 form 2: subheader (FORM2 bit set), 2324 bytes, EDC over 16–2347. */
export function makeMode2Form2Sector(lba: number, data?: Uint8Array, subheader: Subheader = { file: 0, channel: 0, submode: Submode.FORM2, codingInfo: 0 }): Buffer {
  const w = new ByteWriter(CD_SECTOR_SIZE);
  writeSyncAndHeader(w, lba, 2);
  writeSubheader(w, { ...subheader, submode: subheader.submode | Submode.FORM2 });
  w.bytes(24, userData(data, MODE2_FORM2_USER_SIZE, 'mode 2 form 2'));
  w.buffer.writeUInt32LE(edc(w.buffer, 16, 2348), 2348);
  return w.buffer;
}

/** Audio: 2352 bytes of PCM as they are (a copy; shorter data is zero-padded). */
export function makeAudioSector(pcm?: Uint8Array): Buffer {
  if (pcm !== undefined && pcm.length > CD_SECTOR_SIZE) throw new RangeError(`audio sector holds ${CD_SECTOR_SIZE} bytes, got ${pcm.length}`);
  const out = Buffer.alloc(CD_SECTOR_SIZE);
  if (pcm) out.set(pcm);
  return out;
}

/** Checks a mode 1 sector's EDC and (by re-encoding) its ECC. */
export function checkMode1Sector(sector: Uint8Array): { edcOk: boolean; eccOk: boolean } {
  if (sector.length !== CD_SECTOR_SIZE) throw new RangeError(`CD sector must be ${CD_SECTOR_SIZE} bytes, got ${sector.length}`);
  const r = new ByteReader(sector);
  const edcOk = Buffer.from(sector.buffer, sector.byteOffset + 2064, 4).readUInt32LE(0) === edc(sector, 0, 2064);
  const copy = Buffer.from(sector);
  computeEcc(copy);
  const eccOk = copy.subarray(2076).equals(r.view(2076, 276));
  return { edcOk, eccOk };
}
