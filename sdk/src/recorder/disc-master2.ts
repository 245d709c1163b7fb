/**
 * DiscMaster2 (IDiscMaster2): the list of recorders this process can reach, from configured sources.
 *
 * Sources are providers (`RecorderProvider`): each lists unique ids and opens a transport for one.
 * - `iscsiPortalProvider(portal)`: SendTargets on the portal, then for each target REPORT LUNS and
 *   INQUIRY on each LUN; LUNs of peripheral device type 05h (CD/DVD) are recorders.
 * - `iscsiUrlProvider(urls)`: explicit `iscsi://host:port/iqn/lun` URLs, listed as given.
 * - `nativeProvider()`: this host's drives through `@openimapi/native` (Linux SG_IO), loaded lazily on
 *   the first listing; without the package, or where its addon cannot load, it is unavailable (with
 *   the reason) and lists nothing. It is that package's `sgProvider()`: ids `sg:/dev/sgN`; several
 *   clients may open a drive, and acquireExclusiveAccess is an O_EXCL open that shuts every other
 *   client (in any process) out until it is released or its process ends.
 * - `usbProvider()`: USB burners over Bulk-Only Transport (the optional `usb` package, loaded on
 *   first use): every device with a class 08h / subclass 02h|06h / protocol 50h interface, as
 *   `usb:VVVV:PPPP[:SERIAL]` (`/LUN` appended opens another LUN). Listing reads descriptors only.
 *   `open()` also opens any `usb:` id without a configured USB source.
 * - Any other source (a lab's own) is a `RecorderProvider` given in `providers`: DiscMaster2 needs
 *   nothing else from it.
 * Which sources: `portals`, `urls` and `providers` as given; the native and USB sources too when
 * `local` is true, which is the default when no portals, urls or providers are given (so `new DiscMaster2()` lists
 * this host's drives, as IMAPI2's does).
 *
 * Unique ids are stable: for iSCSI the canonical URL (`iscsi://host:port/<iqn>/<lun>`), without
 * credentials. A source that cannot be listed (portal down) lists nothing that time.
 *
 * `refresh()` re-lists every source and emits deviceAdded / deviceRemoved for the differences — the
 * only way an iSCSI portal or sysfs can tell (neither has hot-plug events here); `watch(ms)`
 * refreshes periodically.
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { IscsiSession, type IscsiSessionOptions } from '../initiator/session.js';
import { sendTargets } from '../initiator/discovery.js';
import { formatIscsiUrl, parseIscsiUrl } from '../initiator/url.js';
import type { ScsiTransport } from '../transport/scsi-transport.js';
import { ScsiDevice } from '../device/scsi-device.js';
import { encodeReportLunsCdb, decodeReportLunsReply, SelectReport } from '../scsi/commands/report-luns.js';
import { encodeInquiryCdb, decodeInquiryReply, PeripheralDeviceType, PeripheralQualifier } from '../scsi/commands/inquiry.js';
import { DiscRecorder2Ex } from './disc-recorder2-ex.js';
import { listBotDeviceIds, openUsbBot, usbPackageAvailability, type WebUsbLike } from '../transport/usb/index.js';
import type { DiscRecorder2Options } from './disc-recorder2.js';

export interface RecorderProvider {
  readonly name: string;
  /** Whether this source can work in this environment, and why not (cheap; may change after a listing). */
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
      const targets = await sendTargets(portal, {
        ...(session.initiatorName ? { initiatorName: session.initiatorName } : {}),
        ...(session.chap ? { chap: session.chap } : {}),
        ...(session.mutualChap ? { mutualChap: session.mutualChap } : {}),
      });
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

/** What the native source uses of `@openimapi/native` (typed here: the SDK does not depend on it). */
export interface NativeBackend {
  nativeAvailability(): { available: true } | { available: false; reason: string };
  /** The package's DiscMaster2 source (native/src/provider.ts). */
  sgProvider(): RecorderProvider;
}

