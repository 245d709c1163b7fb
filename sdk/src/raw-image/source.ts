/**
 * Track, pre-gap and R-W sources of a RawCDImageCreator. The creator must know each source's size when
 * it is added (track lengths set the layout), so a source is one of:
 *   - a Uint8Array (read from memory);
 *   - a file path (its size taken with stat; read with a ReadStream when the image is produced);
 *   - `{ size, stream }`: a Readable read once, or `{ size, open }`: a function returning a new Readable
 *     each time the image is produced.
 * A Readable without a size is refused (E_INVALIDARG): IMAPI2 takes the size from IStream::Stat.
 */
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { ImapiError } from '../errors/imapi-error.js';

export type RawImageSourceInput = Uint8Array | string | { readonly size: number; readonly stream: Readable } | { readonly size: number; open(): Readable };

export interface RawImageSource {
  readonly size: number;
  /** A fresh Readable over the source's bytes; throws E_FAIL if a one-shot stream was used already. */
  open(): Readable;
}

function isReadable(x: unknown): x is Readable {
  return typeof x === 'object' && x !== null && typeof (x as Readable).read === 'function' && typeof (x as Readable).on === 'function';
}

/** Validates a source argument: null/undefined → E_POINTER, anything else unusable → E_INVALIDARG. */
export function toRawImageSource(input: unknown, what: string): RawImageSource {
  if (input === null || input === undefined) throw new ImapiError('E_POINTER', `E_POINTER (0x80004003): ${what} is null`);
  if (input instanceof Uint8Array) {
    const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    return { size: buf.length, open: () => Readable.from([buf], { objectMode: false }) };
  }
  if (typeof input === 'string') {
    let size: number;
    try {
      const st = statSync(input);
      if (!st.isFile()) throw new Error('not a regular file');
      size = st.size;
    } catch (e) {
      throw new ImapiError('E_INVALIDARG', `E_INVALIDARG (0x80070057): ${what}: cannot use file ${input}: ${(e as Error).message}`);
    }
    return { size, open: () => createReadStream(input, { highWaterMark: 1 << 20 }) };
  }
  if (isReadable(input)) {
    throw new ImapiError('E_INVALIDARG', `E_INVALIDARG (0x80070057): ${what}: a Readable needs its size — pass { size, stream }`);
  }
  if (typeof input === 'object') {
    const o = input as { size?: unknown; stream?: unknown; open?: unknown };
    if (typeof o.size !== 'number' || !Number.isSafeInteger(o.size) || o.size < 0) {
      throw new ImapiError('E_INVALIDARG', `E_INVALIDARG (0x80070057): ${what}.size must be a non-negative integer`);
    }
    const size = o.size;
    if (typeof o.open === 'function') {
      const open = o.open as () => Readable;
      return { size, open: () => open.call(input) };
    }
    if (isReadable(o.stream)) {
      const stream = o.stream;
      let used = false;
      return {
        size,
        open: () => {
          if (used) throw new ImapiError('E_FAIL', `E_FAIL (0x80004005): ${what}: its stream was read already; pass { size, open } to produce the image again`);
          used = true;
          return stream;
        },
      };
    }
  }
  throw new ImapiError('E_INVALIDARG', `E_INVALIDARG (0x80070057): ${what} must be a Buffer, a file path, { size, stream } or { size, open }`);
}

/**
 * Reads exact byte counts from a Readable, one chunk at a time (so the Readable's own backpressure
 * holds). `take(n)` returns fewer than n bytes only when the stream has ended.
 */
export class ByteTaker {
  private readonly it: AsyncIterator<Buffer | string>;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private done = false;

  constructor(private readonly stream: Readable) {
    this.it = stream[Symbol.asyncIterator]();
  }

  async take(n: number): Promise<Buffer> {
    while (this.pendingBytes < n && !this.done) {
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        break;
      }
      const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      if (chunk.length === 0) continue;
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
    }
    const want = Math.min(n, this.pendingBytes);
    const all = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    const out = all.subarray(0, want);
    const rest = all.subarray(want);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    return out;
  }

  /** Stops reading: releases the stream. */
  close(): void {
    if (!this.done) void this.it.return?.();
    this.done = true;
    if (!this.stream.destroyed) this.stream.destroy();
  }
}
