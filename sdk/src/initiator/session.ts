/**
 * IscsiSession: the iSCSI initiator as a `ScsiTransport` (contract in transport/scsi-transport.ts).
 *
 * One session, one connection (MaxConnections=1), ErrorRecoveryLevel 0. In full feature phase:
 * - SCSI commands are numbered with CmdSN and sent while CmdSN ≤ MaxCmdSN (the target's window);
 *   more wait in a queue. Several may be in flight; results come back per ITT.
 * - Data-out: immediate data in the command (ImmediateData=Yes), then unsolicited Data-Out PDUs up
 *   to FirstBurstLength (InitialR2T=No), then whatever each R2T asks for, in segments no larger than
 *   the target's MaxRecvDataSegmentLength.
 * - Data-in PDUs are placed by BufferOffset; status comes in the last Data-In (S bit) or a SCSI
 *   Response; residuals come from the target's counts.
 * - Keepalive: a target's NOP-In ping (TTT ≠ FFFFFFFFh) is answered at once; after `keepaliveMs`
 *   with nothing received the initiator pings with a NOP-Out, and a ping unanswered for
 *   `keepaliveMs` more counts as a lost connection.
 * - A command that times out (or whose AbortSignal fires) is aborted with ABORT TASK; it rejects with
 *   E_IMAPI_RECORDER_COMMAND_TIMEOUT (or E_IMAPI_REQUEST_CANCELLED). If the abort gets no answer the
 *   connection is dropped.
 * - A lost connection (reset, EOF, protocol error, a target Async logout/drop) fails every outstanding
 *   and later command with HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST), `disconnected: true`.
 * - close(): Logout (close session), then the socket; later calls get ERROR_INVALID_HANDLE.
 */
import { EventEmitter } from 'node:events';
import { PduConnection } from './connection.js';
import { defaultInitiatorName, login, newIsid, type ChapCredentials, type LoginResult } from './login.js';
import { formatIscsiUrl, parseIscsiUrl } from './url.js';
import { RESERVED_TAG, snAdd, snLessOrEqual, snLessThan } from '../iscsi/bhs.js';
import { AsyncEvent, LogoutReason, TaskMgmtFunction, type DataIn, type Pdu, type R2T, type ScsiResponse } from '../iscsi/pdu.js';
import { ImapiError } from '../errors/imapi-error.js';
import { StorageBusType, validateScsiRequest, type ScsiRequest, type ScsiResult, type ScsiTransport, type TransportAdapterInfo } from '../transport/scsi-transport.js';

export interface IscsiSessionOptions {
  /** Default `iqn.2026-11.org.openimapi:sdk.<hostname>`. */
  readonly initiatorName?: string;
  readonly initiatorAlias?: string;
  /** 12 hex digits; default a fresh random-format ISID per session. */
  readonly isid?: string;
  /** CHAP credentials (overrides the URL's user:secret). */
  readonly chap?: ChapCredentials;
  /** Mutual CHAP: the target's name and secret. */
  readonly mutualChap?: ChapCredentials;
  /** Offer CRC32C header and data digests. */
  readonly digests?: boolean;
  /** TCP connect + login timeout (default 10 s). */
  readonly loginTimeoutMs?: number;
  /** Idle time before a NOP-Out ping, and the time a ping may stay unanswered (default 15 s; 0 = off). */
  readonly keepaliveMs?: number;
  /** How long to wait for the answer to ABORT TASK before dropping the connection (default 10 s). */
  readonly abortTimeoutMs?: number;
}

interface Task {
  readonly itt: number;
  readonly req: ScsiRequest;
  cmdSN: number;
  sent: boolean;
  readonly dataIn: Buffer;
  dataInHigh: number;
  dataOutSent: number;
  readonly resolve: (r: ScsiResult) => void;
  readonly reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
  onAbort?: () => void;
  aborting?: boolean;
}

export interface IscsiSessionEvents {
  /** The connection is gone. */
  lost: [error: ImapiError];
  /** A SCSI asynchronous event (AEN) the target sent, sense data included. */
  asyncEvent: [sense: Buffer];
}

function lost(reason: string): ImapiError {
  return new ImapiError('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)', `HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST) (0x80070037): iSCSI connection lost: ${reason}`, { disconnected: true });
}

