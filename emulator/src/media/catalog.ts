/**
 * The media the emulated drive accepts: MMC profile, family, capacity, recording discipline, speeds,
 * write types and (CD-R/RW) the ATIP a blank disc of that kind carries.
 *
 * Sources:
 *  - profile numbers: MMC-6 Table 91 (Profile list): 08h CD-ROM, 09h CD-R, 0Ah CD-RW, 10h DVD-ROM,
 *    11h DVD-R sequential recording, 14h DVD-RW sequential recording, 1Ah DVD+RW, 1Bh DVD+R,
 *    41h BD-R SRM, 43h BD-RE.
 *  - capacities (2048-byte blocks): CD-R/RW 80 min, ATIP last possible lead-out start 79:59:74 = LBA
 *    359 849 (MMC-6 §4.2.3.5 formula, `msfToLba`); DVD-R/-RW 4 707 319 808 bytes = 2 298 496 blocks; DVD+R/+RW
 *    4 700 372 992 bytes = 2 295 104 blocks; BD-R 25 GB 25 025 314 816 bytes = 12 219 392 blocks (the
 *    single-layer user capacity); BD-RE formatted with the default spare areas: 11 826 176 blocks.
 *  - 1x speeds in kB/s (1000 bytes/s, as GET PERFORMANCE reports): CD 176.4 (75 × 2352), DVD 1385,
 *    BD 4496 (MMC-6 §4.2 / Blu-ray 36 Mbit/s). Lists are rounded multiples of those, fastest first.
 *  - ATIP lead-in start 97:26:66 (LBA −11 634) is a common value of 80-minute CD-R discs; the disc
 *    sub-type and A1-A3 are left 0 (MMC-6 Table 499 allows that).
 */
import { msfToLba } from '@openimapi/sdk';

export type MediaKind = 'cd-r' | 'cd-rw' | 'dvd-r' | 'dvd-rw' | 'dvd+r' | 'dvd+rw' | 'bd-r' | 'bd-re' | 'cd-rom' | 'dvd-rom';
export type MediaFamily = 'cd' | 'dvd' | 'bd';
/** write-once: sequential recording, never erased; rewritable: sequential recording, erasable with BLANK;
 * overwrite: formatted random-access rewritable (DVD+RW, BD-RE); read-only: pressed disc. */
export type Recording = 'write-once' | 'rewritable' | 'overwrite' | 'read-only';
/** Write disciplines a medium accepts (mode page 05h write type, or the implied one for DVD+/BD). */
export type WriteMode = 'tao' | 'sao' | 'raw' | 'packet' | 'sequential' | 'incremental' | 'overwrite';

export interface MediaProfile {
  readonly kind: MediaKind;
  /** MMC profile number. */
  readonly profile: number;
  readonly family: MediaFamily;
  readonly recording: Recording;
  /** Erasable bit of READ DISC INFORMATION. */
  readonly erasable: boolean;
  /** User capacity of a blank disc in 2048-byte blocks (CD: last possible lead-out start LBA). */
  readonly capacity: number;
  /** Write speeds in kB/s, fastest first (empty for ROM). */
  readonly writeSpeeds: readonly number[];
  /** Maximum read speed in kB/s. */
  readonly readSpeed: number;
  readonly writeModes: readonly WriteMode[];
  /** CD-R/RW: ATIP lead-in start as an LBA (negative). */
  readonly leadInStart?: number;
  /** CD-R/RW: ATIP disc type (0 CD-R, 1 CD-RW) and sub-type. */
  readonly atipCdrw?: boolean;
  readonly atipSubType?: number;
}

export const CD_1X_KBPS = 176.4;
export const DVD_1X_KBPS = 1385;
export const BD_1X_KBPS = 4496;

const cdx = (...xs: number[]) => xs.map((x) => Math.round(x * CD_1X_KBPS));
const dvdx = (...xs: number[]) => xs.map((x) => Math.round(x * DVD_1X_KBPS));
const bdx = (...xs: number[]) => xs.map((x) => Math.round(x * BD_1X_KBPS));

const CD_80MIN_LAST_LEADOUT = msfToLba(79, 59, 74); // 359 849
const CD_LEADIN_START = msfToLba(97, 26, 66); // −11 634

