/**
 * CD main-channel sectors (2352 bytes, ECMA-130 §14 and Annex A; MMC-6 Table 388 "CD-ROM sector formats"):
 *
 *   offset  mode 1               mode 2 formless   mode 2 form 1        mode 2 form 2
 *   0       sync (00 FF×10 00)   sync              sync                 sync
 *   12      header: MIN SEC FRAME (BCD, absolute time of the sector), MODE
 *   16      user data 2048       user data 2336    subheader 8          subheader 8
 *   24                                             user data 2048       user data 2324
 *   2064    EDC 4 (LE)                             (2072) EDC 4         (2348) EDC 4
 *   2068    zero 8
 *   2076    ECC P 172, Q 104                       ECC P/Q (header taken as zero)
 *
 * EDC: CRC-32 with polynomial x^32+x^31+x^16+x^15+x^4+x^3+x+1, bit-reflected (D8018001h), init 0,
 * no final XOR, stored little-endian (ECMA-130 §14.3). ECC: the (26,24) P and (45,43) Q Reed-Solomon
 * product code over GF(2^8) with x^8+x^4+x^3+x^2+1 (ECMA-130 Annex A): P over 43×2 columns of 24
 * 16-bit words, Q over 26×2 diagonals of 43 words, each codeword's two parity bytes chosen so that the
 * syndromes Σ b_i and Σ α^(n−1−i) b_i are both zero.
 */
import { lbaToMsf, toBcd } from '@openimapi/sdk';

export const CD_SECTOR = 2352;
export type SectorMode = 'audio' | 'mode0' | 'mode1' | 'mode2' | 'mode2form1' | 'mode2form2';

const SYNC = Buffer.from([0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]);

const EDC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let e = i;
    for (let b = 0; b < 8; b++) e = e & 1 ? (e >>> 1) ^ 0xd8018001 : e >>> 1;
    t[i] = e >>> 0;
  }
  return t;
})();

/** ECMA-130 EDC over `buf[start..end)`. */
export function edc(buf: Uint8Array, start: number, end: number): number {
  let e = 0;
  for (let i = start; i < end; i++) e = (e >>> 8) ^ EDC_TABLE[(e ^ buf[i]!) & 0xff]!;
  return e >>> 0;
}

// GF(2^8) with primitive polynomial 11Dh: exp/log tables.
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
export const gfMul = (a: number, b: number): number => (a === 0 || b === 0 ? 0 : GF_EXP[GF_LOG[a]! + GF_LOG[b]!]!);
const gfDiv = (a: number, b: number): number => (a === 0 ? 0 : GF_EXP[GF_LOG[a]! + 255 - GF_LOG[b]!]!);

/**
 * Two parity bytes p0 (position n−2), p1 (position n−1) for the data bytes d_0..d_{n−3} such that
 * Σ b_i = 0 and Σ α^(n−1−i) b_i = 0:  with S0 = Σ d_i, S1 = Σ α^(n−1−i) d_i:
 * p0 + p1 = S0 and α·p0 + p1 = S1  →  p0 = (S0 + S1) / (1 + α), p1 = S0 + p0.
 */
function parity2(s0: number, s1: number): [number, number] {
  const p0 = gfDiv(s0 ^ s1, 1 ^ 2);
  return [p0, s0 ^ p0];
}

/**
 * Computes P and Q parity in place over sector bytes 12..2075 (+ P for Q). `s` is the 2352-byte sector.
 * Words: byte offset 12 + 2·k + (msb/lsb half). P codeword for column c (0..42), half h: words
 * k = c + 43·r, r = 0..23, parity at r = 24, 25. Q codeword for diagonal d (0..25), half h: words
 * k = (43·d + 44·j) mod 1118, j = 0..42, parity at 1118 + d and 1144 + d (word indices).
 */
export function computeEcc(s: Uint8Array): void {
  const base = 12;
  for (let h = 0; h < 2; h++) {
    for (let c = 0; c < 43; c++) {
      let s0 = 0, s1 = 0;
      for (let r = 0; r < 24; r++) {
        const v = s[base + 2 * (c + 43 * r) + h]!;
        s0 ^= v;
        s1 ^= gfMul(v, GF_EXP[25 - r]!);
      }
      const [p0, p1] = parity2(s0, s1);
      s[base + 2 * (c + 43 * 24) + h] = p0;
      s[base + 2 * (c + 43 * 25) + h] = p1;
    }
    for (let d = 0; d < 26; d++) {
      let s0 = 0, s1 = 0;
      for (let j = 0; j < 43; j++) {
        const v = s[base + 2 * ((43 * d + 44 * j) % 1118) + h]!;
        s0 ^= v;
        s1 ^= gfMul(v, GF_EXP[44 - j]!);
      }
      const [p0, p1] = parity2(s0, s1);
      s[base + 2 * (1118 + d) + h] = p0;
      s[base + 2 * (1144 + d) + h] = p1;
    }
  }
}

/** Writes sync and header (absolute time of `lba`, mode byte). */
function header(s: Buffer, lba: number, mode: number): void {
  SYNC.copy(s, 0);
  const msf = lbaToMsf(lba);
  s[12] = toBcd(msf.m);
  s[13] = toBcd(msf.s);
  s[14] = toBcd(msf.f);
  s[15] = mode;
}

