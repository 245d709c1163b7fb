/**
 * ScsiDevice: the command layer every IMAPI2 object talks through, over any `ScsiTransport`.
 *
 * - `run(request)` sends one CDB and interprets the completion with `interpretScsiStatus`:
 *   GOOD → the ScsiResult; CHECK CONDITION / RESERVATION CONFLICT / BUSY → ImapiError carrying the
 *   sense; UNIT ATTENTION → the command is re-sent (at most `maxUnitAttentionRetries` times; a unit
 *   attention reports an event, not a failure of the command). 06/28/xx (medium may have changed)
 *   emits `mediaChanged`; every unit attention emits `unitAttention`.
 * - `read(command)` is `run` for data-in commands with a codec decoder: when the decoded reply says
 *   `truncated` (the allocation length cut it, see scsi/codec.ts) and names a larger `fullLength`,
 *   the command is re-issued once with that allocation length.
 * - Timeouts default per command (`defaultTimeoutMs`): CLOSE TRACK/SESSION, BLANK, FORMAT UNIT and
 *   SYNCHRONIZE CACHE may legitimately run for many minutes on real drives.
 * - Nothing is serialized here: commands go to the transport as callers issue them (the transport
 *   queues if it must). Ordering between dependent commands is the caller's `await`.
 */
import { EventEmitter } from 'node:events';
import type { ScsiRequest, ScsiResult, ScsiTransport } from '../transport/scsi-transport.js';
import type { DataDirection } from '../scsi/codec.js';
import { Opcode } from '../scsi/opcodes.js';
import { interpretScsiStatus } from '../errors/sense-map.js';
import { ImapiError } from '../errors/imapi-error.js';
import type { SenseData } from '../wire/sense.js';

/** Default timeout of ordinary commands (INQUIRY, MODE SENSE, READ, WRITE …). */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Commands a drive may take minutes to finish: fixation, blanking, formatting, cache flush. */
export const LONG_TIMEOUT_MS = 15 * 60_000;

const LONG_OPCODES: ReadonlySet<number> = new Set([
  Opcode.CLOSE_TRACK_SESSION,
  Opcode.BLANK,
  Opcode.FORMAT_UNIT,
  Opcode.SYNCHRONIZE_CACHE_10,
  Opcode.SEND_OPC_INFORMATION,
  Opcode.LOAD_UNLOAD_MEDIUM,
]);
/** START STOP UNIT may move a tray: longer than a plain command, shorter than a fixation. */
const TRAY_TIMEOUT_MS = 60_000;

/** The default timeout for a CDB, chosen by its opcode. */
export function defaultTimeoutMs(opcode: number): number {
  if (LONG_OPCODES.has(opcode)) return LONG_TIMEOUT_MS;
  if (opcode === Opcode.START_STOP_UNIT) return TRAY_TIMEOUT_MS;
  return DEFAULT_TIMEOUT_MS;
}

export interface RunRequest {
  readonly cdb: Uint8Array;
  readonly direction: DataDirection;
  readonly dataOut?: Uint8Array;
  readonly dataInLength?: number;
  /** Overrides the per-opcode default. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** A decoded data-in reply, as the codecs return them. */
export interface DecodedReply {
  readonly truncated?: boolean;
  readonly fullLength?: number;
}

export interface ReadCommand<T> {
  /** Builds the CDB for an allocation length. */
  readonly cdb: (allocationLength: number) => Uint8Array;
  /** First allocation length to try. */
  readonly allocationLength: number;
  /** Largest allocation length the CDB's field holds (0xFFFF for a 2-byte field). */
  readonly maxAllocationLength?: number;
  readonly decode: (data: Buffer) => T;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface ScsiDeviceOptions {
  /** Re-sends after this many consecutive unit attentions at most (default 4). */
  readonly maxUnitAttentionRetries?: number;
  /**
   * Caps every command's timeout (per-opcode defaults and explicit ones) at this many milliseconds:
   * a test harness that provokes timeouts on purpose sets it low.
   */
  readonly commandTimeoutMs?: number;
}

export interface ScsiDeviceEvents {
  mediaChanged: [sense: SenseData];
  unitAttention: [sense: SenseData];
}

export class ScsiDevice extends EventEmitter<ScsiDeviceEvents> {
  readonly transport: ScsiTransport;
  private readonly maxRetries: number;
  private readonly timeoutCap: number;

