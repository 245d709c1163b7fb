/**
 * Data-In buffers kept by size for reuse: a logical unit leases one for a read and the transport gives
 * it back through `LunResponse.release` once the bytes are on the wire, so a stream of READs of one
 * size allocates nothing (no garbage for the collector, no zeroing). Bounded: buffers above 4 MiB are
 * not kept, at most 16 sizes and 64 buffers of each.
 *
 * Every leased buffer has `DATA_IN_HEADROOM` spare bytes in front of it in its ArrayBuffer
 * (`LunResponse.dataInHeadroom`): the iSCSI target writes the Data-In header there, so header and data
 * leave in one write, without a copy.
 */
const MAX_BYTES = 4 * 1024 * 1024;
const MAX_SIZES = 16;
const PER_SIZE = 64;

/** Bytes before each leased buffer that the transport may use: a BHS (48) and its header digest (4), rounded up. */
export const DATA_IN_HEADROOM = 64;

export interface Lease {
  /** `size` bytes (old contents: the caller overwrites all of it). */
  readonly buf: Buffer;
  /** Gives the buffer back, once (later calls do nothing). */
  readonly release: () => void;
}

export class BufferPool {
  private readonly free = new Map<number, Buffer[]>();

  /** A buffer of `size` bytes, with `DATA_IN_HEADROOM` bytes free in front of it, and the function that gives it back. */
  lease(size: number): Lease {
    const buf = this.free.get(size)?.pop() ?? Buffer.allocUnsafeSlow(DATA_IN_HEADROOM + size).subarray(DATA_IN_HEADROOM);
    let released = false;
    return {
      buf,
      release: () => {
        if (released) return;
        released = true;
        this.give(buf);
      },
    };
  }

  private give(buf: Buffer): void {
    if (buf.length > MAX_BYTES) return;
    let list = this.free.get(buf.length);
    if (!list) {
      if (this.free.size >= MAX_SIZES) this.free.clear();
      list = [];
      this.free.set(buf.length, list);
    }
    if (list.length < PER_SIZE) list.push(buf);
  }
}

/**
 * The headroom `dataIn` has when it is (a prefix of) the leased `buf`: `DATA_IN_HEADROOM`, else 0 (a
 * reply built elsewhere, a view further in, or no lease at all).
 */
export function headroomOf(dataIn: Buffer, lease: Lease | undefined): number {
  return lease && dataIn.buffer === lease.buf.buffer && dataIn.byteOffset === lease.buf.byteOffset ? DATA_IN_HEADROOM : 0;
}
