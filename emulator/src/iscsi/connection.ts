/**
 * One iSCSI connection and its session (MaxConnections=1, so a session is one connection): login,
 * then the full feature phase — SCSI commands with the CmdSN window, Data-In with phase collapse,
 * immediate/unsolicited/R2T-solicited Data-Out, NOP-In/NOP-Out, Text (SendTargets), Task Management,
 * Logout, and Reject for PDUs that break the protocol. Errors in one connection never reach another.
 */
import type { Socket } from 'node:net';
import {
  PduFramer, FramingError, PduError, decodePdu, encodePdu, framePdu, framePduInPlace, encodeText, decodeText, splitText, TextAccumulator,
  snLessThan, snLessOrEqual, snAdd, iscsiOpcodeName, IscsiOpcode, parseNumber, keyDef, RESERVED_TAG, LoginStage, LogoutReason, LogoutResponseCode,
  RejectReason, TaskMgmtFunction, TaskMgmtResponseCode, type Pdu, type RawPdu, type ScsiCommand, type DataOut,
  type TaskMgmtRequest, type TextRequest, type NopOut, type LogoutRequest, type LoginRequest, type DataIn,
} from '@openimapi/sdk/iscsi';
import { CheckCondition, ScsiStatus, buildFixedSense } from '@openimapi/sdk/wire';
import { Opcode, opcodeName } from '@openimapi/sdk/scsi';
import type { ItNexus, LunCommand, LunResponse } from '../lun.js';
import { LoginState } from './login.js';
import type { IscsiTarget } from './target.js';
import { absentLun, reportLuns } from './target-luns.js';
import { describeCdb } from './cdb-log.js';

interface R2TState {
  offset: number;
  length: number;
  /** Bytes of this burst received so far: the next Data-Out must start at offset + received. */
  received: number;
  dataSN: number;
}

/** A SCSI command in the target: the Data-Out it collects, then, as it runs, what its logical unit sees. */
class Task implements LunCommand {
  dataOut: Buffer | undefined = undefined;
  received = 0;
  /** Data-Out bytes [0, unsolicitedEnd) may arrive without an R2T. */
  unsolicitedEnd = 0;
  /** Where the next unsolicited Data-Out must start (immediate data comes first). */
  unsolicitedNext = 0;
  unsolicitedDataSN = 0;
  nextR2TOffset = 0;
  r2tSN = 0;
  /** Outstanding R2Ts by TTT (created for writes only). */
  r2ts: Map<number, R2TState> | undefined = undefined;
  /** Created only when the logical unit looks at `signal` (most never do). */
  private controller: AbortController | undefined = undefined;
  aborted = false;
  executing = false;

  constructor(
    readonly nexus: ItNexus,
    readonly itt: number,
    readonly lun: number,
    readonly cdb: Buffer,
    readonly edtl: number,
    readonly read: boolean,
    readonly write: boolean,
    readonly taskAttribute: number,
  ) {}

  get expectedDataInLength(): number {
    return this.read ? this.edtl : 0;
  }

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.aborted && !this.controller.signal.aborted) this.controller.abort(new Error('task aborted'));
    return this.controller.signal;
  }

  abort(): void {
    this.aborted = true;
    this.controller?.abort(new Error('task aborted'));
  }
}

type Phase = 'login' | 'full-feature' | 'logout' | 'closed';

const EMPTY = Buffer.alloc(0);
/** Up to this many bytes, a burst of PDUs is copied into one buffer and written at once. */
const SMALL_WRITE = 16 * 1024;
/** While answering one TCP chunk, corked output is flushed every this many bytes. */
const FLUSH_AT = 64 * 1024;
/** Internal target failure (SPC-4 Annex D: 44h/00h) for a logical unit that threw. */
const INTERNAL_TARGET_FAILURE = buildFixedSense({ key: 0x4, asc: 0x44, ascq: 0x00 });
/** ABORTED COMMAND, DATA PHASE ERROR (4Bh/00h): a Data-Out out of sequence. */
const DATA_PHASE_ERROR = buildFixedSense({ key: 0xb, asc: 0x4b, ascq: 0x00 });
/** ABORTED COMMAND, INFORMATION UNIT iuCRC ERROR DETECTED (47h/03h): a Data-Out with a bad data digest. */
const DATA_DIGEST_SENSE = buildFixedSense({ key: 0xb, asc: 0x47, ascq: 0x03 });

export class IscsiConnection {
  readonly id: number;
  phase: Phase = 'login';
  nexus: ItNexus | undefined;
  /** LUNs this session has sent commands to (its I_T_L nexuses). */
  readonly lunsAddressed = new Set<number>();
  discovery = false;
  tsih = 0;
  private readonly framer = new PduFramer({ maxDataSegmentLength: 8192 });
  private readonly login: LoginState;
  private isid = '000000000000';
  private statSN = 0;
  private expCmdSN = 0;
  private advertisedMaxCmdSN = 0;
  private readonly queueDepth: number;
  /** Commands that arrived ahead of their CmdSN turn, by CmdSN. */
  private held = new Map<number, () => void>();
  private tasks = new Map<number, Task>();
  /** ITTs of tasks aborted while collecting data: their late Data-Out is dropped silently. */
  private abortedItts = new Set<number>();
  private nextTtt = 1;
  private digests = { headerDigest: false, dataDigest: false };
  private textResponses = new Map<number, Buffer[]>();
  private readonly textIn = new TextAccumulator(64 * 1024);
  private idleTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private loginTimer: NodeJS.Timeout | undefined;
  private pingTtt: number | undefined;
  /**
   * While onData answers one TCP chunk: whether its answers are being gathered (corked) and the
   * bytes gathered since the last flush.
   */
  private inChunk = false;
  private corked = false;
  private corkedBytes = 0;
  /** `written` callbacks of the writes still in the socket, oldest first (run by `onWritten`). */
  private readonly pendingWritten: Array<() => void> = [];
  private readonly onWritten = (): void => {
    this.pendingWritten.shift()?.();
  };
  private readonly where: string;

