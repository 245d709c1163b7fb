/**
 * Test generator of raw DAO-96 / DAO-16 CD images (what IMAPI2's DiscFormat2RawCD writes): every sector
 * from a lead-in start through a short lead-out, 2352 main + sub-channel.
 *
 * Written from the standards, independently of the emulator's own sub-channel code so that each checks
 * the other: Q layout and CRC from ECMA-130 §22.3 (CRC-16/CCITT, initial 0, inverted, MSB first),
 * lead-in mode-1 Q points (A0 first track / PSEC disc type, A1 last track, A2 lead-out, 01-99 track
 * starts; each entry repeated three times, ECMA-130 §22.3.4.2), raw P-W interleave (MMC-6 Table 393:
 * byte i = bit i of P..W, P in bit 7, Q in bit 6).
 */

export type SubFormat = 'raw' | 'pq' | 'packed';

export interface GenTrack {
  /** Q control nibble (0 audio, 4 data). Tracks here are audio; data tracks carry a zero payload. */
  readonly control: number;
  readonly sectors: number;
}

export interface GenOptions {
  readonly leadInStart: number;
  readonly tracks: readonly GenTrack[];
  readonly sub: SubFormat;
  /** Lead-out sectors written after the last track (a drive only needs its start). */
  readonly leadOutSectors?: number;
  /** 'crc': every lead-in Q gets a bad CRC; 'points': A2 disagrees with itself; 'missing': POINT 02 absent. */
  readonly corrupt?: 'crc' | 'points' | 'missing';
}

export interface GenImage {
  readonly start: number;
  readonly sectors: number;
  readonly blockSize: number;
  readonly trackStarts: readonly number[];
  readonly leadOut: number;
  /** Block `i` (LBA start + i): main channel followed by the sub-channel in the chosen format. */
  block(i: number): Buffer;
  /** The 2352-byte main channel of LBA `lba`. */
  main(lba: number): Buffer;
}

const bcd = (n: number) => ((Math.floor(n / 10) << 4) | n % 10) & 0xff;

function crc16(b: Uint8Array, n: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) {
    c ^= b[i]! << 8;
    for (let k = 0; k < 8; k++) c = (c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1) & 0xffff;
  }
  return c;
}

/** Absolute MSF of an LBA per MMC-6 Table 9 (lead-in LBAs map to 90:00:00..99:59:74). */
function absMsf(lba: number): [number, number, number] {
  let f = lba + 150;
  if (f < 0) f += 450000;
  return [Math.floor(f / 4500), Math.floor(f / 75) % 60, f % 75];
}

function q(bytes: number[], badCrc: boolean): Buffer {
  const b = Buffer.from([...bytes, 0, 0]);
  let c = ~crc16(b, 10) & 0xffff;
  if (badCrc) c ^= 0x0001;
  b[10] = c >> 8;
  b[11] = c & 0xff;
  return b;
}

function interleave(p: boolean, q12: Buffer): Buffer {
  const out = Buffer.alloc(96);
  for (let i = 0; i < 96; i++) out[i] = (p ? 0x80 : 0) | (((q12[i >> 3]! >> (7 - (i & 7))) & 1) << 6);
  return out;
}

export function generateDao96(o: GenOptions): GenImage {
  const trackStarts: number[] = [];
  let at = 0;
  o.tracks.forEach((t, i) => {
    if (i > 0) at += 150; // 2-second pregap before every track after the first
    trackStarts.push(at);
    at += t.sectors;
  });
  const leadOut = at;
  const end = leadOut + (o.leadOutSectors ?? 150);
  const first = 1;
  const last = o.tracks.length;
  // Lead-in TOC entries: [POINT, control, PMIN, PSEC, PFRAME].
  type Entry = [number, number, number, number, number];
  const entries: Entry[] = ([
    [0xa0, o.tracks[0]!.control, first, 0x00, 0],
    [0xa1, o.tracks[last - 1]!.control, last, 0, 0],
    [0xa2, o.tracks[last - 1]!.control, ...absMsf(leadOut)],
    ...o.tracks.map((t, i) => [i + 1, t.control, ...absMsf(trackStarts[i]!)] as [number, number, number, number, number]),
  ] as Entry[]).filter((e) => !(o.corrupt === 'missing' && e[0] === 2));
  const blockSize = o.sub === 'pq' ? 2368 : 2448;

  const main = (lba: number): Buffer => {
    const m = Buffer.alloc(2352);
    if (lba < 0 || lba >= leadOut) return m; // lead-in, pregap of track 1, lead-out: digital silence
    for (let k = 0; k < 2352; k += 4) m.writeUInt32BE(((lba * 2654435761) ^ (k * 40503)) >>> 0, k);
    return m;
  };

  const qAt = (lba: number): { q12: Buffer; p: boolean } => {
    const [am, as, af] = absMsf(lba);
    if (lba < -150) {
      const n = Math.floor((lba - o.leadInStart) / 3) % entries.length;
      let [point, ctl, pm, ps, pf] = entries[n]!;
      if (o.corrupt === 'points' && point === 0xa2 && Math.floor((lba - o.leadInStart) / 3) % (2 * entries.length) >= entries.length) pf = (pf + 1) % 75;
      const bytes = [(ctl << 4) | 1, 0, point >= 0xa0 ? point : bcd(point), bcd(am), bcd(as), bcd(af), 0, bcd(pm), bcd(ps), bcd(pf)];
      return { q12: q(bytes, o.corrupt === 'crc'), p: false };
    }
    if (lba >= leadOut) {
      const r = lba - leadOut;
      const ctl = o.tracks[last - 1]!.control;
      return { q12: q([(ctl << 4) | 1, 0xaa, 1, bcd(Math.floor(r / 4500)), bcd(Math.floor(r / 75) % 60), bcd(r % 75), 0, bcd(am), bcd(as), bcd(af)], false), p: true };
    }
    let t = trackStarts.length - 1;
    while (t > 0 && lba < trackStarts[t]! - 150) t--;
    const start = trackStarts[t]!;
    const index = lba < start ? 0 : 1;
    const r = Math.abs(lba - start);
    const ctl = o.tracks[t]!.control;
    return { q12: q([(ctl << 4) | 1, bcd(t + 1), index, bcd(Math.floor(r / 4500)), bcd(Math.floor(r / 75) % 60), bcd(r % 75), 0, bcd(am), bcd(as), bcd(af)], false), p: index === 0 };
  };

  return {
    start: o.leadInStart,
    sectors: end - o.leadInStart,
    blockSize,
    trackStarts,
    leadOut,
    main,
    block(i: number): Buffer {
      const lba = o.leadInStart + i;
      const { q12, p } = qAt(lba);
      const b = Buffer.alloc(blockSize);
      main(lba).copy(b, 0);
      if (o.sub === 'pq') {
        q12.copy(b, 2352);
        if (p) b[2352 + 15] = 0x80;
      } else {
        interleave(p, q12).copy(b, 2352);
      }
      return b;
    },
  };
}

/** Blocks `from..from+n` of the image, concatenated. */
export function imageChunk(img: GenImage, from: number, n: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = from; i < Math.min(from + n, img.sectors); i++) parts.push(img.block(i));
  return Buffer.concat(parts);
}
