/**
 * A PDU tap for the initiator's protocol tests: a TCP proxy between the SDK's initiator and a real
 * iSCSI target that cuts both byte streams into PDUs (the SDK's framer and decoder), records each one
 * with its direction, and forwards it unchanged — or drops it when `drop` says so. No digests (the
 * tests that use it negotiate none).
 */
import net from 'node:net';
import { PduFramer, decodePdu, framePdu, type Pdu } from '@openimapi/sdk/iscsi';

export type Direction = 'out' | 'in'; // out: initiator → target; in: target → initiator

export interface Tapped {
  readonly dir: Direction;
  readonly pdu: Pdu;
  /** Connection number (1, 2, … in accept order). */
  readonly conn: number;
}

export interface PduTap {
  readonly host: string;
  readonly port: number;
  readonly seen: Tapped[];
  /** Return true to drop the PDU instead of forwarding it. */
  drop: (t: Tapped) => boolean;
  /** Resolves once `pred` matches a tapped PDU (checked on each new one and on what was seen). */
  waitFor(pred: (t: Tapped) => boolean, timeoutMs?: number): Promise<Tapped>;
  close(): Promise<void>;
}

export async function startPduTap(target: { host: string; port: number }): Promise<PduTap> {
  const seen: Tapped[] = [];
  const waiters: { pred: (t: Tapped) => boolean; resolve: (t: Tapped) => void }[] = [];
  const sockets = new Set<net.Socket>();
  let conns = 0;
  const tap: PduTap = {
    host: '127.0.0.1',
    port: 0,
    seen,
    drop: () => false,
    waitFor(pred, timeoutMs = 10_000) {
      const hit = seen.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const w = { pred, resolve: (t: Tapped) => (clearTimeout(timer), resolve(t)) };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error('PDU tap: the awaited PDU did not pass'));
        }, timeoutMs);
        waiters.push(w);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const record = (t: Tapped) => {
    seen.push(t);
    for (const w of [...waiters]) {
      if (w.pred(t)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(t);
      }
    }
  };
  const pipe = (from: net.Socket, to: net.Socket, dir: Direction, conn: number) => {
    const framer = new PduFramer({ maxDataSegmentLength: 1 << 24 });
    from.on('data', (chunk: Buffer) => {
      framer.push(chunk);
      for (let raw = framer.next(); raw; raw = framer.next()) {
        const t: Tapped = { dir, pdu: decodePdu(raw), conn };
        record(t);
        if (tap.drop(t)) continue;
        to.write(Buffer.concat(framePdu(Buffer.concat([raw.bhs, raw.ahs]), raw.data, { headerDigest: false, dataDigest: false })));
      }
    });
    from.on('close', () => to.destroy());
    from.on('error', () => to.destroy());
  };
  const server = net.createServer((client) => {
    const conn = ++conns;
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    pipe(client, upstream, 'out', conn);
    pipe(upstream, client, 'in', conn);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (tap as { port: number }).port = (server.address() as net.AddressInfo).port;
  return tap;
}
