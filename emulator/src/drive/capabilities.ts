/**
 * What the drive can record, beyond the media it takes: the recording capabilities of MMC-6's CD
 * Mastering (002Eh) and CD Track at Once (002Dh) features and page 2Ah's Test Write. The shipping
 * burner has them all; the control plane can switch them off at run time, to be a drive that lacks
 * them (a drive without R-W sub-channel recording, without raw or SAO recording, without simulation).
 *
 * A capability that is off is off everywhere the drive shows or uses it:
 *   sao              002Eh SAO (and its MAXIMUM CUE SHEET LENGTH, 0 without SAO); page 05h WRITE TYPE
 *                    2; SEND CUE SHEET
 *   raw              002Eh Raw; page 05h WRITE TYPE 3
 *   rawMultiSession  002Eh Raw MS (set only with raw); WRITE TYPE 3 with MULTI-SESSION 11b
 *   rwSubcode        002Eh R-W, 002Dh R-W Raw / R-W Pack / R-W Subcode, bits 2-3 of the data block
 *                    type masks of 002Dh and 0021h; page 05h DATA BLOCK TYPE 2 and 3 (2448 bytes,
 *                    the host's P-W sub-channel)
 *   testWrite        Test Write of 002Dh, 002Eh, 002Fh and page 2Ah; page 05h Test Write
 * With neither sao nor raw the drive has no CD Mastering feature at all (it is not listed). Page 05h
 * values count for CD: MODE SELECT checks them while a CD (or no disc) is in the drive, WRITE on a
 * CD; on DVD and BD only Test Write is checked.
 * MODE SELECT refuses page 05h values that need a missing capability with 05/26/00 INVALID FIELD IN
 * PARAMETER LIST at the field (as a drive refuses a write type or data block type it does not record:
 * libburn probes a drive's write modes that way); a WRITE or SEND CUE SHEET with such values
 * already in page 05h (selected before the capability went off) is 05/64/00 ILLEGAL MODE FOR THIS TRACK.
 *
 * Reading is not affected: page 2Ah's R-W Supported and R-W De-interleaved & Corrected bits are
 * about reading the R-W sub-channel, which the drive still does. A change is not reported to the
 * hosts (no unit attention): real drives do not change their capabilities, and a host reads them
 * again (GET CONFIGURATION) before every recording. Resets and power cycles keep them.
 */
import { DataBlockType, MultiSession, WriteType } from '@openimapi/sdk';

export interface DriveCapabilities {
  readonly sao: boolean;
  readonly raw: boolean;
  readonly rawMultiSession: boolean;
  readonly rwSubcode: boolean;
  readonly testWrite: boolean;
}

export const defaultCapabilities: DriveCapabilities = Object.freeze({ sao: true, raw: true, rawMultiSession: true, rwSubcode: true, testWrite: true });

const KEYS = Object.keys(defaultCapabilities) as (keyof DriveCapabilities)[];

/**
 * A change of capabilities, checked whole: a JSON object whose keys are capability names and whose
 * values are booleans. Anything else is a TypeError naming the key (nothing is applied).
 */
export function parseCapabilities(v: unknown): Partial<DriveCapabilities> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError('capabilities: expected a JSON object such as {"rwSubcode": false}');
  const out: Partial<Record<keyof DriveCapabilities, boolean>> = {};
  for (const [k, x] of Object.entries(v)) {
    if (!(KEYS as string[]).includes(k)) throw new TypeError(`capabilities: unknown capability "${k}" (known: ${KEYS.join(', ')})`);
    if (typeof x !== 'boolean') throw new TypeError(`capabilities: "${k}" must be true or false, not ${JSON.stringify(x)}`);
    out[k as keyof DriveCapabilities] = x;
  }
  return out;
}

/** Data block types that carry the host's R-W sub-channel (2448-byte blocks). */
const RW_BLOCK_TYPES = (1 << DataBlockType.RAW_PW_PACKED) | (1 << DataBlockType.RAW_PW_RAW);

/** A data block type mask (bit n = type n, as in 0021h/002Dh) without the types the drive cannot record. */
export function recordableBlockTypes(mask: number, caps: DriveCapabilities): number {
  return caps.rwSubcode ? mask : mask & ~RW_BLOCK_TYPES;
}

/** The page 05h fields a recording uses. */
export interface RecordingParameters {
  readonly writeType: number;
  readonly dataBlockType: number;
  readonly multiSession: number;
  readonly testWrite: boolean;
}

/**
 * The first page 05h value that needs a capability the drive lacks: its byte in the page, bit and
 * what it is; undefined when the drive records them all. `cd`: the recording is (or may be) on a CD;
 * on DVD and BD only Test Write counts (WRITE TYPE 2 is DVD-R disc at once there, and write type 3
 * and the data block types are CD's).
 */
export function missingCapability(caps: DriveCapabilities, p: RecordingParameters, cd: boolean): { byte: number; bit?: number; what: string } | undefined {
  if (!caps.testWrite && p.testWrite) return { byte: 2, bit: 4, what: 'Test Write: the drive does not record in simulation' };
  if (!cd) return undefined;
  if (!caps.sao && p.writeType === WriteType.SESSION_AT_ONCE) return { byte: 2, bit: 3, what: 'WRITE TYPE 2: the drive does not record CD session at once' };
  if (!caps.raw && p.writeType === WriteType.RAW) return { byte: 2, bit: 3, what: 'WRITE TYPE 3: the drive does not record raw' };
  if (!caps.rawMultiSession && p.writeType === WriteType.RAW && p.multiSession === MultiSession.NEXT_SESSION_ALLOWED) {
    return { byte: 3, bit: 7, what: 'MULTI-SESSION 11b with WRITE TYPE 3: the drive does not record raw multi-session' };
  }
  if (!caps.rwSubcode && (RW_BLOCK_TYPES >> p.dataBlockType) & 1) return { byte: 4, bit: 3, what: `DATA BLOCK TYPE ${p.dataBlockType}: the drive does not record the host's R-W sub-channel` };
  return undefined;
}