export class IscsiSession extends EventEmitter<IscsiSessionEvents> implements ScsiTransport {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly targetName: string;
  readonly lun: number;
  readonly initiatorName: string;
  readonly isid: string;
  private conn!: PduConnection;
  private info!: LoginResult;
  private state: 'new' | 'open' | 'closing' | 'closed' | 'lost' = 'new';
  private nextItt = 1;
  private cmdSN = 1;
  private expStatSN = 0;
  private expCmdSN = 1;
  private maxCmdSN = 1;
  private readonly tasks = new Map<number, Task>();
  private readonly queue: Task[] = [];
  private readonly others = new Map<number, (p: Pdu) => void>();
  private keepalive?: NodeJS.Timeout;
  private pingOutstanding?: { itt: number; since: number };
  private readonly opts: IscsiSessionOptions;

  private constructor(url: { host: string; port: number; targetName: string; lun: number }, opts: IscsiSessionOptions) {
    super();
    this.host = url.host;
    this.port = url.port;
    this.targetName = url.targetName;
    this.lun = url.lun;
    this.opts = opts;
    this.initiatorName = opts.initiatorName ?? defaultInitiatorName();
    this.isid = opts.isid ?? newIsid();
    this.id = formatIscsiUrl(url);
  }

  /** Connects and logs in to `iscsi://[user:secret@]host[:port]/<iqn>/<lun>`. */
  static async connect(url: string, opts: IscsiSessionOptions = {}): Promise<IscsiSession> {
    const u = parseIscsiUrl(url, { requireTarget: true });
    const s = new IscsiSession({ host: u.host, port: u.port, targetName: u.targetName!, lun: u.lun! }, { ...opts, ...(opts.chap ?? u.chap ? { chap: opts.chap ?? u.chap } : {}) });
    await s.start();
    return s;
  }

  /** Another session to the same LUN, as initiator `initiatorName` with a fresh ISID (ScsiTransport.connectAs). */
  async connectAs(initiatorName: string): Promise<IscsiSession> {
    const { isid: _isid, ...opts } = this.opts;
    const s = new IscsiSession({ host: this.host, port: this.port, targetName: this.targetName, lun: this.lun }, { ...opts, initiatorName });
    await s.start();
    return s;
  }

  /** The I_T nexus name the target sees: `<InitiatorName>,i,0x<ISID>`. */
  get initiatorPortName(): string {
    return `${this.initiatorName},i,0x${this.isid}`;
  }

  get closed(): boolean {
    return this.state !== 'open';
  }

  /** Parameters agreed at login. */
  get negotiated(): LoginResult {
    return this.info;
  }

  /**
   * iSCSI bus; several commands in flight; any buffer alignment (data is copied into PDUs). The
   * largest transfer is the negotiated MaxBurstLength: what moves in one Data-In or solicited
   * Data-Out sequence (longer ones work too, over several sequences).
   */
  get adapter(): TransportAdapterInfo {
    return { busType: StorageBusType.ISCSI, maxTransferLength: this.info?.params.maxBurstLength ?? 262144, alignmentMask: 0, commandQueueing: true };
  }

  private async start(): Promise<void> {
    const timeoutMs = this.opts.loginTimeoutMs ?? 10_000;
    try {
      this.conn = await PduConnection.open(this.host, this.port, timeoutMs);
    } catch (e) {
      throw lost(`cannot connect to ${this.host}:${this.port}: ${(e as Error).message}`);
    }
    try {
      this.info = await login(this.conn, {
        initiatorName: this.initiatorName,
        ...(this.opts.initiatorAlias ? { initiatorAlias: this.opts.initiatorAlias } : {}),
        isid: this.isid,
        sessionType: 'Normal',
        targetName: this.targetName,
        ...(this.opts.chap ? { chap: this.opts.chap } : {}),
        ...(this.opts.mutualChap ? { mutualChap: this.opts.mutualChap } : {}),
        digests: this.opts.digests ?? false,
        timeoutMs,
      });
    } catch (e) {
      this.conn.destroy();
      throw e;
    }
    const p = this.info.params;
    this.conn.setDigests({ headerDigest: p.headerDigest === 'CRC32C', dataDigest: p.dataDigest === 'CRC32C' }, p.initiatorMaxRecvDataSegmentLength);
    this.cmdSN = this.info.cmdSN;
    this.expStatSN = this.info.expStatSN;
    this.expCmdSN = this.info.expCmdSN;
    this.maxCmdSN = this.info.maxCmdSN;
    this.state = 'open';
    this.conn.on('pdu', (pdu) => this.onPdu(pdu));
    this.conn.on('lost', (e) => this.onLost(e.message));
    const ka = this.opts.keepaliveMs ?? 15_000;
    if (ka > 0) {
      this.keepalive = setInterval(() => this.tick(ka), Math.max(50, Math.floor(ka / 3)));
      this.keepalive.unref();
    }
  }

