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
 *
 * The lock (`transport.lock`, which IMAPI2 exclusive access uses instead of a SCSI reservation: every
 * process on this host reaches the drive through one I_T nexus) is an O_EXCL open. The sg driver lets
 * an O_EXCL open succeed only while nobody else has the node open at all, and refuses every other
 * open while it lasts (EBUSY with O_NONBLOCK). Two ways to use it (`lock` option):
 * - 'open' (default): the node is opened with O_EXCL for the transport's whole life; the open is the
 *   lock, `lock.acquire()` only records the client name.
 * - 'acquire' (what sgProvider / DiscMaster2 use): no fd is kept between commands — each command opens
 *   the node without O_EXCL, runs, and closes it — so that any client can take the lock;
 *   `lock.acquire()` opens it with O_EXCL and keeps that fd for every command until `lock.release()`.
 *   While another holder has it, commands reject with E_IMAPI_RECORDER_LOCKED and nothing is sent.
 *   acquire() runs in the command queue; when the O_EXCL open fails only because other clients' commands
 *   are in flight (a plain open still succeeds), it retries for `lockRetryMs`.
 * - `lock.owner()`: the clientName of the holder when it is in this process, else the processes found
 *   holding the node in /proc (`process 1234 (node)`), '' when the node is free. O_EXCL on /dev/sgN and
 *   on /dev/srN are separate locks (the sg driver's and the block layer's); use one node per drive.
 */
import { ImapiError, ScsiStatus, validateScsiRequest, type ScsiRequest, type ScsiResult, type ScsiTransport, type TransportLock } from '@openimapi/sdk';
import { AddonDirection, loadAddon, type SgAddon, type SgIoOutput } from './addon.js';
import { cancelledError, classifySgIo, closedError, errnoNameOf, hostStatusName, ioctlError, lostError, openError } from './errors.js';
import { deviceKey, describeHolder, processesHolding, type NodeHolder } from './holders.js';

/** Sense buffer size bounds (sg_io_hdr.mx_sb_len is one byte; SPC sense is at most 252 bytes). */
export const MIN_SENSE_LENGTH = 32;
export const MAX_SENSE_LENGTH = 252;

/** How the O_EXCL lock is taken (see the file header). */
export type SgLockMode = 'open' | 'acquire';

export interface SgTransportOptions {
  /** 'open' (default): O_EXCL for the transport's life. 'acquire': O_EXCL only between lock.acquire() and lock.release(). */
  readonly lock?: SgLockMode;
  /** 'acquire' mode: how long lock.acquire() retries while other clients' commands hold the node open (default 2000). */
  readonly lockRetryMs?: number;
  /** Finds the processes holding the node, for lock.owner() (default: a /proc scan; tests replace it). */
  readonly findHolders?: (path: string) => Promise<readonly NodeHolder[]>;
  /** Sense buffer bytes, 32 to 252 (default 96). */
  readonly senseLength?: number;
  /** The addon to use (tests pass a fake with the same contract); default: the compiled addon, loaded lazily. */
  readonly addon?: SgAddon;
}

interface Job {
  /** A SCSI command, or `action` (a lock step) run in the same queue. */
  readonly req?: ScsiRequest;
  readonly action?: () => Promise<void>;
  readonly resolve: (r: ScsiResult) => void;
  readonly reject: (e: Error) => void;
  settled: boolean;
  detach(): void;
}

