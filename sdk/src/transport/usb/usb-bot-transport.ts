/**
 * UsbBotTransport: a ScsiTransport over USB Mass Storage Bulk-Only Transport (BOT 1.0, codec in
 * bot.ts), on a WebUSB device (`usb` 3.x in Node; see webusb.ts for what it does on errors).
 *
 * One command, as BOT §5 and the host cases of §6.7 have it:
 *   1. CBW on Bulk-Out.
 *   2. Data phase, when dCBWDataTransferLength > 0: one transfer of that length on Bulk-In or
 *      Bulk-Out. A short Data-In transfer is normal (MMC replies shorter than the allocation
 *      length). A STALL ends the data phase: CLEAR_FEATURE(ENDPOINT_HALT) on that pipe, then status.
 *   3. CSW on Bulk-In. A STALL: clear the halt and read it once more (§6.7.2). A CSW that is not valid
 *      and meaningful (13 bytes, 'USBS', the CBW's tag, a known status, a residue ≤ the length) or a
 *      Phase Error (02h): reset recovery, then the command rejects with
 *      E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE (its outcome is unknown).
 *   4. Command Failed (01h): BOT carries no sense data, so the transport asks for it at once with
 *      REQUEST SENSE (auto-sense, as a host adapter does) and resolves CHECK CONDITION with that sense
 *      (empty when REQUEST SENSE itself failed). Command Passed: GOOD.
 * Reset recovery (§5.3.4): Bulk-Only Mass Storage Reset (class request FFh) on the default pipe, then
 * clear halt on Bulk-In, then on Bulk-Out.
 *
 * The ScsiTransport contract (scsi-transport.ts), the BOT way:
 * - Residuals: Data-In `residual` = max(bytes not received, dCSWDataResidue); `dataIn` is what was
 *   received, cut to `dataInLength − residual` (a device that pads its reply says so in the residue,
 *   as Linux usb-storage reads it). Data-Out: max(bytes the pipe did not take, dCSWDataResidue).
 *   `overflow` is always 0: BOT reports a device with more data than asked as a Phase Error.
 * - Timeout: every transfer gets the time left to the command's deadline as its own timeout (usb
 *   3.x's third argument). When one times out the device is reset (reset recovery aborts the command
 *   at the device) and the command rejects with E_IMAPI_RECORDER_COMMAND_TIMEOUT. If the reset
 *   fails the device counts as lost.
 * - Cancellation: WebUSB cannot abort a transfer in flight. A signal aborted while the command waits
 *   in the queue removes it unsent; once it is on the wire the promise rejects at once with
 *   E_IMAPI_REQUEST_CANCELLED, the command runs to its end on the device and its result is dropped.
 * - Lost: a transfer that fails with "Disconnected"/NotFoundError, or a `disconnect` event for this
 *   device from the WebUSB object → every queued and later command rejects with
 *   HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST), `disconnected: true`.
 * - Queueing: BOT runs one command at a time; commands run in submission order.
 * - A packet-aligned short Data-In that the device ends with a STALL loses that transfer's bytes with
 *   usb 3.x (it drops a stalled transfer's data): the result then has the whole length as residual.
 */
import { ImapiError } from '../../errors/imapi-error.js';
import { ScsiStatus } from '../../wire/sense.js';
import { encodeRequestSenseCdb } from '../../scsi/commands/request-sense.js';
import {
  commandTimeoutError,
  requestCancelledError,
  transportClosedError,
  transportLostError,
  validateScsiRequest,
  type ScsiRequest,
  type ScsiResult,
  type ScsiTransport,
} from '../scsi-transport.js';
import { CSW_LENGTH, CswStatus, botResetSetup, decodeCsw, decodeMaxLun, encodeCbw, getMaxLunSetup, isBotMmcInterface, MAX_LUN } from './bot.js';
import { classifyTransferError, type TransferFailure, type UsbDeviceLike, type UsbEndpointLike, type WebUsbLike } from './webusb.js';

