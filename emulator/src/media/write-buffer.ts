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
  /** Drain rate in kB/s (before the time scale). */
  readonly speedKBps: number;
  private readonly rate: number; // bytes per ms
  private readonly now: () => number;
  private fill = 0;
  private last = 0;
  private streaming = false;
  /** The buffer ran empty while recording, not yet reported (sticky until the next write or flush). */
  private dry = false;
  /** Underruns survived with BUFE on (the drive paused and resumed). */
  pauses = 0;

  constructor(opts: WriteBufferOptions) {
    if (!(opts.speedKBps > 0)) throw new TypeError('speedKBps: must be > 0');
    const scale = opts.timeScale ?? 1;
    if (!(scale > 0)) throw new TypeError('timeScale: must be > 0');
    this.size = opts.size ?? 2 * 1024 * 1024;
    if (!(this.size > 0)) throw new TypeError('size: must be > 0');
    this.speedKBps = opts.speedKBps;
    this.rate = (opts.speedKBps * 1000 * scale) / 1000;
    this.now = opts.now ?? (() => performance.now());
  }

  /** Bytes in the buffer now (never more than `size`, though a held-back write counts until it fits). */
  level(): number {
    this.drain(this.now());
    return this.fill;
  }

  /** Free bytes now (READ BUFFER CAPACITY "available length of buffer"). */
  free(): number {
    return Math.max(0, Math.floor(this.size - this.level()));
  }

  /** True between the first write of a recording run and its flush (or an underrun that stopped it). */
  get recording(): boolean {
    return this.streaming;
  }

  private drain(t: number): void {
    if (!this.streaming) { this.last = t; return; }
    const drained = (t - this.last) * this.rate;
    this.last = t;
    if (drained < this.fill) { this.fill -= drained; return; }
    // Ran empty: with data still coming the laser has nothing to write — an underrun.
    if (drained > this.fill) this.dry = true;
    this.fill = 0;
  }

  /**
   * Before a write or flush: throws LOSS OF STREAMING when the buffer ran dry since the last write and
   * BUFE is off (the recording stops: the buffer resets); with BUFE on counts a pause and goes on.
   */
  check(bufe: boolean): void {
    this.drain(this.now());
    if (!this.dry) return;
    this.dry = false;
    if (bufe) { this.pauses++; return; }
    this.reset();
    throw new CheckCondition(Sense.LOSS_OF_STREAMING, 'write buffer underrun');
  }

  /** Adds a write's `bytes`; returns how long (ms) the drive must hold the command until they fit. */
  add(bytes: number): number {
    this.drain(this.now());
    this.streaming = true;
    this.fill += bytes;
    const over = this.fill - this.size;
    return over > 0 ? over / this.rate : 0;
  }

  /**
   * Accounts a WRITE of `bytes` (`check` then `add`). Returns how long (ms) the drive must wait before
   * completing it (the buffer was too full). Throws LOSS OF STREAMING when the buffer ran dry since the
   * last write with BUFE off.
   */
  accept(bytes: number, bufe: boolean): number {
    this.check(bufe);
    return this.add(bytes);
  }

  /** SYNCHRONIZE CACHE: ms until the buffer is recorded; recording then stops (no underrun after it). */
  flush(bufe: boolean): number {
    this.check(bufe);
    const wait = this.fill / this.rate;
    this.reset();
    return wait;
  }

  reset(): void {
    this.fill = 0;
    this.streaming = false;
    this.dry = false;
    this.last = this.now();
  }
}