/** This process's lock holders per addon and device: whose clientName lock.owner() reports. */
const holdersByAddon = new WeakMap<SgAddon, Map<string, { transport: SgTransport; clientName: string | undefined }>>();
function holdersOf(addon: SgAddon): Map<string, { transport: SgTransport; clientName: string | undefined }> {
  let m = holdersByAddon.get(addon);
  if (m === undefined) holdersByAddon.set(addon, (m = new Map()));
  return m;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class SgTransport implements ScsiTransport {
  readonly id: string;
  readonly path: string;
  /** The O_EXCL lock (see the file header). */
  readonly lock: TransportLock;
  private readonly addon: SgAddon;
  private readonly senseLength: number;
  private readonly mode: SgLockMode;
  private readonly key: string;
  private readonly lockRetryMs: number;
  private readonly findHolders: (path: string) => Promise<readonly NodeHolder[]>;
  /** The O_EXCL fd: for life in 'open' mode, while locked in 'acquire' mode; -1 otherwise. */
  private fd: number;
  private state: 'open' | 'closed' | 'lost' = 'open';
  private readonly queue: Job[] = [];
  private inFlight: Promise<unknown> | undefined;
  private current: Job | undefined;
  private running = false;

  private constructor(path: string, fd: number, addon: SgAddon, senseLength: number, options: SgTransportOptions) {
    this.path = path;
    this.id = `sg:${path}`;
    this.fd = fd;
    this.addon = addon;
    this.senseLength = senseLength;
    this.mode = options.lock ?? 'open';
    this.key = deviceKey(path);
    this.lockRetryMs = options.lockRetryMs ?? 2000;
    this.findHolders = options.findHolders ?? ((p) => processesHolding(p));
    if (this.mode === 'open') holdersOf(addon).set(this.key, { transport: this, clientName: undefined });
    this.lock = {
      acquire: (clientName) => this.acquireLock(clientName),
      release: () => this.releaseLock(),
      owner: () => this.owner(),
    };
  }

  /**
   * Opens `path` (O_RDWR|O_NONBLOCK, with O_EXCL in 'open' mode; in 'acquire' mode the node is opened
   * without it to check it, then closed). Rejects with ImapiError: E_IMAPI_RECORDER_LOCKED when another
   * holder has it (or, for 'open', anyone has it open), ERROR_DEV_NOT_EXIST when there is no such device,
   * E_INVALIDARG when it is not an SG_IO node, E_FAIL naming the errno otherwise; NativeUnavailableError
   * when the addon is missing.
   */
  static async open(path: string, options: SgTransportOptions = {}): Promise<SgTransport> {
    if (typeof path !== 'string' || path === '') throw new TypeError('path must be a non-empty string');
    const senseLength = options.senseLength ?? 96;
    if (!Number.isInteger(senseLength) || senseLength < MIN_SENSE_LENGTH || senseLength > MAX_SENSE_LENGTH) {
      throw new TypeError(`senseLength must be an integer from ${MIN_SENSE_LENGTH} to ${MAX_SENSE_LENGTH}`);
    }
    const mode = options.lock ?? 'open';
    if (mode !== 'open' && mode !== 'acquire') throw new TypeError(`lock must be 'open' or 'acquire', got ${String(mode)}`);
    if (options.lockRetryMs !== undefined && !(Number.isFinite(options.lockRetryMs) && options.lockRetryMs >= 0)) throw new TypeError('lockRetryMs must be a non-negative number');
    const addon = options.addon ?? loadAddon();
    let fd: number;
    try {
      fd = addon.open(path, mode === 'open');
    } catch (e) {
      throw openError(e, path);
    }
    if (mode === 'acquire') {
      addon.close(fd);
      fd = -1;
    }
    return new SgTransport(path, fd, addon, senseLength, options);
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

  // --- the lock ---------------------------------------------------------------------------------

  /** True while this transport holds the O_EXCL fd. */
  get holdsLock(): boolean {
    return this.fd >= 0;
  }

  private acquireLock(clientName: string): Promise<void> {
    return this.enqueue(async () => {
      if (this.fd < 0) this.fd = await this.openExclusive();
      holdersOf(this.addon).set(this.key, { transport: this, clientName });
    });
  }

  private releaseLock(): Promise<void> {
    if (this.state !== 'open') return Promise.resolve();
    return this.enqueue(async () => {
      const mine = holdersOf(this.addon).get(this.key);
      if (this.mode === 'open') {
        if (mine?.transport === this) mine.clientName = undefined;
        return;
      }
      this.releaseFd();
    });
  }

  /** O_EXCL open; EBUSY while only plain opens exist (commands in flight) is retried for lockRetryMs. */
  private async openExclusive(): Promise<number> {
    const deadline = performance.now() + this.lockRetryMs;
    for (;;) {
      try {
        return this.addon.open(this.path, true);
      } catch (e) {
        if (errnoNameOf(e) !== 'EBUSY') throw this.openFailure(e);
      }
      // Held with O_EXCL by someone else (a plain open fails too), or just open without it.
      let probe: number;
      try {
        probe = this.addon.open(this.path, false);
      } catch (e) {
        if (errnoNameOf(e) === 'EBUSY') throw new ImapiError('E_IMAPI_RECORDER_LOCKED', `E_IMAPI_RECORDER_LOCKED (0xC0AA0210): ${this.path} is held exclusively by ${await this.holderText()}`, { cause: e });
        throw this.openFailure(e);
      }
      this.addon.close(probe);
      if (performance.now() >= deadline) {
        throw new ImapiError('E_IMAPI_RECORDER_LOCKED', `E_IMAPI_RECORDER_LOCKED (0xC0AA0210): ${this.path} stayed open elsewhere for ${this.lockRetryMs} ms (${await this.holderText()}); an exclusive open needs every other open closed`);
      }
      await sleep(10);
    }
  }

  private async owner(): Promise<string> {
    if (this.state === 'closed') throw closedError(this.path);
    const inProcess = holdersOf(this.addon).get(this.key);
    if (inProcess !== undefined) return inProcess.clientName ?? describeHolder({ pid: process.pid, comm: process.title });
    let probe: number;
    try {
      probe = this.addon.open(this.path, false);
    } catch (e) {
      if (errnoNameOf(e) === 'EBUSY') return this.otherHolder();
      throw this.openFailure(e);
    }
    this.addon.close(probe);
    return '';
  }

  /** Who holds the node, for messages: the in-process holder's client name, else otherHolder(). */
  private async holderText(): Promise<string> {
    const inProcess = holdersOf(this.addon).get(this.key);
    if (inProcess === undefined) return this.otherHolder();
    return inProcess.clientName === undefined ? 'another transport in this process' : `"${inProcess.clientName}" in this process`;
  }

  /** The processes /proc shows holding the node, other than this one. */
  private async otherHolder(): Promise<string> {
    const found = (await this.findHolders(this.path).catch(() => [])).filter((h) => h.pid !== process.pid);
    return found.length > 0 ? found.map(describeHolder).join(', ') : 'another process (not visible in /proc)';
  }

  /** An open() failure after the transport was opened: ENOENT/ENODEV/ENXIO mean the device went away. */
  private openFailure(e: unknown): ImapiError {
    const err = openError(e, this.path);
    if (err.hresultName === 'HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)') {
      const lost = lostError(`${this.path} (${errnoNameOf(e) ?? 'open failed'})`, e);
      this.lose(lost);
      return lost;
    }
    return err;
  }

  private enqueue(action: () => Promise<void>): Promise<void> {
    if (this.state === 'closed') return Promise.reject(closedError(this.path));
    if (this.state === 'lost') return Promise.reject(lostError(`${this.path} is gone`));
    return new Promise<void>((resolve, reject) => {
      const done = (): void => settle(job, () => resolve());
      const job: Job = {
        action: () => action().then(done, (e: Error) => job.reject(e)),
        resolve: done,
        reject: (e) => settle(job, () => reject(e)),
        settled: false,
        detach: () => undefined,
      };
      this.queue.push(job);
      this.pump();
    });
  }

  private releaseFd(): void {
    const mine = holdersOf(this.addon).get(this.key);
    if (mine?.transport === this) holdersOf(this.addon).delete(this.key);
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
        const run = job.action !== undefined ? job.action() : this.submit(job);
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
    if (this.fd >= 0) return this.submitOn(this.fd, job);
    // 'acquire' mode without the lock: this command's own plain open.
    let fd: number;
    try {
      fd = this.addon.open(this.path, false);
    } catch (e) {
      job.reject(errnoNameOf(e) === 'EBUSY'
        ? new ImapiError('E_IMAPI_RECORDER_LOCKED', `E_IMAPI_RECORDER_LOCKED (0xC0AA0210): ${this.path} is held exclusively by ${await this.holderText()}; command ${opcodeHex(job.req!.cdb)} not sent`, { cause: e })
        : this.openFailure(e));
      return;
    }
    try {
      await this.submitOn(fd, job);
    } finally {
      try {
        this.addon.close(fd);
      } catch {
        // as in releaseFd
      }
    }
  }

  private async submitOn(fd: number, job: Job): Promise<void> {
    const req = job.req!;
    const direction = AddonDirection[req.direction];
    const data =
      req.direction === 'in' ? Buffer.alloc(req.dataInLength ?? 0)
      : req.direction === 'out' ? Buffer.from(req.dataOut!.buffer, req.dataOut!.byteOffset, req.dataOut!.byteLength)
      : null;
    const sense = Buffer.alloc(this.senseLength);
    let out: SgIoOutput;
    try {
      out = await this.addon.execute(fd, Buffer.from(req.cdb), direction, data, Math.ceil(req.timeoutMs), sense);
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
