/**
 * CRC32C (Castagnoli), the iSCSI header and data digest (RFC 7143 §11.1 / RFC 3720 Appendix B.4).
 * Reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF. On the wire the 32-bit
 * digest goes least significant byte first (RFC 3720 B.4 lists 32 zero bytes → "aa 36 91 8a").
 */

/** Slice-by-4 tables: T[0] is the classic byte table, T[k] advances k more zero bytes. */
const T0 = new Uint32Array(256);
const T1 = new Uint32Array(256);
const T2 = new Uint32Array(256);
const T3 = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  T0[n] = c >>> 0;
}
for (let n = 0; n < 256; n++) {
  T1[n] = (T0[T0[n]! & 0xff]! ^ (T0[n]! >>> 8)) >>> 0;
  T2[n] = (T0[T1[n]! & 0xff]! ^ (T1[n]! >>> 8)) >>> 0;
  T3[n] = (T0[T2[n]! & 0xff]! ^ (T2[n]! >>> 8)) >>> 0;
}

/**
 * Continues a CRC32C over `buf`. Start with `crc = 0` (the pre/post inversion is done here), so
 * `crc32c(b, crc32c(a))` equals `crc32c(concat(a, b))`.
 */
export function crc32c(buf: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  let i = 0;
  const n = buf.length;
  const end4 = n - (n % 4);
  for (; i < end4; i += 4) {
    c ^= buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
    c = T3[c & 0xff]! ^ T2[(c >>> 8) & 0xff]! ^ T1[(c >>> 16) & 0xff]! ^ T0[c >>> 24]!;
  }
  for (; i < n; i++) c = T0[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC32C over several buffers in order (header + padded data without concatenating them). */
export function crc32cOf(parts: readonly Uint8Array[]): number {
  let crc = 0;
  for (const p of parts) crc = crc32c(p, crc);
  return crc;
}

/** The 4 wire bytes of a digest (least significant byte first). */
export function digestBytes(crc: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  writeDigest(b, 0, crc);
  return b;
}

/** Writes a digest in its wire form at `off` (in place, for a frame built in one buffer). */
export function writeDigest(buf: Buffer, off: number, crc: number): void {
  buf.writeUInt32LE(crc >>> 0, off);
}

/** Reads a wire digest at `off`. */
export function readDigest(buf: Uint8Array, off: number): number {
  return (buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16) | (buf[off + 3]! << 24)) >>> 0;
}
