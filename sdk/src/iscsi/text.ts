/**
 * Text key=value data (RFC 7143 §6.1): UTF-8 `key=value` pairs, each ended by a NUL, in the data
 * segment of Login and Text PDUs. A long set spans several PDUs with the C (continue) bit set on all
 * but the last; the receiver joins the segments before it parses (a pair may be split anywhere).
 */

export type TextPairs = Array<[key: string, value: string]>;

export class TextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TextError';
  }
}

/** Keys are at most 63 bytes of letters, digits, `.-+@_` (§6.1); values at most 8192 bytes (§6.1). */
const KEY_RE = /^[A-Za-z0-9.\-+@_]{1,63}$/;
export const MAX_TEXT_VALUE = 8192;

/** `key=value\0...` bytes. Throws TextError for a malformed key or a value with a NUL. */
export function encodeText(pairs: Iterable<readonly [string, string]>): Buffer {
  const parts: string[] = [];
  for (const [k, v] of pairs) {
    if (!KEY_RE.test(k)) throw new TextError(`bad text key "${k}"`);
    if (v.includes('\0')) throw new TextError(`value of ${k} contains NUL`);
    parts.push(`${k}=${v}\0`);
  }
  return Buffer.from(parts.join(''), 'utf8');
}

/**
 * Parses complete text data. Trailing NUL padding is ignored; a pair without `=` or with a bad key
 * throws TextError (the caller answers with a Reject or a login error).
 */
export function decodeText(buf: Uint8Array): TextPairs {
  const s = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8');
  const out: TextPairs = [];
  for (const item of s.split('\0')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0) throw new TextError(`text item without key=value: "${item.slice(0, 64)}"`);
    const key = item.slice(0, eq);
    const value = item.slice(eq + 1);
    if (!KEY_RE.test(key)) throw new TextError(`bad text key "${key.slice(0, 64)}"`);
    if (Buffer.byteLength(value) > MAX_TEXT_VALUE) throw new TextError(`value of ${key} longer than ${MAX_TEXT_VALUE} bytes`);
    out.push([key, value]);
  }
  return out;
}

/** Splits text data into segments of at most `max` bytes; every segment but the last goes with C=1. */
export function splitText(data: Buffer, max: number): Buffer[] {
  if (max < 1) throw new RangeError(`bad segment size ${max}`);
  if (data.length <= max) return [data];
  const out: Buffer[] = [];
  for (let o = 0; o < data.length; o += max) out.push(data.subarray(o, Math.min(o + max, data.length)));
  return out;
}

/**
 * Joins continued text segments (C bit). `push` returns undefined while more are expected and the
 * whole data when the segment with C=0 arrives. A total over `limit` bytes throws TextError.
 */
export class TextAccumulator {
  private parts: Buffer[] = [];
  private size = 0;
  constructor(private readonly limit = 64 * 1024) {}
  push(segment: Buffer, cont: boolean): Buffer | undefined {
    this.size += segment.length;
    if (this.size > this.limit) {
      this.reset();
      throw new TextError(`continued text longer than ${this.limit} bytes`);
    }
    this.parts.push(segment);
    if (cont) return undefined;
    const all = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.reset();
    return all;
  }
  get pending(): boolean {
    return this.parts.length > 0;
  }
  reset(): void {
    this.parts = [];
    this.size = 0;
  }
}
