/**
 * tgt (the Linux SCSI target framework, Debian package `tgt`) as a real peer for the interop tests:
 * one `tgtd -f` per call, on a free iSCSI port and its own control port, with a `--device-type cd`
 * logical unit backed by an empty file in a temp directory — tgt's MMC emulation (usr/mmc.c) makes an
 * empty backing file a blank DVD+R, and turns it into a DVD-ROM once the track is closed.
 *
 * tgtd needs root. When it cannot run, `startTgt` returns the reason; `tgtRequired()` says whether
 * that is a failure (in CI, where .ci/run installs tgt) or a visible skip (a developer machine).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tgt {
  readonly port: number;
  readonly iqn: string;
  /** The recorder URL of the cd LUN. */
  readonly url: string;
  readonly portal: string;
  /** The file behind the LUN. */
  readonly backing: string;
  /** Runs tgtadm against this daemon; throws with tgtadm's stderr when it fails. */
  adm(...args: string[]): string;
  stop(): Promise<void>;
}

export const TGT_IQN = 'iqn.2026-11.org.openimapi.test:tgt-cd';

/** In CI a missing tgt fails the test: .ci/run installs it, so its absence is a broken setup. */
export function tgtRequired(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts tgtd with one target (tid 1) holding the cd LUN 1; returns the reason when it cannot. */
export async function startTgt(): Promise<Tgt | string> {
  if (spawnSync('tgtd', ['--version']).error) return 'tgtd is not installed (apt-get install -y tgt)';
  if (spawnSync('tgtadm', ['--help']).error) return 'tgtadm is not installed (apt-get install -y tgt)';
  let lastWhy = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    // The control port names a unix socket (/var/run/tgtd/socket.N, N at most 32767); a random one
    // keeps parallel runs apart.
    const control = 10000 + Math.floor(Math.random() * 22000);
    const proc: ChildProcess = spawn('tgtd', ['-f', '-C', String(control), '--iscsi', `portal=127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    let exited = false;
    proc.once('exit', () => (exited = true));
    const run = (...args: string[]) => spawnSync('tgtadm', ['-C', String(control), '--lld', 'iscsi', ...args], { encoding: 'utf8' });
    let up = false;
    for (let i = 0; i < 80 && !exited && !up; i++) {
      up = run('--mode', 'target', '--op', 'show').status === 0 && (await canConnect(port));
      if (!up) await sleep(100);
    }
    // tgtd is a throwaway test daemon holding nothing worth a clean shutdown (it ignores SIGTERM
    // while it has targets): SIGKILL, then remove its control socket.
    const kill = async () => {
      if (!exited) {
        proc.kill('SIGKILL');
        for (let i = 0; i < 50 && !exited; i++) await sleep(20);
      }
      for (const f of [`socket.${control}`, `socket.${control}.lock`]) rmSync(join('/var/run/tgtd', f), { force: true });
    };
    if (!up || exited) {
      lastWhy = `tgtd did not come up${stderr ? `: ${stderr.trim().split('\n').slice(-2).join(' / ')}` : ''}`;
      await kill();
      if (/permission|not permitted|must be root/i.test(stderr)) return `tgtd cannot run here (${lastWhy}); it needs root`;
      continue;
    }
    if (run('--mode', 'target', '--op', 'show').stdout.trim() !== '') {
      // Another daemon answers on this control port: not ours.
      lastWhy = `control port ${control} is taken`;
      await kill();
      continue;
    }
    const dir = mkdtempSync(join(tmpdir(), 'tgt-'));
    const backing = join(dir, 'dvd.img');
    writeFileSync(backing, '');
    const adm = (...args: string[]) => {
      const r = run(...args);
      if (r.status !== 0) throw new Error(`tgtadm ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
      return r.stdout;
    };
    const stop = async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      adm('--mode', 'target', '--op', 'new', '--tid', '1', '--targetname', TGT_IQN);
      adm('--mode', 'logicalunit', '--op', 'new', '--tid', '1', '--lun', '1', '--device-type', 'cd', '--backing-store', backing);
      adm('--mode', 'target', '--op', 'bind', '--tid', '1', '--initiator-address', 'ALL');
    } catch (e) {
      await stop();
      return (e as Error).message;
    }
    const portal = `iscsi://127.0.0.1:${port}`;
    return { port, iqn: TGT_IQN, url: `${portal}/${TGT_IQN}/1`, portal, backing, adm, stop };
  }
  return lastWhy;
}
