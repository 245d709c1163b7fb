/**
 * The host-level exclusive-access lock, for drives that implement neither PERSISTENT RESERVE nor
 * RESERVE(6) (tgt's MMC logical unit, many real ATAPI/USB burners): a lock file per recorder id in
 * `<os tmpdir>/openimapi-locks/`, created with O_EXCL. It excludes every other client on this host
 * (another recorder object, another process) that uses the SDK; it cannot exclude other hosts — that
 * needs a lock at the device. Windows IMAPI2's own lock is host-level too (the CD-ROM class driver).
 *
 * File content (JSON): `{ pid, token, clientName, since }`, written to a temporary file first and
 * linked into place (link(2) fails with EEXIST when the lock exists), so a reader never sees a
 * half-written lock. A holder whose process is gone
 * (`kill(pid, 0)` → ESRCH) is stale: the next acquirer removes the file and takes the lock, so a
 * killed client never keeps the drive. `token` tells this object's own lock from another object's
 * in the same process.
 */
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapiError } from '../errors/imapi-error.js';

export interface HostLockHolder {
  readonly pid: number;
  readonly clientName: string;
  /** ISO time the lock was taken. */
  readonly since: string;
}

interface LockFile extends HostLockHolder {
  readonly token: string;
}

/** Where the lock files live (OPENIMAPI_LOCK_DIR overrides, for tests and sandboxes). */
export function hostLockDirectory(): string {
  return process.env.OPENIMAPI_LOCK_DIR || join(tmpdir(), 'openimapi-locks');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parse(text: string): LockFile | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockFile>;
    if (typeof o.pid === 'number' && Number.isInteger(o.pid) && o.pid > 0 && typeof o.token === 'string' && typeof o.clientName === 'string') {
      return { pid: o.pid, token: o.token, clientName: o.clientName, since: typeof o.since === 'string' ? o.since : '' };
    }
  } catch {
    /* a torn or foreign file */
  }
  return undefined;
}

export class HostLock {
  readonly path: string;
  private readonly token = randomBytes(12).toString('hex');
  private held = false;

  constructor(recorderId: string, dir = hostLockDirectory()) {
    this.path = join(dir, createHash('sha256').update(recorderId).digest('hex').slice(0, 32) + '.lock');
  }

  get isHeld(): boolean {
    return this.held;
  }

  /**
   * Takes the lock for `clientName`; E_IMAPI_RECORDER_LOCKED when a live holder has it, E_FAIL naming
   * the error when the lock directory cannot be written.
   */
  async acquire(clientName: string): Promise<void> {
    if (this.held) return;
    try {
      await this.take(clientName);
    } catch (e) {
      if (e instanceof ImapiError) throw e;
      throw new ImapiError('E_FAIL', `E_FAIL (0x80004005): cannot take the host lock ${this.path}: ${(e as Error).message}`);
    }
  }

  private async take(clientName: string): Promise<void> {
    const dir = join(this.path, '..');
    // Shared by every user of the host, like /tmp itself: world-writable and sticky.
    if ((await mkdir(dir, { recursive: true })) !== undefined) await chmod(dir, 0o1777).catch(() => undefined);
    const content = JSON.stringify({ pid: process.pid, token: this.token, clientName, since: new Date().toISOString() } satisfies LockFile);
    const tmp = `${this.path}.${this.token}.tmp`;
    await writeFile(tmp, content, { mode: 0o644 });
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await link(tmp, this.path);
          this.held = true;
          return;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        }
        const holder = await this.read();
        if (holder.live) throw new ImapiError('E_IMAPI_RECORDER_LOCKED', `E_IMAPI_RECORDER_LOCKED (0xC0AA0210): "${holder.live.clientName}" (pid ${holder.live.pid}) holds the drive on this host`);
        // Stale (holder gone) or unreadable: remove it if it is still the file we judged, then retry.
        if ((await readFile(this.path, 'utf8').catch(() => undefined)) === holder.text) await unlink(this.path).catch(() => undefined);
      }
      throw new ImapiError('E_IMAPI_RECORDER_LOCKED', 'E_IMAPI_RECORDER_LOCKED (0xC0AA0210): the host lock is contended');
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  }

  /** Gives the lock back (no effect when not held). */
  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    const f = parse(await readFile(this.path, 'utf8').catch(() => ''));
    if (f?.token === this.token) await unlink(this.path).catch(() => undefined);
  }

  /** The live holder (this object included), or undefined when the drive is free on this host. */
  async holder(): Promise<HostLockHolder | undefined> {
    return (await this.read()).live;
  }

  /** True when a live holder other than this object has the lock. */
  async heldByAnother(): Promise<boolean> {
    const h = await this.read();
    return h.live !== undefined && h.token !== this.token;
  }

  private async read(): Promise<{ live: HostLockHolder | undefined; token: string | undefined; text: string | undefined }> {
    const text = await readFile(this.path, 'utf8').catch(() => undefined);
    if (text === undefined) return { live: undefined, token: undefined, text };
    const f = parse(text);
    if (!f || !alive(f.pid)) return { live: undefined, token: undefined, text };
    return { live: { pid: f.pid, clientName: f.clientName, since: f.since }, token: f.token, text };
  }
}
