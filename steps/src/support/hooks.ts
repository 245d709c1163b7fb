import { After, AfterAll, Before, BeforeAll, setDefaultTimeout } from '@cucumber/cucumber';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTarget, unsupportedReason, type DriveUnderTest } from './target.js';
import { setDrive, type ConformanceWorld } from './world.js';

setDefaultTimeout(60_000);

let drive: DriveUnderTest | undefined;

BeforeAll(async function (this: { parameters?: { target?: string } } | undefined) {
  const target = this?.parameters?.target ?? process.env.OPENIMAPI_TARGET ?? 'emulator';
  drive = await openTarget(target);
  setDrive(drive);
});

AfterAll(async function () {
  await drive?.stop();
  setDrive(undefined);
});

// First: scenarios this drive cannot run are skipped before anything touches it, with the reason
// attached (scripts/conformance.mjs prints it).
Before(function (this: ConformanceWorld, { pickle }) {
  const tags = pickle.tags.map((t) => t.name);
  const reason = unsupportedReason(this.drive, tags, pickle.name) ?? (tags.includes('@fault') && !this.drive.control ? `no control plane: ${this.drive.limits ?? 'the drive is not the emulator'}` : undefined);
  if (reason === undefined) return undefined;
  this.log(`skipped on ${this.drive.target}: ${reason}`);
  return 'skipped';
});

Before(async function (this: ConformanceWorld) {
  this.tmp = mkdtempSync(join(tmpdir(), 'openimapi-scenario-'));
  const c = this.drive.control;
  if (c) {
    await c.disarm();
    await c.load('cd-r');
  }
});

After(async function (this: ConformanceWorld) {
  await this.drive.control?.disarm().catch(() => undefined);
  for (const f of this.cleanup.reverse()) await f().catch(() => undefined);
  if (this.format) {
    await Promise.resolve(this.format.releaseMedia?.()).catch(() => undefined);
  }
  for (const { child } of this.processes.values()) if (child.exitCode === null) child.kill('SIGKILL');
  for (const rec of this.clients.values()) await rec.close().catch(() => undefined);
  if (this.tmp) rmSync(this.tmp, { recursive: true, force: true });
});
