/**
 * The one bounds-checked byte reader/writer every codec uses. Big-endian, as SCSI and iSCSI are;
 * `u32le` for the little-endian fields of USB (Bulk-Only Transport wrappers).
 * Codecs never index a Buffer ad hoc: they read and write through these.
 *
 * Reader: a read outside the buffer calls `fail` (default: throws WireError). In `zeroFill` mode,
 * used for replies that an allocation length may have cut short, a read past the end yields zeros
 * and sets `readPastEnd`, so a decoder can report `truncated` instead of throwing.
 * Writer: an offset outside the buffer or a value that does not fit the field throws RangeError.
 */

export class WireError extends RangeError {
  readonly offset: number;
  readonly need: number;
  readonly have: number;
  constructor(message: string, offset: number, need: number, have: number) {
    super(message);
    this.name = 'WireError';
    this.offset = offset;
    this.need = need;
    this.have = have;
  }
}

export interface ByteReaderOptions {
  /** Read zeros past the end instead of failing (sets `readPastEnd`). */
  zeroFill?: boolean;
  /** Builds the error thrown for an out-of-bounds read (ignored in zeroFill mode). */
  fail?: (message: string, offset: number, need: number, have: number) => Error;
  /** Names the structure in error messages. */
  what?: string;
}

const NO_OPTIONS: ByteReaderOptions = Object.freeze({});

export class ByteReader {
  readonly buf: Uint8Array;
  readonly length: number;
  readPastEnd = false;
  private readonly opts: ByteReaderOptions;
  // Made on first use: the common fields are read from the bytes themselves, so a reader over a
  // PDU header or a CDB costs one object.
  private dataView: DataView | undefined;

  constructor(buf: Uint8Array, opts: ByteReaderOptions = NO_OPTIONS) {
    this.buf = buf;
    this.length = buf.length;
    this.opts = opts;
  }

  private get dv(): DataView {
    return (this.dataView ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength));
  }

  /** True when `len` bytes at `off` are inside the buffer. */
  has(off: number, len = 1): boolean {
    return off >= 0 && len >= 0 && off + len <= this.length;
  }

  private check(off: number, len: number): boolean {
    if (this.has(off, len)) return true;
    if (off < 0 || !Number.isInteger(off)) throw new RangeError(`bad offset ${off}`);
    if (this.opts.zeroFill) {
      this.readPastEnd = true;
      return false;
    }
    const what = this.opts.what ?? 'data';
    const msg = `${what}: need ${len} byte(s) at offset ${off}, have ${this.length}`;
    throw (this.opts.fail ?? ((m, o, n, h) => new WireError(m, o, n, h)))(msg, off, len, this.length);
  }

  u8(off: number): number {
    return this.check(off, 1) ? this.buf[off]! : 0;
  }
  i8(off: number): number {
    return this.check(off, 1) ? this.dv.getInt8(off) : 0;
  }
  u16(off: number): number {
    const b = this.buf;
    return this.check(off, 2) ? (b[off]! << 8) | b[off + 1]! : this.partial(off, 2);
  }
  u24(off: number): number {
    const b = this.buf;
    return this.check(off, 3) ? (b[off]! << 16) | (b[off + 1]! << 8) | b[off + 2]! : this.partial(off, 3);
  }
  u32(off: number): number {
    const b = this.buf;
    return this.check(off, 4) ? b[off]! * 0x1000000 + ((b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) : this.partial(off, 4);
  }
  i32(off: number): number {
    const b = this.buf;
    return this.check(off, 4) ? (b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]! : this.partial(off, 4) | 0;
  }
  /** Little-endian 32-bit (USB). */
  u32le(off: number): number {
    return this.check(off, 4) ? this.dv.getUint32(off, true) : 0;
  }
  u64(off: number): bigint {
    return this.check(off, 8) ? this.dv.getBigUint64(off) : BigInt(this.partial(off, 8));
  }
  /** Bits `shift .. shift+width-1` of byte `off` (bit 0 = least significant). */
  bits(off: number, shift: number, width: number): number {
    return (this.u8(off) >> shift) & ((1 << width) - 1);
  }
  /** One bit of byte `off`. */
  bit(off: number, bit: number): boolean {
    return ((this.u8(off) >> bit) & 1) === 1;
  }
  /** A copy of `len` bytes at `off` (zero-filled past the end in zeroFill mode). */
  bytes(off: number, len: number): Buffer {
    if (this.check(off, len)) return Buffer.from(this.buf.subarray(off, off + len));
    const out = Buffer.alloc(len);
    if (off < this.length) out.set(this.buf.subarray(off, this.length));
    return out;
  }
  /** A view (no copy) of `len` bytes at `off`; never zero-filled. */
  view(off: number, len: number): Uint8Array {
    if (!this.has(off, len)) {
      this.check(off, len);
      return this.buf.subarray(Math.min(off, this.length), this.length);
    }
    return this.buf.subarray(off, off + len);
  }
  /** ASCII text of `len` bytes, trailing spaces and NULs removed. */
  ascii(off: number, len: number): string {
    return this.bytes(off, len).toString('latin1').replace(/[\s\0]+$/, '');
  }
  /** A reader over `len` bytes at `off` (clipped to what is present in zeroFill mode). */
  sub(off: number, len: number): ByteReader {
    if (this.check(off, len)) return new ByteReader(this.buf.subarray(off, off + len), this.opts);
    const r = new ByteReader(this.buf.subarray(Math.min(off, this.length), this.length), this.opts);
    r.readPastEnd = true;
    return r;
  }

  /** Big-endian value of the bytes present, zeros for the rest (zeroFill mode only). */
  private partial(off: number, len: number): number {
    let v = 0;
    for (let i = 0; i < len; i++) v = v * 256 + (off + i < this.length ? this.buf[off + i]! : 0);
    return v;
  }
}

