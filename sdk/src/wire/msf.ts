/**
 * LBA ↔ MSF (MMC-6 §4.2.3.5, Table 9 "LBA to MSF translation"):
 *   LBA = ((M*60 + S)*75 + F) − 150      for 0 ≤ M ≤ 89
 *   LBA = ((M*60 + S)*75 + F) − 450150   for 90 ≤ M ≤ 99  (the lead-in, negative LBAs)
 * So MSF 00:02:00 is LBA 0, 00:00:00 is LBA −150, 90:00:00 is LBA −45150, 99:59:74 is LBA −151, and
 * MSF 95:00:00 — where IMAPI2's raw DAO-96 images begin — is LBA −22650: 22 500 sectors (five
 * minutes) before absolute time 00:00:00. (Texts that call 95:00:00 "LBA −22500" count from
 * absolute time 00:00:00, not from LBA 0.)
 */

export interface Msf {
  readonly m: number;
  readonly s: number;
  readonly f: number;
}

export const FRAMES_PER_SECOND = 75;
export const SECONDS_PER_MINUTE = 60;
/** LBA of MSF 00:00:00. */
export const MSF_ZERO_LBA = -150;
/** Lowest LBA an MSF can express (MSF 90:00:00). */
export const MIN_MSF_LBA = -45150;
/** Highest LBA an MSF can express (MSF 89:59:74). */
export const MAX_MSF_LBA = 404849;
/** LBA of MSF 95:00:00, the first sector of an IMAPI2 DAO-96 raw image. */
export const RAW_IMAGE_START_LBA = -22650;

export function msfToLba(m: number | Msf, s?: number, f?: number): number {
  const msf = typeof m === 'number' ? { m, s: s ?? 0, f: f ?? 0 } : m;
  if (![msf.m, msf.s, msf.f].every(Number.isInteger) || msf.m < 0 || msf.m > 99 || msf.s < 0 || msf.s > 59 || msf.f < 0 || msf.f > 74) {
    throw new RangeError(`invalid MSF ${msf.m}:${msf.s}:${msf.f}`);
  }
  const frames = (msf.m * SECONDS_PER_MINUTE + msf.s) * FRAMES_PER_SECOND + msf.f;
  return msf.m >= 90 ? frames - 450150 : frames - 150;
}

export function lbaToMsf(lba: number): Msf {
  if (!Number.isInteger(lba) || lba < MIN_MSF_LBA || lba > MAX_MSF_LBA) {
    throw new RangeError(`LBA ${lba} has no MSF form (range ${MIN_MSF_LBA}..${MAX_MSF_LBA})`);
  }
  let frames = lba + 150;
  if (frames < 0) frames += 450000;
  const f = frames % FRAMES_PER_SECOND;
  const secs = Math.floor(frames / FRAMES_PER_SECOND);
  return { m: Math.floor(secs / SECONDS_PER_MINUTE), s: secs % SECONDS_PER_MINUTE, f };
}

/** `95:00:00` */
export function formatMsf(msf: Msf): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(msf.m)}:${p(msf.s)}:${p(msf.f)}`;
}

/** Parses `MM:SS:FF`. */
export function parseMsf(text: string): Msf {
  const m = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) throw new RangeError(`not an MSF: ${text}`);
  const msf = { m: Number(m[1]), s: Number(m[2]), f: Number(m[3]) };
  msfToLba(msf);
  return msf;
}

export function toBcd(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 99) throw new RangeError(`BCD value ${n} out of range 0..99`);
  return ((n / 10) << 4) | n % 10;
}

/** Decodes a BCD byte; returns NaN for a nibble above 9. */
export function fromBcd(b: number): number {
  const hi = b >> 4;
  const lo = b & 0x0f;
  return hi > 9 || lo > 9 ? NaN : hi * 10 + lo;
}

/**
 * The 4-byte MSF address field MMC uses when an address is given in MSF form (READ TOC/PMA/ATIP with
 * MSF=1, READ DISC INFORMATION lead-in/lead-out on CD): byte 0 reserved (0), then M, S, F in binary
 * (not BCD). Returned as the big-endian 32-bit value of those four bytes.
 */
export function msfAddressField(lba: number): number {
  const msf = lbaToMsf(lba);
  return ((msf.m << 16) | (msf.s << 8) | msf.f) >>> 0;
}

/**
 * Reads a 4-byte MSF address field (00 M S F, binary). Returns undefined when the field is not a valid
 * MSF (byte 0 not zero, S > 59, F > 74, M > 99) — e.g. FFFFFFFFh, which MMC uses for "not available".
 */
export function decodeMsfAddressField(field: number): { msf: Msf; lba: number } | undefined {
  const v = field >>> 0;
  if (v >>> 24 !== 0) return undefined;
  const msf = { m: (v >>> 16) & 0xff, s: (v >>> 8) & 0xff, f: v & 0xff };
  if (msf.m > 99 || msf.s > 59 || msf.f > 74) return undefined;
  return { msf, lba: msfToLba(msf) };
}
