/**
 * SgTransport: ScsiTransport over Linux SG_IO on `/dev/sgN` or `/dev/srN`.
 *
 * How it keeps the ScsiTransport contract (sdk/src/transport/scsi-transport.ts):
 * - Any SCSI status resolves, with the sense bytes the kernel returned (autosense) for CHECK CONDITION.
 * - Timeout: `timeoutMs` is sg_io_hdr.timeout. When it fires the kernel's error handler aborts the
 *   command at the device and SG_IO returns DID_TIME_OUT / DRIVER_TIMEOUT → E_IMAPI_RECORDER_COMMAND_TIMEOUT.
 *   The fd stays usable. The clock starts when the kernel issues the command (see queueing below).
 * - Cancellation: SG_IO has no way to abort an ioctl already running. A signal aborted before the
 *   command is submitted rejects at once and nothing is sent; a signal aborted while the ioctl runs
 *   rejects at once with E_IMAPI_REQUEST_CANCELLED and the command's result, when it comes, is
 *   discarded (the device did execute it).
 * - Lost: ENODEV/ENXIO from the ioctl, or host status DID_NO_CONNECT/DID_BAD_TARGET → every outstanding
 *   and later command rejects with HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST), `disconnected: true`.
 * - close(): outstanding commands reject as lost, later ones with ERROR_INVALID_HANDLE; the fd (and the
 *   O_EXCL lock) is released once the ioctl in flight, if any, has returned, and close() resolves then.
 * - Queueing: commands run one at a time per transport, in submission order (an MMC drive executes one
 *   command at a time, and each SG_IO holds a libuv threadpool thread for its whole duration).
 * - Residuals: `resid` from the kernel; `dataIn` is the transferred prefix. Overflow is not reported by
 *   SG_IO and is always 0.
 */
import { ImapiError, ScsiStatus, validateScsiRequest, type ScsiRequest, type ScsiResult, type ScsiTransport } from '@openimapi/sdk';
import { AddonDirection, loadAddon, type SgAddon, type SgIoOutput } from './addon.js';
import { cancelledError, classifySgIo, closedError, hostStatusName, ioctlError, lostError, openError } from './errors.js';

/** Sense buffer size bounds (sg_io_hdr.mx_sb_len is one byte; SPC sense is at most 252 bytes). */
export const MIN_SENSE_LENGTH = 32;
export const MAX_SENSE_LENGTH = 252;

export interface SgTransportOptions {
  /** Open with O_EXCL: the lock for local devices; a second exclusive open fails with E_IMAPI_RECORDER_LOCKED. Default true. */
  readonly exclusive?: boolean;
  /** Sense buffer bytes, 32 to 252 (default 96). */
  readonly senseLength?: number;
  /** The addon to use (tests pass a fake with the same contract); default: the compiled addon, loaded lazily. */
  readonly addon?: SgAddon;
}

interface Job {
  readonly req: ScsiRequest;
  readonly resolve: (r: ScsiResult) => void;
  readonly reject: (e: Error) => void;
  settled: boolean;
  detach(): void;
}

export class SgTransport implements ScsiTransport {
  readonly id: string;
  readonly path: string;
  private readonly addon: SgAddon;
  private readonly senseLength: number;
  private fd: number;
  private state: 'open' | 'closed' | 'lost' = 'open';
  private readonly queue: Job[] = [];
  private inFlight: Promise<unknown> | undefined;
  private current: Job | undefined;
  private running = false;

  private constructor(path: string, fd: number, addon: SgAddon, senseLength: number) {
    this.path = path;
    this.id = `sg:${path}`;
    this.fd = fd;
    this.addon = addon;
    this.senseLength = senseLength;
  }

  /**
   * Opens `path` (O_RDWR|O_NONBLOCK, O_EXCL unless `exclusive: false`). Rejects with ImapiError:
   * E_IMAPI_RECORDER_LOCKED when another process holds it exclusively, ERROR_DEV_NOT_EXIST when there is
   * no such device, E_FAIL naming the errno otherwise; NativeUnavailableError when the addon is missing.
   */
  static async open(path: string, options: SgTransportOptions = {}): Promise<SgTransport> {
    if (typeof path !== 'string' || path === '') throw new TypeError('path must be a non-empty string');
    const senseLength = options.senseLength ?? 96;
    if (!Number.isInteger(senseLength) || senseLength < MIN_SENSE_LENGTH || senseLength > MAX_SENSE_LENGTH) {
      throw new TypeError(`senseLength must be an integer from ${MIN_SENSE_LENGTH} to ${MAX_SENSE_LENGTH}`);
    }
    const addon = options.addon ?? loadAddon();
    let fd: number;
    try {
      fd = addon.open(path, options.exclusive ?? true);
    } catch (e) {
      throw openError(e, path);
    }
    return new SgTransport(path, fd, addon, senseLength);
  }

