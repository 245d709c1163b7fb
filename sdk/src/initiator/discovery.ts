/**
 * SendTargets discovery (RFC 7143 §4.3, Appendix C): a Discovery session to a portal, one Text
 * Request `SendTargets=All` (continued with the target's TTT while C=1), the answer parsed into
 * targets and their addresses, then Logout.
 */
import { PduConnection } from './connection.js';
import { defaultInitiatorName, login, newIsid, type ChapCredentials } from './login.js';
import { parseIscsiUrl } from './url.js';
import { LogoutReason, type Pdu, type TextResponse } from '../iscsi/pdu.js';
import { decodeText, encodeText, TextAccumulator } from '../iscsi/text.js';
import { RESERVED_TAG } from '../iscsi/bhs.js';
import { ImapiError } from '../errors/imapi-error.js';

export interface DiscoveredTarget {
  readonly targetName: string;
  /** `host:port,tpgt` entries as the target sent them (IPv6 hosts in brackets). */
  readonly addresses: readonly { host: string; port: number; tpgt: number }[];
}

export interface DiscoveryOptions {
  readonly initiatorName?: string;
  readonly chap?: ChapCredentials;
  readonly mutualChap?: ChapCredentials;
  readonly timeoutMs?: number;
}

/** Parses `TargetAddress` values: `domainname[:port][,portal-group-tag]` (§13.9). */
export function parseTargetAddress(v: string, fallbackPort: number): { host: string; port: number; tpgt: number } {
  const m = /^(\[[^\]]+\]|[^:,]+)(?::(\d+))?(?:,(\d+))?$/.exec(v.trim());
  if (!m) throw new ImapiError('E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE', `bad TargetAddress ${JSON.stringify(v)}`);
  const host = m[1]!.startsWith('[') ? m[1]!.slice(1, -1) : m[1]!;
  return { host, port: m[2] ? Number(m[2]) : fallbackPort, tpgt: m[3] ? Number(m[3]) : 1 };
}

/** Lists the targets a portal (`iscsi://[user:secret@]host[:port]`) offers. */
export async function sendTargets(portal: string, opts: DiscoveryOptions = {}): Promise<DiscoveredTarget[]> {
  const u = parseIscsiUrl(portal);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let conn: PduConnection;
  try {
    conn = await PduConnection.open(u.host, u.port, timeoutMs);
  } catch (e) {
    throw new ImapiError('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)', `cannot reach iSCSI portal ${u.host}:${u.port}: ${(e as Error).message}`, { disconnected: true });
  }
  try {
    const chap = opts.chap ?? u.chap;
    const info = await login(conn, {
      initiatorName: opts.initiatorName ?? defaultInitiatorName(),
      isid: newIsid(),
      sessionType: 'Discovery',
      ...(chap ? { chap } : {}),
      ...(opts.mutualChap ? { mutualChap: opts.mutualChap } : {}),
      timeoutMs,
    });
    conn.setDigests({ headerDigest: info.params.headerDigest === 'CRC32C', dataDigest: info.params.dataDigest === 'CRC32C' }, info.params.initiatorMaxRecvDataSegmentLength);
    let cmdSN = info.cmdSN;
    let expStatSN = info.expStatSN;
    const next = (send: () => void): Promise<Pdu> =>
      new Promise((resolve, reject) => {
        const t = setTimeout(() => done(() => reject(new ImapiError('E_IMAPI_RECORDER_COMMAND_TIMEOUT', 'SendTargets got no answer'))), timeoutMs);
        const onPdu = (p: Pdu) => {
          if (p.kind === 'nop-in') return;
          done(() => resolve(p));
        };
        const onLost = (e: Error) => done(() => reject(new ImapiError('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)', e.message, { disconnected: true })));
        const done = (f: () => void) => {
          clearTimeout(t);
          conn.off('pdu', onPdu);
          conn.off('lost', onLost);
          f();
        };
        conn.on('pdu', onPdu);
        conn.on('lost', onLost);
        send();
      });
    const acc = new TextAccumulator(1024 * 1024);
    let ttt = RESERVED_TAG;
    let first = true;
    let all: Buffer | undefined;
    while (all === undefined) {
      const data = first ? encodeText([['SendTargets', 'All']]) : Buffer.alloc(0);
      const sn = cmdSN;
      const r = await next(() => conn.send({ kind: 'text-request', final: true, itt: 1, ttt, cmdSN: sn, expStatSN, data }));
      if (r.kind !== 'text-response') throw new ImapiError('E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE', `SendTargets answered with ${r.kind}`);
      const tr = r as TextResponse;
      cmdSN = (cmdSN + 1) >>> 0;
      expStatSN = ((tr.statSN ?? 0) + 1) >>> 0;
      ttt = tr.ttt ?? RESERVED_TAG;
      first = false;
      all = acc.push(tr.data ?? Buffer.alloc(0), tr.cont === true || tr.final === false);
      if (all === undefined && tr.final && !tr.cont) all = Buffer.alloc(0);
    }
    const targets: { targetName: string; addresses: { host: string; port: number; tpgt: number }[] }[] = [];
    for (const [k, v] of decodeText(all)) {
      if (k === 'TargetName') targets.push({ targetName: v, addresses: [] });
      else if (k === 'TargetAddress' && targets.length) targets[targets.length - 1]!.addresses.push(parseTargetAddress(v, u.port));
    }
    // Logout; the answer does not matter.
    await next(() => conn.send({ kind: 'logout-request', immediate: true, reason: LogoutReason.CLOSE_SESSION, itt: 2, cmdSN, expStatSN })).catch(() => undefined);
    // A target answering SendTargets=All without addresses means "this portal" (§C).
    return targets.map((t) => ({ targetName: t.targetName, addresses: t.addresses.length ? t.addresses : [{ host: u.host, port: u.port, tpgt: 1 }] }));
  } finally {
    conn.destroy();
  }
}
