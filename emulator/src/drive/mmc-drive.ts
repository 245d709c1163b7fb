/**
 * The emulated MMC burner as a logical unit: one `execute` that runs a CDB through, in order,
 *   1. armed faults (control plane) — may answer, hang, drop the connection or corrupt the reply;
 *   2. unit attention for the nexus (not for INQUIRY, REPORT LUNS, REQUEST SENSE, GET CONFIGURATION,
 *      GET EVENT STATUS NOTIFICATION — MMC-6 §4.1.6.1 lets those run without reporting it);
 *   3. reservation conflict (reservations.ts);
 *   4. the opcode table (table.ts), whose handler validates, then acts.
 * A CheckCondition thrown anywhere becomes CHECK CONDITION with fixed-format sense; an unknown opcode is
 * 05/20/00 INVALID COMMAND OPERATION CODE; any other exception is 04/44/00 INTERNAL TARGET FAILURE
 * (and a warning in the log), never a crash of the target.
 */
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { CheckCondition, Opcode, ScsiStatus, Sense, buildFixedSense, describeSense, opcodeName, type BuildSense } from '@openimapi/sdk';
import type { ItNexus, LogicalUnit, LunCommand, LunResponse } from '../lun.js';
import { DriveState } from './state.js';
import { Faults, corruptReply } from './faults.js';
import { ModePages } from './mode-pages.js';
import { silentLogger, type DriveLogger } from './logger.js';
import { noMediaSource, type MediaSource } from './media-source.js';
import type { CommandContext, DriveConfig, DriveCore, Handler } from './types.js';
import { BufferPool, headroomOf, type Lease } from '../buffer-pool.js';
import { sleep } from './timing.js';
import { opcodeTable } from './table.js';
import type { Medium } from '../media/medium.js';
import { exportBinCue } from '../media/image-io.js';
import { ReservationConflict } from './reserve.js';
import { describeState, type DriveStateView } from './state-view.js';
import { defaultCapabilities, parseCapabilities, type DriveCapabilities } from './capabilities.js';

/** Indexed by opcode: true for the commands that run without reporting a pending unit attention. */
const UA_EXEMPT: readonly boolean[] = (() => {
  const t = new Array<boolean>(256).fill(false);
  for (const op of [Opcode.INQUIRY, Opcode.REPORT_LUNS, Opcode.REQUEST_SENSE, Opcode.GET_CONFIGURATION, Opcode.GET_EVENT_STATUS_NOTIFICATION]) t[op] = true;
  return t;
})();

/** Opcodes whose parameter list the debug log shows. */
const LOGGED_PARAMETER_LISTS = new Set<number>([Opcode.MODE_SELECT_10, Opcode.SEND_CUE_SHEET, Opcode.PERSISTENT_RESERVE_OUT, Opcode.SET_STREAMING, Opcode.FORMAT_UNIT, Opcode.SEND_OPC_INFORMATION]);

export interface MmcDriveOptions extends Partial<DriveConfig> {
  logger?: DriveLogger;
  media?: MediaSource;
  /** Clock in ms (tests inject a fake one). */
  now?: () => number;
  /**
   * Waits `ms` of that clock, or until `signal` aborts (the realistic speed model's transfer and
   * buffer waits). Default: real timers. A test with a fake `now` injects one that advances it.
   */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Report 06/29/00 to each nexus on its first command (default true). */
  powerOnAttention?: boolean;
  /** Index of the drive among the target's LUNs (for logs and the control plane). */
  index?: number;
}

export const defaultDriveConfig: DriveConfig = Object.freeze({
  vendor: 'OPENIMAP',
  product: 'EMU-BURNER',
  revision: '1.0',
  serial: 'EMU0000000',
  speedModel: 'unlimited',
  timeScale: 1,
  becomingReadyMs: 0,
});

/**
 * Events: 'disconnect' (nexus: ItNexus | undefined) — the device-gone fault or a power-off asks the
 * target to drop the session(s); 'tray' — the tray moved or the disc in it changed (load, eject, tray
 * close).
 */
