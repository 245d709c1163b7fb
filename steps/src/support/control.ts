/** A client for the emulator's control plane (HTTP/JSON on loopback): media, tray, faults, capabilities, state. */
import { Worker } from 'node:worker_threads';

export interface FaultArm {
  kind: string;
  count?: number;
  opcode?: string | number | Array<string | number>;
  sense?: { key: number; asc: number; ascq: number };
}

/** What the steps do to the drive: the emulator's control plane, or a lab fixture (fixture-control.ts). */
export interface DriveControl {
  load(media: string): Promise<unknown>;
  loadFile(file: string): Promise<unknown>;
  eject(force?: boolean): Promise<unknown>;
  closeTray(): Promise<unknown>;
  arm(f: FaultArm): Promise<unknown>;
  /** Arms a fault before returning, blocking the thread (for use inside a synchronous Update handler). */
  armSync(f: FaultArm, timeoutMs?: number): void;
  disarm(): Promise<unknown>;
  state(): Promise<Record<string, unknown>>;
  /**
   * Switches recording capabilities of the drive on or off (`{ rwSubcode: false }`, see the emulator's
   * drive/capabilities.ts), and back to the drive's defaults. Absent on a lab fixture: a physical act
   * cannot change what a drive records.
   */
  setCapabilities?(change: Record<string, boolean>): Promise<unknown>;
  resetCapabilities?(): Promise<unknown>;
  /** A lab fixture: false when the scenario needs a condition it cannot cause. */
  supportsScenario?(stepTexts: readonly string[]): boolean;
}

export class ControlClient implements DriveControl {
  constructor(readonly baseUrl: string, readonly drive = 0) {}

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const json: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new Error(`control ${method} ${path} → ${res.status}: ${(json as { error?: string })?.error ?? text}`);
    return json;
  }

  load(media: string): Promise<unknown> {
    return this.call('POST', `/drives/${this.drive}/load`, { media });
  }
  loadFile(file: string): Promise<unknown> {
    return this.call('POST', `/drives/${this.drive}/load`, { file });
  }
  eject(force = true): Promise<unknown> {
    return this.call('POST', `/drives/${this.drive}/eject`, { force });
  }
  closeTray(): Promise<unknown> {
    return this.call('POST', `/drives/${this.drive}/close-tray`);
  }
  arm(f: FaultArm): Promise<unknown> {
    return this.call('POST', `/drives/${this.drive}/faults`, f);
  }
  /**
   * Arms a fault and returns only once the emulator has it, blocking this thread meanwhile. For an
   * Update handler, which runs synchronously inside the SDK: the fault is in place before the SDK sends
   * its next command, so "the next TEST UNIT READY after the erase began" is exact, not a race.
   */
  armSync(f: FaultArm, timeoutMs = 15_000): void {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(
      `const { workerData: w } = require('node:worker_threads');
       fetch(w.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: w.body })
         .then((r) => Atomics.store(w.flag, 0, r.ok ? 1 : 2), () => Atomics.store(w.flag, 0, 2))
         .finally(() => Atomics.notify(w.flag, 0));`,
      { eval: true, workerData: { url: `${this.baseUrl}/drives/${this.drive}/faults`, body: JSON.stringify(f), flag } },
    );
    const waited = Atomics.wait(flag, 0, 0, timeoutMs);
    void worker.terminate();
    if (waited === 'timed-out' || Atomics.load(flag, 0) !== 1) throw new Error(`control: arming ${JSON.stringify(f)} failed (${waited}, state ${Atomics.load(flag, 0)})`);
  }
  disarm(): Promise<unknown> {
    return this.call('DELETE', `/drives/${this.drive}/faults`);
  }
  state(): Promise<Record<string, unknown>> {
    return this.call('GET', `/drives/${this.drive}/state`) as Promise<Record<string, unknown>>;
  }
  setCapabilities(change: Record<string, boolean>): Promise<unknown> {
    return this.call('POST', `/drives/${this.drive}/capabilities`, change);
  }
  resetCapabilities(): Promise<unknown> {
    return this.call('DELETE', `/drives/${this.drive}/capabilities`);
  }
}