/** Sense bytes asked for by auto-sense: 18, the fixed-format size Linux usb-storage asks for too. */
export const AUTO_SENSE_LENGTH = 18;
/** Timeout of control requests (reset, Get Max LUN, clear halt). */
export const CONTROL_TIMEOUT_MS = 5000;

export interface UsbBotTransportOptions {
  /** Logical unit (bCBWLUN), default 0; must be ≤ the device's Get Max LUN. */
  readonly lun?: number;
  /** The mass-storage interface to use (default: the first class 08h / 02h|06h / 50h interface). */
  readonly interfaceNumber?: number;
  /** The WebUSB object whose `disconnect` events mark this device lost (default: none). */
  readonly webusb?: WebUsbLike;
  /** Detach a kernel driver (Linux usb-storage) from the interface before claiming it; default true. Reattached on close. */
  readonly detachKernelDriver?: boolean;
  /** `transport.id` (default `usb:VVVV:PPPP[:SERIAL]`, plus `/LUN` for LUN > 0). */
  readonly id?: string;
}

interface BotPipes {
  readonly interfaceNumber: number;
  readonly alternateSetting: number;
  readonly configurationValue: number;
  readonly bulkIn: UsbEndpointLike;
  readonly bulkOut: UsbEndpointLike;
}

interface Job {
  readonly req: ScsiRequest;
  readonly resolve: (r: ScsiResult) => void;
  readonly reject: (e: Error) => void;
  settled: boolean;
  started: boolean;
  onAbort?: () => void;
}

/** A transfer's outcome, normalized over the two ways WebUSB implementations report a STALL. */
type Xfer<T> = { ok: true; value: T } | { ok: false; failure: TransferFailure; error: unknown };

/** Raised inside a command to unwind it; `fatal` marks the device lost. */
class BotAbort extends Error {
  constructor(
    readonly error: ImapiError,
    readonly fatal = false,
  ) {
    super(error.message);
  }
}

export class UsbBotTransport implements ScsiTransport {
  readonly id: string;
  readonly device: UsbDeviceLike;
  readonly lun: number;
  /** Highest LUN from Get Max LUN (0 when the device stalled the request). */
  readonly maxLun: number;
  private readonly pipes: BotPipes;
  private readonly webusb: WebUsbLike | undefined;
  private readonly detached: boolean;
  private state: 'open' | 'closed' | 'lost' = 'open';
  private readonly queue: Job[] = [];
  private current: Job | undefined;
  private running = false;
  private tag = 0;
  private readonly onDisconnect = (ev: { device: UsbDeviceLike }): void => {
    if (ev.device === this.device) this.lose('USB device detached');
  };

  private constructor(device: UsbDeviceLike, pipes: BotPipes, lun: number, maxLun: number, detached: boolean, opts: UsbBotTransportOptions) {
    this.device = device;
    this.pipes = pipes;
    this.lun = lun;
    this.maxLun = maxLun;
    this.detached = detached;
    this.webusb = opts.webusb;
    this.id = opts.id ?? formatUsbId(device, lun);
    this.webusb?.addEventListener('disconnect', this.onDisconnect);
  }

