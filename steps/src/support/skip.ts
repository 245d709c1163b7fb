/**
 * Skipping a scenario with its reason, in one form the run's summary groups by (scripts/conformance.mjs):
 * `skipped (KIND): DETAIL`, KIND short and shared ("needs a blank CD-R", "no control plane", "cannot
 * happen in this API"), DETAIL what this scenario met ("the drive holds a finalized DVD+R").
 */
import type { ConformanceWorld } from './world.js';

export function skipWith(world: ConformanceWorld, kind: string, detail: string): 'skipped' {
  world.log(`skipped (${kind}): ${detail}`);
  return 'skipped';
}

/** A step that causes a drive condition through the emulator's control plane, on a drive without one. */
export function skipNoControlPlane(world: ConformanceWorld, what: string): 'skipped' {
  return skipWith(world, 'no control plane', `${what} is caused through the emulator's control plane, and this is ${world.drive.limits ?? 'not the emulator'}`);
}
