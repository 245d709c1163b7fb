/**
 * Starts `openimapi-emulator` as a child process on free loopback ports, the way a user runs it, and
 * stops it. The conformance World uses one per cucumber worker for the `emulator` target. Discs are
 * kept in the emulator's memory (no --data-dir): every scenario loads a fresh one, nothing outlives
 * the run, and closing a track does not rewrite a file (99 tracks in 0.2 s instead of 2 s here).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';

export interface EmulatorProcess {
  readonly urls: readonly string[];
  readonly controlUrl: string;
  /** The lab fixture's pty, when started with `--fixture-pty`. */
  readonly fixturePath: string | undefined;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function emulatorCli(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@openimapi/emulator')), 'cli.js');
}

export async function startEmulator(opts: { drives?: number; extraArgs?: string[] } = {}): Promise<EmulatorProcess> {
  const port = await freePort();
  const controlPort = await freePort();
  const args = [
    emulatorCli(),
    '--host', '127.0.0.1',
    '--port', String(port),
    '--control-port', String(controlPort),
    '--drives', String(opts.drives ?? 1),
    ...(opts.extraArgs ?? []),
  ];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let fixturePath: string | undefined;
  const wantFixture = opts.extraArgs?.includes('--fixture-pty') ?? false;
  let check = (): void => undefined;
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
    fixturePath ??= /lab fixture on (\/\S+)/.exec(stderr)?.[1];
    check();
  });
  const urls = await new Promise<string[]>((resolve, reject) => {
    const found: string[] = [];
    let buf = '';
    const want = opts.drives ?? 1;
    const timer = setTimeout(() => reject(new Error(`emulator printed no URL within 15 s; stderr: ${stderr}`)), 15_000);
    // Ready when every URL is on stdout and, with --fixture-pty, the pty path on stderr.
    check = () => {
      if (found.length < want || (wantFixture && fixturePath === undefined)) return;
      clearTimeout(timer);
      resolve(found);
    };
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      for (const m of buf.matchAll(/iscsi:\/\/\S+/g)) if (!found.includes(m[0])) found.push(m[0]);
      check();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code} before serving; stderr: ${stderr}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    urls,
    controlUrl: `http://127.0.0.1:${controlPort}`,
    fixturePath,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}