  /**
   * Opens `device`, selects the configuration holding its BOT interface, claims it (detaching a kernel
   * driver first) and asks Get Max LUN. Rejects with ImapiError: E_IMAPI_RECORDER_LOCKED when the
   * interface is claimed elsewhere, ERROR_DEV_NOT_EXIST when the device is gone, E_FAIL otherwise;
   * TypeError when the device has no BOT mass-storage interface or `lun` is out of range.
   */
  static async open(device: UsbDeviceLike, opts: UsbBotTransportOptions = {}): Promise<UsbBotTransport> {
    const lun = opts.lun ?? 0;
    if (!Number.isInteger(lun) || lun < 0 || lun > MAX_LUN) throw new TypeError(`lun must be an integer 0..${MAX_LUN}, got ${lun}`);
    const pipes = findBotPipes(device, opts.interfaceNumber);
    const step = async (what: string, f: () => Promise<unknown>) => {
      try {
        await f();
      } catch (e) {
        throw openError(what, e);
      }
    };
    if (!device.opened) await step('open', () => device.open());
    let detached = false;
    try {
      if (device.configuration?.configurationValue !== pipes.configurationValue) await step('selectConfiguration', () => device.selectConfiguration(pipes.configurationValue));
      if ((opts.detachKernelDriver ?? true) && typeof device.detachKernelDriver === 'function') {
        // No driver attached (or not Linux) is the normal case: ignore that failure.
        detached = await device.detachKernelDriver(pipes.interfaceNumber).then(() => true, () => false);
      }
      await step('claimInterface', () => device.claimInterface(pipes.interfaceNumber));
      if (pipes.alternateSetting !== 0) await step('selectAlternateInterface', () => device.selectAlternateInterface(pipes.interfaceNumber, pipes.alternateSetting));
      let maxLun = 0;
      try {
        const r = await device.controlTransferIn(getMaxLunSetup(pipes.interfaceNumber), 1, CONTROL_TIMEOUT_MS);
        if (r.status === 'ok' && r.data) maxLun = decodeMaxLun(new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength)) ?? 0;
      } catch (e) {
        // A single-LUN device may STALL Get Max LUN (BOT §3.2): LUN 0 only.
        if (classifyTransferError(e) !== 'stall') throw openError('Get Max LUN', e);
      }
      if (lun > maxLun) throw new TypeError(`lun ${lun} is above the device's highest LUN ${maxLun}`);
      return new UsbBotTransport(device, pipes, lun, maxLun, detached, opts);
    } catch (e) {
      await device.releaseInterface(pipes.interfaceNumber).catch(() => undefined);
      if (detached) await device.attachKernelDriver?.(pipes.interfaceNumber).catch(() => undefined);
      await device.close().catch(() => undefined);
      throw e;
    }
  }

  get closed(): boolean {
    return this.state !== 'open';
  }

  execute(req: ScsiRequest): Promise<ScsiResult> {
    validateScsiRequest(req);
    if (this.state === 'closed') return Promise.reject(transportClosedError());
    if (this.state === 'lost') return Promise.reject(transportLostError('USB device gone'));
    if (req.signal?.aborted) return Promise.reject(requestCancelledError());
    return new Promise<ScsiResult>((resolve, reject) => {
      const job: Job = { req, resolve, reject, settled: false, started: false };
      if (req.signal) {
        job.onAbort = () => {
          const i = this.queue.indexOf(job);
          if (i >= 0) this.queue.splice(i, 1);
          this.settle(job, requestCancelledError());
        };
        req.signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      void this.pump();
    });
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.webusb?.removeEventListener('disconnect', this.onDisconnect);
    this.failAll(transportLostError('transport closed'));
    if (!wasOpen) return;
    // A command still on the wire: reset the device so the next user finds it between commands.
    if (this.running) await this.device.controlTransferOut(botResetSetup(this.pipes.interfaceNumber), new Uint8Array(0), CONTROL_TIMEOUT_MS).catch(() => undefined);
    await this.device.releaseInterface(this.pipes.interfaceNumber).catch(() => undefined);
    if (this.detached) await this.device.attachKernelDriver?.(this.pipes.interfaceNumber).catch(() => undefined);
    await this.device.close().catch(() => undefined);
  }

  // ---- queue ------------------------------------------------------------------------------

  private settle(job: Job, outcome: ScsiResult | Error): void {
    if (job.settled) return;
    job.settled = true;
    if (job.onAbort) job.req.signal?.removeEventListener('abort', job.onAbort);
    if (outcome instanceof Error) job.reject(outcome);
    else job.resolve(outcome);
  }

  private failAll(err: ImapiError): void {
    for (const j of this.queue.splice(0)) this.settle(j, err);
    if (this.current) this.settle(this.current, err);
  }

  private lose(why: string): void {
    if (this.state !== 'open') return;
    this.state = 'lost';
    this.webusb?.removeEventListener('disconnect', this.onDisconnect);
    this.failAll(transportLostError(why));
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        if (job.settled) continue;
        if (this.state !== 'open') {
          this.settle(job, this.state === 'closed' ? transportClosedError() : transportLostError('USB device gone'));
          continue;
        }
        this.current = job;
        job.started = true;
        try {
          this.settle(job, await this.command(job.req));
        } catch (e) {
          if (e instanceof BotAbort) {
            this.settle(job, e.error);
            if (e.fatal) this.lose(e.error.message);
          } else {
            this.settle(job, e instanceof Error ? e : new Error(String(e)));
          }
        } finally {
          this.current = undefined;
        }
      }
    } finally {
      this.running = false;
    }
  }

  // ---- one BOT command --------------------------------------------------------------------

  private async command(req: ScsiRequest): Promise<ScsiResult> {
    const deadline = performance.now() + req.timeoutMs;
    const r = await this.transact(req, deadline);
    if (r.status !== CswStatus.FAILED) return r.result;
    // Command Failed: fetch the sense data (auto-sense), within the same deadline.
    const rs = encodeRequestSenseCdb({ desc: false, allocationLength: AUTO_SENSE_LENGTH });
    let sense: Buffer = Buffer.alloc(0);
    try {
      const s = await this.transact({ cdb: rs, direction: 'in', dataInLength: AUTO_SENSE_LENGTH, timeoutMs: req.timeoutMs }, deadline, req);
      if (s.status === CswStatus.PASSED) sense = s.result.dataIn;
    } catch (e) {
      // A timeout or a lost device ends the command; a REQUEST SENSE the device failed otherwise (and
      // was reset for) leaves CHECK CONDITION without sense.
      if (!(e instanceof BotAbort) || e.fatal || e.error.hresultName === 'E_IMAPI_RECORDER_COMMAND_TIMEOUT') throw e;
    }
    return { ...r.result, status: ScsiStatus.CHECK_CONDITION, sense };
  }

  /** CBW, data, CSW. Resolves with the CSW status (00h/01h); anything else unwinds with BotAbort. */
  private async transact(req: ScsiRequest, deadline: number, timeoutOf: ScsiRequest = req): Promise<{ status: number; result: ScsiResult }> {
    const { bulkIn, bulkOut } = this.pipes;
    this.tag = (this.tag + 1) >>> 0;
    const tag = this.tag;
    const length = req.direction === 'in' ? (req.dataInLength ?? 0) : req.direction === 'out' ? req.dataOut!.length : 0;
    const fail = (f: TransferFailure, e: unknown, phase: string) => this.failure(f, e, phase, timeoutOf);

    const cbw = encodeCbw({ tag, dataTransferLength: length, direction: req.direction === 'in' ? 'in' : 'out', lun: this.lun, cb: req.cdb });
    const sent = await this.out(bulkOut, cbw, deadline);
    if (!sent.ok) throw await fail(sent.failure, sent.error, 'CBW');

    let received: Buffer = Buffer.alloc(0);
    let notTaken = 0;
    if (length > 0 && req.direction === 'in') {
      const d = await this.in(bulkIn, length, deadline);
      if (d.ok) received = d.value.length > length ? d.value.subarray(0, length) : d.value;
      else if (d.failure === 'stall') await this.clearHalt(bulkIn);
      else throw await fail(d.failure, d.error, 'Data-In');
    } else if (length > 0 && req.direction === 'out') {
      const d = await this.out(bulkOut, req.dataOut!, deadline);
      if (d.ok) notTaken = Math.max(0, length - d.value);
      else if (d.failure === 'stall') {
        notTaken = length;
        await this.clearHalt(bulkOut);
      } else throw await fail(d.failure, d.error, 'Data-Out');
    }

    let raw = await this.in(bulkIn, CSW_LENGTH, deadline);
    if (!raw.ok && raw.failure === 'stall') {
      await this.clearHalt(bulkIn);
      raw = await this.in(bulkIn, CSW_LENGTH, deadline);
    }
    if (!raw.ok) throw await fail(raw.failure, raw.error, 'CSW');
    const csw = decodeCsw(raw.value, { tag, dataTransferLength: length });
    if (!csw.ok) throw await this.protocolError(`invalid CSW: ${csw.reason}`);
    if (csw.csw.status === CswStatus.PHASE_ERROR) throw await this.protocolError('the device reported a phase error');

    const residue = csw.csw.dataResidue;
    let result: ScsiResult;
    if (req.direction === 'in') {
      const residual = Math.max(length - received.length, residue);
      result = { status: ScsiStatus.GOOD, sense: Buffer.alloc(0), dataIn: Buffer.from(received.subarray(0, length - residual)), residual, overflow: 0 };
    } else {
      result = { status: ScsiStatus.GOOD, sense: Buffer.alloc(0), dataIn: Buffer.alloc(0), residual: req.direction === 'out' ? Math.max(notTaken, residue) : 0, overflow: 0 };
    }
    return { status: csw.csw.status, result };
  }

  /** A failed transfer: lost, or reset recovery and a timeout / invalid-response rejection. */
  private async failure(f: TransferFailure, e: unknown, phase: string, req: ScsiRequest): Promise<BotAbort> {
    if (f === 'disconnected') return new BotAbort(transportLostError('USB device gone'), true);
    const detail = e instanceof Error ? e.message : String(e);
    if (f === 'timeout') {
      // The device is reset to abort the command; if it does not take the reset it counts as lost.
      const failed = await this.resetRecovery();
      return new BotAbort(commandTimeoutError(req.cdb, req.timeoutMs), failed !== undefined);
    }
    return this.protocolError(`${phase} transfer failed (${f}: ${detail})`);
  }

  private async protocolError(why: string): Promise<BotAbort> {
    const recovered = await this.resetRecovery();
    return recovered ?? new BotAbort(new ImapiError('E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE', `USB Bulk-Only Transport: ${why}; the device was reset`));
  }

  /** BOT §5.3.4. Returns undefined on success, a fatal BotAbort when the device did not take it. */
  private async resetRecovery(): Promise<BotAbort | undefined> {
    const { interfaceNumber } = this.pipes;
    try {
      const r = await this.device.controlTransferOut(botResetSetup(interfaceNumber), new Uint8Array(0), CONTROL_TIMEOUT_MS);
      if (r.status !== 'ok') throw new Error(`Bulk-Only Mass Storage Reset: ${r.status}`);
      await this.device.clearHalt('in', this.pipes.bulkIn.endpointNumber);
      await this.device.clearHalt('out', this.pipes.bulkOut.endpointNumber);
      return undefined;
    } catch (e) {
      const gone = classifyTransferError(e) === 'disconnected';
      return new BotAbort(gone ? transportLostError('USB device gone') : transportLostError(`reset recovery failed: ${e instanceof Error ? e.message : String(e)}`), true);
    }
  }

  private async clearHalt(ep: UsbEndpointLike): Promise<void> {
    try {
      await this.device.clearHalt(ep.direction, ep.endpointNumber);
    } catch (e) {
      if (classifyTransferError(e) === 'disconnected') throw new BotAbort(transportLostError('USB device gone'), true);
      // A pipe whose halt cannot be cleared: reset recovery is the next step (§5.3.4).
      const r = await this.resetRecovery();
      if (r) throw r;
    }
  }

  private async in(ep: UsbEndpointLike, length: number, deadline: number): Promise<Xfer<Buffer>> {
    const timeout = Math.ceil(deadline - performance.now());
    if (timeout <= 0) return { ok: false, failure: 'timeout', error: new Error('deadline passed') };
    try {
      const r = await this.device.transferIn(ep.endpointNumber, length, timeout);
      if (r.status === 'ok') return { ok: true, value: r.data ? Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength) : Buffer.alloc(0) };
      return { ok: false, failure: r.status === 'stall' ? 'stall' : r.status === 'babble' ? 'babble' : 'other', error: new Error(`transferIn status ${r.status}`) };
    } catch (e) {
      return { ok: false, failure: classifyTransferError(e), error: e };
    }
  }

  private async out(ep: UsbEndpointLike, data: Uint8Array, deadline: number): Promise<Xfer<number>> {
    const timeout = Math.ceil(deadline - performance.now());
    if (timeout <= 0) return { ok: false, failure: 'timeout', error: new Error('deadline passed') };
    try {
      const r = await this.device.transferOut(ep.endpointNumber, data, timeout);
      if (r.status === 'ok') return { ok: true, value: r.bytesWritten };
      return { ok: false, failure: r.status === 'stall' ? 'stall' : 'other', error: new Error(`transferOut status ${r.status}`) };
    } catch (e) {
      return { ok: false, failure: classifyTransferError(e), error: e };
    }
  }
}