  constructor(
    private readonly target: IscsiTarget,
    readonly socket: Socket,
    id: number,
  ) {
    this.id = id;
    this.where = `${socket.remoteAddress}:${socket.remotePort}`;
    this.queueDepth = target.queueDepth;
    this.login = new LoginState({
      iqn: target.iqn, alias: target.alias, tpgt: target.tpgt, chap: target.chap, maxRecvDataSegmentLength: target.maxRecvDataSegmentLength,
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.close(`socket error: ${e.message}`));
    socket.on('close', () => this.close('connection closed by peer'));
    socket.on('end', () => this.close('peer ended the connection'));
    this.loginTimer = setTimeout(() => this.close('login timeout'), target.loginTimeout);
    this.loginTimer.unref();
  }

  /** Tasks running or collecting Data-Out, and commands waiting for their CmdSN turn. */
  get taskCount(): number {
    return this.tasks.size;
  }
  get heldCount(): number {
    return this.held.size;
  }

  private log(level: 'debug' | 'info' | 'warn', msg: string): void {
    this.target.log(level, `[conn ${this.id} ${this.where}${this.nexus ? ' ' + this.nexus.id : ''}] ${msg}`);
  }

  // --- input ----------------------------------------------------------------------------------

  private onData(chunk: Buffer): void {
    if (this.phase === 'closed') return;
    this.target.poller.touch();
    this.framer.push(chunk);
    this.armIdle();
    // Answers to the PDUs of this chunk that complete at once are gathered (the socket is corked at
    // the first of them) and flushed every FLUSH_AT bytes and at the end: small answers share a
    // syscall, and the initiator starts on the first Data-In while later commands of a deep queue are
    // still read. (Sending the first answer uncorked gained nothing at one command in flight and cost
    // a fifth of the 32 KiB × 32 throughput with target and initiator on one CPU.)
    this.inChunk = true;
    try {
      this.drain();
    } finally {
      this.inChunk = false;
      if (this.corked) {
        this.corked = false;
        if (!this.socket.destroyed) this.socket.uncork();
      }
    }
  }

  private drain(): void {
    for (;;) {
      if ((this.phase as Phase) === 'closed') return;
      let raw: RawPdu | undefined;
      try {
        raw = this.framer.next(this.placeDataOut);
      } catch (e) {
        if (!(e instanceof FramingError)) throw e;
        this.log('warn', `framing: ${e.message}`);
        if (e.kind === 'header-digest') return this.close('header digest error');
        if (e.kind === 'data-digest' && e.bhs) this.dataDigestError(e.bhs);
        else if (e.bhs) this.reject(RejectReason.PROTOCOL_ERROR, e.bhs);
        if (e.fatal) return this.shutdown(e.message);
        continue;
      }
      if (!raw) return;
      try {
        this.onPdu(raw);
      } catch (e) {
        if (e instanceof PduError) {
          this.log('warn', `rejecting PDU: ${e.message}`);
          if (this.phase === 'login') return this.close(`bad PDU during login: ${e.message}`);
          this.reject(e.reason, e.bhs ?? raw.bhs);
          continue;
        }
        this.log('warn', `internal error: ${(e as Error).stack ?? e}`);
        return this.close('internal error');
      }
    }
  }

  /**
   * A PDU whose data digest failed was discarded (RFC 7143 §7.8): Reject 02h. A Data-Out's command
   * cannot complete without recovery R2Ts (ErrorRecoveryLevel 0), so it ends with CHECK CONDITION;
   * any other PDU (a command with immediate data, a NOP, a text request) is as if never sent.
   */
  private dataDigestError(bhs: Buffer): void {
    const task = (bhs[0]! & 0x3f) === IscsiOpcode.DATA_OUT ? this.tasks.get(bhs.readUInt32BE(16)) : undefined;
    if (task?.dataOut && !task.executing) this.dataOutError(task, 'Data-Out with a bad data digest', bhs, RejectReason.DATA_DIGEST_ERROR, DATA_DIGEST_SENSE);
    else this.reject(RejectReason.DATA_DIGEST_ERROR, bhs);
  }

  /**
   * A Data-Out that spans received chunks is copied by the framer straight into its command's data
   * buffer — only when onDataOut would accept it as it stands (known task collecting data, its R2T or
   * unsolicited window, the offset and DataSN expected next); anything else takes the usual path and
   * its checks.
   */
  private readonly placeDataOut = (bhs: Buffer, length: number): Buffer | undefined => {
    if ((bhs[0]! & 0x3f) !== IscsiOpcode.DATA_OUT) return undefined;
    const task = this.tasks.get(bhs.readUInt32BE(16));
    if (!task?.dataOut || task.executing) return undefined;
    const ttt = bhs.readUInt32BE(20);
    const dataSN = bhs.readUInt32BE(36);
    const off = bhs.readUInt32BE(40);
    const end = off + length;
    if (ttt === RESERVED_TAG) {
      if (end > task.unsolicitedEnd || dataSN !== task.unsolicitedDataSN || off !== task.unsolicitedNext) return undefined;
    } else {
      const r2t = task.r2ts?.get(ttt);
      if (!r2t || off !== r2t.offset + r2t.received || end > r2t.offset + r2t.length || dataSN !== r2t.dataSN) return undefined;
    }
    return task.dataOut.subarray(off, end);
  };

  private onPdu(raw: RawPdu): void {
    const pdu = decodePdu(raw);
    if (this.phase === 'login') {
      if (pdu.kind !== 'login-request') return this.close(`${pdu.kind} before login completed`);
      return this.onLogin(pdu);
    }
    if (this.phase !== 'full-feature') return;
    switch (pdu.kind) {
      case 'scsi-command':
        if (this.discovery) throw new PduError('SCSI command in a discovery session', raw.bhs);
        // Immediate commands bypass the CmdSN window; they too are limited to the queue depth.
        if (pdu.immediate && this.tasks.size >= this.queueDepth) {
          throw new PduError(`immediate command with ${this.tasks.size} tasks in progress`, raw.bhs, RejectReason.IMMEDIATE_COMMAND_REJECT);
        }
        return this.admit(pdu, raw.bhs, this.onCommand);
      case 'data-out':
        return this.onDataOut(pdu, raw.bhs);
      case 'nop-out':
        return this.onNopOut(pdu, raw.bhs);
      case 'task-mgmt-request':
        if (this.discovery) throw new PduError('task management in a discovery session', raw.bhs);
        return this.admit(pdu, raw.bhs, this.onTmf);
      case 'text-request':
        return this.admit(pdu, raw.bhs, this.onText);
      case 'logout-request':
        return this.admit(pdu, raw.bhs, this.onLogout);
      case 'snack-request':
        throw new PduError('SNACK at ErrorRecoveryLevel 0', raw.bhs, RejectReason.SNACK_REJECT);
      case 'login-request':
        throw new PduError('Login Request in full feature phase', raw.bhs);
      default:
        throw new PduError(`${iscsiOpcodeName(raw.bhs[0]! & 0x3f)} is a target opcode`, raw.bhs);
    }
  }

  /**
   * CmdSN ordering (RFC 7143 §4.2.2.1): immediate PDUs run at once; others run in CmdSN order within
   * [ExpCmdSN, MaxCmdSN]; anything outside the window is silently ignored. `run` is a method of this
   * connection, called with the PDU and its BHS (no closure unless the PDU must wait for its turn).
   */
  private admit<P extends { immediate?: boolean; cmdSN?: number }>(pdu: P, bhs: Buffer, run: (this: IscsiConnection, pdu: P, bhs: Buffer) => void): void {
    const sn = pdu.cmdSN ?? 0;
    if (pdu.immediate) return run.call(this, pdu, bhs);
    if (sn === this.expCmdSN && snLessOrEqual(sn, this.maxCmdSN)) {
      this.expCmdSN = snAdd(this.expCmdSN, 1);
      run.call(this, pdu, bhs);
      for (let next = this.held.get(this.expCmdSN); next && this.phase === 'full-feature'; next = this.held.get(this.expCmdSN)) {
        this.held.delete(this.expCmdSN);
        this.expCmdSN = snAdd(this.expCmdSN, 1);
        next();
      }
      return;
    }
    if (snLessThan(this.expCmdSN, sn) && snLessOrEqual(sn, this.maxCmdSN) && !this.held.has(sn)) {
      this.held.set(sn, () => run.call(this, pdu, bhs));
      return;
    }
    this.log('warn', `CmdSN ${sn} outside the window [${this.expCmdSN}, ${this.maxCmdSN}]: ignored`);
  }

  /**
   * MaxCmdSN as advertised now: ExpCmdSN plus the command slots not taken by tasks still running, so
   * a session never has more than `queueDepth` commands in the target (a closed window is
   * ExpCmdSN - 1). It never moves back (§4.2.2.1: an initiator ignores a smaller MaxCmdSN).
   */
  private get maxCmdSN(): number {
    const free = Math.max(0, this.queueDepth - this.tasks.size);
    const now = snAdd(this.expCmdSN, free - 1);
    if (snLessThan(this.advertisedMaxCmdSN, now)) this.advertisedMaxCmdSN = now;
    return this.advertisedMaxCmdSN;
  }

  // --- login ----------------------------------------------------------------------------------

  private onLogin(req: LoginRequest): void {
    const first = this.login.stage === -1;
    if (first) {
      this.isid = req.isid;
      this.expCmdSN = req.cmdSN ?? 0;
      this.advertisedMaxCmdSN = snAdd(this.expCmdSN, this.queueDepth - 1);
      this.statSN = (req.expStatSN ?? 0) >>> 0;
      if ((req.versionMin ?? 0) > 0) return this.loginFail(req, [2, 5], `unsupported version ${req.versionMin}..${req.versionMax}`);
      if ((req.tsih ?? 0) !== 0) return this.loginFail(req, [2, 0x0a], `TSIH ${req.tsih}: adding connections to a session is not supported`);
    } else if (req.isid !== this.isid) {
      return this.loginFail(req, [2, 0], 'ISID changed during login');
    }
    const r = this.login.handle(req);
    if (r.failure) return this.loginFail(req, r.status, r.failure);
    let data = r.pairs.length ? encodeText(r.pairs) : EMPTY;
    if (data.length > 8192) data = data.subarray(0, 8192); // a single login response; our answers are small
    if (r.done) {
      this.discovery = this.login.sessionType === 'Discovery';
      this.tsih = this.target.allocateTsih();
    }
    this.send([{
      kind: 'login-response', transit: r.transit, cont: false, csg: r.csg, nsg: r.nsg, versionMax: 0, versionActive: 0,
      isid: this.isid, tsih: r.done ? this.tsih : 0, itt: req.itt, statSN: this.statSN, expCmdSN: this.expCmdSN, maxCmdSN: this.maxCmdSN,
      statusClass: 0, statusDetail: 0, data,
    }]);
    this.statSN = snAdd(this.statSN, 1);
    if (!r.done) return;
    // Full feature phase: digests and our receive limit apply from the next PDU on.
    const p = this.login.params;
    this.digests = { headerDigest: p.headerDigest === 'CRC32C', dataDigest: p.dataDigest === 'CRC32C' };
    this.framer.setOptions({ ...this.digests, maxDataSegmentLength: p.targetMaxRecvDataSegmentLength });
    clearTimeout(this.loginTimer);
    const name = this.login.initiatorName;
    this.nexus = Object.freeze({
      id: `${name},i,0x${this.isid}`, initiatorName: name, isid: this.isid, tpgt: this.target.tpgt, transport: `iscsi ${this.where}`,
    });
    this.phase = 'full-feature';
    this.armIdle();
    this.log('info', `${this.discovery ? 'discovery' : 'normal'} session up (TSIH ${this.tsih}, HeaderDigest=${p.headerDigest}, DataDigest=${p.dataDigest}, MaxRecvDataSegmentLength=${p.initiatorMaxRecvDataSegmentLength}/${p.targetMaxRecvDataSegmentLength})`);
    if (!this.discovery) this.target.sessionUp(this);
  }

  private loginFail(req: LoginRequest, status: readonly [number, number], why: string): void {
    this.log('warn', `login failed: ${why}`);
    this.send([{
      kind: 'login-response', transit: false, csg: req.csg, nsg: 0, isid: req.isid, tsih: 0, itt: req.itt, statSN: this.statSN,
      expCmdSN: this.expCmdSN, maxCmdSN: this.maxCmdSN, statusClass: status[0], statusDetail: status[1],
    }]);
    this.socket.end();
    this.close(`login failed: ${why}`, true);
  }

  // --- SCSI commands --------------------------------------------------------------------------

  private onCommand(cmd: ScsiCommand, bhs: Buffer): void {
    if (cmd.itt === RESERVED_TAG) throw new PduError('SCSI command with the reserved ITT ffffffffh', bhs, RejectReason.INVALID_PDU_FIELD);
    if (this.tasks.has(cmd.itt)) throw new PduError(`ITT ${cmd.itt} already in use`, bhs, RejectReason.TASK_IN_PROGRESS);
    this.abortedItts.delete(cmd.itt);
    const edtl = cmd.expectedDataTransferLength ?? 0;
    const p = this.login.params;
    const data = cmd.data ?? EMPTY;
    const write = cmd.write ?? false;
    if (data.length && !p.immediateData) throw new PduError('immediate data with ImmediateData=No', bhs);
    if (data.length && !write) throw new PduError('immediate data on a command without the W bit', bhs);
    if (data.length > Math.min(edtl, p.firstBurstLength)) throw new PduError(`immediate data of ${data.length} bytes exceeds EDTL/FirstBurstLength`, bhs);
    if (this.target.logCdbs) {
      this.log('debug', `CDB LUN ${cmd.lun} ITT ${cmd.itt} ${describeCdb(cmd.cdb)} length ${edtl}${write ? ' W' : ''}${cmd.read ? ' R' : ''} [${cmd.cdb.toString('hex')}]`);
    }
    const task = new Task(this.nexus!, cmd.itt, cmd.lun ?? 0, cmd.cdb, edtl, cmd.read ?? false, write, cmd.attr ?? 0);
    this.tasks.set(task.itt, task);
    if (write && edtl > 0) {
      if (edtl > this.target.maxWriteLength) {
        this.log('warn', `write of ${edtl} bytes exceeds the ${this.target.maxWriteLength}-byte limit`);
        this.abortedItts.add(task.itt); // its unsolicited Data-Out, if any, is dropped
        return this.finish(task, { status: ScsiStatus.CHECK_CONDITION, sense: buildFixedSense({ key: 0x5, asc: 0x55, ascq: 0x00 }) }, 0x01);
      }
      task.dataOut = Buffer.allocUnsafe(edtl);
      if (data.length) {
        data.copy(task.dataOut, 0);
        task.received = data.length;
      }
      task.unsolicitedNext = data.length;
      // InitialR2T=No and the F bit clear: an unsolicited burst follows, and it must run to
      // min(FirstBurstLength, EDTL) (RFC 7143 §13.14). With F set nothing more comes unasked.
      task.unsolicitedEnd = p.initialR2T || cmd.final !== false ? data.length : Math.min(edtl, p.firstBurstLength);
      // Unsolicited data still to come (InitialR2T=No and the command's F bit clear): wait for it
      // to end before soliciting; the rest is asked for with R2Ts.
      task.nextR2TOffset = task.unsolicitedEnd;
      if (task.received < edtl) {
        this.solicit(task);
        return;
      }
    }
    this.execute(task);
  }

  /** Sends R2Ts for the data not yet asked for, at most MaxOutstandingR2T at a time. */
  private solicit(task: Task): void {
    const p = this.login.params;
    const out: Pdu[] = [];
    const r2ts = (task.r2ts ??= new Map());
    while (task.nextR2TOffset < task.edtl && r2ts.size < p.maxOutstandingR2T) {
      const length = Math.min(p.maxBurstLength, task.edtl - task.nextR2TOffset);
      const ttt = this.allocTtt();
      r2ts.set(ttt, { offset: task.nextR2TOffset, length, received: 0, dataSN: 0 });
      out.push({
        kind: 'r2t', lun: task.lun, itt: task.itt, ttt, statSN: this.statSN, expCmdSN: this.expCmdSN, maxCmdSN: this.maxCmdSN,
        r2tSN: task.r2tSN, bufferOffset: task.nextR2TOffset, desiredDataTransferLength: length,
      });
      task.r2tSN++;
      task.nextR2TOffset += length;
    }
    if (out.length) this.send(out);
  }

  private allocTtt(): number {
    const t = this.nextTtt;
    this.nextTtt = this.nextTtt >= 0x7fffffff ? 1 : this.nextTtt + 1;
    return t;
  }

  private onDataOut(d: DataOut, bhs: Buffer): void {
    const task = this.tasks.get(d.itt);
    if (!task) {
      if (this.abortedItts.has(d.itt)) return; // data of an aborted task (RFC 7143 §4.2.3.3): discard
      throw new PduError(`Data-Out for unknown ITT ${d.itt}`, bhs, RejectReason.INVALID_PDU_FIELD);
    }
    if (!task.dataOut || task.executing) throw new PduError(`Data-Out for ITT ${d.itt} which expects none`, bhs);
    const data = d.data ?? EMPTY;
    const off = d.bufferOffset ?? 0;
    const end = off + data.length;
    const dataSN = d.dataSN ?? 0;
    // DataPDUInOrder=Yes (the only value this target agrees to): within a burst, every PDU starts
    // where the previous one ended, and the burst ends (F bit) exactly at its length. A gap, an
    // overlap or a short burst would leave bytes of the write buffer unfilled, so the command fails.
    if (d.ttt === RESERVED_TAG) {
      if (end > task.unsolicitedEnd) return this.dataOutError(task, `unsolicited Data-Out [${off}, ${end}) beyond ${task.unsolicitedEnd} (FirstBurstLength/EDTL)`, bhs);
      if (dataSN !== task.unsolicitedDataSN) return this.dataOutError(task, `DataSN ${dataSN}, expected ${task.unsolicitedDataSN}`, bhs);
      if (off !== task.unsolicitedNext) return this.dataOutError(task, `unsolicited Data-Out at offset ${off}, expected ${task.unsolicitedNext}`, bhs);
      if (d.final && end < task.unsolicitedEnd) return this.dataOutError(task, `unsolicited burst ended at ${end}, before ${task.unsolicitedEnd}`, bhs);
      task.unsolicitedDataSN++;
      task.unsolicitedNext = end;
    } else {
      const r2t = task.r2ts?.get(d.ttt ?? 0);
      if (!r2t) return this.dataOutError(task, `Data-Out with unknown TTT ${d.ttt}`, bhs, RejectReason.INVALID_PDU_FIELD);
      const next = r2t.offset + r2t.received;
      if (dataSN !== r2t.dataSN) return this.dataOutError(task, `DataSN ${dataSN}, expected ${r2t.dataSN}`, bhs);
      if (off !== next || end > r2t.offset + r2t.length) return this.dataOutError(task, `Data-Out [${off}, ${end}) for the R2T of [${r2t.offset}, ${r2t.offset + r2t.length}) at ${next}`, bhs);
      if (d.final && end < r2t.offset + r2t.length) return this.dataOutError(task, `solicited burst ended at ${end}, before ${r2t.offset + r2t.length}`, bhs);
      r2t.dataSN++;
      r2t.received += data.length;
      if (r2t.received === r2t.length) task.r2ts!.delete(d.ttt ?? 0);
    }
    // (Already in place when the framer copied it there: see placeDataOut.)
    if (data.buffer !== task.dataOut.buffer || data.byteOffset !== task.dataOut.byteOffset + off) data.copy(task.dataOut, off);
    task.received += data.length;
    if (task.received >= task.edtl) {
      task.r2ts = undefined;
      return this.execute(task);
    }
    this.solicit(task);
  }

  /**
   * A Data-Out that breaks the rules at ErrorRecoveryLevel 0 (RFC 7143 §7.1.4.1, §7.12): it is
   * rejected, and its command ends with CHECK CONDITION — its data cannot be trusted and, without
   * recovery R2Ts, never completes. Later Data-Out of that task is dropped silently.
   */
  private dataOutError(task: Task, why: string, bhs: Buffer, reason: number = RejectReason.PROTOCOL_ERROR, sense = DATA_PHASE_ERROR): void {
    this.log('warn', `ITT ${task.itt}: ${why}`);
    this.reject(reason, bhs);
    this.abortedItts.add(task.itt);
    this.finish(task, { status: ScsiStatus.CHECK_CONDITION, sense });
  }

  private execute(task: Task): void {
    task.executing = true;
    this.lunsAddressed.add(task.lun);
    const lu = this.target.lun(task.lun);
    const cdb = task.cdb;
    let result: LunResponse | Promise<LunResponse>;
    try {
      if (cdb[0] === Opcode.REPORT_LUNS) result = reportLuns(cdb, this.target.lunCount);
      else if (!lu) result = absentLun(cdb);
      else result = lu.execute(task);
    } catch (e) {
      result = this.failure(task, e);
    }
    if (result instanceof Promise) {
      result.then(
        (r) => this.finish(task, r),
        (e) => this.finish(task, this.failure(task, e)),
      );
    } else {
      this.finish(task, result);
    }
  }

  private failure(task: Task, e: unknown): LunResponse {
    if (e instanceof CheckCondition) return { status: ScsiStatus.CHECK_CONDITION, sense: e.toSense() };
    if (!task.aborted) this.log('warn', `LUN ${task.lun} ${opcodeName(task.cdb[0] ?? 0)} threw: ${(e as Error)?.stack ?? e}`);
    return { status: ScsiStatus.CHECK_CONDITION, sense: INTERNAL_TARGET_FAILURE };
  }

  /** Sends the command's Data-In and status (collapsed into the last Data-In when GOOD). */
  private finish(task: Task, r: LunResponse, response = 0): void {
    if (this.tasks.get(task.itt) !== task || task.aborted || this.phase === 'closed') {
      r.release?.();
      return;
    }
    this.tasks.delete(task.itt);
    const p = this.login.params;
    const produced = r.dataIn?.length ?? 0;
    const limit = task.read ? task.edtl : 0;
    const sent = Math.min(produced, limit);
    let over = false;
    let under = false;
    let residual = 0;
    if (task.read) {
      if (produced > task.edtl) { over = true; residual = produced - task.edtl; }
      else if (produced < task.edtl) { under = true; residual = task.edtl - produced; }
    } else if (produced > 0) {
      over = true; residual = produced;
    } else if (task.write && r.dataOutLength !== undefined) {
      if (r.dataOutLength > task.edtl) { over = true; residual = r.dataOutLength - task.edtl; }
      else if (r.dataOutLength < task.edtl) { under = true; residual = task.edtl - r.dataOutLength; }
    } else if (!task.write && task.edtl > 0) {
      under = true; residual = task.edtl;
    }
    const collapse = r.status === ScsiStatus.GOOD && !r.sense?.length && sent > 0 && response === 0;
    const out: Pdu[] = [];
    const seg = p.initiatorMaxRecvDataSegmentLength;
    const burst = p.maxBurstLength;
    const dataIn = r.dataIn!;
    let dataSN = 0;
    let inBurst = 0;
    for (let off = 0; off < sent;) {
      const n = Math.min(seg, sent - off, burst - inBurst);
      const last = off + n === sent;
      inBurst += n;
      const endOfSeq = last || inBurst === burst;
      if (endOfSeq) inBurst = 0;
      const withStatus = last && collapse;
      const pdu: DataIn = {
        kind: 'data-in', final: endOfSeq, lun: task.lun, itt: task.itt, ttt: RESERVED_TAG, dataSN: dataSN++, bufferOffset: off,
        expCmdSN: this.expCmdSN, maxCmdSN: this.maxCmdSN, data: n === dataIn.length ? dataIn : dataIn.subarray(off, off + n),
        statusPresent: withStatus, status: withStatus ? r.status : 0, statSN: withStatus ? this.nextStatSN() : 0,
        residualOverflow: withStatus && over, residualUnderflow: withStatus && under, residualCount: withStatus ? residual : 0,
      };
      out.push(pdu);
      off += n;
    }
    if (!collapse) {
      out.push({
        kind: 'scsi-response', response, status: r.status, itt: task.itt, statSN: this.nextStatSN(), expCmdSN: this.expCmdSN,
        maxCmdSN: this.maxCmdSN, expDataSN: dataSN, residualOverflow: over, residualUnderflow: under, residualCount: residual,
        ...(r.sense?.length ? { sense: r.sense } : {}),
      });
    } else if (out.length === 1 && r.dataInHeadroom) {
      // All the data in one PDU with the status, and room for its header in front of the data: one
      // write of the logical unit's buffer, nothing copied.
      const frame = framePduInPlace(out[0]!, r.dataInHeadroom, this.digests);
      if (frame) return this.write(frame, r.release);
    }
    this.send(out, r.release);
  }

  private nextStatSN(): number {
    const s = this.statSN;
    this.statSN = snAdd(this.statSN, 1);
    return s;
  }

  // --- NOP, Text, Logout ----------------------------------------------------------------------

  private onNopOut(n: NopOut, bhs: Buffer): void {
    if (n.itt === RESERVED_TAG) {
      // Answer to our NOP-In ping (TTT echoed), or a one-way NOP; never answered (§11.18).
      if (!n.immediate) throw new PduError('NOP-Out with ITT 0xffffffff must be immediate', bhs);
      if (n.ttt !== RESERVED_TAG && n.ttt === this.pingTtt) this.pingAnswered();
      return;
    }
    this.admit(n, bhs, this.onPing);
  }

  /** A NOP-Out ping from the initiator: the NOP-In answer echoes its data. */
  private onPing(n: NopOut, bhs: Buffer): void {
    if ((n.data?.length ?? 0) > this.login.params.initiatorMaxRecvDataSegmentLength) {
      throw new PduError('NOP-Out ping data larger than the initiator can receive back', bhs);
    }
    this.send([{
      kind: 'nop-in', lun: n.lun ?? 0, itt: n.itt, ttt: RESERVED_TAG, statSN: this.nextStatSN(), expCmdSN: this.expCmdSN,
      maxCmdSN: this.maxCmdSN, data: n.data ?? EMPTY,
    }]);
  }

  private onText(t: TextRequest, bhs: Buffer): void {
    const seg = this.login.params.initiatorMaxRecvDataSegmentLength;
    // Continuation of a long response we are sending.
    if (t.ttt !== RESERVED_TAG && this.textResponses.has(t.ttt ?? 0)) {
      const rest = this.textResponses.get(t.ttt!)!;
      this.textResponses.delete(t.ttt!);
      return this.sendTextSegments(t.itt, rest);
    }
    let all: Buffer | undefined;
    try {
      all = this.textIn.push(t.data ?? EMPTY, t.cont ?? false);
    } catch (e) {
      throw new PduError((e as Error).message, bhs);
    }
    if (all === undefined) {
      // More request text follows: acknowledge with an empty response (§11.10.2).
      this.send([{ kind: 'text-response', final: false, itt: t.itt, ttt: this.allocTtt(), statSN: this.nextStatSN(), expCmdSN: this.expCmdSN, maxCmdSN: this.maxCmdSN }]);
      return;
    }
    let pairs;
    try {
      pairs = decodeText(all);
    } catch (e) {
      throw new PduError((e as Error).message, bhs);
    }
    const out: Array<[string, string]> = [];
    for (const [key, value] of pairs) {
      if (key === 'SendTargets') {
        if (value === 'All' || value === '' || value === this.target.iqn) {
          if (value === 'All' && !this.discovery) {
            // Normal sessions may ask only for their own target (§13.3); we have one target anyway.
          }
          out.push(['TargetName', this.target.iqn]);
          out.push(['TargetAddress', `${this.target.advertisedAddress(this.socket)},${this.target.tpgt}`]);
        }
      } else if (key === 'MaxRecvDataSegmentLength') {
        // Declarative and allowed in full feature phase (§13.12): applies to our next Data-In/Text PDUs.
        const n = parseNumber(value);
        if (Number.isInteger(n) && n >= 512 && n <= 0xffffff) this.login.params.initiatorMaxRecvDataSegmentLength = n;
        else out.push([key, 'Reject']);
      } else if (keyDef(key)) {
        out.push([key, 'Reject']); // login-only (IO/LO) keys cannot be renegotiated here
      } else {
        out.push([key, 'NotUnderstood']);
      }
    }
    const data = encodeText(out);
    this.sendTextSegments(t.itt, splitText(data, seg));
  }

  private sendTextSegments(itt: number, segs: Buffer[]): void {
    const [first, ...rest] = segs;
    const more = rest.length > 0;
    const ttt = more ? this.allocTtt() : RESERVED_TAG;
    if (more) {
      // One long response in progress per initiator is the norm; keep a few, drop the oldest.
      if (this.textResponses.size >= 4) this.textResponses.delete(this.textResponses.keys().next().value!);
      this.textResponses.set(ttt, rest);
    }
    this.send([{
      kind: 'text-response', final: !more, cont: more, itt, ttt, statSN: this.nextStatSN(), expCmdSN: this.expCmdSN, maxCmdSN: this.maxCmdSN,
      data: first ?? EMPTY,
    }]);
  }

  private onLogout(l: LogoutRequest): void {
    if (l.reason === LogoutReason.REMOVE_CONNECTION_FOR_RECOVERY) {
      this.send([{ kind: 'logout-response', response: LogoutResponseCode.RECOVERY_NOT_SUPPORTED, itt: l.itt, statSN: this.nextStatSN(), expCmdSN: this.expCmdSN, maxCmdSN: this.maxCmdSN }]);
      return;
    }
    this.log('info', `logout (${l.reason === LogoutReason.CLOSE_SESSION ? 'close session' : 'close connection'})`);
    this.abortAll(() => true);
    this.send([{
      kind: 'logout-response', response: LogoutResponseCode.CLOSED, itt: l.itt, statSN: this.nextStatSN(), expCmdSN: this.expCmdSN,
      maxCmdSN: this.maxCmdSN, time2Wait: 0, time2Retain: 0,
    }]);
    this.phase = 'logout';
    this.socket.end();
    this.close('logged out', true);
  }

  // --- task management ------------------------------------------------------------------------

  private onTmf(t: TaskMgmtRequest): void {
    const lun = t.lun ?? 0;
    let response: number = TaskMgmtResponseCode.FUNCTION_COMPLETE;
    let after: (() => void) | undefined;
    const fn = t.function;
    this.log('info', `task management function ${fn} LUN ${lun} ref ITT ${t.referencedTaskTag}`);
    switch (fn) {
      case TaskMgmtFunction.ABORT_TASK: {
        const task = this.tasks.get(t.referencedTaskTag ?? RESERVED_TAG);
        if (task) {
          this.abortTask(task);
        } else {
          // Not seen (yet): if its CmdSN is inside the window and before this TMF, consider it received
          // and answer "function complete" (§11.5.1); if it already completed, "task does not exist".
          const ref = t.refCmdSN ?? 0;
          const heldRun = this.held.get(ref);
          if (heldRun) {
            this.held.set(ref, () => {});
          } else if (!(snLessOrEqual(this.expCmdSN, ref) && snLessThan(ref, t.cmdSN ?? 0))) {
            response = TaskMgmtResponseCode.TASK_DOES_NOT_EXIST;
          }
        }
        break;
      }
      case TaskMgmtFunction.ABORT_TASK_SET:
      case TaskMgmtFunction.CLEAR_TASK_SET:
        this.abortAll((x) => x.lun === lun);
        break;
      case TaskMgmtFunction.LOGICAL_UNIT_RESET: {
        const lu = this.target.lun(lun);
        if (!lu) {
          response = TaskMgmtResponseCode.LUN_DOES_NOT_EXIST;
          break;
        }
        this.target.abortEverywhere((x) => x === lun);
        lu.reset('lun-reset', this.nexus!);
        break;
      }
      case TaskMgmtFunction.TARGET_WARM_RESET:
        this.target.abortEverywhere(() => true);
        this.target.resetAll('target-warm-reset', this.nexus!);
        break;
      case TaskMgmtFunction.TARGET_COLD_RESET:
        this.target.abortEverywhere(() => true);
        this.target.resetAll('target-warm-reset', this.nexus!);
        after = () => this.target.dropAll('target cold reset');
        break;
      case TaskMgmtFunction.TASK_REASSIGN:
        response = TaskMgmtResponseCode.TASK_ALLEGIANCE_REASSIGNMENT_NOT_SUPPORTED;
        break;
      case TaskMgmtFunction.CLEAR_ACA:
        response = TaskMgmtResponseCode.FUNCTION_NOT_SUPPORTED;
        break;
      default:
        response = TaskMgmtResponseCode.FUNCTION_REJECTED;
    }
    this.send([{ kind: 'task-mgmt-response', response, itt: t.itt, statSN: this.nextStatSN(), expCmdSN: this.expCmdSN, maxCmdSN: this.maxCmdSN }]);
    if (after) after();
  }

  private abortTask(task: Task): void {
    this.tasks.delete(task.itt);
    this.abortedItts.add(task.itt);
    if (this.abortedItts.size > 1024) this.abortedItts.delete(this.abortedItts.values().next().value!);
    task.abort();
  }

  /** Aborts this session's tasks on the LUNs `which` selects (no response is sent for them). */
  abortAll(which: (t: Task) => boolean): void {
    for (const t of [...this.tasks.values()]) if (which(t)) this.abortTask(t);
  }

  /** Aborts tasks on LUNs selected by `lunFilter` (used by LUN/target resets from any session). */
  abortLuns(lunFilter: (lun: number) => boolean): void {
    this.abortAll((t) => lunFilter(t.lun));
  }

  // --- output ---------------------------------------------------------------------------------

  /** Writes PDUs in one gathered write; `written` runs when they are sent (or dropped). */
  send(pdus: Pdu[], written?: () => void): void {
    const pieces: Buffer[] = [];
    let total = 0;
    for (const p of pdus) {
      const { header, data } = encodePdu(p);
      for (const piece of framePdu(header, data, this.digests)) {
        pieces.push(piece);
        total += piece.length;
      }
    }
    if (pieces.length === 1 || total <= SMALL_WRITE) {
      // Small answers: one copy into one buffer is cheaper than the stream's per-chunk bookkeeping.
      const copied = pieces.length > 1;
      this.write(copied ? Buffer.concat(pieces, total) : pieces[0]!, copied ? undefined : written);
      if (copied) written?.();
      return;
    }
    const last = pieces.length - 1;
    const gathered = this.corked;
    if (!gathered) this.socket.cork();
    for (let i = 0; i < last; i++) this.write(pieces[i]!);
    this.write(pieces[last]!, written);
    if (!gathered) this.socket.uncork();
  }

  /**
   * One write to the socket; `written` runs once the socket is done with `buf` (sent, or dropped with
   * the connection). Inside onData the writes are gathered (see onData).
   */
  private write(buf: Buffer, written?: () => void): void {
    if (this.socket.destroyed || !this.socket.writable) {
      written?.();
      return;
    }
    if (this.inChunk && !this.corked) {
      this.socket.cork();
      this.corked = true;
      this.corkedBytes = 0;
    }
    if (written) {
      this.pendingWritten.push(written);
      this.socket.write(buf, this.onWritten);
    } else {
      this.socket.write(buf);
    }
    if (this.corked && (this.corkedBytes += buf.length) >= FLUSH_AT) {
      this.corkedBytes = 0;
      this.socket.uncork();
      this.socket.cork();
    }
  }

  private reject(reason: number, bhs: Buffer): void {
    if (this.phase !== 'full-feature') return;
    this.send([{ kind: 'reject', reason, statSN: this.nextStatSN(), expCmdSN: this.expCmdSN, maxCmdSN: this.maxCmdSN, data: Buffer.from(bhs.subarray(0, 48)) }]);
  }

  // --- keepalive ------------------------------------------------------------------------------

  private armIdle(): void {
    const interval = this.target.nopInterval;
    if (!interval || this.phase !== 'full-feature' || this.pingTtt !== undefined) return;
    if (this.idleTimer) this.idleTimer.refresh();
    else {
      this.idleTimer = setTimeout(() => this.ping(), interval);
      this.idleTimer.unref();
    }
  }

  private ping(): void {
    if (this.phase !== 'full-feature') return;
    this.idleTimer = undefined;
    this.pingTtt = this.allocTtt();
    this.send([{ kind: 'nop-in', itt: RESERVED_TAG, ttt: this.pingTtt, statSN: this.statSN, expCmdSN: this.expCmdSN, maxCmdSN: this.maxCmdSN }]);
    this.pingTimer = setTimeout(() => this.close('no answer to NOP-In ping'), this.target.nopTimeout);
    this.pingTimer.unref();
  }

  private pingAnswered(): void {
    clearTimeout(this.pingTimer);
    this.pingTimer = undefined;
    this.pingTtt = undefined;
    this.armIdle();
  }

  // --- teardown -------------------------------------------------------------------------------

  /** Closes after what is already queued has been sent (Reject, TMF response, ...). */
  shutdown(why: string): void {
    if (this.phase === 'closed') return;
    this.socket.end();
    this.close(why, true);
  }

  /** Ends the connection (and its session): aborts its tasks and tells the LUNs the nexus is gone. */
  close(why: string, graceful = false): void {
    if (this.phase === 'closed') return;
    const wasUp = this.phase === 'full-feature' || this.phase === 'logout';
    this.phase = 'closed';
    this.log(graceful ? 'info' : 'warn', `closing: ${why}`);
    clearTimeout(this.loginTimer);
    clearTimeout(this.idleTimer);
    clearTimeout(this.pingTimer);
    this.abortAll(() => true);
    this.held.clear();
    this.framer.reset();
    if (!graceful) this.socket.destroy();
    else setTimeout(() => this.socket.destroy(), 2000).unref();
    this.target.connectionClosed(this, wasUp && !this.discovery);
  }
}
