import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostLock } from './host-lock.js';
import { ImapiError } from '../errors/imapi-error.js';

function lockDir(): string {
  return mkdtempSync(join(tmpdir(), 'host-lock-'));
}
const ID = 'iscsi://192.0.2.1:3260/iqn.2026-11.org.openimapi.test:x/1';

test('host lock: one holder per recorder id; the other gets E_IMAPI_RECORDER_LOCKED naming the holder; release frees it', async () => {
  const dir = lockDir();
  try {
    const a = new HostLock(ID, dir);
    const b = new HostLock(ID, dir);
    const other = new HostLock(ID.replace('/1', '/2'), dir);
    assert.equal(await a.holder(), undefined);
    await a.acquire('Burner A');
    await a.acquire('Burner A'); // already held: no effect
    await other.acquire('Other drive');
    await assert.rejects(b.acquire('Burner B'), (e: unknown) => ImapiError.is(e, 'E_IMAPI_RECORDER_LOCKED') && /"Burner A" \(pid \d+\)/.test((e as Error).message));
    assert.deepEqual({ ...(await b.holder())!, since: '' }, { pid: process.pid, clientName: 'Burner A', since: '' });
    assert.equal(await b.heldByAnother(), true);
    assert.equal(await a.heldByAnother(), false);
    await b.release(); // not held: no effect, does not remove A's file
    assert.equal((await a.holder())?.clientName, 'Burner A');
    await a.release();
    assert.equal(await b.holder(), undefined);
    await b.acquire('Burner B');
    assert.equal((await a.holder())?.clientName, 'Burner B');
    await b.release();
    await other.release();
    assert.deepEqual(readdirSync(dir), [], 'no lock or temporary file left behind');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('host lock: a holder whose process is gone is stale and taken over; a torn or foreign file too', async () => {
  const dir = lockDir();
  try {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    assert.ok(deadPid > 0);
    const a = new HostLock(ID, dir);
    writeFileSync(a.path, JSON.stringify({ pid: deadPid, token: 'x', clientName: 'Killed app', since: '' }));
    assert.equal(await a.holder(), undefined, 'a dead holder holds nothing');
    await a.acquire('Survivor');
    assert.equal((await a.holder())?.clientName, 'Survivor');
    await a.release();
    writeFileSync(a.path, 'not json');
    await a.acquire('After garbage');
    assert.equal((await new HostLock(ID, dir).holder())?.clientName, 'After garbage');
    await a.release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('host lock: ten acquirers racing for one drive, exactly one wins', async () => {
  const dir = lockDir();
  try {
    const locks = Array.from({ length: 10 }, () => new HostLock(ID, dir));
    const results = await Promise.allSettled(locks.map((l, i) => l.acquire(`client ${i}`)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) if (r.status === 'rejected') assert.ok(ImapiError.is(r.reason, 'E_IMAPI_RECORDER_LOCKED'));
    const winner = locks.find((l) => l.isHeld)!;
    await winner.release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