/** The first BOT mass-storage interface (or `interfaceNumber`) with its bulk pipes, in any configuration. */
export function findBotPipes(device: UsbDeviceLike, interfaceNumber?: number): BotPipes {
  const configs = device.configurations.length ? device.configurations : device.configuration ? [device.configuration] : [];
  for (const c of configs) {
    for (const iface of c.interfaces) {
      if (interfaceNumber !== undefined && iface.interfaceNumber !== interfaceNumber) continue;
      for (const alt of iface.alternates.length ? iface.alternates : [iface.alternate]) {
        if (!isBotMmcInterface(alt)) continue;
        const bulkIn = alt.endpoints.find((e) => e.type === 'bulk' && e.direction === 'in');
        const bulkOut = alt.endpoints.find((e) => e.type === 'bulk' && e.direction === 'out');
        if (bulkIn && bulkOut) return { interfaceNumber: iface.interfaceNumber, alternateSetting: alt.alternateSetting, configurationValue: c.configurationValue, bulkIn, bulkOut };
      }
    }
  }
  const which = interfaceNumber === undefined ? 'no interface' : `interface ${interfaceNumber} is not an interface`;
  throw new TypeError(`USB device ${hex4(device.vendorId)}:${hex4(device.productId)}: ${which} of class 08h subclass 02h/06h protocol 50h (Bulk-Only mass storage) with two bulk endpoints`);
}