export class MmcDrive extends EventEmitter implements LogicalUnit, DriveCore {
  readonly config: DriveConfig;
  readonly state: DriveState;
  readonly modes: ModePages;
  readonly faults = new Faults();
  readonly media: MediaSource;
  readonly logger: DriveLogger;
  readonly index: number;
  private readonly table: readonly (Handler | undefined)[];

  constructor(opts: MmcDriveOptions = {}) {
    super();
    const config: DriveConfig = {
      vendor: opts.vendor ?? defaultDriveConfig.vendor,
      product: opts.product ?? defaultDriveConfig.product,
      revision: opts.revision ?? defaultDriveConfig.revision,
      serial: opts.serial ?? defaultDriveConfig.serial,
      speedModel: opts.speedModel ?? defaultDriveConfig.speedModel,
      timeScale: opts.timeScale ?? defaultDriveConfig.timeScale,
      becomingReadyMs: opts.becomingReadyMs ?? defaultDriveConfig.becomingReadyMs,
    };
    validateConfig(config);
    this.config = Object.freeze(config);
    this.logger = opts.logger ?? silentLogger;
    this.traced = this.logger.debugEnabled !== false;
    this.media = opts.media ?? noMediaSource;
    this.index = opts.index ?? 0;
    this.state = new DriveState({
      becomingReadyMs: config.becomingReadyMs,
      now: opts.now ?? (() => performance.now()),
      powerOnAttention: opts.powerOnAttention ?? true,
      logger: this.logger,
      onTrayChange: () => this.emit('tray'),
    });
    this.modes = new ModePages(this.state, () => this.capabilities);
    this.sleeper = opts.sleep ?? sleep;
    this.table = opcodeTable;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.sleeper(ms, signal);
  }
  private readonly sleeper: (ms: number, signal?: AbortSignal) => Promise<void>;

  realTime(ms: number): number {
    return this.config.speedModel === 'realistic' ? ms / this.config.timeScale : 0;
  }

  // ---- programmatic control (same verbs as the HTTP control plane) ---------------------------

  /** Inserts a new disc of `kind` (`cd-r`, ...) or opens a saved disc / image file and closes the tray. */
  load(what: { media: string } | { file: string } | string): Medium {
    const req = typeof what === 'string' ? { media: what } : what;
    const medium = 'file' in req ? this.media.open(req.file) : this.media.create(req.media);
    // What the disc can be loaded again from: its file, else (an in-memory or pressed disc) its kind.
    this.loadedFrom = 'file' in req ? { file: resolve(req.file) } : medium.imagePath !== undefined ? { file: medium.imagePath } : { media: medium.kind };
    this.state.insert(medium);
    this.modes.mediumChanged(medium);
    return medium;
  }

  /**
   * Opens the tray, as START STOP UNIT LoEj=1 Start=0 does: the disc stays on the tray (`closeTray`
   * loads it again). Throws CheckCondition 05/53/02 while a nexus prevents removal, unless `force`.
   */
  eject(opts: { force?: boolean } = {}): void {
    if (!opts.force && this.state.prevented()) throw new CheckCondition(Sense.MEDIUM_REMOVAL_PREVENTED);
    this.state.openTray();
  }

  /** Ejects (as `eject`) and takes the disc off the tray: the tray stays open and empty. */
  remove(opts: { force?: boolean } = {}): void {
    this.eject(opts);
    this.state.takeDisc();
    this.loadedFrom = undefined;
  }

  /** Closes the tray; a disc on it becomes ready again (unit attention 06/28/00, NewMedia event). */
  closeTray(): void {
    this.state.closeTray();
  }

  /** False while the drive is powered off (the lab fixture's POWER OFF). */
  get powered(): boolean {
    return this.power;
  }
  private power = true;

  /**
   * Power off: the drive vanishes from its bus. It asks the target to drop its sessions ('disconnect'),
   * and any command that still reaches it does the same and is never answered. The disc stays in.
   */
  powerOff(): void {
    if (!this.power) return;
    this.power = false;
    this.state.cancelOperation();
    this.logger.info('power off', { drive: this.index });
    this.emit('disconnect', undefined);
  }

