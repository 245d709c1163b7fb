/**
 * Adaptive polling (`--poll-us`): for a while after the target's last input, the event loop keeps
 * checking its sockets instead of sleeping in the kernel. An immediate that re-queues itself keeps
 * libuv's poll timeout at 0, so the next command of a client that answers quickly is found by the
 * next poll rather than by a wake-up of a sleeping process (on a machine with several CPUs, an
 * inter-processor wake-up and an idle exit: most of a one-command-in-flight round trip on loopback).
 * It stops by itself `micros` µs after the last input, so an idle target costs nothing; a busy one
 * spends at most that much CPU per pause. Off (0) by default.
 */
export const MAX_POLL_MICROS = 100_000;

export class AdaptivePoller {
  private readonly ms: number;
  private until = 0;
  private active = false;

  constructor(micros: number) {
    if (!Number.isInteger(micros) || micros < 0 || micros > MAX_POLL_MICROS) throw new TypeError(`pollMicros ${micros} is not an integer in 0..${MAX_POLL_MICROS}`);
    this.ms = micros / 1000;
  }

  /** Whether polling is on at all (micros > 0). */
  get enabled(): boolean {
    return this.ms > 0;
  }
  /** Whether the loop is polling right now. */
  get polling(): boolean {
    return this.active;
  }

  /** Input arrived: poll on until `micros` µs from now. */
  touch(): void {
    if (this.ms === 0) return;
    this.until = performance.now() + this.ms;
    if (!this.active) {
      this.active = true;
      setImmediate(this.spin);
    }
  }

  private readonly spin = (): void => {
    if (performance.now() < this.until) setImmediate(this.spin);
    else this.active = false;
  };
}