  constructor(transport: ScsiTransport, opts: ScsiDeviceOptions = {}) {
    super();
    this.transport = transport;
    this.maxRetries = opts.maxUnitAttentionRetries ?? 4;
    if (opts.commandTimeoutMs !== undefined && !(opts.commandTimeoutMs > 0)) throw new TypeError('commandTimeoutMs must be a positive number');
    this.timeoutCap = opts.commandTimeoutMs ?? Infinity;
  }

  get id(): string {
    return this.transport.id;
  }

  get closed(): boolean {
    return this.transport.closed;
  }

  /** Sends the raw request; no status interpretation. Rejects only as the transport does. */
  raw(req: RunRequest): Promise<ScsiResult> {
    const opcode = req.cdb[0] ?? 0;
    const request: ScsiRequest = {
      cdb: req.cdb,
      direction: req.direction,
      ...(req.dataOut !== undefined ? { dataOut: req.dataOut } : {}),
      ...(req.direction === 'in' ? { dataInLength: req.dataInLength ?? 0 } : {}),
      timeoutMs: Math.min(this.timeoutCap, req.timeoutMs ?? defaultTimeoutMs(opcode)),
      ...(req.signal !== undefined ? { signal: req.signal } : {}),
    };
    return this.transport.execute(request);
  }

  /**
   * Sends a command; resolves with the result when the device completed it with GOOD, rejects with
   * the ImapiError for anything else. Unit attentions are retried (bounded) and reported as events.
   */
  async run(req: RunRequest): Promise<ScsiResult> {
    const opcode = req.cdb[0] ?? 0;
    for (let attempt = 0; ; attempt++) {
      const result = await this.raw(req);
      const outcome = interpretScsiStatus(result.status, result.sense, opcode);
      if (outcome.kind === 'ok') return result;
      if (outcome.kind === 'error') throw outcome.error;
      this.emit('unitAttention', outcome.sense);
      if (outcome.mediaChanged) this.emit('mediaChanged', outcome.sense);
      if (attempt >= this.maxRetries) {
        // A drive that keeps raising unit attentions: report the last one as the failure.
        throw new ImapiError('E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE', `unit attention persisted after ${this.maxRetries} retries`, {
          sense: outcome.sense,
          scsiStatus: result.status,
        });
      }
    }
  }

  /** A data-in command whose reply a codec decodes; re-issued once with `fullLength` if truncated. */
  async read<T extends DecodedReply>(cmd: ReadCommand<T>): Promise<T> {
    const first = await this.readOnce(cmd, cmd.allocationLength);
    const max = cmd.maxAllocationLength ?? 0xffff;
    if (first.truncated && first.fullLength !== undefined && first.fullLength > cmd.allocationLength) {
      return this.readOnce(cmd, Math.min(first.fullLength, max));
    }
    return first;
  }

  private async readOnce<T>(cmd: ReadCommand<T>, allocationLength: number): Promise<T> {
    const res = await this.run({
      cdb: cmd.cdb(allocationLength),
      direction: 'in',
      dataInLength: allocationLength,
      ...(cmd.timeoutMs !== undefined ? { timeoutMs: cmd.timeoutMs } : {}),
      ...(cmd.signal !== undefined ? { signal: cmd.signal } : {}),
    });
    return cmd.decode(res.dataIn);
  }

  /** A no-data command. */
  async exec(cdb: Uint8Array, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    await this.run({ cdb, direction: 'none', ...opts });
  }

  /** A data-out command. */
  async write(cdb: Uint8Array, dataOut: Uint8Array, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ScsiResult> {
    return this.run({ cdb, direction: 'out', dataOut, ...opts });
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
