/**
 * The iSCSI target: a TCP listener serving one target IQN whose LUN n is `luns[n]`. Each connection is
 * its own session (MaxConnections=1); many sessions run at once and a failure in one never touches
 * another. The I_T nexus (initiator name + ISID) goes to the logical unit with each command, and
 * `nexusLost` when the session ends.
 */
import net from 'node:net';
import type { LogicalUnit, ItNexus } from '../lun.js';
import { IscsiConnection } from './connection.js';
import { Poller } from './poll.js';
import { DEFAULT_HOST, DEFAULT_IQN, DEFAULT_PORT, type ChapConfig, type Logger, type LogLevel, type TargetOptions, type TargetStats } from './types.js';

export class IscsiTarget {
  readonly iqn: string;
  readonly alias: string | undefined;
  readonly tpgt: number;
  readonly chap: ChapConfig | undefined;
  readonly queueDepth: number;
  readonly maxRecvDataSegmentLength: number;
  readonly maxWriteLength: number;
  readonly nopInterval: number;
  readonly nopTimeout: number;
  readonly loginTimeout: number;
  readonly logCdbs: boolean;
  /** `pollMicros` of the options: touched by every connection's input. */
  readonly poller: Poller;
  private readonly luns: readonly LogicalUnit[];
  private readonly logger: Logger | undefined;
  private readonly server: net.Server;
  private readonly conns = new Set<IscsiConnection>();
  private nextConnId = 1;
  private opened = 0;
  private lost = 0;
  private nextTsih = 1;
  private listenHost: string;
  private listenPort: number;

  constructor(opts: TargetOptions) {
    this.iqn = opts.iqn ?? DEFAULT_IQN;
    this.alias = opts.alias;
    this.tpgt = opts.tpgt ?? 1;
    this.chap = opts.chap;
    this.queueDepth = opts.queueDepth ?? 64;
    this.maxRecvDataSegmentLength = opts.maxRecvDataSegmentLength ?? 262144;
    this.maxWriteLength = opts.maxWriteLength ?? 64 * 1024 * 1024;
    this.nopInterval = opts.nopInterval ?? 30000;
    this.nopTimeout = opts.nopTimeout ?? 30000;
    this.loginTimeout = opts.loginTimeout ?? 15000;
    this.logCdbs = opts.logCdbs ?? false;
    this.poller = new Poller(opts.pollMicros ?? 0);
    this.luns = opts.luns;
    this.logger = opts.logger;
    this.listenHost = opts.host ?? DEFAULT_HOST;
    this.listenPort = opts.port ?? DEFAULT_PORT;
    if (this.queueDepth < 1 || this.queueDepth > 0x10000) throw new TypeError(`queueDepth ${this.queueDepth} outside 1..65536`);
    if (!/^(iqn\.\d{4}-\d{2}\.[^\s]+|eui\.[0-9A-Fa-f]{16}|naa\.[0-9A-Fa-f]{16,32})$/.test(this.iqn)) throw new TypeError(`iqn "${this.iqn}" is not an iSCSI name`);
    this.server = net.createServer((s) => this.accept(s));
    this.server.on('error', (e) => this.log('warn', `listener: ${e.message}`));
  }

