/**
 * A small iSCSI initiator for the target's tests, built on the SDK's wire codecs: login (with or
 * without CHAP), SCSI commands with Data-In / immediate / unsolicited / R2T-solicited Data-Out, NOP,
 * task management, text, logout, and raw bytes for the fuzz test.
 */
import net from 'node:net';
import {
  PduFramer, decodePdu, encodePdu, framePdu, encodeText, decodeText, chapResponse, decodeBinary, encodeBinary,
  type Pdu, type DataIn, type ScsiResponse, type R2T, type TextPairs, RESERVED_TAG, snAdd,
} from '@openimapi/sdk/iscsi';

export interface LoginOptions {
  initiatorName?: string;
  isid?: string;
  target?: string;
  discovery?: boolean;
  keys?: TextPairs;
  /** `challenge: 'reflect'` sends the target's own challenge back (which a target must refuse). */
  chap?: { user: string; secret: string; mutual?: { identifier: number; challenge: Buffer | 'reflect' } };
}

export interface CommandResult {
  status: number;
  data: Buffer;
  sense: Buffer | undefined;
  residualOverflow: boolean;
  residualUnderflow: boolean;
  residualCount: number;
  dataIns: DataIn[];
  r2ts: R2T[];
  response: ScsiResponse | undefined;
}

type Waiter = { resolve: (p: Pdu) => void; reject: (e: Error) => void };

