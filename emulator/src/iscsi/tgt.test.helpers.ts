/**
 * tgt (the Linux SCSI target framework, Debian `tgt`) as a reference peer: `tgtd -f` on a free
 * loopback port with its own control port, one target whose LUN 1 is a `--device-type cd` (tgt's MMC
 * emulation) backed by `image`. Returns a reason string instead when tgt is missing or cannot start.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

export interface Tgt {
  /** iscsi://127.0.0.1:PORT/IQN/1 — the cd LUN. */
  readonly url: string;
  /** tgtd's process id (the benchmark reads its CPU time). */
  readonly pid: number | undefined;
  stop(): void;
}

export const TGT_IQN = 'iqn.2026-11.org.openimapi.test:tgt-mmc';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** `wrap` may put tgtd under another command (the benchmark pins it to a CPU with taskset). */
export async function startTgt(image: string, wrap: (cmd: string, args: string[]) => [string, string[]] = (c, a) => [c, a]): Promise<Tgt | string> {
  if (spawnSync('sh', ['-c', 'command -v tgtd && command -v tgtadm']).status !== 0) return 'tgt is not installed (apt-get install -y tgt)';
  if (process.getuid?.() !== 0) return 'tgtd needs root';
  const port = await freePort();
  const control = 1000 + (port % 5000);
  const proc = spawn(...wrap('tgtd', ['-f', '-C', String(control), '--iscsi', `portal=127.0.0.1:${port}`]), { stdio: 'ignore' });
  const adm = (...args: string[]) => spawnSync('tgtadm', ['-C', String(control), '--lld', 'iscsi', ...args], { encoding: 'utf8' });
  const stop = () => {
    proc.kill('SIGKILL');
  };
  let up = false;
  for (let i = 0; i < 50 && !up; i++) {
    up = adm('--mode', 'target', '--op', 'show').status === 0;
    if (!up) await new Promise((r) => setTimeout(r, 100));
  }
  const steps = [
    ['--mode', 'target', '--op', 'new', '--tid', '1', '--targetname', TGT_IQN],
    ['--mode', 'logicalunit', '--op', 'new', '--tid', '1', '--lun', '1', '--device-type', 'cd', '--backing-store', image],
    ['--mode', 'target', '--op', 'bind', '--tid', '1', '--initiator-address', 'ALL'],
  ];
  for (const s of steps) {
    const r = adm(...s);
    if (r.status !== 0) {
      stop();
      return `tgtadm ${s.join(' ')} failed: ${r.stderr || r.error?.message}`;
    }
  }
  return { url: `iscsi://127.0.0.1:${port}/${TGT_IQN}/1`, pid: proc.pid, stop };
}