  /** Starts listening; resolves with the bound address. */
  listen(): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      const onErr = (e: Error) => reject(e);
      this.server.once('error', onErr);
      this.server.listen(this.listenPort, this.listenHost, () => {
        this.server.off('error', onErr);
        const a = this.server.address() as net.AddressInfo;
        this.listenPort = a.port;
        resolve({ host: this.listenHost, port: a.port });
      });
    });
  }

  get host(): string {
    return this.listenHost;
  }
  get port(): number {
    return this.listenPort;
  }
  get lunCount(): number {
    return this.luns.length;
  }
  /** `iscsi://HOST:PORT/IQN/LUN` of every LUN. */
  get urls(): string[] {
    const h = this.listenHost.includes(':') ? `[${this.listenHost}]` : this.listenHost;
    return this.luns.map((_, i) => `iscsi://${h}:${this.listenPort}/${this.iqn}/${i}`);
  }
  /** Open connections (any phase). */
  get connectionCount(): number {
    return this.conns.size;
  }

  /**
   * What the target holds right now and has seen so far, to prove that nothing leaks: open
   * connections, normal sessions in full feature phase, tasks (running or collecting Data-Out) and
   * commands held for CmdSN order; normal sessions opened and lost (reported to the LUNs) since start.
   */
  get stats(): TargetStats {
    let sessions = 0;
    let tasks = 0;
    let held = 0;
    for (const c of this.conns) {
      if (c.phase === 'full-feature' && !c.discovery) sessions++;
      tasks += c.taskCount;
      held += c.heldCount;
    }
    return { connections: this.conns.size, sessions, tasks, held, sessionsOpened: this.opened, sessionsLost: this.lost };
  }

  lun(n: number): LogicalUnit | undefined {
    return n >= 0 ? this.luns[n] : undefined;
  }

  log(level: LogLevel, msg: string): void {
    this.logger?.(level, msg);
  }

  allocateTsih(): number {
    const t = this.nextTsih;
    this.nextTsih = this.nextTsih >= 0xffff ? 1 : this.nextTsih + 1;
    return t;
  }

  /** The address for SendTargets: the local address the initiator reached us on. */
  advertisedAddress(s: net.Socket): string {
    const a = s.localAddress ?? this.listenHost;
    const host = a.startsWith('::ffff:') ? a.slice(7) : a;
    return `${host.includes(':') ? `[${host}]` : host}:${s.localPort ?? this.listenPort}`;
  }

  private accept(s: net.Socket): void {
    const c = new IscsiConnection(this, s, this.nextConnId++);
    this.conns.add(c);
    this.log('debug', `[conn ${c.id}] accepted from ${s.remoteAddress}:${s.remotePort}`);
  }

  /** A normal session reached full feature phase: reinstate (end) an older session of the same nexus. */
  sessionUp(c: IscsiConnection): void {
    this.opened++;
    for (const other of [...this.conns]) {
      if (other !== c && other.nexus?.id === c.nexus?.id && other.phase !== 'closed' && !other.discovery) {
        other.close('session reinstated by a new login of the same initiator and ISID');
      }
    }
  }

  connectionClosed(c: IscsiConnection, sessionWasUp: boolean): void {
    this.conns.delete(c);
    if (sessionWasUp && c.nexus) {
      this.lost++;
      this.nexusLost(c.nexus);
    }
  }

  private nexusLost(n: ItNexus): void {
    for (const lu of this.luns) {
      try {
        lu.nexusLost(n);
      } catch (e) {
        this.log('warn', `nexusLost threw: ${(e as Error).message}`);
      }
    }
  }

  /** Aborts tasks on the selected LUNs in every session. */
  abortEverywhere(lunFilter: (lun: number) => boolean): void {
    for (const c of this.conns) c.abortLuns(lunFilter);
  }

  resetAll(kind: 'lun-reset' | 'target-warm-reset', by: ItNexus): void {
    for (const lu of this.luns) lu.reset(kind, by);
  }

  /** Drops every connection (TARGET COLD RESET). */
  dropAll(why: string): void {
    for (const c of [...this.conns]) c.shutdown(why);
  }

  /** Drops the session(s) of one I_T nexus (`ItNexus.id`); returns how many. Every other session goes on. */
  dropNexus(nexusId: string, why: string): number {
    return this.dropWhere((c) => c.nexus?.id === nexusId, why);
  }

  /**
   * Drops every session that has sent a command to LUN `lun` (an I_T_L nexus): the device behind it
   * is gone. Sessions that never addressed it go on. Returns how many were dropped.
   */
  dropLun(lun: number, why: string): number {
    return this.dropWhere((c) => c.lunsAddressed.has(lun), why);
  }

  private dropWhere(which: (c: IscsiConnection) => boolean, why: string): number {
    let n = 0;
    for (const c of [...this.conns]) {
      if (c.discovery || c.phase === 'closed' || !which(c)) continue;
      c.shutdown(why);
      n++;
    }
    return n;
  }

  /** Stops listening, drops every connection and closes the logical units. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const c of [...this.conns]) c.close('target shutting down');
    });
    for (const lu of this.luns) await lu.close?.();
  }
}

export interface StartedTarget {
  readonly host: string;
  readonly port: number;
  readonly iqn: string;
  readonly urls: string[];
  readonly target: IscsiTarget;
  close(): Promise<void>;
}

/** Starts a target and waits until it listens. */
export async function startTarget(opts: TargetOptions): Promise<StartedTarget> {
  const t = new IscsiTarget(opts);
  const { host, port } = await t.listen();
  return { host, port, iqn: t.iqn, urls: t.urls, target: t, close: () => t.close() };
}