/** USB burners over Bulk-Only Transport (`webusb`: a WebUSB object; default the `usb` package's). */
export function usbProvider(opts: { webusb?: WebUsbLike } = {}): RecorderProvider {
  return {
    name: 'usb',
    availability: () => (opts.webusb ? { available: true } : usbPackageAvailability()),
    list: () => listBotDeviceIds(opts.webusb),
    owns: (id) => /^usb:/i.test(id),
    open: (id) => openUsbBot(id, opts.webusb ? { webusb: opts.webusb } : {}),
  };
}

export const NATIVE_PACKAGE = '@openimapi/native';
const SG_PREFIX = 'sg:';

function nativeInstalled(): { available: boolean; reason?: string } {
  try {
    createRequire(import.meta.url).resolve(NATIVE_PACKAGE);
    return { available: true };
  } catch {
    return { available: false, reason: `${NATIVE_PACKAGE} is not installed` };
  }
}

/**
 * This host's drives through `@openimapi/native`. `load` replaces the package import (tests).
 * Availability: the package is installed; after the first listing, also that its addon loads here.
 */
export function nativeProvider(opts: { load?: () => Promise<NativeBackend> } = {}): RecorderProvider {
  const load = opts.load ?? (() => import(NATIVE_PACKAGE as string) as Promise<NativeBackend>);
  let state: { available: boolean; reason?: string } | undefined = opts.load ? { available: true } : undefined;
  let backend: Promise<RecorderProvider> | undefined;
  const get = async (): Promise<RecorderProvider | undefined> => {
    if ((state ??= nativeInstalled()).available === false) return undefined;
    try {
      const b = await (backend ??= load().then((m) => m.sgProvider()));
      const a = b.availability();
      state = a.available ? { available: true } : { available: false, reason: a.reason ?? 'unavailable' };
      return a.available ? b : undefined;
    } catch (e) {
      state = { available: false, reason: `${NATIVE_PACKAGE} failed to load: ${(e as Error).message}` };
      return undefined;
    }
  };
  return {
    name: 'native',
    availability: () => (state ??= nativeInstalled()),
    owns: (id) => id.startsWith(SG_PREFIX),
    async list() {
      const b = await get();
      return b ? b.list() : [];
    },
    async open(id) {
      const b = await get();
      if (!b) throw new TypeError(`native: ${state?.reason ?? 'not available'}`);
      return b.open(id);
    },
  };
}

export interface DiscMaster2Options {
  /** iSCSI portals to discover (`iscsi://[user:secret@]host[:port]`). */
  readonly portals?: readonly string[];
  /** Explicit recorder URLs. */
  readonly urls?: readonly string[];
  /** More sources (USB, custom): any `RecorderProvider`. */
  readonly providers?: readonly RecorderProvider[];
  /**
   * Include this host's drives (`nativeProvider()` and `usbProvider()`); default true when no portals,
   * urls or providers are given.
   */
  readonly local?: boolean;
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
  private refreshing: Promise<string[]> | undefined;
  private readonly opts: DiscMaster2Options;

  constructor(opts: DiscMaster2Options = {}) {
    super();
    this.opts = opts;
    const session = opts.session ?? {};
    this.providers = [
      ...(opts.urls?.length ? [iscsiUrlProvider(opts.urls, session)] : []),
      ...(opts.portals ?? []).map((p) => iscsiPortalProvider(p, session)),
      ...(opts.providers ?? []),
      ...((opts.local ?? !(opts.portals?.length || opts.urls?.length || opts.providers?.length)) ? [nativeProvider(), usbProvider()] : []),
    ];
  }

  /** True when at least one configured source can work here. */
  get isSupportedEnvironment(): boolean {
    return this.providers.some((p) => p.availability().available);
  }

  /**
   * Lists every source; emits deviceAdded/deviceRemoved against the previous listing. A refresh
   * asked for while one runs shares its result (the watch timer never overlaps listings).
   */
  refresh(): Promise<string[]> {
    this.refreshing ??= this.list().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async list(): Promise<string[]> {
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
    if (/^usb:/i.test(uniqueId)) return openUsbBot(uniqueId);
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
