/**
 * PDU framing over a byte stream (RFC 7143 §11.2): BHS (48) + AHS (TotalAHSLength*4) + [HeaderDigest 4]
 * + data segment padded to 4 + [DataDigest 4]. The framer accumulates TCP chunks without copying them
 * and cuts whole PDUs out; a PDU that lies in one chunk is returned as views of that chunk.
 *
 * Errors (FramingError):
 *   - `header-digest`: the header digest does not match. The length fields cannot be trusted, so the
 *     stream is lost (fatal) — at ErrorRecoveryLevel 0 the connection must be dropped.
 *   - `oversize`: DataSegmentLength above the receiver's MaxRecvDataSegmentLength (fatal: protocol error).
 *   - `data-digest`: the data digest does not match. The PDU has been consumed (not fatal); the receiver
 *     answers with a Reject (reason 02h) and goes on with the next PDU.
 */
import { BHS_LENGTH, pad4 } from './bhs.js';
import { ByteReader } from '../wire/bytes.js';
import { crc32c, digestBytes, readDigest, writeDigest } from './crc32c.js';
import { encodePdu, type Pdu, type RawPdu } from './pdu.js';

export interface FramingOptions {
  headerDigest: boolean;
  dataDigest: boolean;
  /** Largest data segment accepted (the receiver's declared MaxRecvDataSegmentLength). */
  maxDataSegmentLength: number;
}

export type FramingErrorKind = 'header-digest' | 'data-digest' | 'oversize';

export class FramingError extends Error {
  readonly kind: FramingErrorKind;
  readonly fatal: boolean;
  /** The offending PDU's BHS (for a Reject), when it could be read. */
  readonly bhs: Buffer | undefined;
  constructor(kind: FramingErrorKind, message: string, bhs?: Buffer) {
    super(message);
    this.name = 'FramingError';
    this.kind = kind;
    this.fatal = kind !== 'data-digest';
    this.bhs = bhs;
  }
}

const EMPTY = Buffer.alloc(0);
const BHS_READER = Object.freeze({ what: 'BHS' });
const PAD = [EMPTY, Buffer.alloc(1), Buffer.alloc(2), Buffer.alloc(3)] as const;

/**
 * Where a PDU's data segment may be copied straight to (the receiver's buffer for it: e.g. a write
 * command's data buffer at the Data-Out's offset), given its BHS and data segment length; undefined to
 * get it as usual. Asked only for a PDU that spans received chunks (one that lies in a chunk is
 * returned as a view, with no copy at all); the returned buffer must be exactly `length` bytes.
 */
export type DataPlacement = (bhs: Buffer, length: number) => Buffer | undefined;

export class PduFramer {
  private chunks: Buffer[] = [];
  private head = 0; // offset into chunks[0]
  private avail = 0;
  private opts: FramingOptions;
  private broken: FramingError | undefined;

  constructor(opts: Partial<FramingOptions> = {}) {
    this.opts = { headerDigest: false, dataDigest: false, maxDataSegmentLength: 8192, ...opts };
  }

  /** Changes digests/limits; applies to the next PDU cut (call between PDUs, e.g. after login). */
  setOptions(opts: Partial<FramingOptions>): void {
    this.opts = { ...this.opts, ...opts };
  }
  get options(): Readonly<FramingOptions> {
    return this.opts;
  }
  /** Bytes received but not yet framed. */
  get buffered(): number {
    return this.avail;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.avail += chunk.length;
  }

  /**
   * The next whole PDU, or undefined until more bytes arrive. Throws FramingError (see above).
   * `place` lets a data segment that spans chunks be copied once, into its final buffer.
   */
  next(place?: DataPlacement): RawPdu | undefined {
    if (this.broken) throw this.broken;
    if (this.avail < BHS_LENGTH) return undefined;
    const bhs0 = this.peek(BHS_LENGTH);
    const r = new ByteReader(bhs0, BHS_READER);
    const ahsLen = r.u8(4) * 4;
    const dsl = r.u24(5);
    const hd = this.opts.headerDigest ? 4 : 0;
    const dd = this.opts.dataDigest && dsl > 0 ? 4 : 0;
    const headerLen = BHS_LENGTH + ahsLen;
    if (hd && this.avail >= headerLen + hd) {
      const hdr = this.peek(headerLen + hd);
      if (crc32c(hdr.subarray(0, headerLen)) !== readDigest(hdr, headerLen)) {
        this.broken = new FramingError('header-digest', 'header digest mismatch', Buffer.from(hdr.subarray(0, BHS_LENGTH)));
        throw this.broken;
      }
    }
    if (dsl > this.opts.maxDataSegmentLength) {
      this.broken = new FramingError('oversize', `data segment of ${dsl} bytes exceeds MaxRecvDataSegmentLength ${this.opts.maxDataSegmentLength}`, Buffer.from(bhs0));
      throw this.broken;
    }
    const padded = dsl + pad4(dsl);
    const total = headerLen + hd + padded + dd;
    if (this.avail < total) return undefined;
    if (place && dsl > 0 && this.chunks[0]!.length - this.head < total) {
      const dst = place(Buffer.from(bhs0), dsl);
      if (dst && dst.length === dsl) return this.takePlaced(headerLen, hd, dsl, padded - dsl, dd, dst);
    }
    const dataStart = headerLen + hd;
    const first = this.chunks[0]!;
    if (!dd && first.length - this.head >= total) {
      // The whole PDU lies in the first chunk: views of it, none for an empty AHS or data segment.
      const at = this.head;
      this.skip(total);
      return {
        bhs: bhs0,
        ahs: ahsLen ? first.subarray(at + BHS_LENGTH, at + headerLen) : EMPTY,
        data: dsl ? first.subarray(at + dataStart, at + dataStart + dsl) : EMPTY,
      };
    }
    const all = this.take(total);
    const bhs = all.subarray(0, BHS_LENGTH);
    const ahs = all.subarray(BHS_LENGTH, headerLen);
    const data = all.subarray(dataStart, dataStart + dsl);
    if (dd) {
      const want = readDigest(all, dataStart + padded);
      if (crc32c(all.subarray(dataStart, dataStart + padded)) !== want) {
        throw new FramingError('data-digest', 'data digest mismatch', Buffer.from(bhs));
      }
    }
    return { bhs, ahs, data };
  }

