/**
 * The disc a scenario needs, on a drive the suite cannot load (no emulator control plane, no lab
 * fixture): a real drive is used as it is. Through the SDK's public API only, the media step
 *   1. gets the drive ready: unit attentions are read past, a drive becoming ready is waited for, an
 *      open tray is closed with closeTray() (a scenario before may have ejected);
 *   2. looks at the disc: the current profile (GET CONFIGURATION) and the media status
 *      DiscFormat2Data reads (BLANK, APPENDABLE, FINALIZED, OVERWRITE_ONLY, ...);
 *   3. proceeds when that is the disc the scenario asks for; a rewritable disc of the right kind that
 *      is not blank is quick-erased with DiscFormat2Erase when erasing is allowed (`erase` world
 *      parameter, OPENIMAPI_ALLOW_ERASE=1; on by default for the emulator targets only), the way a lab
 *      blanks its discs between runs; anything else skips the scenario with the reason
 *      ("needs a blank CD-R; the drive holds a finalized DVD+R").
 */
import { DataMediaState, DiscFormat2Data, DiscFormat2Erase, ImapiError, Profile, encodeTestUnitReadyCdb, parseSense, profileName, type DiscRecorder2Ex } from '@openimapi/sdk';
import type { ConformanceWorld } from './world.js';

/** Media the features name, the emulator's media kind for each and the MMC profiles a drive reports. */
export const MEDIA = {
  'CD-R': { kind: 'cd-r', profiles: [Profile.CD_R], rewritable: false },
  'CD-RW': { kind: 'cd-rw', profiles: [Profile.CD_RW], rewritable: true },
  'DVD-R': { kind: 'dvd-r', profiles: [Profile.DVD_R_SEQUENTIAL], rewritable: false },
  'DVD-RW': { kind: 'dvd-rw', profiles: [Profile.DVD_RW_SEQUENTIAL, Profile.DVD_RW_RESTRICTED_OVERWRITE], rewritable: true },
  'DVD+R': { kind: 'dvd+r', profiles: [Profile.DVD_PLUS_R], rewritable: false },
  'DVD+RW': { kind: 'dvd+rw', profiles: [Profile.DVD_PLUS_RW], rewritable: true },
  'BD-R': { kind: 'bd-r', profiles: [Profile.BD_R_SRM, Profile.BD_R_RRM], rewritable: false },
  'BD-RE': { kind: 'bd-re', profiles: [Profile.BD_RE], rewritable: true },
  'CD-ROM': { kind: 'cd-rom', profiles: [Profile.CD_ROM], rewritable: false },
  'DVD-ROM': { kind: 'dvd-rom', profiles: [Profile.DVD_ROM], rewritable: false },
} as const;
export type MediaName = keyof typeof MEDIA;

/**
 * What a media step asks for: "a blank CD-R", "a pressed CD-ROM", or "any disc" (the scenario needs a
 * disc in the drive, whatever it is: the emulator loads a blank CD-R).
 */
export type MediaNeed = { readonly state: 'blank' | 'pressed'; readonly media: MediaName } | { readonly state: 'any' };

const MEDIA_NAMES = Object.keys(MEDIA).map((m) => m.replace('+', '\\+')).join('|');
/** The wording of the media steps (common.steps.ts). */
export const MEDIA_STEP = new RegExp(`^a drive with (?:a (blank|pressed) (${MEDIA_NAMES})|any disc)$`);

export function mediaNeedOf(stepText: string): MediaNeed | undefined {
  const m = MEDIA_STEP.exec(stepText);
  if (!m) return undefined;
  return m[1] ? { state: m[1] as 'blank' | 'pressed', media: m[2] as MediaName } : { state: 'any' };
}

/** The emulator's media kind for a need ("any disc": a blank CD-R, what every scenario starts with). */
export function emulatorKind(n: MediaNeed): string {
  return n.state === 'any' ? MEDIA['CD-R'].kind : MEDIA[n.media].kind;
}

export const describeNeed = (n: MediaNeed): string => (n.state === 'any' ? 'a disc' : `a ${n.state} ${n.media}`);

