/** Write-parameter contexts for tests: mode page 05h values as a host would set them. */
import { DataBlockType, WriteType, type WriteContext } from '../medium.js';

export function ctx(over: Partial<WriteContext> = {}): WriteContext {
  return {
    writeType: WriteType.TRACK_AT_ONCE, dataBlockType: DataBlockType.MODE_1, trackMode: 4, multiSession: 0,
    sessionFormat: 0, testWrite: false, bufe: true, ...over,
  };
}

export const audioTao = (over: Partial<WriteContext> = {}) => ctx({ dataBlockType: DataBlockType.RAW, trackMode: 0, ...over });
export const dataTao = (over: Partial<WriteContext> = {}) => ctx(over);

/** `n` blocks of `size` bytes with a pattern that differs per block and per `seed`. */
export function pattern(n: number, size: number, seed = 1): Buffer {
  const b = Buffer.alloc(n * size);
  for (let i = 0; i < b.length; i += 4) b.writeUInt32BE(((i * 2246822519) ^ (seed * 3266489917)) >>> 0, i);
  return b;
}

/** Asserts that `fn` throws a CheckCondition with key/ASC/ASCQ; returns the error. */
export function senseOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    const c = e as { key?: number; asc?: number; ascq?: number };
    if (c.key === undefined) throw e;
    const h = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
    return `${h(c.key)}/${h(c.asc!)}/${h(c.ascq!)}`;
  }
  return 'no error';
}