  /** Cuts a PDU whose data segment goes to `dst`: header and trailer are taken, the data copied once. */
  private takePlaced(headerLen: number, hd: number, dsl: number, padLen: number, dd: number, dst: Buffer): RawPdu {
    const header = this.take(headerLen + hd);
    this.takeInto(dst);
    const trailer = padLen + dd > 0 ? this.take(padLen + dd) : EMPTY;
    if (dd) {
      const want = readDigest(trailer, padLen);
      if (crc32c(trailer.subarray(0, padLen), crc32c(dst)) !== want) {
        throw new FramingError('data-digest', 'data digest mismatch', Buffer.from(header.subarray(0, BHS_LENGTH)));
      }
    }
    return { bhs: header.subarray(0, BHS_LENGTH), ahs: header.subarray(BHS_LENGTH, headerLen), data: dst };
  }

  /** Moves the next `dst.length` buffered bytes into `dst`. */
  private takeInto(dst: Buffer): void {
    let o = 0;
    while (o < dst.length) {
      const c = this.chunks[0]!;
      const k = Math.min(c.length - this.head, dst.length - o);
      c.copy(dst, o, this.head, this.head + k);
      o += k;
      this.head += k;
      if (this.head === c.length) {
        this.chunks.shift();
        this.head = 0;
      }
    }
    this.avail -= dst.length;
  }

  /** Forgets buffered bytes (after the connection is dropped). */
  reset(): void {
    this.chunks = [];
    this.head = 0;
    this.avail = 0;
    this.broken = undefined;
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0]!;
    if (this.head === 0 && first.length === n) return first;
    if (first.length - this.head >= n) return first.subarray(this.head, this.head + n);
    const out = Buffer.allocUnsafe(n);
    let o = 0;
    let off = this.head;
    for (const c of this.chunks) {
      const k = Math.min(c.length - off, n - o);
      c.copy(out, o, off, off + k);
      o += k;
      off = 0;
      if (o === n) break;
    }
    return out;
  }

  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length - this.head < n) {
      const out = Buffer.allocUnsafe(n);
      this.takeInto(out);
      return out;
    }
    const out = first.subarray(this.head, this.head + n);
    this.skip(n);
    return out;
  }

  /** Drops the next `n` bytes, which lie in the first chunk. */
  private skip(n: number): void {
    this.head += n;
    if (this.head === this.chunks[0]!.length) {
      this.chunks.shift();
      this.head = 0;
    }
    this.avail -= n;
  }
}

/**
 * The wire pieces of one PDU, for a gathered write: header, [header digest], data, [padding],
 * [data digest]. `header` is BHS + AHS as `encodePdu` returns it.
 */
export function framePdu(header: Buffer, data: Buffer, digests: { headerDigest: boolean; dataDigest: boolean }): Buffer[] {
  const out: Buffer[] = [header];
  if (digests.headerDigest) out.push(digestBytes(crc32c(header)));
  if (data.length) {
    out.push(data);
    const p = PAD[pad4(data.length)]!;
    if (p.length) out.push(p);
    if (digests.dataDigest) out.push(digestBytes(crc32c(p, crc32c(data))));
  }
  return out;
}

/**
 * The whole wire form of a PDU as one buffer, built in place: `headroom` bytes in front of its data
 * segment (in the data's ArrayBuffer) are free to use, so the BHS (and header digest) are written there
 * and the frame is a view from the header through the data — no copy, one write. Undefined when that
 * cannot be: no data segment, an AHS, a data segment that needs padding or a data digest, or less
 * room than the header needs.
 */
export function framePduInPlace(p: Pdu, headroom: number, digests: { headerDigest: boolean; dataDigest: boolean }): Buffer | undefined {
  const data = 'data' in p ? p.data : undefined;
  const hd = digests.headerDigest ? 4 : 0;
  if (!data?.length || digests.dataDigest || pad4(data.length) !== 0 || headroom < BHS_LENGTH + hd) return undefined;
  const frame = Buffer.from(data.buffer, data.byteOffset - BHS_LENGTH - hd, BHS_LENGTH + hd + data.length);
  const { header } = encodePdu(p, frame.subarray(0, BHS_LENGTH));
  if (header.length !== BHS_LENGTH) return undefined;
  if (hd) writeDigest(frame, BHS_LENGTH, crc32c(header));
  return frame;
}