/** `usb:VVVV:PPPP[:SERIAL]`, plus `/LUN` for a LUN other than 0. */
export function formatUsbId(device: Pick<UsbDeviceLike, 'vendorId' | 'productId' | 'serialNumber'>, lun = 0): string {
  const serial = device.serialNumber ? `:${encodeURIComponent(device.serialNumber)}` : '';
  return `usb:${hex4(device.vendorId)}:${hex4(device.productId)}${serial}${lun > 0 ? `/${lun}` : ''}`;
}

export interface UsbId {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber: string | undefined;
  readonly lun: number;
}

/** Parses `usb:VVVV:PPPP[:SERIAL][/LUN]` (hex ids); TypeError naming what is wrong. */
export function parseUsbId(id: string): UsbId {
  const m = /^usb:([0-9a-f]{1,4}):([0-9a-f]{1,4})(?::([^/]+))?(?:\/(\d{1,2}))?$/i.exec(id);
  if (!m) throw new TypeError(`USB id ${JSON.stringify(id)} is not usb:VID:PID[:SERIAL][/LUN] with hexadecimal VID and PID`);
  const lun = m[4] === undefined ? 0 : Number(m[4]);
  if (lun > MAX_LUN) throw new TypeError(`USB id ${JSON.stringify(id)}: LUN ${lun} above ${MAX_LUN}`);
  return { vendorId: parseInt(m[1]!, 16), productId: parseInt(m[2]!, 16), serialNumber: m[3] === undefined ? undefined : decodeURIComponent(m[3]), lun };
}

function openError(what: string, e: unknown): ImapiError {
  const msg = e instanceof Error ? e.message : String(e);
  const f = classifyTransferError(e);
  if (f === 'disconnected') return transportLostError(`USB device gone during ${what}`);
  if (/busy/i.test(msg)) return new ImapiError('E_IMAPI_RECORDER_LOCKED', `USB ${what}: ${msg} (another program holds the interface)`, { cause: e });
  return new ImapiError('E_FAIL', `USB ${what}: ${msg}`, { cause: e });
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}
