/**
 * Sector stores: where a disc's recorded sectors live. A store maps LBA `origin + i` to slot i of
 * `sectorSize` bytes: 2448 for CD (2352 main channel + 96 raw P-W, lead-in included, so slot 0 is the
 * ATIP lead-in start), 2048 for DVD/BD (slot 0 is LBA 0).
 *
 * FileStore writes through with positioned writes into a sparse file (never preallocated), so the file
 * length tells how far a sequentially recorded disc was written: after a crash the disc's recorded
 * extent is `extent()` (whole sectors only; a torn last sector counts as unwritten).
 * MemoryStore keeps 1024-sector chunks (2.4 MB of CD, 2 MB of DVD/BD sectors) in a Map (discs without a
 * data directory, tests): few, large allocations, so a 700 MB burn does not keep the GC busy.
 */
import * as fs from 'node:fs';

export interface SectorStore {
  readonly sectorSize: number;
  /** LBA of slot 0. */
  readonly origin: number;
  /** Writes whole sectors starting at `lba`. */
  write(lba: number, data: Uint8Array): void;
  /**
   * Reads `count` sectors; never-written sectors read as zeros. `into`: a buffer of exactly that many
   * bytes to fill (every byte is written) and return instead of a new one.
   */
  read(lba: number, count: number, into?: Buffer): Buffer;
  /**
   * CD stores whose every sector is a mode-1 data sector built from 2048 bytes of user data (an ISO
   * image, a pressed disc): those 2048-byte blocks, read straight from the source without building the
   * raw sectors (sync, header, EDC/ECC) that `read` returns. READ(10)/(12) and READ CD of user data
   * only use it; stores that hold raw sectors do not have it. `into` as for `read`.
   */
  readUserData?(lba: number, count: number, into?: Buffer): Buffer;
  /** One past the highest LBA ever written (origin when nothing is). */
  extent(): number;
  /** True when the sector at `lba` was written (memory: exactly; file: below the extent). */
  written(lba: number): boolean;
  /** Forgets everything at and after `lba` (BLANK). */
  truncate(lba: number): void;
  sync(): void;
  close(): void;
}

export class FileStore implements SectorStore {
  readonly sectorSize: number;
  readonly origin: number;
  readonly path: string;
  private fd: number | undefined;
  private end: number;

  constructor(path: string, sectorSize: number, origin: number) {
    this.path = path;
    this.sectorSize = sectorSize;
    this.origin = origin;
    this.fd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    const size = fs.fstatSync(this.fd).size;
    this.end = origin + Math.floor(size / sectorSize);
  }

  private handle(): number {
    if (this.fd === undefined) throw new Error(`disc image ${this.path} is closed`);
    return this.fd;
  }

  write(lba: number, data: Uint8Array): void {
    if (data.length % this.sectorSize !== 0) throw new RangeError(`write of ${data.length} bytes is not whole ${this.sectorSize}-byte sectors`);
    const pos = (lba - this.origin) * this.sectorSize;
    if (pos < 0) throw new RangeError(`LBA ${lba} below store origin ${this.origin}`);
    let done = 0;
    while (done < data.length) done += fs.writeSync(this.handle(), data, done, data.length - done, pos + done);
    this.end = Math.max(this.end, lba + data.length / this.sectorSize);
  }

  read(lba: number, count: number, into?: Buffer): Buffer {
    const pos = (lba - this.origin) * this.sectorSize;
    if (pos < 0) throw new RangeError(`LBA ${lba} below store origin ${this.origin}`);
    return readFully(this.handle(), into ?? Buffer.allocUnsafe(count * this.sectorSize), pos);
  }

  extent(): number {
    return this.end;
  }

  written(lba: number): boolean {
    return lba >= this.origin && lba < this.end;
  }

  truncate(lba: number): void {
    const keep = Math.max(0, lba - this.origin);
    if (lba < this.end) {
      fs.ftruncateSync(this.handle(), keep * this.sectorSize);
      this.end = this.origin + keep;
    }
  }

  sync(): void {
    fs.fsyncSync(this.handle());
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Fills `out` with the bytes of `fd` from `pos`; what lies past the end of the file reads as zeros. */
export function readFully(fd: number, out: Buffer, pos: number): Buffer {
  const length = out.length;
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, out, done, length - done, pos + done);
    if (n === 0) break;
    done += n;
  }
  if (done < length) out.fill(0, done);
  return out;
}

const CHUNK = 1024;

export class MemoryStore implements SectorStore {
  readonly sectorSize: number;
  readonly origin: number;
  private readonly chunks = new Map<number, { data: Buffer; mask: Uint8Array }>();
  private end: number;

  constructor(sectorSize: number, origin: number) {
    this.sectorSize = sectorSize;
    this.origin = origin;
    this.end = origin;
  }

  write(lba: number, data: Uint8Array): void {
    if (data.length % this.sectorSize !== 0) throw new RangeError(`write of ${data.length} bytes is not whole ${this.sectorSize}-byte sectors`);
    const n = data.length / this.sectorSize;
    if (lba < this.origin) throw new RangeError(`LBA ${lba} below store origin ${this.origin}`);
    // One copy per chunk the write touches (a whole run of sectors at a time).
    for (let i = 0; i < n; ) {
      const slot = lba + i - this.origin;
      const at = slot % CHUNK;
      const run = Math.min(CHUNK - at, n - i);
      const key = Math.floor(slot / CHUNK);
      let c = this.chunks.get(key);
      if (!c) {
        // A chunk the write fills entirely needs no zeroing; one it fills in part reads zeros elsewhere.
        const bytes = CHUNK * this.sectorSize;
        this.chunks.set(key, (c = { data: run === CHUNK ? Buffer.allocUnsafe(bytes) : Buffer.alloc(bytes), mask: new Uint8Array(CHUNK) }));
      }
      c.data.set(data.subarray(i * this.sectorSize, (i + run) * this.sectorSize), at * this.sectorSize);
      c.mask.fill(1, at, at + run);
      i += run;
    }
    this.end = Math.max(this.end, lba + n);
  }

  read(lba: number, count: number, into?: Buffer): Buffer {
    const out = into ? into.fill(0) : Buffer.alloc(count * this.sectorSize);
    for (let i = 0; i < count; ) {
      const slot = lba + i - this.origin;
      if (slot < 0) {
        i += Math.min(-slot, count - i); // below the origin: zeros
        continue;
      }
      const at = slot % CHUNK;
      const run = Math.min(CHUNK - at, count - i);
      const c = this.chunks.get(Math.floor(slot / CHUNK));
      if (c) c.data.copy(out, i * this.sectorSize, at * this.sectorSize, (at + run) * this.sectorSize);
      i += run;
    }
    return out;
  }

  extent(): number {
    return this.end;
  }

  written(lba: number): boolean {
    const slot = lba - this.origin;
    if (slot < 0) return false;
    return this.chunks.get(Math.floor(slot / CHUNK))?.mask[slot % CHUNK] === 1;
  }

  truncate(lba: number): void {
    const keep = Math.max(0, lba - this.origin);
    for (const [key, c] of this.chunks) {
      if (key * CHUNK >= keep) this.chunks.delete(key);
      else if ((key + 1) * CHUNK > keep) for (let i = keep - key * CHUNK; i < CHUNK; i++) { c.mask[i] = 0; c.data.fill(0, i * this.sectorSize, (i + 1) * this.sectorSize); }
    }
    this.end = Math.min(this.end, this.origin + keep);
  }

  sync(): void {}
  close(): void {}
}
