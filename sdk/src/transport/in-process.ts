/**
 * InProcessTransport: a `ScsiTransport` that runs a logical unit (the emulator's drive core, or any
 * object of the same shape) in this process, with no socket. FOR UNIT TESTS ONLY: an application
 * reaches a drive through the iSCSI initiator, the native backend or USB — never through this.
 *
 * It keeps the whole ScsiTransport contract (scsi-transport.ts): a timeout aborts the command at the
 * logical unit (its `signal`) and rejects with E_IMAPI_RECORDER_COMMAND_TIMEOUT; an AbortSignal
 * rejects with E_IMAPI_REQUEST_CANCELLED; after `close()` every call rejects with
 * HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE), and close tells the logical unit the nexus is gone (as
 * an iSCSI logout would); `loseConnection()` simulates a dropped link (ERROR_DEV_NOT_EXIST);
 * residuals and overflow are computed as a target would.
 *
 * The logical unit's shape is declared here structurally, so the SDK does not depend on the emulator.
 */
import type { ImapiError } from '../errors/imapi-error.js';
import {
  StorageBusType,
  commandTimeoutError,
  requestCancelledError as cancelledError,
  transportClosedError,
  transportLostError,
  validateScsiRequest,
  type ScsiRequest,
  type ScsiResult,
  type ScsiTransport,
  type TransportAdapterInfo,
} from './scsi-transport.js';

/** The I_T nexus a logical unit sees (same shape as the emulator's ItNexus). */
export interface NexusLike {
  readonly id: string;
  readonly initiatorName: string;
  readonly isid: string;
  readonly tpgt: number;
  readonly transport: string;
}

export interface LunCommandLike {
  readonly nexus: NexusLike;
  readonly cdb: Buffer;
  readonly dataOut?: Buffer;
  readonly expectedDataInLength: number;
  readonly taskAttribute: number;
  readonly signal: AbortSignal;
}

export interface LunResponseLike {
  readonly status: number;
  readonly sense?: Buffer;
  readonly dataIn?: Buffer;
}

/** What InProcessTransport drives: the emulator's LogicalUnit has this shape. */
export interface LogicalUnitLike {
  execute(cmd: LunCommandLike): Promise<LunResponseLike> | LunResponseLike;
  nexusLost?(nexus: NexusLike): void;
}

export interface InProcessTransportOptions {
  /** InitiatorName of the simulated session (default `iqn.2026-11.org.openimapi:in-process`). */
  readonly initiatorName?: string;
  /** ISID, 12 hex digits (default: a counter, unique per transport in this process). */
  readonly isid?: string;
  /** Stable id reported as `transport.id` (default `in-process://<isid>`). */
  readonly id?: string;
}

let isidCounter = 0;

export class InProcessTransport implements ScsiTransport {
  readonly id: string;
  readonly nexus: NexusLike;
  /** A virtual bus: no transfer limit of its own beyond 16 MiB per command, any alignment, queueing. */
  readonly adapter: TransportAdapterInfo = Object.freeze({ busType: StorageBusType.VIRTUAL, maxTransferLength: 16 * 1024 * 1024, alignmentMask: 0, commandQueueing: true });
  private readonly lu: LogicalUnitLike;
  private state: 'open' | 'closed' | 'lost' = 'open';
  private readonly outstanding = new Set<{ reject: (e: Error) => void; abort: AbortController }>();

  constructor(lu: LogicalUnitLike, opts: InProcessTransportOptions = {}) {
    this.lu = lu;
    const isid = opts.isid ?? (0x800000000000 + ++isidCounter).toString(16).padStart(12, '0');
    const initiatorName = opts.initiatorName ?? 'iqn.2026-11.org.openimapi:in-process';
    this.nexus = Object.freeze({ id: `${initiatorName},i,0x${isid}`, initiatorName, isid, tpgt: 1, transport: 'in-process' });
    this.id = opts.id ?? `in-process://${isid}`;
  }

  get closed(): boolean {
    return this.state !== 'open';
  }

  async execute(req: ScsiRequest): Promise<ScsiResult> {
    validateScsiRequest(req);
    if (this.state === 'closed') throw transportClosedError();
    if (this.state === 'lost') throw lostError();
    if (req.signal?.aborted) throw cancelledError();
    const abort = new AbortController();
    return new Promise<ScsiResult>((resolve, reject) => {
      let settled = false;
      const entry = {
        abort,
        reject: (e: Error) => finish(() => reject(e)),
      };
      const finish = (then: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        this.outstanding.delete(entry);
        then();
      };
      const timer = setTimeout(() => {
        abort.abort(new Error('timeout'));
        finish(() => reject(commandTimeoutError(req.cdb, req.timeoutMs)));
      }, req.timeoutMs);
      const onAbort = (): void => {
        abort.abort(new Error('cancelled'));
        finish(() => reject(cancelledError()));
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      this.outstanding.add(entry);
      const dataInLength = req.direction === 'in' ? (req.dataInLength ?? 0) : 0;
      Promise.resolve()
        .then(() =>
          this.lu.execute({
            nexus: this.nexus,
            cdb: Buffer.from(req.cdb),
            ...(req.dataOut !== undefined ? { dataOut: Buffer.from(req.dataOut) } : {}),
            expectedDataInLength: dataInLength,
            taskAttribute: 1,
            signal: abort.signal,
          }),
        )
        .then(
          (res) => finish(() => resolve(toResult(res, req, dataInLength))),
          (err: unknown) => finish(() => reject(err instanceof Error ? err : new Error(String(err)))),
        );
    });
  }

  /** Simulates a dropped connection: outstanding and later commands fail with ERROR_DEV_NOT_EXIST. */
  loseConnection(): void {
    if (this.state !== 'open') return;
    this.state = 'lost';
    this.drop(lostError);
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.drop(lostError);
    if (wasOpen) this.lu.nexusLost?.(this.nexus);
  }

  private drop(err: () => ImapiError): void {
    for (const o of [...this.outstanding]) {
      o.abort.abort(new Error('connection closed'));
      o.reject(err());
    }
    if (this.state === 'lost') this.lu.nexusLost?.(this.nexus);
  }
}

function toResult(res: LunResponseLike, req: ScsiRequest, dataInLength: number): ScsiResult {
  const all = res.dataIn ?? Buffer.alloc(0);
  const dataIn = req.direction === 'in' ? Buffer.from(all.subarray(0, dataInLength)) : Buffer.alloc(0);
  const overflow = req.direction === 'in' ? Math.max(0, all.length - dataInLength) : 0;
  const residual = req.direction === 'in' ? dataInLength - dataIn.length : 0;
  return { status: res.status, sense: res.sense ? Buffer.from(res.sense) : Buffer.alloc(0), dataIn, residual, overflow };
}

function lostError(): ImapiError {
  return transportLostError('connection lost');
}