export class TestInitiator {
  readonly socket: net.Socket;
  private framer = new PduFramer({ maxDataSegmentLength: 1 << 24 });
  private digests = { headerDigest: false, dataDigest: false };
  cmdSN = 0;
  expStatSN = 0;
  maxCmdSN = 0;
  expCmdSN = 0;
  private nextItt = 1;
  private waiters = new Map<number, (p: Pdu) => void>();
  private anyWaiters: Waiter[] = [];
  private unclaimed: Pdu[] = [];
  readonly received: Pdu[] = [];
  closed = false;
  params: Record<string, string> = {};
  private closeWaiters: Array<() => void> = [];
  /** Answer NOP-In pings automatically. */
  answerPings = true;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (c: Buffer) => this.onData(c));
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.anyWaiters) w.reject(new Error('connection closed'));
      this.anyWaiters = [];
      for (const f of this.closeWaiters) f();
    });
    socket.on('error', () => {});
  }

  static connect(port: number, host = '127.0.0.1'): Promise<TestInitiator> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, host, () => resolve(new TestInitiator(s)));
      s.once('error', reject);
    });
  }

  whenClosed(): Promise<void> {
    return this.closed ? Promise.resolve() : new Promise((r) => this.closeWaiters.push(r));
  }

  private onData(c: Buffer): void {
    this.framer.push(c);
    for (let raw = this.framer.next(); raw; raw = this.framer.next()) {
      const p = decodePdu(raw);
      this.received.push(p);
      if ('statSN' in p && p.kind !== 'data-in' && p.kind !== 'r2t' && !(p.kind === 'nop-in' && p.itt === RESERVED_TAG)) this.expStatSN = snAdd(p.statSN ?? 0, 1);
      if (p.kind === 'data-in' && p.statusPresent) this.expStatSN = snAdd(p.statSN ?? 0, 1);
      if ('maxCmdSN' in p && p.maxCmdSN !== undefined) {
        this.maxCmdSN = p.maxCmdSN;
        this.expCmdSN = p.expCmdSN ?? this.expCmdSN;
      }
      if (p.kind === 'nop-in' && p.itt === RESERVED_TAG && this.answerPings) {
        this.send({ kind: 'nop-out', immediate: true, itt: RESERVED_TAG, ttt: p.ttt ?? 0, cmdSN: this.cmdSN, expStatSN: this.expStatSN });
      }
      const itt = 'itt' in p ? p.itt : RESERVED_TAG;
      const w = this.waiters.get(itt);
      if (w) w(p);
      else if (p.kind === 'nop-in' && itt === RESERVED_TAG && this.answerPings) continue;
      else {
        const a = this.anyWaiters.shift();
        if (a) a.resolve(p);
        else {
          this.unclaimed.push(p);
          if (this.unclaimed.length > 1000) this.unclaimed.shift();
        }
      }
    }
  }

  send(p: Pdu): void {
    const { header, data } = encodePdu(p);
    for (const b of framePdu(header, data, this.digests)) this.socket.write(b);
  }

  writeRaw(b: Buffer): void {
    this.socket.write(b);
  }

  /** The next PDU not claimed by a pending command (kept in arrival order until asked for). */
  nextPdu(timeoutMs = 3000): Promise<Pdu> {
    const queued = this.unclaimed.shift();
    if (queued) return Promise.resolve(queued);
    if (this.closed) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('timeout waiting for a PDU')), timeoutMs);
      this.anyWaiters.push({ resolve: (p) => { clearTimeout(t); resolve(p); }, reject: (e) => { clearTimeout(t); reject(e); } });
    });
  }

  itt(): number {
    return this.nextItt++;
  }

  async login(o: LoginOptions = {}): Promise<Record<string, string>> {
    const isid = o.isid ?? '400001370000';
    const base: TextPairs = [['InitiatorName', o.initiatorName ?? 'iqn.2026-11.org.openimapi:test-initiator'], ['SessionType', o.discovery ? 'Discovery' : 'Normal']];
    if (!o.discovery) base.push(['TargetName', o.target ?? 'iqn.2026-11.org.openimapi:emulator']);
    const itt = this.itt();
    const exchange = async (csg: number, nsg: number, transit: boolean, pairs: TextPairs) => {
      this.send({ kind: 'login-request', transit, csg, nsg, isid, tsih: 0, itt, cid: 0, cmdSN: this.cmdSN, expStatSN: this.expStatSN, data: encodeText(pairs) });
      const r = await this.nextPdu();
      if (r.kind !== 'login-response') throw new Error(`expected a login response, got ${r.kind}`);
      if (r.statusClass !== 0) throw Object.assign(new Error(`login failed ${r.statusClass}/${r.statusDetail}`), { statusClass: r.statusClass, statusDetail: r.statusDetail });
      const got = Object.fromEntries(decodeText(r.data ?? Buffer.alloc(0)));
      Object.assign(this.params, got);
      return { r, got };
    };
    if (o.chap) {
      await exchange(0, 1, false, [...base, ['AuthMethod', 'CHAP,None']]);
      const { got } = await exchange(0, 1, false, [['CHAP_A', '5']]);
      const id = Number(got.CHAP_I);
      const ch = decodeBinary(got.CHAP_C!)!;
      const pairs: TextPairs = [['CHAP_N', o.chap.user], ['CHAP_R', encodeBinary(chapResponse(id, o.chap.secret, ch))]];
      if (o.chap.mutual) {
        const challenge = o.chap.mutual.challenge === 'reflect' ? ch : o.chap.mutual.challenge;
        pairs.push(['CHAP_I', String(o.chap.mutual.identifier)], ['CHAP_C', encodeBinary(challenge)]);
      }
      const { got: g2 } = await exchange(0, 1, true, pairs);
      this.params = { ...this.params, ...g2 };
      await exchange(1, 3, true, o.keys ?? []);
    } else {
      await exchange(1, 3, true, [...base, ...(o.keys ?? [])]);
    }
    this.digests = { headerDigest: this.params.HeaderDigest === 'CRC32C', dataDigest: this.params.DataDigest === 'CRC32C' };
    this.framer.setOptions(this.digests);
    return this.params;
  }

  /**
   * Runs one SCSI command. `write` is the data-out; `immediate` bytes of it go with the command,
   * `unsolicited` more in Data-Out PDUs without R2T, the rest when the target asks (R2T).
   */
  command(cdb: Buffer, o: { lun?: number; read?: number; write?: Buffer; immediate?: number; unsolicited?: number; segment?: number; itt?: number; cmdSN?: number } = {}): Promise<CommandResult> {
    const itt = o.itt ?? this.itt();
    const write = o.write;
    const edtl = o.read ?? write?.length ?? 0;
    const imm = write ? Math.min(o.immediate ?? 0, write.length) : 0;
    const seg = o.segment ?? 8192;
    const result: CommandResult = { status: -1, data: Buffer.alloc(0), sense: undefined, residualOverflow: false, residualUnderflow: false, residualCount: 0, dataIns: [], r2ts: [], response: undefined };
    const chunks: Buffer[] = [];
    const sendData = (offset: number, length: number, ttt: number) => {
      let sn = 0;
      for (let off = offset; off < offset + length; off += seg) {
        const n = Math.min(seg, offset + length - off);
        this.send({ kind: 'data-out', final: off + n === offset + length, lun: o.lun ?? 0, itt, ttt, expStatSN: this.expStatSN, dataSN: sn++, bufferOffset: off, data: write!.subarray(off, off + n) });
      }
    };
    const p = new Promise<CommandResult>((resolve) => {
      this.waiters.set(itt, (pdu) => {
        if (pdu.kind === 'r2t') {
          result.r2ts.push(pdu);
          sendData(pdu.bufferOffset, pdu.desiredDataTransferLength, pdu.ttt);
        } else if (pdu.kind === 'data-in') {
          result.dataIns.push(pdu);
          chunks.push(pdu.data ?? Buffer.alloc(0));
          if (pdu.statusPresent) {
            Object.assign(result, { status: pdu.status, residualOverflow: pdu.residualOverflow, residualUnderflow: pdu.residualUnderflow, residualCount: pdu.residualCount });
            result.data = Buffer.concat(chunks);
            this.waiters.delete(itt);
            resolve(result);
          }
        } else if (pdu.kind === 'scsi-response') {
          Object.assign(result, { status: pdu.status, sense: pdu.sense, residualOverflow: pdu.residualOverflow, residualUnderflow: pdu.residualUnderflow, residualCount: pdu.residualCount, response: pdu });
          result.data = Buffer.concat(chunks);
          this.waiters.delete(itt);
          resolve(result);
        }
      });
    });
    const cmdSN = o.cmdSN ?? this.cmdSN;
    if (o.cmdSN === undefined) this.cmdSN = snAdd(this.cmdSN, 1);
    this.send({
      kind: 'scsi-command', final: !(o.unsolicited && write), read: o.read !== undefined && o.read > 0, write: !!write, attr: 1, lun: o.lun ?? 0, itt,
      expectedDataTransferLength: edtl, cmdSN, expStatSN: this.expStatSN, cdb, data: write ? write.subarray(0, imm) : Buffer.alloc(0),
    });
    if (write && o.unsolicited) sendData(imm, Math.min(o.unsolicited, write.length - imm), RESERVED_TAG);
    return p;
  }

  /** Waits for the PDU answering `itt` (NOP-In, TMF response, text/logout response...). */
  private answer(itt: number, timeoutMs = 3000): Promise<Pdu> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => { this.waiters.delete(itt); reject(new Error(`no answer for ITT ${itt}`)); }, timeoutMs);
      this.waiters.set(itt, (p) => { clearTimeout(t); this.waiters.delete(itt); resolve(p); });
    });
  }

  async nop(data: Buffer): Promise<Pdu> {
    const itt = this.itt();
    const a = this.answer(itt);
    this.send({ kind: 'nop-out', immediate: false, itt, ttt: RESERVED_TAG, cmdSN: this.cmdSN, expStatSN: this.expStatSN, data });
    this.cmdSN = snAdd(this.cmdSN, 1);
    return a;
  }

  async tmf(fn: number, o: { lun?: number; ref?: number; refCmdSN?: number } = {}): Promise<Pdu> {
    const itt = this.itt();
    const a = this.answer(itt);
    this.send({ kind: 'task-mgmt-request', immediate: true, function: fn, lun: o.lun ?? 0, itt, referencedTaskTag: o.ref ?? RESERVED_TAG, cmdSN: this.cmdSN, expStatSN: this.expStatSN, refCmdSN: o.refCmdSN ?? 0 });
    return a;
  }

  async text(pairs: TextPairs): Promise<Pdu> {
    const itt = this.itt();
    const a = this.answer(itt);
    this.send({ kind: 'text-request', immediate: true, final: true, itt, ttt: RESERVED_TAG, cmdSN: this.cmdSN, expStatSN: this.expStatSN, data: encodeText(pairs) });
    return a;
  }

  async logout(): Promise<Pdu> {
    const itt = this.itt();
    const a = this.answer(itt);
    this.send({ kind: 'logout-request', immediate: true, reason: 0, itt, cid: 0, cmdSN: this.cmdSN, expStatSN: this.expStatSN });
    return a;
  }

  destroy(): void {
    this.socket.destroy();
  }
}
