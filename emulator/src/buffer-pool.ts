/**
 * Data-In buffers kept by size for reuse: a logical unit leases one for a read and the transport gives
 * it back through `LunResponse.release` once the bytes are on the wire, so a stream of READs of one
 * size allocates nothing (no garbage for the collector, no zeroing). Bounded: buffers above 4 MiB are
 * not kept, at most 16 sizes and 64 buffers of each.
 */
const MAX_BYTES = 4 * 1024 * 1024;
const MAX_SIZES = 16;
const PER_SIZE = 64;

export class BufferPool {
  private readonly free = new Map<number, Buffer[]>();

  /** A buffer of `size` bytes (old contents: the caller overwrites all of it) and the function that gives it back, once. */
  lease(size: number): { buf: Buffer; release: () => void } {
    const buf = this.free.get(size)?.pop() ?? Buffer.allocUnsafeSlow(size);
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
