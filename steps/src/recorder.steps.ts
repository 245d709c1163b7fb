import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DiscMaster2, DiscRecorder2Ex, HResult, encodeTestUnitReadyCdb, parseSense } from '@openimapi/sdk';
import type { ConformanceWorld } from './support/world.js';
import { freePort } from './support/emulator-process.js';
import { assertFailedWith, assertSucceeded } from './common.steps.js';
import { emulatorKind, moveTray, useDriveAsItIs } from './support/media.js';
import { skipWith } from './support/skip.js';

Given('client {string} opens the recorder', async function (this: ConformanceWorld, name: string) {
  await this.openClient(name);
});

When(/^client "([^"]+)" acquires exclusive access as "([^"]*)"(?: (\d+) times)?$/, async function (this: ConformanceWorld, name: string, clientName: string, times?: string) {
  const rec = this.client(name);
  for (let i = 0; i < Number(times ?? 1); i++) {
    const r = await this.attempt(() => rec.acquireExclusiveAccess(false, clientName));
    if (!r.ok) break;
    this.lockNames.set(name, clientName);
  }
});

When(/^client "([^"]+)" releases exclusive access(?: (\d+) times)?$/, async function (this: ConformanceWorld, name: string, times?: string) {
  const rec = this.client(name);
  const n = Number(times ?? 1);
  this.result = { ok: true };
  for (let i = 0; i < n; i++) {
    const r = await this.attempt(() => rec.releaseExclusiveAccess());
    if (!r.ok) break;
  }
});

Then('client {string} can acquire exclusive access as {string}', async function (this: ConformanceWorld, name: string, clientName: string) {
  const rec = await this.openClient(name);
  await rec.acquireExclusiveAccess(false, clientName);
  this.lockNames.set(name, clientName);
  assert.equal(rec.exclusiveAccessCount, 1);
});

Then(/^client "([^"]+)" acquiring exclusive access as "([^"]*)" fails with (\S+) \((0x[0-9A-Fa-f]{8})\)$/, async function (this: ConformanceWorld, name: string, clientName: string, hr: string, hex: string) {
  const rec = await this.openClient(name);
  const r = await this.attempt(() => rec.acquireExclusiveAccess(false, clientName));
  assertFailedWith(r, hr, hex);
  assert.equal(rec.exclusiveAccessCount, 0, 'a refused acquire leaves the lock count at 0');
});

Then(/^client "([^"]+)" sees (client|process) "([^"]+)" as the exclusive access owner$/, async function (this: ConformanceWorld, name: string, kind: string, holder: string) {
  const owner = await this.client(name).getExclusiveAccessOwner();
  assertOwner(owner, this.expectedOwner(kind as 'client' | 'process', holder));
});

Then('client {string} still holds exclusive access', async function (this: ConformanceWorld, name: string) {
  const rec = this.client(name);
  assert.ok(rec.exclusiveAccessCount >= 1, `client ${name} lock count is ${rec.exclusiveAccessCount}`);
  const others = [...this.clients.entries()].filter(([n]) => n !== name);
  for (const [, other] of others) {
    assertOwner(await other.getExclusiveAccessOwner(), this.expectedOwner('client', name));
  }
});

Given('client {string} closes the recorder', async function (this: ConformanceWorld, name: string) {
  await this.client(name).close();
});

Given('a separate process {string} holds exclusive access as {string}', async function (this: ConformanceWorld, name: string, clientName: string) {
  const initiatorName = this.initiatorName(`process-${name}`);
  const script = fileURLToPath(new URL('./support/lock-holder.js', import.meta.url));
  const child = spawn(process.execPath, [script, this.drive.uniqueId, initiatorName, clientName], { stdio: ['ignore', 'pipe', 'pipe'] });
  this.processes.set(name, { child, clientName });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`process ${name} did not take the lock in 15 s: ${err}`)), 15_000);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('held')) {
        clearTimeout(t);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`process ${name} exited with ${code}: ${err}`));
    });
  });
  child.removeAllListeners('exit');
});

