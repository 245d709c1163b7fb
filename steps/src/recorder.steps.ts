import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ConformanceWorld } from './support/world.js';
import { assertFailedWith, assertSucceeded } from './common.steps.js';

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
  const want = this.expectedOwner(kind as 'client' | 'process', holder);
  assert.ok(owner.startsWith(want), `owner ${JSON.stringify(owner)} does not name ${want}`);
});

Then('client {string} still holds exclusive access', async function (this: ConformanceWorld, name: string) {
  const rec = this.client(name);
  assert.ok(rec.exclusiveAccessCount >= 1, `client ${name} lock count is ${rec.exclusiveAccessCount}`);
  const others = [...this.clients.entries()].filter(([n]) => n !== name);
  for (const [, other] of others) {
    const owner = await other.getExclusiveAccessOwner();
    assert.ok(owner.startsWith(this.expectedOwner('client', name)), `the device names ${JSON.stringify(owner)} as the holder, not client ${name}`);
  }
});

Given('client {string} closes the recorder', async function (this: ConformanceWorld, name: string) {
  await this.client(name).close();
});

Given('a separate process {string} holds exclusive access as {string}', async function (this: ConformanceWorld, name: string, clientName: string) {
  const initiatorName = this.initiatorName(`process-${name}`);
  const script = fileURLToPath(new URL('./support/lock-holder.js', import.meta.url));
  const child = spawn(process.execPath, [script, this.drive.uniqueId, initiatorName, clientName], { stdio: ['ignore', 'pipe', 'pipe'] });
  this.processes.set(name, { child, initiatorName });
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