  /** Power on: a power-on reset (reservations, PREVENT and mode pages reset; 06/29/00 for every nexus). */
  powerOn(): void {
    if (this.power) return;
    this.power = true;
    this.state.writeBuffer = undefined;
    this.state.reset();
    this.modes.reset();
    this.logger.info('power on', { drive: this.index });
  }

  /**
   * Writes the CD in the drive as `<dir>/<name>.bin` + `.cue` (media/image-io.ts `exportBinCue`). No disc
   * → CheckCondition 02/3A/0x; not a CD or no complete session → TypeError / CheckCondition naming why.
   */
  exportBinCue(dir: string, name = 'disc'): { bin: string; cue: string } {
    if (!/^[\w.+-]+$/.test(name)) throw new TypeError(`name: "${name}" is not a plain file name`);
    return exportBinCue(this.state.requireMedium(), dir, name);
  }

  /** What the drive can record (capabilities.ts): every capability until the control plane switches one off. */
  get capabilities(): DriveCapabilities {
    return this.caps;
  }
  private caps: DriveCapabilities = defaultCapabilities;

  /**
   * Switches recording capabilities on or off (`{ rwSubcode: false }`; keys not given keep their
   * value), checked whole first: an unknown key or a value that is not a boolean is a TypeError and
   * changes nothing. Returns the capabilities now in force.
   */
  setCapabilities(change: unknown): DriveCapabilities {
    const parsed = parseCapabilities(change);
    this.caps = Object.freeze({ ...this.caps, ...parsed });
    this.logger.info('capabilities', { drive: this.index, ...this.caps });
    return this.caps;
  }

  /** Back to the shipping drive's capabilities (all on). */
  resetCapabilities(): DriveCapabilities {
    this.caps = defaultCapabilities;
    this.logger.info('capabilities', { drive: this.index, ...this.caps });
    return this.caps;
  }

  /** Where the disc in the slot came from (undefined when the slot is empty). */
  loadedFrom: { file: string } | { media: string } | undefined;

  describe(): DriveStateView {
    return describeState(this);
  }

  // ---- LogicalUnit --------------------------------------------------------------------------

  /**
   * Runs one command. Synchronous unless the handler waits (realistic timing, a long operation, a
   * fault that hangs): the common READ answers without a Promise. The per-command trace (the debug
   * line with opcode, LBA, sense, ...) is built only when the logger writes debug lines.
   */
  execute(cmd: LunCommand): LunResponse | Promise<LunResponse> {
    const cdb = cmd.cdb;
    const opcode = cdb.length > 0 ? cdb[0]! : -1;
    const nexus = cmd.nexus;
    this.state.touch(nexus);
    const fields = this.traced ? { drive: this.index, op: opcodeName(opcode), nexus: nexus.id, ...cdbAddress(cdb) } as Record<string, unknown> : undefined;
    const ctx = new Command(this, cmd, fields, this.pool);
    // Small parameter lists (mode pages, cue sheets, PR parameters) go into the log as hex: what a tool sent.
    if (fields && cmd.dataOut && cmd.dataOut.length > 0 && cmd.dataOut.length <= 512 && LOGGED_PARAMETER_LISTS.has(opcode)) fields.dataOut = cmd.dataOut.toString('hex');
    let r: LunResponse | Promise<LunResponse>;
    try {
      r = this.run(ctx, opcode);
    } catch (e) {
      return this.complete(ctx, this.failure(e, opcode, fields));
    }
    if (r instanceof Promise) {
      return r.then(
        (x) => this.complete(ctx, x),
        (e: unknown) => this.complete(ctx, this.failure(e, opcode, fields)),
      );
    }
    return this.complete(ctx, r);
  }

  /** Whether commands are traced (the logger writes debug lines). */
  private readonly traced: boolean;
  /** Data-in buffers of READs, back from the transport. */
  private readonly pool = new BufferPool();