  get closed(): boolean {
    return this.state !== 'open';
  }

  async execute(req: ScsiRequest): Promise<ScsiResult> {
    validateScsiRequest(req);
    if (this.state === 'closed') throw closedError(this.path);
    if (this.state === 'lost') throw lostError(`${this.path} is gone`);
    if (req.signal?.aborted) throw cancelledError();
    return new Promise<ScsiResult>((resolve, reject) => {
      const onAbort = (): void => settle(job, () => reject(cancelledError()));
      const job: Job = {
        req,
        resolve: (r) => settle(job, () => resolve(r)),
        reject: (e) => settle(job, () => reject(e)),
        settled: false,
        detach: () => req.signal?.removeEventListener('abort', onAbort),
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.current?.reject(lostError(`${this.path} was closed while the command ran`));
    this.failAll(() => lostError(`${this.path} was closed`));
    if (this.inFlight !== undefined) await this.inFlight.catch(() => undefined);
    if (wasOpen) this.releaseFd();
  }

  private releaseFd(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    try {
      this.addon.close(fd);
    } catch {
      // The fd is gone either way; close(2) errors on a device node carry nothing actionable.
    }
  }

  private failAll(err: () => ImapiError): void {
    for (const job of this.queue.splice(0)) job.reject(err());
  }

  private pump(): void {
    if (this.running) return;
    this.running = true;
    void this.drain();
  }

  private async drain(): Promise<void> {
    try {
      for (let job = this.queue.shift(); job !== undefined; job = this.queue.shift()) {
        if (job.settled) continue; // cancelled while queued: never sent
        if (this.state !== 'open') {
          job.reject(this.state === 'closed' ? lostError(`${this.path} was closed`) : lostError(`${this.path} is gone`));
          continue;
        }
        const run = this.submit(job);
        this.current = job;
        this.inFlight = run;
        await run;
        this.current = undefined;
        this.inFlight = undefined;
      }
    } finally {
      this.running = false;
    }
  }

  private async submit(job: Job): Promise<void> {
    const { req } = job;
    const direction = AddonDirection[req.direction];
    const data =
      req.direction === 'in' ? Buffer.alloc(req.dataInLength ?? 0)
      : req.direction === 'out' ? Buffer.from(req.dataOut!.buffer, req.dataOut!.byteOffset, req.dataOut!.byteLength)
      : null;
    const sense = Buffer.alloc(this.senseLength);
    let out: SgIoOutput;
    try {
      out = await this.addon.execute(this.fd, Buffer.from(req.cdb), direction, data, Math.ceil(req.timeoutMs), sense);
    } catch (e) {
      const err = e instanceof TypeError ? e : ioctlError(e, this.path);
      if (err instanceof ImapiError && err.disconnected) this.lose(err);
      job.reject(err);
      return;
    }
    switch (classifySgIo(out)) {
      case 'timeout':
        job.reject(new ImapiError('E_IMAPI_RECORDER_COMMAND_TIMEOUT', `command ${opcodeHex(req.cdb)} on ${this.path} timed out after ${req.timeoutMs} ms (aborted by the kernel)`));
        return;
      case 'lost': {
        const err = lostError(`${this.path}: ${hostStatusName(out.hostStatus)}`);
        this.lose(err);
        job.reject(err);
        return;
      }
      case 'failed':
        job.reject(new ImapiError('E_FAIL', `command ${opcodeHex(req.cdb)} on ${this.path} did not complete: host status ${hostStatusName(out.hostStatus)}, driver status ${out.driverStatus.toString(16).padStart(2, '0')}h`));
        return;
      case 'completed':
        job.resolve(toResult(req, out, data, sense));
    }
  }

  private lose(err: ImapiError): void {
    if (this.state !== 'open') return;
    this.state = 'lost';
    this.failAll(() => err);
    this.releaseFd();
  }
}

function settle(job: Job, fn: () => void): void {
  if (job.settled) return;
  job.settled = true;
  job.detach();
  fn();
}

function opcodeHex(cdb: Uint8Array): string {
  return `${(cdb[0] ?? 0).toString(16).toUpperCase().padStart(2, '0')}h`;
}

function toResult(req: ScsiRequest, out: SgIoOutput, data: Buffer | null, sense: Buffer): ScsiResult {
  const length = data?.length ?? 0;
  const resid = Math.min(Math.max(out.resid, 0), length);
  const senseBytes = out.status === ScsiStatus.CHECK_CONDITION ? Buffer.from(sense.subarray(0, Math.min(out.senseLength, sense.length))) : Buffer.alloc(0);
  return {
    status: out.status,
    sense: senseBytes,
    dataIn: req.direction === 'in' && data !== null ? data.subarray(0, length - resid) : Buffer.alloc(0),
    residual: req.direction === 'none' ? 0 : resid,
    overflow: 0,
  };
}
