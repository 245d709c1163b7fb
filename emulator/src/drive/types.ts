/**
 * Shapes shared by the drive's handler modules: the command context a handler gets and the handler
 * signature. A handler decodes its CDB with the sdk codec, validates everything, and only then
 * changes the drive (through `DriveState` or the `Medium`). It returns the data-in bytes (already cut
 * to the CDB's allocation length) or nothing; a failure is a thrown `CheckCondition`.
 */
import type { ItNexus, LunCommand } from '../lun.js';
import type { DriveState } from './state.js';
import type { DriveLogger } from './logger.js';
import type { ModePages } from './mode-pages.js';
import type { Faults } from './faults.js';
import type { MediaSource } from './media-source.js';
import type { DriveCapabilities } from './capabilities.js';

export interface DriveIdentity {
  /** T10 VENDOR IDENTIFICATION, up to 8 ASCII characters. */
  readonly vendor: string;
  /** PRODUCT IDENTIFICATION, up to 16. */
  readonly product: string;
  /** PRODUCT REVISION LEVEL, up to 4. */
  readonly revision: string;
  /** Unit serial number (VPD 80h). */
  readonly serial: string;
}

export interface DriveConfig extends DriveIdentity {
  /** 'unlimited': as fast as the host feeds; 'realistic': operations take the time a real drive takes. */
  readonly speedModel: 'unlimited' | 'realistic';
  /** Divides realistic durations (2 = twice as fast as real). */
  readonly timeScale: number;
  /** Becoming-ready window after a load, ms of real time. */
  readonly becomingReadyMs: number;
}

/** What the drive exposes to its handlers. */
export interface DriveCore {
  readonly config: DriveConfig;
  /** What the drive can record now (capabilities.ts; the control plane may switch some off). */
  readonly capabilities: DriveCapabilities;
  readonly state: DriveState;
  readonly modes: ModePages;
  readonly faults: Faults;
  readonly media: MediaSource;
  readonly logger: DriveLogger;
  /** Realistic duration of an operation that would take `ms` on a real drive (0 when unlimited). */
  realTime(ms: number): number;
  /** Waits `ms` on the drive's clock (resolves at once for ms ≤ 0 or an aborted `signal`). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface CommandContext {
  readonly drive: DriveCore;
  readonly state: DriveState;
  readonly cmd: LunCommand;
  readonly cdb: Buffer;
  readonly nexus: ItNexus;
  /** Adds fields (lba, blocks, ...) to the command's debug log line. */
  note(fields: Record<string, unknown>): void;
  /**
   * A buffer of `size` bytes for the command's data-in, from the drive's pool: it goes back to the
   * pool once the transport has sent the reply (or when the command fails). Its old contents are
   * garbage: the handler overwrites all of it. One per command.
   */
  dataInBuffer(size: number): Buffer;
}

export type Handler = (ctx: CommandContext) => Buffer | undefined | void | Promise<Buffer | undefined | void>;

/** Data-in cut to the CDB's allocation length. */
export function upTo(data: Buffer, allocationLength: number): Buffer {
  return data.length > allocationLength ? data.subarray(0, allocationLength) : data;
}
