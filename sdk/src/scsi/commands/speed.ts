/**
 * Drive speed units. MMC reports and takes speeds in kB/s, 1 kB = 1000 bytes (SET CD SPEED, SET
 * STREAMING, GET PERFORMANCE, mode page 2Ah); IMAPI2 speaks sectors per second.
 *
 *   CD 1x  = 75 sectors/s of 2352 bytes = 176 400 B/s = 176.4 kB/s (drives print 176 or 177)
 *   DVD 1x = 1385 kB/s (11.08 Mbit/s), counted in 2048-byte sectors
 *   BD 1x  = 4496 kB/s (36 Mbit/s, 4495.5 rounded up as drives report it), 2048-byte sectors
 *
 * IMAPI2's own 1x figures (imapi2.h IMAPI_SECTORS_PER_SECOND_AT_1X_*: CD 75, DVD 680, BD 2195) are
 * sectors per second; for DVD they differ from 1385000 / 2048 = 676.3, so both are given here.
 */

export type SpeedMedia = 'cd' | 'dvd' | 'bd';

/** kB/s of 1x. */
export const SPEED_1X_KBPS: Readonly<Record<SpeedMedia, number>> = { cd: 176.4, dvd: 1385, bd: 4496 };

/** Bytes per sector that speeds are counted in. */
export const SPEED_SECTOR_BYTES: Readonly<Record<SpeedMedia, number>> = { cd: 2352, dvd: 2048, bd: 2048 };

/** IMAPI2's sectors per second at 1x (IMAPI_SECTORS_PER_SECOND_AT_1X_CD/_DVD/_BD). */
export const IMAPI_SECTORS_PER_SECOND_AT_1X: Readonly<Record<SpeedMedia, number>> = { cd: 75, dvd: 680, bd: 2195 };

function media(m: SpeedMedia): SpeedMedia {
  if (m !== 'cd' && m !== 'dvd' && m !== 'bd') throw new TypeError(`media must be 'cd', 'dvd' or 'bd', got ${String(m)}`);
  return m;
}

function nonNegative(name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new TypeError(`${name} must be a finite number >= 0, got ${String(v)}`);
  return v;
}

/** kB/s → sectors per second (rounded to the nearest whole sector): CD 176 → 75, BD 4496 → 2195. */
export function kbpsToSectorsPerSecond(kbps: number, m: SpeedMedia): number {
  return Math.round((nonNegative('kbps', kbps) * 1000) / SPEED_SECTOR_BYTES[media(m)]);
}

/** Sectors per second → kB/s (rounded): CD 75 → 176, DVD 680 → 1393. */
export function sectorsPerSecondToKbps(sectorsPerSecond: number, m: SpeedMedia): number {
  return Math.round((nonNegative('sectorsPerSecond', sectorsPerSecond) * SPEED_SECTOR_BYTES[media(m)]) / 1000);
}

/** kB/s → multiple of 1x (not rounded): CD 7056 → 40. */
export function kbpsToX(kbps: number, m: SpeedMedia): number {
  return nonNegative('kbps', kbps) / SPEED_1X_KBPS[media(m)];
}

/** Multiple of 1x → kB/s (rounded): CD 48 → 8467, DVD 16 → 22160, BD 6 → 26976. */
export function xToKbps(x: number, m: SpeedMedia): number {
  return Math.round(nonNegative('x', x) * SPEED_1X_KBPS[media(m)]);
}
