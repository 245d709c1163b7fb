/**
 * The drive's write buffer in the realistic speed model. WRITE data fills it; the laser drains it at the
 * write speed × time scale (time scale 10 = ten times faster than a real drive) from the first write
 * until SYNCHRONIZE CACHE. A write that does not fit waits (`accept` returns the delay the drive must
 * sleep before completing the command). If the buffer runs dry while recording:
 *  - BUFE off: the recording is lost: the next write (or flush) gets LOSS OF STREAMING (03/0C/09);
 *  - BUFE on: the drive pauses the laser (buffer underrun free recording) and resumes on the next write.
 * Default drive mode (unlimited speed) does not use this class at all.
 */
import { CheckCondition, Sense } from '@openimapi/sdk';

export interface WriteBufferOptions {
  /** Buffer size in bytes (default 2 MiB). */
  readonly size?: number;
  /** Write speed in kB/s (1000 bytes/s), e.g. 7056 for CD 40x. */
  readonly speedKBps: number;
  /** Multiplies the drain rate (default 1: real time). */
  readonly timeScale?: number;
  /** Clock in milliseconds (default `performance.now`). */
  readonly now?: () => number;
}

export class WriteBuffer {
  readonly size: number;
  private readonly rate: number; // bytes per ms
  private readonly now: () => number;
  private fill = 0;
  private last = 0;
  private streaming = false;
  /** Underruns survived with BUFE on (the drive paused and resumed). */
  pauses = 0;

  constructor(opts: WriteBufferOptions) {
    if (!(opts.speedKBps > 0)) throw new TypeError('speedKBps: must be > 0');
    const scale = opts.timeScale ?? 1;
    if (!(scale > 0)) throw new TypeError('timeScale: must be > 0');
    this.size = opts.size ?? 2 * 1024 * 1024;
    if (!(this.size > 0)) throw new TypeError('size: must be > 0');
    this.rate = (opts.speedKBps * 1000 * scale) / 1000;
    this.now = opts.now ?? (() => performance.now());
  }

  /** Bytes in the buffer now. */
  level(): number {
    this.drain(this.now(), true);
    return this.fill;
  }

  private drain(t: number, bufe: boolean): boolean {
    if (!this.streaming) { this.last = t; return false; }
    const drained = (t - this.last) * this.rate;
    this.last = t;
    if (drained <= this.fill) { this.fill -= drained; return false; }
    this.fill = 0;
    if (bufe) { this.pauses++; return false; }
    return true;
  }

  /**
   * Accounts a WRITE of `bytes`. Returns how long (ms) the drive must wait before completing it (the
   * buffer was too full). Throws LOSS OF STREAMING when the buffer ran dry since the last write with
   * BUFE off; the recording stops (the buffer resets).
   */
  accept(bytes: number, bufe: boolean): number {
    const t = this.now();
    if (this.drain(t, bufe)) {
      this.reset();
      throw new CheckCondition(Sense.LOSS_OF_STREAMING, 'write buffer underrun');
    }
    this.streaming = true;
    this.fill += bytes;
    const over = this.fill - this.size;
    return over > 0 ? over / this.rate : 0;
  }

  /** SYNCHRONIZE CACHE: ms until the buffer is recorded; recording then stops (no underrun after it). */
  flush(bufe: boolean): number {
    const t = this.now();
    if (this.drain(t, bufe)) {
      this.reset();
      throw new CheckCondition(Sense.LOSS_OF_STREAMING, 'write buffer underrun');
    }
    const wait = this.fill / this.rate;
    this.reset();
    return wait;
  }

  reset(): void {
    this.fill = 0;
    this.streaming = false;
    this.last = this.now();
  }
}