  /** The response as sent: with the release of a pooled data-in buffer (at once when the command failed), traced. */
  private complete(ctx: Command, response: LunResponse): LunResponse {
    // A pooled buffer the reply does not carry (the command failed) goes back at once.
    if (ctx.leased && response.release !== ctx.leased.release) ctx.leased.release();
    const fields = ctx.fields;
    if (!fields) return response;
    fields.status = response.status;
    if (response.sense) fields.sense = senseText(response.sense);
    if (response.dataIn) fields.dataIn = response.dataIn.length;
    this.logger.debug('cdb', fields);
    return response;
  }

  private run(ctx: Command, opcode: number): LunResponse | Promise<LunResponse> {
    if (!this.power) {
      this.emit('disconnect', ctx.nexus);
      return this.hang(ctx.cmd.signal);
    }
    if (opcode < 0) throw new CheckCondition(Sense.INVALID_COMMAND_OPERATION_CODE, 'empty CDB');
    // A pending unit attention is reported before an armed fault is spent: the initiator re-sends the
    // command after the unit attention, and it is that command the fault is meant for.
    const pending = this.table[opcode] && this.unitAttention(ctx, opcode);
    if (pending) return pending;
    const fault = this.faults.take(opcode);
    let corrupt = false;
    if (fault) {
      ctx.note({ fault: fault.type });
      switch (fault.type) {
        case 'hang':
          return this.hang(ctx.cmd.signal);
        case 'disconnect':
          this.logger.info('device-gone fault: asking the target to drop the session', { nexus: ctx.nexus.id });
          this.emit('disconnect', ctx.nexus);
          return this.hang(ctx.cmd.signal);
        case 'reservation-conflict':
          // as if another initiator had taken the device's reservation from under this one
          return { status: ScsiStatus.RESERVATION_CONFLICT };
        case 'check-condition':
          throw new CheckCondition(fault.trayDependent ? this.state.noMediumCondition() : fault.sense);
        case 'unit-attention': {
          this.state.ua.establish(fault.sense);
          const ua = this.unitAttention(ctx, opcode);
          if (ua) return ua;
          break;
        }
        case 'corrupt-reply':
          corrupt = true;
          break;
      }
    }
    const handler = this.table[opcode];
    if (!handler) throw new CheckCondition(Sense.INVALID_COMMAND_OPERATION_CODE, `${opcodeName(opcode)} is not supported`, { fieldPointer: { cd: true, byte: 0, bit: 7 } });
    if (this.state.reservations.conflicts(ctx.nexus.id, opcode)) return { status: ScsiStatus.RESERVATION_CONFLICT };
    const data = handler(ctx);
    if (data instanceof Promise) return data.then((d) => reply(ctx, opcode, d ?? undefined, corrupt));
    return reply(ctx, opcode, data ?? undefined, corrupt);
  }

  /** The unit attention this command reports (CHECK CONDITION), if one is pending for its nexus and the opcode is not exempt. */
  private unitAttention(ctx: Command, opcode: number): LunResponse | undefined {
    if (UA_EXEMPT[opcode]) return undefined;
    const ua = this.state.ua.take(ctx.nexus.id);
    return ua ? checkCondition({ ...ua }) : undefined;
  }