When('process {string} is killed', async function (this: ConformanceWorld, name: string) {
  const p = this.processes.get(name);
  assert.ok(p, `no process ${name}`);
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGKILL');
  await exited;
  assertSucceeded({ ok: true });
});

// --- any method or property of a client's recorder -----------------------------------------------

When(/^client "([^"]+)" calls (\w+)$/, async function (this: ConformanceWorld, name: string, method: string) {
  const rec = this.client(name) as unknown as Record<string, () => unknown>;
  await this.attempt(() => rec[method]!());
});

When(/^client "([^"]+)" calls (\w+) with arguments (.+)$/, async function (this: ConformanceWorld, name: string, method: string, args: string) {
  const rec = this.client(name) as unknown as Record<string, (...a: unknown[]) => unknown>;
  const values = JSON.parse(`[${args}]`) as unknown[];
  await this.attempt(() => rec[method]!(...values));
});

When(/^client "([^"]+)" reads (\w+)$/, async function (this: ConformanceWorld, name: string, prop: string) {
  const rec = this.client(name) as unknown as Record<string, unknown>;
  await this.attempt(() => (typeof rec[prop] === 'function' ? (rec[prop] as () => unknown).call(rec) : rec[prop]));
});

Then(/^it succeeds with a list that includes (.+)$/, function (this: ConformanceWorld, items: string) {
  assertSucceeded(this.result);
  const got = (this.result as { value: unknown[] }).value;
  assert.ok(Array.isArray(got), `not a list: ${JSON.stringify(got)}`);
  for (const x of JSON.parse(`[${items}]`) as unknown[]) assert.ok(got.includes(x), `${JSON.stringify(got)} lacks ${JSON.stringify(x)}`);
});

Then(/^it succeeds with a string of 1 to (\d+) characters$/, function (this: ConformanceWorld, max: string) {
  assertSucceeded(this.result);
  const v = (this.result as { value: unknown }).value;
  assert.ok(typeof v === 'string' && v.trim().length >= 1 && v.length <= Number(max), `${JSON.stringify(v)}`);
});

Then('it succeeds with the unique id of the drive', function (this: ConformanceWorld) {
  assertSucceeded(this.result);
  assert.equal((this.result as { value: unknown }).value, this.drive.uniqueId);
});

/** TEST UNIT READY through the pass-through: the drive's own word on the tray and the disc. */
Then(/^the drive tells client "([^"]+)" (the tray is open|the tray is closed with no disc|it is ready)$/, async function (this: ConformanceWorld, name: string, state: string) {
  // Unit attentions (power on, medium changed) report events, not the tray: ask again past them.
  let r = await this.client(name).sendCommandNoData(encodeTestUnitReadyCdb(), 10);
  for (let i = 0; i < 5 && r.hresult !== 0 && parseSense(r.senseBuffer)?.key === 0x6; i++) r = await this.client(name).sendCommandNoData(encodeTestUnitReadyCdb(), 10);
  if (state === 'it is ready') {
    assert.equal(r.hresult, 0, `TEST UNIT READY: sense ${JSON.stringify(parseSense(r.senseBuffer))}`);
    return;
  }
  assert.equal(r.hresult, HResult.S_IMAPI_COMMAND_HAS_SENSE_DATA);
  const s = parseSense(r.senseBuffer);
  assert.ok(s, 'no sense data');
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  assert.deepEqual([s.key, s.asc, s.ascq], [0x02, 0x3a, state === 'the tray is open' ? 0x02 : 0x01], `TEST UNIT READY: sense ${hex(s.key)}/${hex(s.asc)}/${hex(s.ascq)}, not 02/3a/${state === 'the tray is open' ? '02 (tray open)' : '01 (tray closed)'}`);
});

// A disc change, as the drive and its clients see it (unit attention 06/28/00, a NewMedia event). The
// emulator and a lab fixture load a fresh blank CD-R (every scenario's disc there is one); a drive
// nothing can load has its disc taken out and put back, through the SDK (support/media.ts moveTray).
Given('the disc in the drive is taken out and put back', { timeout: 15 * 60_000 }, async function (this: ConformanceWorld) {
  const c = this.drive.control;
  if (c) return void (await c.load(emulatorKind({ state: 'any' })));
  const mismatch = await useDriveAsItIs(this, { state: 'any' }, (line) => this.log(line));
  if (mismatch) return skipWith(this, mismatch.kind, mismatch.detail);
  await moveTray(this, true);
  return undefined;
});

