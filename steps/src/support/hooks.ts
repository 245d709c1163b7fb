import { After, AfterAll, Before, BeforeAll, setDefaultTimeout } from '@cucumber/cucumber';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTarget, unsupportedReason, type DriveUnderTest } from './target.js';
import { setDrive, TIMEOUT_ROW_COMMAND_TIMEOUT_MS, type ConformanceWorld } from './world.js';
import { documentedRow } from '../common.steps.js';
import { describeNeed, mediaNeedOf } from './media.js';
import { skipNoControlPlane, skipWith } from './skip.js';

setDefaultTimeout(60_000);

let drive: DriveUnderTest | undefined;

BeforeAll(async function (this: { parameters?: { target?: string; fixture?: string } } | undefined) {
  const target = this?.parameters?.target ?? process.env.OPENIMAPI_TARGET ?? 'emulator';
  drive = await openTarget(target, this?.parameters?.fixture ?? (process.env.OPENIMAPI_FIXTURE || undefined));
  setDrive(drive);
});

AfterAll(async function () {
  await drive?.stop();
  setDrive(undefined);
});

// Rows that cannot be driven here are skipped before the Background runs (nothing to set up for
// them); their name and value are still checked against the catalog, and the reason is printed.
const UNDRIVABLE = { '@not-reachable': 'cannot happen in this API', '@sdk-gap': 'not returned by the SDK', '@emulator-gap': 'cannot be caused by the emulator' };
Before({ tags: Object.keys(UNDRIVABLE).join(' or ') }, function (this: ConformanceWorld, { pickle }) {
  const row = /^(HRESULT_FROM_WIN32\([A-Z_]+\)|[A-Z][A-Z0-9_]+) \((0x[0-9A-Fa-f]{8})\) — (.*)$/.exec(pickle.name);
  if (!row) throw new Error(`an undrivable row's scenario name must start with "NAME (0xVALUE) — ": ${pickle.name}`);
  documentedRow(row[1]!, row[2]!);
  const tag = pickle.tags.map((t) => t.name).find((t): t is keyof typeof UNDRIVABLE => t in UNDRIVABLE)!;
  return skipWith(this, UNDRIVABLE[tag], row[3]!);
});

// Then: scenarios this drive cannot run are skipped before anything touches it, with the reason
// attached (scripts/conformance.mjs prints it).
Before(function (this: ConformanceWorld, { pickle }) {
  const tags = pickle.tags.map((t) => t.name);
  const steps = pickle.steps.map((s) => s.text);
  const c = this.drive.control;
  const unsupported = unsupportedReason(this.drive, tags, pickle.name, steps);
  if (unsupported !== undefined) return skipWith(this, `not possible on ${this.drive.target}`, unsupported);
  if (tags.includes('@fault') && !c) return skipNoControlPlane(this, 'the @fault condition');
  // A lab fixture does physical acts only: a scenario that needs another drive condition is skipped.
  if (c?.supportsScenario && !c.supportsScenario(steps)) return skipWith(this, 'beyond a lab fixture', `${this.drive.limits ?? 'a lab fixture'}: the scenario needs a condition a physical act cannot cause`);
  if (!c) return planDiscAsItIs(this, steps);
  return undefined;
});

/** Steps that may stand between two media steps on a drive used as it is (see planDiscAsItIs). */
const BEFORE_A_SWAP = [/^a DiscFormat2\w+ on that recorder with client name /, /^client "[^"]+" opens the recorder$/, /^the (?:CD-R|CD-RW|disc) already holds /];

/**
 * A drive used as it is holds one disc for the whole scenario. Where a scenario's own media step
 * follows the Background's (a DVD+RW scenario in a CD-R feature), only the last one counts: the steps
 * before it open clients and format objects, and set nothing up on the disc that is to be replaced
 * (world.mediaStepsAhead). A scenario that uses the first disc before the swap is skipped.
 */
function planDiscAsItIs(world: ConformanceWorld, steps: readonly string[]): 'skipped' | undefined {
  const at = steps.flatMap((s, i) => (mediaNeedOf(s) ? [i] : []));
  world.mediaStepsAhead = at.length;
  if (at.length < 2) return undefined;
  const first = mediaNeedOf(steps[at[0]!]!)!;
  const last = mediaNeedOf(steps[at[at.length - 1]!]!)!;
  const using = steps.slice(at[0]! + 1, at[at.length - 1]).find((s) => !mediaNeedOf(s) && !BEFORE_A_SWAP.some((r) => r.test(s)));
  if (using === undefined) return undefined;
  return skipWith(world, 'needs a disc swap', `the scenario uses ${describeNeed(first)} ("${using}") and then needs ${describeNeed(last)}; a lab fixture or the emulator's control plane can swap discs`);
}

Before(async function (this: ConformanceWorld) {
  this.tmp = mkdtempSync(join(tmpdir(), 'openimapi-scenario-'));
  const c = this.drive.control;
  if (c) {
    await c.disarm();
    await c.load('cd-r');
  }
});

// The drive hangs on purpose in these rows: a shorter cap keeps each row's wait short. The commands
// before the hang are small ones on loopback, far below the cap even on a loaded machine.
Before({ tags: '@timeout' }, function (this: ConformanceWorld) {
  this.commandTimeoutMs = TIMEOUT_ROW_COMMAND_TIMEOUT_MS;
});

After(async function (this: ConformanceWorld) {
  await this.drive.control?.disarm().catch(() => undefined);
  // Not swallowed: this worker's later scenarios must meet the drive with every capability.
  if (this.capabilitiesChanged) await this.drive.control!.resetCapabilities!();
  for (const f of this.cleanup.reverse()) await f().catch(() => undefined);
  if (this.format) {
    await Promise.resolve(this.format.releaseMedia?.()).catch(() => undefined);
  }
  for (const { child } of this.processes.values()) if (child.exitCode === null) child.kill('SIGKILL');
  for (const rec of this.clients.values()) await rec.close().catch(() => undefined);
  if (this.tmp) rmSync(this.tmp, { recursive: true, force: true });
});
