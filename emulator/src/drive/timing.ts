/**
 * Time in the realistic speed model: how long moving `bytes` takes at `kbps` (1 kB = 1000 bytes, as
 * MMC speeds are given), divided by the time scale; and an abortable sleep.
 */
export function transferMs(bytes: number, kbps: number): number {
  if (!(kbps > 0)) return 0;
  return (bytes / (kbps * 1000)) * 1000;
}

/** Resolves after `ms` (immediately when ≤ 0) or when `signal` aborts, whichever is first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
