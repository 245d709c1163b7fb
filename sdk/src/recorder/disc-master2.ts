/**
 * DiscMaster2 (IDiscMaster2): the list of recorders this process can reach, from configured sources.
 *
 * Sources are providers (`RecorderProvider`): each lists unique ids and opens a transport for one.
 * - `iscsiPortalProvider(portal)`: SendTargets on the portal, then for each target REPORT LUNS and
 *   INQUIRY on each LUN; LUNs of peripheral device type 05h (CD/DVD) are recorders.
 * - `iscsiUrlProvider(urls)`: explicit `iscsi://host:port/iqn/lun` URLs, listed as given.
 * - Local drives through SG_IO: `sgProvider()` from `@openimapi/native` (a separate package, so the
 *   SDK installs and runs where the addon cannot be built; `nativeProvider()` here only says so).
 * - `usbProvider()`: USB Bulk-Only Transport. Not available yet: it reports `available: false` with
 *   that reason and lists nothing.
 * Unique ids are stable: the canonical URL (`iscsi://host:port/<iqn>/<lun>`), without credentials.
 *
 * `refresh()` re-lists every source and emits deviceAdded / deviceRemoved for the differences — the
 * only way an iSCSI portal can tell (it has no hot-plug events); `watch(ms)` refreshes periodically.
 */
import { EventEmitter } from 'node:events';
import { IscsiSession, type IscsiSessionOptions } from '../initiator/session.js';
import { sendTargets } from '../initiator/discovery.js';
import { formatIscsiUrl, parseIscsiUrl } from '../initiator/url.js';
import type { ScsiTransport } from '../transport/scsi-transport.js';
import { ScsiDevice } from '../device/scsi-device.js';
import { encodeReportLunsCdb, decodeReportLunsReply, SelectReport } from '../scsi/commands/report-luns.js';
import { encodeInquiryCdb, decodeInquiryReply, PeripheralDeviceType, PeripheralQualifier } from '../scsi/commands/inquiry.js';
import { DiscRecorder2Ex } from './disc-recorder2-ex.js';
import type { DiscRecorder2Options } from './disc-recorder2.js';

export interface RecorderProvider {
  readonly name: string;
  /** Whether this source can work in this environment, and why not. */
  availability(): { available: boolean; reason?: string };
  /** Unique ids of the recorders the source has now. */
  list(): Promise<string[]>;
  /** True when this provider opens `uniqueId`. */
  owns(uniqueId: string): boolean;
  open(uniqueId: string): Promise<ScsiTransport>;
}

function isRecorderLun(lun: number | Buffer): lun is number {
  return typeof lun === 'number';
}

/** Opens iSCSI recorders by URL (shared by the iSCSI providers). */
function iscsiOpen(session: IscsiSessionOptions) {
  return (uniqueId: string) => IscsiSession.connect(uniqueId, session);
}

/** Explicit `iscsi://` recorder URLs. */
export function iscsiUrlProvider(urls: readonly string[], session: IscsiSessionOptions = {}): RecorderProvider {
  const ids = urls.map((u) => {
    const p = parseIscsiUrl(u, { requireTarget: true });
    return { id: formatIscsiUrl(p), url: u };
  });
  return {
    name: 'iscsi-url',
    availability: () => ({ available: true }),
    list: async () => ids.map((x) => x.id),
    owns: (id) => ids.some((x) => x.id === id),
    open: (id) => iscsiOpen(session)(ids.find((x) => x.id === id)?.url ?? id),
  };
}

/** Every CD/DVD LUN behind an iSCSI portal (`iscsi://[user:secret@]host[:port]`). */
export function iscsiPortalProvider(portal: string, session: IscsiSessionOptions = {}): RecorderProvider {
  const p = parseIscsiUrl(portal);
  const creds = p.chap ? `${encodeURIComponent(p.chap.user)}:${encodeURIComponent(p.chap.secret)}@` : '';
  const withCreds = (id: string) => (creds ? id.replace('iscsi://', `iscsi://${creds}`) : id);
  const prefix = formatIscsiUrl({ host: p.host, port: p.port });
  return {
    name: `iscsi-portal ${prefix}`,
    availability: () => ({ available: true }),
    owns: (id) => id.startsWith(prefix + '/'),
    open: (id) => iscsiOpen(session)(withCreds(id)),
    async list() {
      const targets = await sendTargets(portal, { ...(session.initiatorName ? { initiatorName: session.initiatorName } : {}) });
      const found: string[] = [];
      for (const t of targets) {
        const lun0 = formatIscsiUrl({ host: p.host, port: p.port, targetName: t.targetName, lun: 0 });
        let s: IscsiSession;
        try {
          s = await IscsiSession.connect(withCreds(lun0), { ...session, keepaliveMs: 0 });
        } catch {
          continue;
        }
        try {
          const dev = new ScsiDevice(s);
          const luns = await dev.read({ cdb: (n) => encodeReportLunsCdb({ selectReport: SelectReport.ALL_EXCEPT_WELL_KNOWN, allocationLength: n }), allocationLength: 256, maxAllocationLength: 0xffffffff, decode: decodeReportLunsReply });
          for (const lun of luns.luns.filter(isRecorderLun)) {
            const id = formatIscsiUrl({ host: p.host, port: p.port, targetName: t.targetName, lun });
            if (lun === 0) {
              if (await isCdDvd(dev)) found.push(id);
              continue;
            }
            const ls = await IscsiSession.connect(withCreds(id), { ...session, keepaliveMs: 0 }).catch(() => undefined);
            if (!ls) continue;
            try {
              if (await isCdDvd(new ScsiDevice(ls))) found.push(id);
            } finally {
              await ls.close();
            }
          }
        } catch {
          /* a target that fails REPORT LUNS lists nothing */
        } finally {
          await s.close();
        }
      }
      return found;
    },
  };
}

