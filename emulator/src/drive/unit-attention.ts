/**
 * Unit attention conditions, queued per I_T nexus (SAM-5 §5.14, SPC-4 §5.13.1 / Annex D).
 *
 * A condition is established for every nexus the logical unit knows (or for all but one, e.g. the
 * nexus that changed the mode parameters); a nexus seen for the first time starts with POWER ON,
 * RESET, OR BUS DEVICE RESET OCCURRED (06/29/00). Each command that reports a unit attention
 * takes the oldest one off its nexus's queue. Duplicates are not queued twice.
 */
import type { SenseCondition } from '@openimapi/sdk';
import { Sense } from '@openimapi/sdk';

const MAX_QUEUED = 8;

export class UnitAttentions {
  private readonly queues = new Map<string, SenseCondition[]>();
  private readonly powerOn: boolean;

  constructor(opts: { powerOnAttention?: boolean } = {}) {
    this.powerOn = opts.powerOnAttention ?? true;
  }

  /** Registers a nexus on its first command; returns true when it was new. */
  touch(nexusId: string): boolean {
    if (this.queues.has(nexusId)) return false;
    this.queues.set(nexusId, this.powerOn ? [Sense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED] : []);
    return true;
  }

  /** Queues `cond` for every known nexus except `except`. */
  establish(cond: SenseCondition, opts: { except?: string; only?: readonly string[] } = {}): void {
    for (const [id, q] of this.queues) {
      if (id === opts.except) continue;
      if (opts.only && !opts.only.includes(id)) continue;
      push(q, cond);
    }
  }

  /** Queues `cond` for one nexus (registering it if new). */
  establishFor(nexusId: string, cond: SenseCondition): void {
    this.touch(nexusId);
    push(this.queues.get(nexusId)!, cond);
  }

  peek(nexusId: string): SenseCondition | undefined {
    return this.queues.get(nexusId)?.[0];
  }

  /** Takes the oldest condition off the nexus's queue. */
  take(nexusId: string): SenseCondition | undefined {
    return this.queues.get(nexusId)?.shift();
  }

  pending(nexusId: string): readonly SenseCondition[] {
    return this.queues.get(nexusId) ?? [];
  }

  /** All nexuses and what each has pending (for /state). */
  snapshot(): Record<string, SenseCondition[]> {
    return Object.fromEntries([...this.queues].map(([id, q]) => [id, [...q]]));
  }

  /** Replaces every queue with a single power-on/reset condition (LUN reset, SAM-5 §6.3.1). */
  reset(): void {
    for (const id of this.queues.keys()) this.queues.set(id, [Sense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED]);
  }

  forget(nexusId: string): void {
    this.queues.delete(nexusId);
  }

  knownNexuses(): string[] {
    return [...this.queues.keys()];
  }
}

function push(q: SenseCondition[], cond: SenseCondition): void {
  if (q.some((c) => c.key === cond.key && c.asc === cond.asc && c.ascq === cond.ascq)) return;
  if (q.length >= MAX_QUEUED) q.shift();
  q.push(cond);
}