/** The disc in the drive as the SDK sees it. */
export interface DiscInDrive {
  /** Current profile, 0 for no disc. */
  readonly profile: number;
  /** IMAPI_FORMAT2_DATA_MEDIA_STATE flags, when DiscFormat2Data could identify the disc. */
  readonly status: number | undefined;
  /** "a finalized DVD+R", "no disc", "a CD-RW holding data", ... */
  readonly description: string;
}

const ROM_PROFILES: ReadonlySet<number> = new Set([Profile.CD_ROM, Profile.DVD_ROM, Profile.BD_ROM]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function nameOfProfile(profile: number): string {
  return (Object.entries(MEDIA) as Array<[MediaName, (typeof MEDIA)[MediaName]]>).find(([, m]) => (m.profiles as readonly number[]).includes(profile))?.[0] ?? profileName(profile);
}

function describeError(e: unknown): string {
  return e instanceof ImapiError ? `${e.hresultName}` : e instanceof Error ? e.message : String(e);
}

/**
 * Waits until the drive is ready with a disc (TEST UNIT READY through the pass-through), closing an
 * open tray once; returns why not when it cannot be ("no disc", "its tray open", ...).
 */
async function getReady(rec: DiscRecorder2Ex, readyWithinMs: number): Promise<string | undefined> {
  const until = Date.now() + readyWithinMs;
  let closed = false;
  for (;;) {
    const r = await rec.sendCommandNoData(encodeTestUnitReadyCdb(), 10);
    if (r.hresult === 0) return undefined;
    const s = parseSense(r.senseBuffer);
    if (!s) return 'a drive that fails TEST UNIT READY without sense data';
    if (s.key === 0x6) continue; // unit attention: an event, not the drive's state; ask again
    if (s.key === 0x2 && s.asc === 0x3a) {
      // 3A/02 tray open; 3A/00 does not say where the tray is: close it once either way.
      if (s.ascq !== 0x01 && !closed) {
        closed = true;
        try {
          await rec.closeTray();
        } catch (e) {
          return `its tray open (closeTray failed: ${describeError(e)})`;
        }
        continue;
      }
      return s.ascq === 0x02 ? 'its tray open' : closed ? 'no disc (closing the tray loaded none)' : 'no disc';
    }
    // 02/04/xx: becoming ready, an operation in progress: wait for it.
    if (s.key === 0x2 && s.asc === 0x04 && Date.now() < until) {
      await sleep(250);
      continue;
    }
    return `a drive that is not ready (sense ${s.key.toString(16)}/${s.asc.toString(16)}/${s.ascq.toString(16)})`;
  }
}

/** What the drive holds, through the SDK's public API (see the header). */
export async function inspectDrive(rec: DiscRecorder2Ex, readyWithinMs = 60_000): Promise<DiscInDrive> {
  const notReady = await getReady(rec, readyWithinMs);
  if (notReady) return { profile: 0, status: undefined, description: notReady };
  const profile = (await rec.getCurrentProfiles())[0] ?? 0;
  if (profile === 0) return { profile, status: undefined, description: 'no disc' };
  const name = nameOfProfile(profile);
  if (ROM_PROFILES.has(profile)) return { profile, status: undefined, description: `a pressed ${name}` };
  const data = new DiscFormat2Data();
  data.recorder = rec;
  let status: number;
  try {
    status = await data.getCurrentMediaStatus();
  } catch (e) {
    return { profile, status: undefined, description: `a ${name} whose state the SDK cannot read (${describeError(e)})` };
  }
  const has = (f: number) => (status & f) === f;
  const description = has(DataMediaState.BLANK)
    ? `a blank ${name}`
    : has(DataMediaState.FINALIZED)
      ? `a finalized ${name}`
      : has(DataMediaState.APPENDABLE)
        ? `an appendable ${name}`
        : has(DataMediaState.OVERWRITE_ONLY)
          ? `a ${name} holding data`
          : `a ${name} (media status 0x${status.toString(16)})`;
  return { profile, status, description };
}

function matches(need: MediaNeed, disc: DiscInDrive): boolean {
  if (need.state === 'any') return disc.profile !== 0;
  if (!(MEDIA[need.media].profiles as readonly number[]).includes(disc.profile)) return false;
  if (need.state === 'pressed') return ROM_PROFILES.has(disc.profile);
  return disc.status !== undefined && (disc.status & DataMediaState.BLANK) !== 0;
}

/** Whether the suite may erase the disc in the drive (see the header). */
export function eraseAllowed(world: ConformanceWorld): boolean {
  const p = world.parameters.erase;
  if (typeof p === 'boolean') return p;
  const env = process.env.OPENIMAPI_ALLOW_ERASE;
  if (env !== undefined && env !== '') return env === '1' || env === 'true';
  return world.drive.target === 'emulator' || world.drive.target === 'container';
}

/** How a lab turns erasing on, for a skip reason. */
export const ERASE_HINT = `OPENIMAPI_ALLOW_ERASE=1 or --world-parameters '{"erase":true}' lets the suite quick-erase it`;

/** Why a scenario cannot have its disc: `kind` names the disc it needs, `detail` what the drive holds. */
export interface MediaMismatch {
  readonly kind: string;
  readonly detail: string;
}

/**
 * Makes the disc in the drive the one `need` names, as far as that can be done without loading
 * another: proceeds (undefined) or says why not. `log` gets what was done (an erase).
 */
export async function useDriveAsItIs(world: ConformanceWorld, need: MediaNeed, log: (line: string) => void): Promise<MediaMismatch | undefined> {
  // Its own client, with room for a real drive's slow commands (closing the tray loads and spins up).
  const rec = await world.master(MEDIA_CLIENT, MEDIA_COMMAND_TIMEOUT_MS).openRecorder(world.drive.uniqueId);
  try {
    let disc = await inspectDrive(rec);
    if (matches(need, disc)) return undefined;
    const kind = `needs ${describeNeed(need)}`;
    const holds = `the drive holds ${disc.description}`;
    if (!(need.state === 'blank' && (MEDIA[need.media].profiles as readonly number[]).includes(disc.profile) && MEDIA[need.media].rewritable && disc.status !== undefined)) return { kind, detail: holds };
    if (!eraseAllowed(world)) return { kind, detail: `${holds}, and erasing is off (${ERASE_HINT})` };
    const erase = new DiscFormat2Erase();
    erase.recorder = rec;
    erase.clientName = 'openimapi conformance (blanking the disc)';
    erase.fullErase = false;
    try {
      await erase.eraseMedia();
    } catch (e) {
      return { kind, detail: `${holds}, and a quick erase failed: ${describeError(e)}` };
    }
    log(`quick-erased ${disc.description} to get ${describeNeed(need)}`);
    disc = await inspectDrive(rec);
    return matches(need, disc) ? undefined : { kind, detail: `after a quick erase the drive holds ${disc.description}` };
  } finally {
    await rec.close().catch(() => undefined);
  }
}

/** The client the media steps look at the drive with (closed again before the scenario goes on). */
const MEDIA_CLIENT = 'media check';
/** Its command timeout: a real drive takes seconds to load a disc and spin it up. */
export const MEDIA_COMMAND_TIMEOUT_MS = 60_000;

/** On a drive used as it is: a later media step of this scenario replaces the disc now in the drive. */
export function discToBeReplaced(world: ConformanceWorld): boolean {
  return world.mediaStepsAhead > 0;
}

/**
 * Opens the tray (and, with `thenClose`, closes it again) through a client of its own: what someone at
 * the drive does. A disc that goes out and back in is a disc change to the drive and to every client
 * (unit attention 06/28/00, a NewMedia event), the same as a swap to another disc of that kind.
 */
export async function moveTray(world: ConformanceWorld, thenClose: boolean): Promise<void> {
  const rec = await world.master('tray', MEDIA_COMMAND_TIMEOUT_MS).openRecorder(world.drive.uniqueId);
  try {
    await rec.ejectMedia();
    if (thenClose) await rec.closeTray();
  } finally {
    await rec.close().catch(() => undefined);
  }
}