export class ByteWriter {
  readonly buffer: Buffer;
  // Made on first use (i8, u32le, i32, u64): the common fields are written byte by byte.
  private dataView: DataView | undefined;

  /** A writer over a new zeroed buffer of `size` bytes, or over an existing buffer. */
  constructor(sizeOrBuffer: number | Uint8Array) {
    if (typeof sizeOrBuffer === 'number') {
      if (!Number.isInteger(sizeOrBuffer) || sizeOrBuffer < 0) throw new RangeError(`bad size ${sizeOrBuffer}`);
      this.buffer = Buffer.alloc(sizeOrBuffer);
    } else {
      this.buffer = Buffer.isBuffer(sizeOrBuffer)
        ? sizeOrBuffer
        : Buffer.from(sizeOrBuffer.buffer, sizeOrBuffer.byteOffset, sizeOrBuffer.byteLength);
    }
  }

  private get dv(): DataView {
    return (this.dataView ??= new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength));
  }

  get length(): number {
    return this.buffer.length;
  }

  private at(off: number, len: number): void {
    if (!Number.isInteger(off) || off < 0 || off + len > this.buffer.length) {
      throw new RangeError(`write of ${len} byte(s) at offset ${off} outside ${this.buffer.length}-byte buffer`);
    }
  }
  private fits(v: number, max: number, name: string): void {
    if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`${name} value ${v} out of range 0..${max}`);
  }

  u8(off: number, v: number): this {
    this.at(off, 1);
    this.fits(v, 0xff, 'u8');
    this.buffer[off] = v;
    return this;
  }
  i8(off: number, v: number): this {
    this.at(off, 1);
    if (!Number.isInteger(v) || v < -128 || v > 127) throw new RangeError(`i8 value ${v} out of range`);
    this.dv.setInt8(off, v);
    return this;
  }
  u16(off: number, v: number): this {
    this.at(off, 2);
    this.fits(v, 0xffff, 'u16');
    this.buffer[off] = v >>> 8;
    this.buffer[off + 1] = v;
    return this;
  }
  u24(off: number, v: number): this {
    this.at(off, 3);
    this.fits(v, 0xffffff, 'u24');
    this.buffer[off] = v >>> 16;
    this.buffer[off + 1] = v >>> 8;
    this.buffer[off + 2] = v;
    return this;
  }
  u32(off: number, v: number): this {
    this.at(off, 4);
    this.fits(v, 0xffffffff, 'u32');
    const b = this.buffer;
    b[off] = v >>> 24;
    b[off + 1] = v >>> 16;
    b[off + 2] = v >>> 8;
    b[off + 3] = v;
    return this;
  }
  /** Little-endian 32-bit (USB). */
  u32le(off: number, v: number): this {
    this.at(off, 4);
    this.fits(v, 0xffffffff, 'u32');
    this.dv.setUint32(off, v, true);
    return this;
  }
  i32(off: number, v: number): this {
    this.at(off, 4);
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw new RangeError(`i32 value ${v} out of range`);
    this.dv.setInt32(off, v);
    return this;
  }
  u64(off: number, v: bigint | number): this {
    this.at(off, 8);
    const b = typeof v === 'bigint' ? v : BigInt(v);
    if (b < 0n || b > 0xffffffffffffffffn) throw new RangeError(`u64 value ${b} out of range`);
    this.dv.setBigUint64(off, b);
    return this;
  }
  /** Sets bits `shift .. shift+width-1` of byte `off` to `v`, keeping the others. */
  bits(off: number, shift: number, width: number, v: number): this {
    this.at(off, 1);
    const mask = (1 << width) - 1;
    this.fits(v, mask, `${width}-bit field`);
    this.buffer[off] = (this.buffer[off]! & ~(mask << shift)) | (v << shift);
    return this;
  }
  /** Sets or clears one bit of byte `off`. */
  bit(off: number, bit: number, on: boolean): this {
    return this.bits(off, bit, 1, on ? 1 : 0);
  }
  bytes(off: number, src: Uint8Array): this {
    this.at(off, src.length);
    this.buffer.set(src, off);
    return this;
  }
  /** ASCII text padded with `pad` (space by default) to exactly `len` bytes; longer text throws. */
  ascii(off: number, len: number, text: string, pad = ' '): this {
    this.at(off, len);
    if (text.length > len) throw new RangeError(`text "${text}" longer than ${len} bytes`);
    if (!/^[\x00-\x7e]*$/.test(text)) throw new RangeError(`text "${text}" is not ASCII`);
    this.buffer.write(text.padEnd(len, pad), off, len, 'latin1');
    return this;
  }
}
