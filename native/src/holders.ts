/**
 * Who has a device node open, for the owner of an O_EXCL lock: the kernel does not say who holds an
 * exclusive open, so the processes are found the way fuser(1) finds them, by stat()ing every
 * /proc/PID/fd/N and comparing the device number. Processes this user may not inspect are not seen.
 *
 *   /proc/PID/fd/N    stat() follows the link to the open file: st_rdev names the device
 *   /proc/PID/comm    the process name (at most 15 bytes)
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';

/** A process with the node open. */
export interface NodeHolder {
  readonly pid: number;
  /** /proc/PID/comm, '' when unreadable. */
  readonly comm: string;
}

/**
 * A key naming the device behind `path`: `char:MAJ:MIN` / `block:MAJ:MIN` from st_rdev, so that
 * /dev/sg0 and a symlink to it are the same device; `path:/abs/path` when the node cannot be stat()ed.
 */
export function deviceKey(path: string): string {
  try {
    const st = statSync(path);
    if (st.isCharacterDevice() || st.isBlockDevice()) return `${st.isCharacterDevice() ? 'char' : 'block'}:${devNumber(st.rdev)}`;
  } catch {
    // fall through: not stat()able (tests use paths that do not exist)
  }
  return `path:${resolve(path)}`;
}

/** Linux's dev_t split (new_decode_dev): major bits 8..19, minor bits 0..7 and 20..31. */
function devNumber(rdev: number): string {
  const major = (rdev >>> 8) & 0xfff;
  const minor = (rdev & 0xff) | ((rdev >>> 12) & 0xfff00);
  return `${major}:${minor}`;
}

/** Processes that have the device behind `path` open (this process included), by pid. */
export async function processesHolding(path: string, procRoot = '/proc'): Promise<NodeHolder[]> {
  let want: { rdev: number; char: boolean };
  try {
    const st = await stat(path);
    if (!st.isCharacterDevice() && !st.isBlockDevice()) return [];
    want = { rdev: st.rdev, char: st.isCharacterDevice() };
  } catch {
    return [];
  }
  const out: NodeHolder[] = [];
  const pids = (await readdir(procRoot).catch(() => [] as string[])).filter((n) => /^\d+$/.test(n));
  for (const pid of pids) {
    const fdDir = `${procRoot}/${pid}/fd`;
    const fds = await readdir(fdDir).catch(() => [] as string[]);
    for (const fd of fds) {
      const st = await stat(`${fdDir}/${fd}`).catch(() => undefined);
      if (st && st.rdev === want.rdev && (want.char ? st.isCharacterDevice() : st.isBlockDevice())) {
        const comm = (await readFile(`${procRoot}/${pid}/comm`, 'utf8').catch(() => '')).trim();
        out.push({ pid: Number(pid), comm });
        break;
      }
    }
  }
  return out.sort((a, b) => a.pid - b.pid);
}

/** `process 1234 (node)`, or `process 1234` when the name is unknown. */
export function describeHolder(h: NodeHolder): string {
  return h.comm ? `process ${h.pid} (${h.comm})` : `process ${h.pid}`;
}