  execute(req: ScsiRequest): Promise<ScsiResult> {
    try {
      validateScsiRequest(req);
    } catch (e) {
      return Promise.reject(e);
    }
    if (this.state === 'lost') return Promise.reject(lost('session ended'));
    if (this.state !== 'open') return Promise.reject(new ImapiError('HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)', 'iSCSI session is closed'));
    if (req.signal?.aborted) return Promise.reject(new ImapiError('E_IMAPI_REQUEST_CANCELLED', undefined, { canceled: true }));
    return new Promise<ScsiResult>((resolve, reject) => {
      const want = req.direction === 'in' ? (req.dataInLength ?? 0) : 0;
      const task: Task = { itt: this.allocItt(), req, cmdSN: 0, sent: false, dataIn: Buffer.alloc(want), dataInHigh: 0, dataOutSent: 0, resolve, reject };
      this.tasks.set(task.itt, task);
      task.timer = setTimeout(() => this.abortTask(task, new ImapiError('E_IMAPI_RECORDER_COMMAND_TIMEOUT', `E_IMAPI_RECORDER_COMMAND_TIMEOUT (0xC0AA020D): no completion within ${req.timeoutMs} ms`)), req.timeoutMs);
      if (req.signal) {
        task.onAbort = () => this.abortTask(task, new ImapiError('E_IMAPI_REQUEST_CANCELLED', undefined, { canceled: true }));
        req.signal.addEventListener('abort', task.onAbort, { once: true });
      }
      this.queue.push(task);
      this.pump();
    });
  }

