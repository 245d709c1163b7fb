/**
 * A fake SG_IO addon with the real one's contract (argument errors included), for SgTransport tests:
 * each execute() waits until the test completes it with `complete()` / `fail()`, so the tests control
 * ordering, in-flight state and what the "kernel" answered.
 */
import { constants } from 'node:os';
import type { SgAddon, SgIoOutput } from './addon.js';

export interface FakeCall {
  readonly fd: number;
  readonly cdb: Buffer;
  readonly direction: number;
  readonly data: Buffer | null;
  readonly timeoutMs: number;
  readonly sense: Buffer;
  /** Resolves the ioctl; `fill` runs first so the test can write data/sense in place. */
  complete(out: Partial<SgIoOutput>, fill?: (data: Buffer | null, sense: Buffer) => void): void;
  /** Fails the ioctl with an errno Error, as the addon does. */
  fail(errnoName: keyof typeof constants.errno): void;
}

export function errnoError(name: keyof typeof constants.errno, syscall: string): Error {
  return Object.assign(new Error(`${name} (${syscall})`), { errno: constants.errno[name], syscall });
}

export class FakeAddon implements SgAddon {
  readonly platform = 'linux';
  readonly supported = true as const;
  readonly calls: FakeCall[] = [];
  readonly closedFds: number[] = [];
  readonly openFds = new Set<number>();
  /** When set, the next open() fails with this errno. */
  openErrno: keyof typeof constants.errno | undefined;
  /** Every open() as `path excl|plain`, in order (failed ones too). */
  readonly opens: string[] = [];
  /**
   * The sg driver's open rules with O_NONBLOCK (drivers/scsi/sg.c, sg_open): an O_EXCL open fails with
   * EBUSY while the node is open at all; any open fails with EBUSY while an O_EXCL open lasts.
   */
  private readonly nodes = new Map<string, { count: number; exclusive: boolean }>();
  private readonly fdPath = new Map<number, string>();
  private nextFd = 10;
  private waiters: Array<() => void> = [];

  open(path: string, exclusive: boolean): number {
    if (typeof path !== 'string' || typeof exclusive !== 'boolean') throw new TypeError('open(path: string, exclusive: boolean)');
    this.opens.push(`${path} ${exclusive ? 'excl' : 'plain'}`);
    if (this.openErrno !== undefined) {
      const e = errnoError(this.openErrno, 'open');
      this.openErrno = undefined;
      throw e;
    }
    const node = this.nodes.get(path) ?? { count: 0, exclusive: false };
    if (node.exclusive || (exclusive && node.count > 0)) throw errnoError('EBUSY', 'open');
    this.nodes.set(path, { count: node.count + 1, exclusive });
    const fd = this.nextFd++;
    this.openFds.add(fd);
    this.fdPath.set(fd, path);
    return fd;
  }

  close(fd: number): void {
    if (!this.openFds.delete(fd)) throw errnoError('EBADF', 'close');
    this.closedFds.push(fd);
    const path = this.fdPath.get(fd)!;
    this.fdPath.delete(fd);
    const node = this.nodes.get(path)!;
    if (node.count <= 1) this.nodes.delete(path);
    else this.nodes.set(path, { count: node.count - 1, exclusive: false });
  }

  /** Another process opens `path` (with O_EXCL or not); returns its close. Throws EBUSY as open() would. */
  openElsewhere(path: string, exclusive: boolean): () => void {
    const fd = this.open(path, exclusive);
    this.opens.pop();
    return () => this.close(fd);
  }

  /** Fds open on `path` now (this fake's, any "process"). */
  openCount(path: string): number {
    return this.nodes.get(path)?.count ?? 0;
  }

  execute(fd: number, cdb: Buffer, direction: number, data: Buffer | null, timeoutMs: number, sense: Buffer): Promise<SgIoOutput> {
    if (!Buffer.isBuffer(cdb) || cdb.length < 1 || cdb.length > 16) throw new TypeError('cdb must be 1 to 16 bytes');
    if (sense.length < 1 || sense.length > 252) throw new TypeError('sense must be 1 to 252 bytes');
    if (!(timeoutMs >= 1)) throw new TypeError('timeoutMs must be >= 1');
    return new Promise<SgIoOutput>((resolve, reject) => {
      if (!this.openFds.has(fd)) {
        reject(errnoError('EBADF', 'ioctl'));
        return;
      }
      this.calls.push({
        fd, cdb: Buffer.from(cdb), direction, data, timeoutMs, sense,
        complete: (out, fill) => {
          fill?.(data, sense);
          resolve({ status: 0, hostStatus: 0, driverStatus: 0, info: 0, resid: 0, senseLength: 0, durationMs: 1, ...out });
        },
        fail: (name) => reject(errnoError(name, 'ioctl')),
      });
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Resolves once `n` calls have reached the fake kernel. */
  async waitForCalls(n: number): Promise<FakeCall> {
    while (this.calls.length < n) await new Promise<void>((r) => this.waiters.push(r));
    return this.calls[n - 1]!;
  }
}

/** Lets queued microtasks and promise chains run. */
export function flush(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
