/**
 * The conformance World: the drive under test, the clients that talk to it through the SDK's public
 * API (each client its own DiscMaster2 and iSCSI session), the format object under test and the
 * outcome of the last action, which the `Then it fails with ...` steps assert.
 */
import { World, setWorldConstructor, type IWorldOptions } from '@cucumber/cucumber';
import type { ChildProcess } from 'node:child_process';
import { DiscMaster2, usbProvider, type DiscRecorder2Ex } from '@openimapi/sdk';
import type { DriveUnderTest } from './target.js';

export interface Params {
  target: string;
  /** A lab fixture's serial port, or `emulator` (see target.ts). */
  fixture?: string;
  /**
   * May the suite quick-erase a rewritable disc that is not blank, when a scenario needs it blank and
   * nothing can load another (support/media.ts)? Default: OPENIMAPI_ALLOW_ERASE, else only on the
   * emulator targets.
   */
  erase?: boolean;
}

export type Outcome = { ok: true; value?: unknown } | { ok: false; error: unknown };

/** Command timeout the SDK uses in the suite: the timeout rows wait this long, not 30 s. */
export const SUITE_COMMAND_TIMEOUT_MS = 2500;
/** The cap in @timeout scenarios, whose drive hangs on purpose: each such row waits this long. */
export const TIMEOUT_ROW_COMMAND_TIMEOUT_MS = 1000;

let current: DriveUnderTest | undefined;
export function setDrive(d: DriveUnderTest | undefined): void {
  current = d;
}

export class ConformanceWorld extends World<Params> {
  readonly clients = new Map<string, DiscRecorder2Ex>();
  readonly processes = new Map<string, { child: ChildProcess; clientName: string }>();
  /** The clientName each client last acquired exclusive access with (what getExclusiveAccessOwner names). */
  readonly lockNames = new Map<string, string>();
  /** The format object under test (DiscFormat2RawCD, DiscFormat2TrackAtOnce, ...). */
  format: any;
  /** Outcome of the last When step. */
  result: Outcome | undefined;
  /** Outcomes of calls made from inside Update handlers, by method name. */
  readonly inner = new Map<string, Outcome>();
  /** Async calls made from inside Update handlers, still settling. */
  readonly pending: Promise<unknown>[] = [];
  readonly cleanup: Array<() => Promise<unknown>> = [];
  tmp: string | undefined;
  /** Every Update event the format object under test raised. */
  readonly updates: any[] = [];
  image: { path: string; sectors: number; bytes: number; sectorBytes: number } | undefined;
  /** Audio tracks given to addAudioTrack, in order (what the disc must read back as). */
  readonly tracks: Buffer[] = [];
  /** The 2048-byte-sector data image given to DiscFormat2Data.write. */
  dataImage: Buffer | undefined;
  /** Command timeout of the clients this scenario opens (lowered for @timeout scenarios). */
  commandTimeoutMs = SUITE_COMMAND_TIMEOUT_MS;
  /** Values a step remembers for a later one ("I remember the free sectors"). */
  readonly remembered = new Map<string, number>();
  /** mediaChanged notifications each client raised, by client name. */
  readonly mediaChanges = new Map<string, unknown[]>();
  /**
   * On a drive used as it is (no control plane, no fixture): media steps of this scenario still to
   * come. While more than one is ahead, the disc in the drive is one a later step would replace, so
   * the steps set nothing up on it (see hooks.ts).
   */
  mediaStepsAhead = 0;
  /** A step switched a recording capability of the drive off: the After hook gives the defaults back. */
  capabilitiesChanged = false;

  constructor(options: IWorldOptions<Params>) {
    super(options);
  }

  get drive(): DriveUnderTest {
    if (!current) throw new Error('no drive under test (BeforeAll did not start one)');
    return current;
  }

  initiatorName(client: string): string {
    return `iqn.2026-11.org.openimapi:conformance.w${process.env.CUCUMBER_WORKER_ID ?? '0'}.${client.toLowerCase().replace(/[^a-z0-9.-]/g, '-')}`;
  }

  /** A DiscMaster2 that reaches the drive as client `name` (its own InitiatorName, or the drive's own way). */
  master(name: string, commandTimeoutMs = this.commandTimeoutMs): DiscMaster2 {
    const initiatorName = this.initiatorName(name);
    const id = this.drive.uniqueId;
    const reach = this.drive.masterOptions?.(initiatorName) ?? { ...(id.startsWith('usb:') ? { providers: [usbProvider()] } : { urls: [id] }), session: { initiatorName } };
    return new DiscMaster2({ ...reach, recorder: { commandTimeoutMs, mcnPollMs: 0 } });
  }

  async openClient(name: string): Promise<DiscRecorder2Ex> {
    const existing = this.clients.get(name);
    if (existing) return existing;
    const master = this.master(name);
    const rec = await master.openRecorder(this.drive.uniqueId);
    this.clients.set(name, rec);
    const changes: unknown[] = [];
    this.mediaChanges.set(name, changes);
    rec.on('mediaChanged', (info) => changes.push(info));
    return rec;
  }

  /**
   * What getExclusiveAccessOwner() says when `holder` (a client, or a separate process) holds the drive:
   * the client name it acquired with, exactly; on a local drive another process is only
   * `process PID (...)`, and `prefix` says so.
   */
  expectedOwner(kind: 'client' | 'process', holder: string): { name: string; prefix: boolean } {
    if (kind === 'process') {
      const p = this.processes.get(holder);
      if (!p) throw new Error(`no process "${holder}"`);
      return this.drive.lockOwner === 'local' ? { name: `process ${p.child.pid} `, prefix: true } : { name: p.clientName, prefix: false };
    }
    const n = this.lockNames.get(holder);
    if (n === undefined) throw new Error(`client "${holder}" never acquired exclusive access`);
    return { name: n, prefix: false };
  }

  client(name: string): DiscRecorder2Ex {
    const c = this.clients.get(name);
    if (!c) throw new Error(`client "${name}" has not opened the recorder`);
    return c;
  }

  async attempt(f: () => unknown): Promise<Outcome> {
    try {
      const value = await f();
      this.result = { ok: true, value };
    } catch (error) {
      this.result = { ok: false, error };
    }
    return this.result;
  }
}

setWorldConstructor(ConformanceWorld);
