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
  private nextFd = 10;
  private waiters: Array<() => void> = [];

  open(path: string, exclusive: boolean): number {
    if (typeof path !== 'string' || typeof exclusive !== 'boolean') throw new TypeError('open(path: string, exclusive: boolean)');
    if (this.openErrno !== undefined) {
      const e = errnoError(this.openErrno, 'open');
      this.openErrno = undefined;
      throw e;
    }
    const fd = this.nextFd++;
    this.openFds.add(fd);
    return fd;
  }

  close(fd: number): void {
    if (!this.openFds.delete(fd)) throw errnoError('EBADF', 'close');
    this.closedFds.push(fd);
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
