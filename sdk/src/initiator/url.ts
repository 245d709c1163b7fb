/**
 * iSCSI URLs: `iscsi://[user:secret@]host[:port]/<target iqn>/<lun>` (the form libiscsi and QEMU use).
 * `iscsi://host[:port]` alone names a portal (for discovery). The port defaults to 3260 (RFC 7143
 * §13.9's well-known port). User and secret are CHAP credentials, percent-encoded as in any URL.
 * A malformed URL throws TypeError naming the part that is wrong.
 */
export const ISCSI_DEFAULT_PORT = 3260;

export interface IscsiUrl {
  readonly host: string;
  readonly port: number;
  /** Target name (iqn./eui./naa.), absent for a portal URL. */
  readonly targetName?: string;
  /** LUN, absent for a portal URL. */
  readonly lun?: number;
  readonly chap?: { readonly user: string; readonly secret: string };
}

/** True for a name shaped like an iSCSI name (RFC 7143 §4.2.7.2): iqn., eui. or naa. */
export function isIscsiName(name: string): boolean {
  return /^iqn\.\d{4}-\d{2}\.[a-z0-9.-]+(:[^\s/]*)?$/i.test(name) || /^eui\.[0-9a-f]{16}$/i.test(name) || /^naa\.[0-9a-f]{16}([0-9a-f]{16})?$/i.test(name);
}

export function parseIscsiUrl(text: string, opts: { requireTarget?: boolean } = {}): IscsiUrl {
  if (typeof text !== 'string') throw new TypeError('url must be a string');
  const m = /^iscsi:\/\/(?:([^@/]*)@)?(\[[0-9a-fA-F:.]+\]|[^:/[\]]+)(?::([^/]*))?(?:\/(.*))?$/i.exec(text);
  if (!m) {
    if (!/^iscsi:\/\//i.test(text)) throw new TypeError(`url scheme must be iscsi://, got ${JSON.stringify(text)}`);
    throw new TypeError(`url host is missing or malformed in ${JSON.stringify(text)}`);
  }
  const [, userinfo, rawHost, rawPort, rawPath] = m;
  const host = rawHost!.startsWith('[') ? rawHost!.slice(1, -1) : rawHost!;
  if (!host) throw new TypeError('url host is empty');
  let port = ISCSI_DEFAULT_PORT;
  if (rawPort !== undefined) {
    if (!/^\d{1,5}$/.test(rawPort) || Number(rawPort) < 1 || Number(rawPort) > 65535) throw new TypeError(`url port must be 1..65535, got ${JSON.stringify(rawPort)}`);
    port = Number(rawPort);
  }
  let chap: IscsiUrl['chap'];
  if (userinfo !== undefined) {
    const i = userinfo.indexOf(':');
    if (i <= 0) throw new TypeError('url user info must be user:secret (CHAP)');
    const user = decode(userinfo.slice(0, i), 'user');
    const secret = decode(userinfo.slice(i + 1), 'secret');
    if (!secret) throw new TypeError('url secret is empty');
    chap = { user, secret };
  }
  const path = (rawPath ?? '').replace(/\/+$/, '');
  if (!path) {
    if (opts.requireTarget) throw new TypeError('url target is missing (iscsi://host[:port]/<iqn>/<lun>)');
    return { host, port, ...(chap ? { chap } : {}) };
  }
  const slash = path.lastIndexOf('/');
  if (slash < 0) throw new TypeError(`url lun is missing after target ${JSON.stringify(path)}`);
  const targetName = decode(path.slice(0, slash), 'target');
  const lunText = path.slice(slash + 1);
  if (!isIscsiName(targetName)) throw new TypeError(`url target must be an iqn./eui./naa. name, got ${JSON.stringify(targetName)}`);
  if (!/^\d{1,5}$/.test(lunText) || Number(lunText) > 16383) throw new TypeError(`url lun must be an integer 0..16383, got ${JSON.stringify(lunText)}`);
  return { host, port, targetName, lun: Number(lunText), ...(chap ? { chap } : {}) };
}

/** The canonical URL (no credentials: it is the recorder's stable unique id). */
export function formatIscsiUrl(u: { host: string; port: number; targetName?: string; lun?: number }): string {
  const host = u.host.includes(':') ? `[${u.host}]` : u.host;
  const base = `iscsi://${host}:${u.port}`;
  return u.targetName === undefined ? base : `${base}/${u.targetName}/${u.lun ?? 0}`;
}

function decode(s: string, part: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new TypeError(`url ${part} has a bad percent-encoding`);
  }
}
