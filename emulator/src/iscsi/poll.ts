/**
 * Polling (`--poll-us N`): for N µs after the target's last input, the event loop keeps checking its
 * sockets instead of sleeping in the kernel. An immediate that re-queues itself keeps libuv's poll
 * timeout at 0, so the next command of a client that answers quickly is found by the next poll rather
 * than by waking a sleeping process — on a machine with several CPUs an inter-processor wake-up and an
 * idle exit, most of the round trip of one command in flight on loopback. The loop stops by itself N µs
 * after the last input: an idle target costs nothing, a busy one at most N µs of CPU per pause.
 * (A window that adapts to the clients, as QEMU's event loops do, was tried and dropped: here the gap
 * between commands without polling, ~80 µs, is longer than any window worth spinning, so it never
 * opened.) Off (0) by default in `startTarget`; the CLI polls for CLI_POLL_MICROS (QEMU's event loops
 * poll for up to 32 µs by default; here the round trip with polling is ~40 µs). Measured on 2 CPUs with
 * bench/iscsi-read.mjs: 4 KiB QD1 doubles with the initiator on the other CPU; with both on one CPU it
 * costs ~8%; a whole conformance run takes the same time and ~1.5% more CPU.
 */
export const MAX_POLL_MICROS = 100_000;
export const CLI_POLL_MICROS = 50;

export class Poller {
  private readonly ms: number;
  private until = 0;
  private active = false;

  /** `now`: a clock in ms (tests give a virtual one). */
  constructor(micros: number, private readonly now: () => number = () => performance.now()) {
    if (!Number.isInteger(micros) || micros < 0 || micros > MAX_POLL_MICROS) throw new TypeError(`pollMicros ${micros} is not an integer in 0..${MAX_POLL_MICROS}`);
    this.ms = micros / 1000;
  }

  /** Whether polling is on at all (N > 0). */
  get enabled(): boolean {
    return this.ms > 0;
  }
  /** Whether the loop is polling right now. */
  get polling(): boolean {
    return this.active;
  }

  /** Input arrived: poll on until N µs from now. */
  touch(): void {
    if (this.ms === 0) return;
    this.until = this.now() + this.ms;
    if (!this.active) {
      this.active = true;
      setImmediate(this.spin);
    }
  }

  private readonly spin = (): void => {
    if (this.now() < this.until) setImmediate(this.spin);
    else this.active = false;
  };
}
