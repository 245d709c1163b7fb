/**
 * SectorSource: the data a format object writes, read in whole sectors with backpressure, so a 700 MB
 * image never sits whole in memory. Three kinds of source:
 *   - a file path (seekable, size known): positioned reads through one FileHandle;
 *   - a Buffer (seekable, size known);
 *   - a Node Readable (not seekable): pulled chunk by chunk, `skip` reads forward and discards — what
 *     IMAPI2 does when IStream::Seek fails; `{ size, stream }` is a Readable whose length the caller
 *     knows (IStream::Stat), so a write can check it fits and report its progress before it starts.
 * A source that errors, or ends inside a sector, rejects with the error the caller maps to an HRESULT
 * (`SourceError`, with `cause`). Reads never return more than asked for.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/** What a write accepts, for messages. */
export const SOURCE_KINDS = 'a file path, a Uint8Array, a Readable stream or { size, stream }';

export type SourceInput = string | Uint8Array | Readable | SizedStream;

/** A stream and its length in bytes. */
export interface SizedStream {
  readonly size: number;
  readonly stream: Readable;
}

export class SourceError extends Error {
  /** 'failed': the source reported an error; 'short': it ended inside a sector. */
  readonly reason: 'failed' | 'short';
  constructor(reason: 'failed' | 'short', message: string, cause?: unknown) {
    super(message, cause !== undefined ? { cause } : undefined);
    this.name = 'SourceError';
    this.reason = reason;
  }
}

export function isSourceInput(x: unknown): x is SourceInput {
  return typeof x === 'string' || x instanceof Uint8Array || isReadable(x) || isSizedStream(x);
}

function isSizedStream(x: unknown): x is SizedStream {
  if (typeof x !== 'object' || x === null || isReadable(x)) return false;
  const o = x as { size?: unknown; stream?: unknown };
  return typeof o.size === 'number' && Number.isSafeInteger(o.size) && o.size >= 0 && isReadable(o.stream);
}

function isReadable(x: unknown): x is Readable {
  return typeof x === 'object' && x !== null && typeof (x as Readable).read === 'function' && typeof (x as Readable).on === 'function';
}

export class SectorSource {
  /** Total bytes, when known. */
  readonly size: number | undefined;
  readonly seekable: boolean;
  /** Bytes consumed so far (the read position). */
  position = 0;
  private readonly file: FileHandle | undefined;
  private readonly buffer: Uint8Array | undefined;
  private readonly stream: Readable | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private ended = false;
  private failure: Error | undefined;
  private waiter: (() => void) | undefined;

  private constructor(opts: { size: number | undefined; file?: FileHandle; buffer?: Uint8Array; stream?: Readable }) {
    this.size = opts.size;
    this.file = opts.file;
    this.buffer = opts.buffer;
    this.stream = opts.stream;
    this.seekable = opts.stream === undefined;
    if (this.stream) {
      const s = this.stream;
      s.on('readable', () => this.wake());
      s.on('end', () => {
        this.ended = true;
        this.wake();
      });
      s.on('error', (e) => {
        this.failure = e;
        this.wake();
      });
      s.on('close', () => {
        this.ended = true;
        this.wake();
      });
    }
  }

  /** Opens a source. `size` may be given for a stream whose length the caller knows. */
  static async open(input: SourceInput, opts: { size?: number } = {}): Promise<SectorSource> {
    if (typeof input === 'string') {
      let fh: FileHandle;
      try {
        fh = await open(input, 'r');
      } catch (e) {
        throw new SourceError('failed', `cannot open ${input}: ${(e as Error).message}`, e);
      }
      const st = await fh.stat();
      if (!st.isFile()) {
        await fh.close();
        throw new SourceError('failed', `${input} is not a regular file`);
      }
      return new SectorSource({ size: st.size, file: fh });
    }
    if (input instanceof Uint8Array) return new SectorSource({ size: input.length, buffer: input });
    if (isReadable(input)) return new SectorSource({ size: opts.size, stream: input });
    if (isSizedStream(input)) return new SectorSource({ size: input.size, stream: input.stream });
    throw new TypeError(`source must be ${SOURCE_KINDS}`);
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /** Reads up to `bytes` (fewer only at the end of the source). Returns an empty buffer at the end. */
  async read(bytes: number): Promise<Buffer> {
    if (bytes <= 0) return Buffer.alloc(0);
    if (this.file) {
      const out = Buffer.allocUnsafe(Math.min(bytes, Math.max(0, (this.size ?? 0) - this.position)));
      let got = 0;
      while (got < out.length) {
        let n: number;
        try {
          ({ bytesRead: n } = await this.file.read(out, got, out.length - got, this.position + got));
        } catch (e) {
          throw new SourceError('failed', `reading the source failed: ${(e as Error).message}`, e);
        }
        if (n === 0) break;
        got += n;
      }
      this.position += got;
      return got === out.length ? out : out.subarray(0, got);
    }
    if (this.buffer) {
      const end = Math.min(this.buffer.length, this.position + bytes);
      const out = Buffer.from(this.buffer.subarray(this.position, end));
      this.position = end;
      return out;
    }
    return this.readStream(bytes);
  }

  private async readStream(bytes: number): Promise<Buffer> {
    const s = this.stream!;
    while (this.pendingBytes < bytes && !this.ended && !this.failure) {
      const chunk: unknown = s.read();
      if (chunk !== null) {
        const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array | string);
        this.pending.push(b);
        this.pendingBytes += b.length;
        continue;
      }
      if (s.readableEnded) {
        this.ended = true;
        break;
      }
      await new Promise<void>((r) => (this.waiter = r));
    }
    if (this.failure) throw new SourceError('failed', `the source stream failed: ${this.failure.message}`, this.failure);
    const take = Math.min(bytes, this.pendingBytes);
    const all = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    const out = all.subarray(0, take);
    const rest = all.subarray(take);
    this.pending = rest.length ? [rest] : [];
    this.pendingBytes = rest.length;
    this.position += take;
    return out;
  }

  /**
   * Reads exactly `count` sectors of `sectorSize` bytes, or fewer whole sectors at the end of the
   * source. A source that ends inside a sector rejects with SourceError 'short'.
   */
  async readSectors(count: number, sectorSize: number): Promise<Buffer> {
    const b = await this.read(count * sectorSize);
    if (b.length % sectorSize !== 0) {
      throw new SourceError('short', `the source ended inside a sector (${b.length % sectorSize} of ${sectorSize} bytes)`);
    }
    if (b.length < count * sectorSize && this.size !== undefined && this.position < this.size) {
      throw new SourceError('short', `the source ended after ${this.position} of its ${this.size} bytes`);
    }
    return b;
  }

  /** Moves forward `bytes`: a seek where possible, else reads and discards in bounded chunks. */
  async skip(bytes: number): Promise<number> {
    if (this.seekable) {
      const n = Math.min(bytes, Math.max(0, (this.size ?? 0) - this.position));
      this.position += n;
      return n;
    }
    let left = bytes;
    while (left > 0) {
      const b = await this.read(Math.min(left, 1 << 20));
      if (b.length === 0) break;
      left -= b.length;
    }
    return bytes - left;
  }

  async close(): Promise<void> {
    await this.file?.close();
    if (this.stream && !this.stream.destroyed) this.stream.destroy();
  }
}