/** The catalog, keyed by kind. */
export const MEDIA: Readonly<Record<MediaKind, MediaProfile>> = Object.freeze({
  'cd-rom': {
    kind: 'cd-rom', profile: 0x08, family: 'cd', recording: 'read-only', erasable: false,
    capacity: CD_80MIN_LAST_LEADOUT, writeSpeeds: [], readSpeed: cdx(48)[0]!, writeModes: [],
  },
  'cd-r': {
    kind: 'cd-r', profile: 0x09, family: 'cd', recording: 'write-once', erasable: false,
    capacity: CD_80MIN_LAST_LEADOUT, writeSpeeds: cdx(48, 40, 32, 24, 16, 8, 4), readSpeed: cdx(48)[0]!,
    writeModes: ['tao', 'sao', 'raw', 'packet'],
    leadInStart: CD_LEADIN_START, atipCdrw: false, atipSubType: 0,
  },
  'cd-rw': {
    kind: 'cd-rw', profile: 0x0a, family: 'cd', recording: 'rewritable', erasable: true,
    capacity: CD_80MIN_LAST_LEADOUT, writeSpeeds: cdx(24, 16, 10, 4), readSpeed: cdx(40)[0]!,
    writeModes: ['tao', 'sao', 'raw', 'packet'],
    // High-speed CD-RW (sub-type 1, MMC-6 Table 499 "Disc Sub-Type").
    leadInStart: CD_LEADIN_START, atipCdrw: true, atipSubType: 1,
  },
  'dvd-rom': {
    kind: 'dvd-rom', profile: 0x10, family: 'dvd', recording: 'read-only', erasable: false,
    capacity: 2_295_104, writeSpeeds: [], readSpeed: dvdx(16)[0]!, writeModes: [],
  },
  'dvd-r': {
    kind: 'dvd-r', profile: 0x11, family: 'dvd', recording: 'write-once', erasable: false,
    capacity: 2_298_496, writeSpeeds: dvdx(16, 8, 4), readSpeed: dvdx(16)[0]!,
    writeModes: ['sao', 'incremental'],
  },
  'dvd-rw': {
    kind: 'dvd-rw', profile: 0x14, family: 'dvd', recording: 'rewritable', erasable: true,
    capacity: 2_298_496, writeSpeeds: dvdx(6, 4, 2), readSpeed: dvdx(12)[0]!,
    writeModes: ['sao', 'incremental'],
  },
  'dvd+rw': {
    kind: 'dvd+rw', profile: 0x1a, family: 'dvd', recording: 'overwrite', erasable: true,
    capacity: 2_295_104, writeSpeeds: dvdx(8, 4, 2.4), readSpeed: dvdx(12)[0]!, writeModes: ['overwrite'],
  },
  'dvd+r': {
    kind: 'dvd+r', profile: 0x1b, family: 'dvd', recording: 'write-once', erasable: false,
    capacity: 2_295_104, writeSpeeds: dvdx(16, 8, 4), readSpeed: dvdx(16)[0]!, writeModes: ['sequential'],
  },
  'bd-r': {
    kind: 'bd-r', profile: 0x41, family: 'bd', recording: 'write-once', erasable: false,
    capacity: 12_219_392, writeSpeeds: bdx(12, 6, 4, 2), readSpeed: bdx(12)[0]!, writeModes: ['sequential'],
  },
  'bd-re': {
    kind: 'bd-re', profile: 0x43, family: 'bd', recording: 'overwrite', erasable: true,
    capacity: 11_826_176, writeSpeeds: bdx(2), readSpeed: bdx(8)[0]!, writeModes: ['overwrite'],
  },
});

export const MEDIA_KINDS = Object.freeze(Object.keys(MEDIA) as MediaKind[]);

export function isMediaKind(s: string): s is MediaKind {
  return Object.prototype.hasOwnProperty.call(MEDIA, s);
}

/** The catalog entry for a kind; TypeError for an unknown name. */
export function mediaProfile(kind: string): MediaProfile {
  if (!isMediaKind(kind)) throw new TypeError(`kind: unknown medium "${kind}" (one of ${MEDIA_KINDS.join(', ')})`);
  return MEDIA[kind];
}
