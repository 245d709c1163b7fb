/**
 * Drives a lock-client.ts process (one OS process, one iSCSI session) from a test: one command line
 * in, one JSON reply out.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CLIENT = fileURLToPath(new URL('./lock-client.js', import.meta.url));

export const LOCKED = '0xC0AA0210';

export interface Reply {
  ok: boolean;
  value?: unknown;
  hresult?: string;
  name?: string;
}

export class LockClient {
  readonly proc: ChildProcessWithoutNullStreams;
  private readonly waiting: ((r: Reply) => void)[] = [];
  private readonly early: Reply[] = [];
  constructor(url: string, initiatorName: string, env: NodeJS.ProcessEnv = process.env) {
    this.proc = spawn(process.execPath, [CLIENT, url, initiatorName], { stdio: ['pipe', 'pipe', 'pipe'], env });
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
  /** SIGKILL, and wait until the process is gone. */
  async kill(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGKILL');
    await exited;
  }
}

/**
 * Retries `acquire <clientName>` every 100 ms (at most `tries` times) until it succeeds: the drive
 * of a killed holder is freed once its target notices (session drop) or its lock is found stale.
 * Every refusal on the way must be E_IMAPI_RECORDER_LOCKED. Returns the last reply.
 */
export async function acquireOnceFreed(c: LockClient, clientName: string, tries = 100): Promise<Reply> {
  let reply: Reply = { ok: false };
  for (let i = 0; i < tries && !reply.ok; i++) {
    reply = await c.do(`acquire ${clientName}`);
    if (!reply.ok) {
      assert.equal(reply.hresult, LOCKED);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return reply;
}