  /** Logs out (close session) and closes the connection. Outstanding commands reject as lost. */
  async close(): Promise<void> {
    if (this.state !== 'open') {
      if (this.state === 'lost') this.state = 'closed';
      return;
    }
    this.state = 'closing';
    clearInterval(this.keepalive);
    const itt = this.allocItt();
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, this.opts.abortTimeoutMs ?? 5_000);
      this.others.set(itt, () => {
        clearTimeout(t);
        resolve();
      });
      this.conn.once('lost', () => {
        clearTimeout(t);
        resolve();
      });
      this.conn.send({ kind: 'logout-request', immediate: true, reason: LogoutReason.CLOSE_SESSION, itt, cid: 0, cmdSN: this.cmdSN, expStatSN: this.expStatSN });
    });
    this.others.delete(itt);
    this.state = 'closed';
    this.failAll(lost('session closed'));
    this.conn.destroy();
  }

  /** Drops the TCP connection without logout (what a crash looks like to the target). For tests. */
  destroyConnection(): void {
    this.conn.destroy(new Error('connection dropped by the initiator'));
  }

  // ---------------------------------------------------------------------------------------------

  private allocItt(): number {
    const itt = this.nextItt;
    this.nextItt = this.nextItt >= 0xfffffffe ? 1 : this.nextItt + 1;
    return itt;
  }

  /** Sends queued commands while CmdSN is inside the target's window. */
  private pump(): void {
    while (this.queue.length && this.state === 'open' && snLessOrEqual(this.cmdSN, this.maxCmdSN)) {
      const task = this.queue.shift()!;
      if (!this.tasks.has(task.itt)) continue;
      this.sendCommand(task);
    }
  }

  private sendCommand(task: Task): void {
    const p = this.info.params;
    const req = task.req;
    task.cmdSN = this.cmdSN;
    this.cmdSN = snAdd(this.cmdSN, 1);
    task.sent = true;
    const out = req.direction === 'out' ? bufferView(req.dataOut!) : undefined;
    const segment = p.targetMaxRecvDataSegmentLength;
    const firstBurst = Math.min(p.firstBurstLength, out?.length ?? 0);
    const immediate = out && p.immediateData ? out.subarray(0, Math.min(segment, firstBurst)) : undefined;
    // F=1 only when no unsolicited Data-Out follows the command (RFC 7143 §11.3.4).
    const unsolicitedFollows = out !== undefined && !p.initialR2T && (immediate?.length ?? 0) < firstBurst;
    this.conn.send({
      kind: 'scsi-command', final: !unsolicitedFollows, read: req.direction === 'in', write: req.direction === 'out', attr: 1, lun: this.lun, itt: task.itt,
      expectedDataTransferLength: req.direction === 'in' ? (req.dataInLength ?? 0) : (out?.length ?? 0),
      cmdSN: task.cmdSN, expStatSN: this.expStatSN, cdb: Buffer.from(req.cdb), ...(immediate?.length ? { data: immediate } : {}),
    });
    task.dataOutSent = immediate?.length ?? 0;
    if (unsolicitedFollows) {
      this.sendData(task, out, task.dataOutSent, firstBurst - task.dataOutSent, RESERVED_TAG);
    }
  }

  private sendData(task: Task, out: Buffer, offset: number, length: number, ttt: number): void {
    const seg = this.info.params.targetMaxRecvDataSegmentLength;
    const end = Math.min(out.length, offset + length);
    let dataSN = 0;
    for (let o = offset; o < end; o += seg) {
      const n = Math.min(seg, end - o);
      this.conn.send({ kind: 'data-out', final: o + n >= end, lun: this.lun, itt: task.itt, ttt, expStatSN: this.expStatSN, dataSN: dataSN++, bufferOffset: o, data: out.subarray(o, o + n) });
    }
    task.dataOutSent = Math.max(task.dataOutSent, end);
  }

  private abortTask(task: Task, err: ImapiError): void {
    if (!this.tasks.has(task.itt) || task.aborting) return;
    if (!task.sent) {
      this.finish(task, () => task.reject(err));
      return;
    }
    task.aborting = true;
    // Reject now; the ABORT TASK goes out and its answer frees the ITT.
    this.finish(task, () => task.reject(err));
    const itt = this.allocItt();
    const t = setTimeout(() => {
      this.others.delete(itt);
      this.conn.destroy(new Error('ABORT TASK got no answer'));
    }, this.opts.abortTimeoutMs ?? 10_000);
    this.others.set(itt, () => {
      clearTimeout(t);
      this.others.delete(itt);
    });
    this.conn.send({ kind: 'task-mgmt-request', immediate: true, function: TaskMgmtFunction.ABORT_TASK, lun: this.lun, itt, referencedTaskTag: task.itt, cmdSN: this.cmdSN, expStatSN: this.expStatSN, refCmdSN: task.cmdSN });
  }

  private finish(task: Task, then: () => void): void {
    if (!this.tasks.delete(task.itt)) return;
    clearTimeout(task.timer);
    if (task.onAbort) task.req.signal?.removeEventListener('abort', task.onAbort);
    then();
  }

  private updateSn(p: { statSN?: number; expCmdSN?: number; maxCmdSN?: number }, advancesStatSN: boolean): void {
    if (advancesStatSN && p.statSN !== undefined && snLessOrEqual(this.expStatSN, p.statSN)) this.expStatSN = snAdd(p.statSN, 1);
    if (p.expCmdSN !== undefined && p.maxCmdSN !== undefined && snLessOrEqual(p.expCmdSN, snAdd(p.maxCmdSN, 1))) {
      if (snLessThan(this.expCmdSN, p.expCmdSN) || this.expCmdSN === p.expCmdSN) this.expCmdSN = p.expCmdSN;
      if (snLessThan(this.maxCmdSN, p.maxCmdSN)) this.maxCmdSN = p.maxCmdSN;
    }
  }

  private onPdu(pdu: Pdu): void {
    switch (pdu.kind) {
      case 'scsi-response':
        this.updateSn(pdu, true);
        this.onResponse(pdu);
        break;
      case 'data-in':
        this.updateSn(pdu, pdu.statusPresent === true);
        this.onDataIn(pdu);
        break;
      case 'r2t':
        this.updateSn(pdu, false);
        this.onR2T(pdu);
        break;
      case 'nop-in':
        this.updateSn(pdu, pdu.itt !== RESERVED_TAG);
        if (pdu.ttt !== undefined && pdu.ttt !== RESERVED_TAG) {
          // The target pings us: answer with its TTT (RFC 7143 §11.18).
          this.conn.send({ kind: 'nop-out', immediate: true, lun: pdu.lun ?? 0, itt: RESERVED_TAG, ttt: pdu.ttt, cmdSN: this.cmdSN, expStatSN: this.expStatSN, ...(pdu.data?.length ? { data: pdu.data } : {}) });
        }
        if (this.pingOutstanding && pdu.itt === this.pingOutstanding.itt) this.pingOutstanding = undefined;
        break;
      case 'task-mgmt-response':
      case 'logout-response':
      case 'text-response':
        this.updateSn(pdu, true);
        this.others.get(pdu.itt)?.(pdu);
        break;
      case 'async-message':
        this.updateSn(pdu, true);
        if (pdu.asyncEvent === AsyncEvent.SCSI_ASYNC_EVENT && pdu.data && pdu.data.length >= 2) {
          const len = pdu.data.readUInt16BE(0);
          this.emit('asyncEvent', Buffer.from(pdu.data.subarray(2, 2 + len)));
        } else if (pdu.asyncEvent === AsyncEvent.LOGOUT_REQUEST) {
          void this.close();
        } else if (pdu.asyncEvent === AsyncEvent.CONNECTION_DROP || pdu.asyncEvent === AsyncEvent.SESSION_DROP) {
          this.conn.destroy(new Error('target dropped the connection'));
        }
        break;
      case 'reject': {
        this.updateSn(pdu, true);
        const itt = pdu.data.length >= 20 ? pdu.data.readUInt32BE(16) : RESERVED_TAG;
        const task = this.tasks.get(itt);
        if (task) this.finish(task, () => task.reject(new ImapiError('E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE', `target rejected the command (reason 0x${pdu.reason.toString(16)})`)));
        break;
      }
      default:
        this.conn.destroy(new Error(`unexpected ${pdu.kind} from the target`));
        return;
    }
    this.pump();
  }

  private onDataIn(pdu: DataIn): void {
    const task = this.tasks.get(pdu.itt);
    if (!task) return; // an aborted task's late data
    const data = pdu.data ?? Buffer.alloc(0);
    const off = pdu.bufferOffset ?? 0;
    if (off + data.length > task.dataIn.length) {
      this.conn.destroy(new Error(`Data-In beyond the expected length (${off}+${data.length} > ${task.dataIn.length})`));
      return;
    }
    data.copy(task.dataIn, off);
    task.dataInHigh = Math.max(task.dataInHigh, off + data.length);
    if (pdu.statusPresent) {
      this.complete(task, pdu.status ?? 0, Buffer.alloc(0), pdu.residualUnderflow ? (pdu.residualCount ?? 0) : 0, pdu.residualOverflow ? (pdu.residualCount ?? 0) : 0);
    }
  }

  private onResponse(pdu: ScsiResponse): void {
    const task = this.tasks.get(pdu.itt);
    if (!task) return;
    if ((pdu.response ?? 0) !== 0) {
      this.finish(task, () => task.reject(new ImapiError('E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE', `iSCSI target failure (response 0x${(pdu.response ?? 0).toString(16)})`)));
      return;
    }
    this.complete(task, pdu.status ?? 0, pdu.sense ? Buffer.from(pdu.sense) : Buffer.alloc(0), pdu.residualUnderflow ? (pdu.residualCount ?? 0) : 0, pdu.residualOverflow ? (pdu.residualCount ?? 0) : 0);
  }

  private complete(task: Task, status: number, sense: Buffer, underflow: number, overflow: number): void {
    const req = task.req;
    let dataIn: Buffer = Buffer.alloc(0);
    let residual = 0;
    if (req.direction === 'in') {
      const expected = req.dataInLength ?? 0;
      const got = underflow > 0 ? Math.max(0, expected - underflow) : Math.max(task.dataInHigh, overflow > 0 ? expected : 0);
      dataIn = task.dataIn.subarray(0, Math.min(got, expected));
      residual = expected - dataIn.length;
    } else if (req.direction === 'out') {
      residual = underflow;
    }
    this.finish(task, () => task.resolve({ status, sense, dataIn, residual, overflow }));
  }

  private onR2T(pdu: R2T): void {
    const task = this.tasks.get(pdu.itt);
    if (!task || task.req.direction !== 'out') return;
    this.sendData(task, bufferView(task.req.dataOut!), pdu.bufferOffset, pdu.desiredDataTransferLength, pdu.ttt);
  }

  private tick(ka: number): void {
    if (this.state !== 'open') return;
    const now = Date.now();
    if (this.pingOutstanding) {
      if (now - this.pingOutstanding.since > ka) this.conn.destroy(new Error(`NOP-Out ping unanswered for ${ka} ms`));
      return;
    }
    if (now - this.conn.lastReceive >= ka) {
      const itt = this.allocItt();
      this.pingOutstanding = { itt, since: now };
      this.conn.send({ kind: 'nop-out', immediate: true, itt, ttt: RESERVED_TAG, cmdSN: this.cmdSN, expStatSN: this.expStatSN });
    }
  }

  private onLost(reason: string): void {
    clearInterval(this.keepalive);
    if (this.state === 'open' || this.state === 'closing') {
      const wasOpen = this.state === 'open';
      this.state = wasOpen ? 'lost' : 'closed';
      const err = lost(reason);
      this.failAll(err);
      if (wasOpen) this.emit('lost', err);
    }
  }

  private failAll(err: ImapiError): void {
    for (const t of [...this.tasks.values()]) this.finish(t, () => t.reject(err));
    this.queue.length = 0;
  }
}

/** A Buffer over the same memory as `u8` (no copy: Buffer.from(Uint8Array) would copy a whole write). */
function bufferView(u8: Uint8Array): Buffer {
  return Buffer.isBuffer(u8) ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}
