/**
 * One TCP connection carrying iSCSI PDUs: frames the byte stream (PduFramer), decodes PDUs, and
 * sends encoded PDUs with the negotiated digests. It knows nothing of sessions or commands.
 */
import { connect, type Socket } from 'node:net';
import { EventEmitter } from 'node:events';
import { PduFramer, framePdu } from '../iscsi/framer.js';
import { decodePdu, encodePdu, type Pdu } from '../iscsi/pdu.js';

export interface PduConnectionEvents {
  pdu: [pdu: Pdu];
  /** The connection is gone (reset, EOF, framing error); emitted once. */
  lost: [reason: Error];
}

export class PduConnection extends EventEmitter<PduConnectionEvents> {
  private readonly socket: Socket;
  private readonly framer = new PduFramer({ maxDataSegmentLength: 16 * 1024 * 1024 });
  private digests = { headerDigest: false, dataDigest: false };
  private ended = false;
  /** Time of the last byte received (for keepalive decisions). */
  lastReceive = Date.now();

  private constructor(socket: Socket) {
    super();
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('connection closed by peer')));
  }

  static open(host: string, port: number, timeoutMs: number): Promise<PduConnection> {
    return new Promise((resolve, reject) => {
      const s = connect({ host, port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`connect to ${host}:${port} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      s.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      s.once('connect', () => {
        clearTimeout(timer);
        s.removeAllListeners('error');
        resolve(new PduConnection(s));
      });
    });
  }

  get closed(): boolean {
    return this.ended;
  }

  get localAddress(): string {
    return `${this.socket.localAddress ?? '?'}:${this.socket.localPort ?? '?'}`;
  }

  /** Digests agreed at login apply from the first PDU after the final login response. */
  setDigests(d: { headerDigest: boolean; dataDigest: boolean }, maxRecvDataSegmentLength: number): void {
    this.digests = d;
    this.framer.setOptions({ ...d, maxDataSegmentLength: maxRecvDataSegmentLength });
  }

  send(pdu: Pdu): void {
    if (this.ended) return;
    const { header, data } = encodePdu(pdu);
    const parts = framePdu(header, data, this.digests);
    if (parts.length === 1) {
      this.socket.write(parts[0]!);
      return;
    }
    // One gathered write (writev) of header, data and padding: no copy of the data segment.
    this.socket.cork();
    for (const p of parts) this.socket.write(p);
    this.socket.uncork();
  }

  /** Closes the socket; `lost` is emitted with `reason`. */
  destroy(reason = new Error('connection closed')): void {
    this.socket.destroy();
    this.fail(reason);
  }

  private onData(chunk: Buffer): void {
    this.lastReceive = Date.now();
    this.framer.push(chunk);
    for (;;) {
      let pdu: Pdu;
      try {
        const raw = this.framer.next();
        if (!raw) return;
        pdu = decodePdu(raw);
      } catch (e) {
        // A framing or PDU error from the target at ErrorRecoveryLevel 0: the connection is unusable.
        this.destroy(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      this.emit('pdu', pdu);
      if (this.ended) return;
    }
  }

  private fail(reason: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.socket.destroy();
    this.emit('lost', reason);
  }
}