async function isCdDvd(dev: ScsiDevice): Promise<boolean> {
  const inq = await dev.read({ cdb: (n) => encodeInquiryCdb({ evpd: false, pageCode: 0, allocationLength: n }), allocationLength: 36, maxAllocationLength: 0xff, decode: decodeInquiryReply });
  return inq.peripheralQualifier === PeripheralQualifier.CONNECTED && inq.peripheralDeviceType === PeripheralDeviceType.CD_DVD;
}

/** Local drives through SG_IO live in `@openimapi/native` (`sgProvider()`); this placeholder says so. */
export function nativeProvider(): RecorderProvider {
  return unavailable('native', "not available from @openimapi/sdk itself: use sgProvider() from '@openimapi/native'");
}

/** USB burners over Bulk-Only Transport: not available until the USB backend exists. */
export function usbProvider(): RecorderProvider {
  return unavailable('usb', 'not available: the USB Bulk-Only Transport backend is not part of this SDK yet');
}

function unavailable(name: string, reason: string): RecorderProvider {
  return {
    name,
    availability: () => ({ available: false, reason }),
    list: async () => [],
    owns: () => false,
    open: () => Promise.reject(new TypeError(`${name}: ${reason}`)),
  };
}

export interface DiscMaster2Options {
  /** iSCSI portals to discover (`iscsi://[user:secret@]host[:port]`). */
  readonly portals?: readonly string[];
  /** Explicit recorder URLs. */
  readonly urls?: readonly string[];
  /** More sources (native, USB, custom). */
  readonly providers?: readonly RecorderProvider[];
  /** iSCSI session options (InitiatorName, CHAP, …) for every session this master opens. */
  readonly session?: IscsiSessionOptions;
  /** Options for the recorders it creates. */
  readonly recorder?: Omit<DiscRecorder2Options, 'open' | 'legacyDeviceNumber'>;
}

export interface DiscMaster2Events {
  deviceAdded: [uniqueId: string];
  deviceRemoved: [uniqueId: string];
}

export class DiscMaster2 extends EventEmitter<DiscMaster2Events> {
  readonly providers: readonly RecorderProvider[];
  private ids: string[] = [];
  private listed = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly opts: DiscMaster2Options;

  constructor(opts: DiscMaster2Options = {}) {
    super();
    this.opts = opts;
    const session = opts.session ?? {};
    this.providers = [
      ...(opts.urls?.length ? [iscsiUrlProvider(opts.urls, session)] : []),
      ...(opts.portals ?? []).map((p) => iscsiPortalProvider(p, session)),
      ...(opts.providers ?? []),
    ];
  }

  /** True when at least one configured source can work here. */
  get isSupportedEnvironment(): boolean {
    return this.providers.some((p) => p.availability().available);
  }

  /** Lists every source; emits deviceAdded/deviceRemoved against the previous listing. */
  async refresh(): Promise<string[]> {
    const next: string[] = [];
    for (const p of this.providers) {
      if (!p.availability().available) continue;
      for (const id of await p.list().catch(() => [])) if (!next.includes(id)) next.push(id);
    }
    const before = this.ids;
    this.ids = next;
    if (this.listed) {
      for (const id of next) if (!before.includes(id)) this.emit('deviceAdded', id);
      for (const id of before) if (!next.includes(id)) this.emit('deviceRemoved', id);
    }
    this.listed = true;
    return next.slice();
  }

  /** The unique ids (lists the sources on first use). */
  async recorders(): Promise<string[]> {
    if (!this.listed) await this.refresh();
    return this.ids.slice();
  }
  async count(): Promise<number> {
    return (await this.recorders()).length;
  }
  async item(index: number): Promise<string> {
    const ids = await this.recorders();
    if (!Number.isInteger(index) || index < 0 || index >= ids.length) throw new RangeError(`index must be 0..${ids.length - 1}, got ${index}`);
    return ids[index]!;
  }

  /** A recorder object for `uniqueId`, initialized. */
  async openRecorder(uniqueId: string): Promise<DiscRecorder2Ex> {
    const ids = await this.recorders();
    const rec = new DiscRecorder2Ex({ ...this.opts.recorder, open: (id) => this.open(id), legacyDeviceNumber: Math.max(0, ids.indexOf(uniqueId)) });
    await rec.initializeDiscRecorder(uniqueId);
    return rec;
  }

  /** Opens a transport for `uniqueId` through the provider that owns it (any iscsi:// URL works). */
  open(uniqueId: string): Promise<ScsiTransport> {
    const p = this.providers.find((x) => x.owns(uniqueId));
    if (p) return p.open(uniqueId);
    if (/^iscsi:\/\//i.test(uniqueId)) return IscsiSession.connect(uniqueId, this.opts.session ?? {});
    return Promise.reject(new TypeError(`uniqueId ${JSON.stringify(uniqueId)} belongs to no configured source`));
  }

  /** Refreshes every `ms` to raise deviceAdded/deviceRemoved; returns a stop function. */
  watch(ms = 5000): () => void {
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.refresh(), ms);
    this.timer.unref();
    return () => clearInterval(this.timer);
  }
}