Given('the tray of the drive is open', async function (this: ConformanceWorld) {
  const c = this.drive.control;
  if (c) return void (await c.eject(true));
  await moveTray(this, false);
  return undefined;
});

When('client {string} sends a command to the drive', async function (this: ConformanceWorld, name: string) {
  // MODE SENSE: a command that reports a pending unit attention (GET CONFIGURATION does not, MMC-6).
  await this.client(name).getModePage(0x2a);
});

Then(/^client "([^"]+)" has raised (\d+) media change notifications?$/, function (this: ConformanceWorld, name: string, n: string) {
  assert.equal(this.mediaChanges.get(name)?.length ?? 0, Number(n), JSON.stringify(this.mediaChanges.get(name)));
});

Then(/^client "([^"]+)" reports media change notification (enabled|disabled)$/, function (this: ConformanceWorld, name: string, state: string) {
  assert.equal(this.client(name).mcnEnabled, state === 'enabled');
});

// --- a recorder object before initializeDiscRecorder -----------------------------------------------

Given('a recorder object {string} that is not initialized', function (this: ConformanceWorld, name: string) {
  const master = this.master(name);
  const rec = new DiscRecorder2Ex({ open: (id) => master.open(id), commandTimeoutMs: this.commandTimeoutMs, mcnPollMs: 0 });
  this.clients.set(name, rec);
});

When(/^recorder "([^"]+)" is initialized with the drive's unique id$/, async function (this: ConformanceWorld, name: string) {
  await this.attempt(() => this.client(name).initializeDiscRecorder(this.drive.uniqueId));
});

When(/^recorder "([^"]+)" is initialized with the unique id of a target nobody serves$/, async function (this: ConformanceWorld, name: string) {
  const id = `iscsi://127.0.0.1:${await freePort()}/iqn.2026-11.org.openimapi:nobody/0`;
  await this.attempt(() => this.client(name).initializeDiscRecorder(id));
});

When(/^recorder "([^"]+)" is initialized with the unique id (""|-?\d+|null)$/, async function (this: ConformanceWorld, name: string, id: string) {
  await this.attempt(() => this.client(name).initializeDiscRecorder(JSON.parse(id) as string));
});

Given(/^client "([^"]+)" sends the CDB \[([\d, ]+)\] through the pass-through$/, async function (this: ConformanceWorld, name: string, bytes: string) {
  const cdb = Uint8Array.from(bytes.split(',').map(Number));
  // Unit attentions (power on, medium changed) come first to a new client: send again past them.
  let r = await this.client(name).sendCommandNoData(cdb, 10);
  for (let i = 0; i < 5 && r.hresult !== 0 && parseSense(r.senseBuffer)?.key === 0x6; i++) r = await this.client(name).sendCommandNoData(cdb, 10);
  assert.equal(r.hresult, 0, `the drive refused the CDB: sense ${JSON.stringify(parseSense(r.senseBuffer))}`);
});

Then(/^it throws a TypeError naming (\w+)$/, function (this: ConformanceWorld, param: string) {
  const o = this.result;
  assert.ok(o && !o.ok, 'it succeeded');
  assert.ok(o.error instanceof TypeError, `not a TypeError: ${String(o.error)}`);
  assert.match(o.error.message, new RegExp(param));
});

Then('client {string} holds {int} lock(s)', function (this: ConformanceWorld, name: string, n: number) {
  assert.equal(this.client(name).exclusiveAccessCount, n, `lock count of client ${name}`);
});

function assertOwner(owner: string, want: { name: string; prefix: boolean }): void {
  if (want.prefix) assert.ok(owner.startsWith(want.name), `owner ${JSON.stringify(owner)} does not start with ${JSON.stringify(want.name)}`);
  else assert.equal(owner, want.name, `the exclusive access owner is ${JSON.stringify(owner)}, not ${JSON.stringify(want.name)}`);
}