  private hang(signal: AbortSignal): Promise<LunResponse> {
    return new Promise((resolve) => {
      const done = () => resolve({ status: ScsiStatus.TASK_ABORTED });
      if (signal.aborted) return done();
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private failure(e: unknown, opcode: number, fields: Record<string, unknown> | undefined): LunResponse {
    if (e instanceof CheckCondition) {
      if (fields && e.message !== describeSense(e)) fields.why = e.message;
      return { status: ScsiStatus.CHECK_CONDITION, sense: e.toSense() };
    }
    if (e instanceof ReservationConflict) return { status: ScsiStatus.RESERVATION_CONFLICT };
    this.logger.warn('internal error running a command', { op: opcodeName(opcode), error: e instanceof Error ? e.stack ?? e.message : String(e) });
    return checkCondition({ key: 0x4, asc: 0x44, ascq: 0x00 });
  }

  nexusLost(nexus: ItNexus): void {
    this.logger.info('nexus lost', { nexus: nexus.id });
    this.state.nexusLost(nexus);
  }

  reset(kind: 'lun-reset' | 'target-warm-reset', by: ItNexus): void {
    this.logger.info('reset', { kind, by: by.id });
    this.state.reset();
    this.modes.reset();
  }

  close(): void {
    this.state.cancelOperation();
    try {
      this.state.medium?.close();
    } catch (e) {
      this.logger.warn('closing the medium failed', { error: String(e) });
    }
    this.state.medium = undefined;
    this.faults.disarm();
    this.removeAllListeners();
  }
}

/** The CommandContext of one command. */
class Command implements CommandContext {
  readonly state: DriveState;
  readonly cdb: Buffer;
  readonly nexus: ItNexus;
  /** The pooled data-in buffer the handler took. */
  leased: Lease | undefined;

  constructor(
    readonly drive: MmcDrive,
    readonly cmd: LunCommand,
    readonly fields: Record<string, unknown> | undefined,
    private readonly pool: BufferPool,
  ) {
    this.state = drive.state;
    this.cdb = cmd.cdb;
    this.nexus = cmd.nexus;
  }

  note(f: Record<string, unknown>): void {
    if (this.fields) Object.assign(this.fields, f);
  }

  dataInBuffer(size: number): Buffer {
    if (this.leased) throw new Error('dataInBuffer: one buffer per command');
    this.leased = this.pool.lease(size);
    return this.leased.buf;
  }
}

/**
 * GOOD with the handler's data-in (mangled when an invalid-response fault is armed), and the release of
 * the pooled buffer it was read into (the transport gives it back once sent) with the headroom in front
 * of it when the data-in is that buffer.
 */
function reply(ctx: Command, opcode: number, data: Buffer | undefined, corrupt: boolean): LunResponse {
  if (corrupt) data = corruptReply(opcode, data ?? Buffer.alloc(0));
  if (!data) return { status: ScsiStatus.GOOD };
  const lease = ctx.leased;
  return lease
    ? { status: ScsiStatus.GOOD, dataIn: data, release: lease.release, dataInHeadroom: headroomOf(data, lease) }
    : { status: ScsiStatus.GOOD, dataIn: data };
}

function checkCondition(s: BuildSense): LunResponse {
  return { status: ScsiStatus.CHECK_CONDITION, sense: buildFixedSense(s) };
}

function senseText(sense: Buffer): string {
  const h = (n: number | undefined) => (n ?? 0).toString(16).padStart(2, '0');
  return `${h(sense[2]! & 0x0f)}/${h(sense[12])}/${h(sense[13])}`;
}

/** LBA and transfer length of READ/WRITE-style CDBs for the debug log (group 1/2: 10 bytes, group 5: 12). */
function cdbAddress(cdb: Buffer): Record<string, number> {
  const group = (cdb[0] ?? 0) >> 5;
  if ((group === 1 || group === 2) && cdb.length >= 10) return { lba: cdb.readInt32BE(2), length: cdb.readUInt16BE(7) };
  if (group === 5 && cdb.length >= 12) return { lba: cdb.readInt32BE(2), length: cdb.readUInt32BE(6) };
  return {};
}

function validateConfig(c: DriveConfig): void {
  const ascii = (name: string, v: string, max: number) => {
    if (typeof v !== 'string' || v.length > max || !/^[\x20-\x7e]*$/.test(v)) throw new TypeError(`${name}: "${v}" must be at most ${max} printable ASCII characters`);
  };
  ascii('vendor', c.vendor, 8);
  ascii('product', c.product, 16);
  ascii('revision', c.revision, 4);
  ascii('serial', c.serial, 252);
  if (c.speedModel !== 'unlimited' && c.speedModel !== 'realistic') throw new TypeError(`speedModel: "${String(c.speedModel)}" is not 'unlimited' or 'realistic'`);
  if (!(typeof c.timeScale === 'number' && c.timeScale > 0 && Number.isFinite(c.timeScale))) throw new TypeError(`timeScale: ${c.timeScale} must be a positive number`);
  if (!(typeof c.becomingReadyMs === 'number' && c.becomingReadyMs >= 0)) throw new TypeError(`becomingReadyMs: ${c.becomingReadyMs} must be ≥ 0`);
}
