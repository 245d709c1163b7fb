/**
 * Issue 5 "must show": two real clients — two processes, two iSCSI sessions over real TCP — on one
 * emulated drive. Lock counts, release order, the other client's E_IMAPI_RECORDER_LOCKED and the
 * owner's name, and the lock freed when the holder's process is SIGKILLed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startTarget, type StartedTarget } from '../iscsi/target.js';
import { MmcDrive } from '../drive/mmc-drive.js';

const CLIENT = fileURLToPath(new URL('./lock-client.js', import.meta.url));
const LOCKED = '0xC0AA0210';

interface Reply {
  ok: boolean;
  value?: unknown;
  hresult?: string;
  name?: string;
}

class Client {
  readonly proc: ChildProcessWithoutNullStreams;
  private readonly waiting: ((r: Reply) => void)[] = [];
  private readonly early: Reply[] = [];
  constructor(url: string, initiatorName: string) {
    this.proc = spawn(process.execPath, [CLIENT, url, initiatorName], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (d: Buffer) => process.stderr.write(d));
    createInterface({ input: this.proc.stdout }).on('line', (l) => {
      const r = JSON.parse(l) as Reply;
      const w = this.waiting.shift();
      if (w) w(r);
      else this.early.push(r);
    });
  }
  next(): Promise<Reply> {
    const r = this.early.shift();
    if (r) return Promise.resolve(r);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  async do(cmd: string): Promise<Reply> {
    const p = this.next();
    this.proc.stdin.write(cmd + '\n');
    return p;
  }
  async ready(): Promise<void> {
    assert.deepEqual(await this.next(), { ok: true, value: 'ready' });
  }
}

async function withTarget(f: (url: string) => Promise<void>): Promise<void> {
  const target: StartedTarget = await startTarget({ port: 0, luns: [new MmcDrive()] });
  try {
    await f(`iscsi://${target.host}:${target.port}/${target.iqn}/0`);
  } finally {
    await target.close();
  }
}

test('two processes: counts, release order, LOCKED and owner name for the other client', async () => {
  await withTarget(async (url) => {
    const a = new Client(url, 'iqn.2026-11.org.openimapi:test.client-a');
    const b = new Client(url, 'iqn.2026-11.org.openimapi:test.client-b');
    try {
      await Promise.all([a.ready(), b.ready()]);
      assert.deepEqual(await a.do('owner'), { ok: true, value: '' });
      assert.deepEqual(await a.do('acquire Burner A'), { ok: true, value: null });
      assert.deepEqual(await a.do('acquire Burner A'), { ok: true, value: null });
      assert.deepEqual(await a.do('count'), { ok: true, value: 2 });
      // B is refused while A holds any lock, and learns who holds it.
      assert.equal((await b.do('acquire Burner B')).hresult, LOCKED);
      assert.deepEqual(await b.do('owner'), { ok: true, value: 'iqn.2026-11.org.openimapi:test.client-a' });
      assert.deepEqual(await b.do('count'), { ok: true, value: 0 });
      // One release of two: still held.
      assert.deepEqual(await a.do('release'), { ok: true, value: null });
      assert.deepEqual(await a.do('count'), { ok: true, value: 1 });
      assert.equal((await b.do('acquire Burner B')).hresult, LOCKED);
      // The last release frees the device.
      assert.deepEqual(await a.do('release'), { ok: true, value: null });
      assert.deepEqual(await a.do('count'), { ok: true, value: 0 });
      assert.deepEqual(await a.do('release'), { ok: true, value: null }, 'release with nothing held is a no-op');
      assert.deepEqual(await b.do('acquire Burner B'), { ok: true, value: null });
      assert.deepEqual(await a.do('owner'), { ok: true, value: 'iqn.2026-11.org.openimapi:test.client-b' });
      assert.equal((await a.do('acquire Burner A')).hresult, LOCKED);
      assert.equal((await a.do('acquire ')).hresult, '0xC0AA0211', 'empty client name');
      assert.deepEqual(await b.do('release'), { ok: true, value: null });
      assert.deepEqual(await a.do('owner'), { ok: true, value: '' });
      assert.deepEqual(await a.do('close'), { ok: true, value: 'closed' });
      assert.deepEqual(await b.do('close'), { ok: true, value: 'closed' });
    } finally {
      a.proc.kill('SIGKILL');
      b.proc.kill('SIGKILL');
    }
  });
});

test('the holder process is SIGKILLed: its session ends and the lock is freed', async () => {
  await withTarget(async (url) => {
    const a = new Client(url, 'iqn.2026-11.org.openimapi:test.killed');
    const b = new Client(url, 'iqn.2026-11.org.openimapi:test.survivor');
    try {
      await Promise.all([a.ready(), b.ready()]);
      assert.deepEqual(await a.do('acquire Doomed'), { ok: true, value: null });
      assert.equal((await b.do('acquire Survivor')).hresult, LOCKED);
      const exited = new Promise((r) => a.proc.once('exit', r));
      a.proc.kill('SIGKILL');
      await exited;
      // The target notices the dropped TCP connection and drops the nexus's reservation.
      let reply: Reply = { ok: false };
      for (let i = 0; i < 50 && !reply.ok; i++) {
        reply = await b.do('acquire Survivor');
        if (!reply.ok) await new Promise((r) => setTimeout(r, 100));
      }
      assert.deepEqual(reply, { ok: true, value: null });
      assert.deepEqual(await b.do('owner'), { ok: true, value: 'iqn.2026-11.org.openimapi:test.survivor' });
      assert.deepEqual(await b.do('close'), { ok: true, value: 'closed' });
    } finally {
      a.proc.kill('SIGKILL');
      b.proc.kill('SIGKILL');
    }
  });
});
