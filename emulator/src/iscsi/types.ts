/** Options and shared types of the iSCSI target. */
import type { LogicalUnit } from '../lun.js';

export type LogLevel = 'debug' | 'info' | 'warn';
export type Logger = (level: LogLevel, message: string) => void;

export interface ChapConfig {
  /** CHAP_N the initiator must present, and the secret it proves. */
  user: string;
  secret: string;
  /** Mutual CHAP: the name/secret the target answers the initiator's challenge with. */
  mutualUser?: string;
  mutualSecret?: string;
}

export interface TargetOptions {
  /** Listen address (127.0.0.1). */
  host?: string;
  /** TCP port (3260); 0 picks a free one. */
  port?: number;
  /** Target IQN (iqn.2026-11.org.openimapi:emulator). */
  iqn?: string;
  alias?: string;
  /** The logical units, LUN n = luns[n]. */
  luns: readonly LogicalUnit[];
  /** Require CHAP (else AuthMethod=None). */
  chap?: ChapConfig;
  /** Commands accepted ahead of ExpCmdSN: MaxCmdSN = ExpCmdSN + queueDepth - 1 (64). */
  queueDepth?: number;
  /** The target's MaxRecvDataSegmentLength (262144). */
  maxRecvDataSegmentLength?: number;
  /** Largest write (EDTL) collected for one command (64 MiB); bigger ones fail with a target failure. */
  maxWriteLength?: number;
  /** Idle time before a NOP-In ping (ms; 0 = never; default 30000), and how long to wait for its answer. */
  nopInterval?: number;
  nopTimeout?: number;
  /** Login must finish within this many ms (default 15000). */
  loginTimeout?: number;
  /** Target portal group tag (1). */
  tpgt?: number;
  /** Log sink (none by default). */
  logger?: Logger;
  /** Log each CDB at debug level. */
  logCdbs?: boolean;
  /**
   * Polling: keep the event loop polling the sockets (not sleeping) for this many µs after
   * the last input (0..100000; default 0 = off; the CLI's default is 50). Lowers the latency of one command in flight when the
   * initiator runs on another CPU, at the cost of that much CPU per pause. See poll.ts.
   */
  pollMicros?: number;
}

/** IscsiTarget.stats: what is held now, and normal sessions opened/lost since start. */
export interface TargetStats {
  readonly connections: number;
  readonly sessions: number;
  readonly tasks: number;
  readonly held: number;
  readonly sessionsOpened: number;
  readonly sessionsLost: number;
}

export const DEFAULT_IQN = 'iqn.2026-11.org.openimapi:emulator';
export const DEFAULT_PORT = 3260;
export const DEFAULT_HOST = '127.0.0.1';