/** Mode 1 sector from 2048 bytes of user data. */
export function mode1Sector(lba: number, user: Uint8Array): Buffer {
  const s = Buffer.alloc(CD_SECTOR);
  header(s, lba, 1);
  s.set(user.subarray(0, 2048), 16);
  s.writeUInt32LE(edc(s, 0, 2064), 2064);
  computeEcc(s);
  return s;
}

/** Mode 2 form 1 sector from an 8-byte subheader and 2048 bytes of user data. ECC uses a zero header. */
export function mode2Form1Sector(lba: number, subheader: Uint8Array, user: Uint8Array): Buffer {
  const s = Buffer.alloc(CD_SECTOR);
  s.set(subheader.subarray(0, 8), 16);
  s[18]! &= ~0x20; s[22]! &= ~0x20; // form 1
  s.set(user.subarray(0, 2048), 24);
  s.writeUInt32LE(edc(s, 16, 2072), 2072);
  computeEcc(s); // header bytes 12-15 are still zero here
  header(s, lba, 2);
  return s;
}

/** Mode 2 form 2 sector from an 8-byte subheader and 2324 bytes of user data. */
export function mode2Form2Sector(lba: number, subheader: Uint8Array, user: Uint8Array): Buffer {
  const s = Buffer.alloc(CD_SECTOR);
  header(s, lba, 2);
  s.set(subheader.subarray(0, 8), 16);
  s[18]! |= 0x20; s[22]! |= 0x20;
  s.set(user.subarray(0, 2324), 24);
  s.writeUInt32LE(edc(s, 16, 2348), 2348);
  return s;
}

/** Mode 2 formless sector from 2336 bytes. */
export function mode2Sector(lba: number, user: Uint8Array): Buffer {
  const s = Buffer.alloc(CD_SECTOR);
  header(s, lba, 2);
  s.set(user.subarray(0, 2336), 16);
  return s;
}

/** Classifies a stored main channel: a data sector has the sync pattern and a mode byte. */
export function sectorMode(main: Uint8Array, audioTrack: boolean): SectorMode {
  if (audioTrack) return 'audio';
  for (let i = 0; i < 12; i++) if (main[i] !== SYNC[i]) return 'audio';
  const mode = main[15]! & 3;
  if (mode === 0) return 'mode0';
  if (mode === 1) return 'mode1';
  if (mode !== 2) return 'audio';
  // XA subheader submode byte (18) bit 5 = form 2; both copies must agree to call it XA.
  if (main[18] === main[22] && main[16] === main[20] && main[17] === main[21] && main[19] === main[23]) {
    return main[18]! & 0x20 ? 'mode2form2' : 'mode2form1';
  }
  return 'mode2';
}

/** Offset and length of the 2048-byte user data of a sector readable with READ(10), else undefined. */
export function userDataSpan(mode: SectorMode): { off: number; len: number } | undefined {
  if (mode === 'mode1') return { off: 16, len: 2048 };
  if (mode === 'mode2form1') return { off: 24, len: 2048 };
  return undefined;
}

/**
 * ECMA-130 Annex B scrambler: bytes 12-2351 of a data sector are XORed with the output of the
 * 15-bit shift register x^15 + x + 1 preset to 0001h (least significant bit first), so the table
 * starts 01h 80h 00h 60h. Applying it twice gives the sector back.
 */
export const SCRAMBLE_TABLE: Uint8Array = (() => {
  const t = new Uint8Array(CD_SECTOR - 12);
  let reg = 1;
  for (let i = 0; i < t.length; i++) {
    let b = 0;
    for (let bit = 0; bit < 8; bit++) {
      b |= (reg & 1) << bit;
      const fb = (reg ^ (reg >> 1)) & 1;
      reg = (reg >> 1) | (fb << 14);
    }
    t[i] = b;
  }
  return t;
})();

/** Scrambles (or descrambles) a 2352-byte sector in place. */
export function scramble(s: Uint8Array): Uint8Array {
  for (let i = 0; i < SCRAMBLE_TABLE.length; i++) s[12 + i]! ^= SCRAMBLE_TABLE[i]!;
  return s;
}

const isBcd = (b: number) => (b & 0x0f) < 10 && b >> 4 < 10;

/**
 * The main channel of a sector a host sent in a raw form (RAW write type, raw data forms): a data
 * sector as it lies on the disc, i.e. scrambled — cdrecord/wodim, cdrdao and libburn scramble the
 * data sectors they write RAW, as real drives expect — is descrambled, so that the store always holds
 * the logical sector READ returns. Told apart by the header: a sector with the sync pattern whose mode
 * byte is not 0-2 but is after descrambling (with a BCD address) was scrambled. Anything else (audio, a
 * host that sent logical sectors) is kept as sent.
 */
export function logicalRawSector(main: Uint8Array): Buffer {
  const out = Buffer.from(main.subarray(0, CD_SECTOR));
  return isScrambledDataSector(out) ? (scramble(out) as Buffer) : out;
}

/** True when `main` (a raw 2352-byte main channel) is a scrambled data sector (see logicalRawSector). */
export function isScrambledDataSector(main: Uint8Array): boolean {
  for (let i = 0; i < 12; i++) if (main[i] !== SYNC[i]) return false;
  if (main[15]! <= 2) return false;
  const mode = main[15]! ^ SCRAMBLE_TABLE[3]!;
  return mode <= 2 && isBcd(main[12]! ^ SCRAMBLE_TABLE[0]!) && isBcd(main[13]! ^ SCRAMBLE_TABLE[1]!) && isBcd(main[14]! ^ SCRAMBLE_TABLE[2]!);
}
