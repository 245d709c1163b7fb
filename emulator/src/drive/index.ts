/**
 * The emulated MMC burner: `MmcDrive` (a LogicalUnit for the iSCSI target), its control plane, and
 * `createDrives`, the programmatic factory the CLI uses.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MmcDrive, type MmcDriveOptions } from './mmc-drive.js';
import type { MediaSource } from './media-source.js';
import type { DriveLogger } from './logger.js';
import { createMedium, isMediaKind, loadMedium, MEDIA_KINDS } from '../media/index.js';
import { TrayMemory } from './tray-memory.js';
import type { ItNexus } from '../lun.js';

export { MmcDrive, defaultDriveConfig, type MmcDriveOptions } from './mmc-drive.js';
export { Faults, FaultKinds, type FaultKind, type FaultSpec, type ArmedFault } from './faults.js';
export { startControlServer, type ControlServer } from './control-server.js';
export { silentLogger, stderrLogger, type DriveLogger } from './logger.js';
export type { MediaSource } from './media-source.js';
export type { DriveStateView } from './state-view.js';
export type { DriveConfig, DriveIdentity } from './types.js';
export { defaultCapabilities, type DriveCapabilities } from './capabilities.js';

/**
 * What the CLI wires between drives and their target: a drive's 'disconnect' (the device-gone fault,
 * or a command reaching a powered-off drive) drops the session of the nexus it names; a power-off
 * (no nexus) drops every session that has used the drive's LUN (`drives[n]` is LUN n). Sessions of
 * the other drives go on.
 */
export function dropSessionsWhenGone(target: { dropNexus(id: string, why: string): number; dropLun(lun: number, why: string): number }, drives: readonly MmcDrive[]): void {
  drives.forEach((d, lun) =>
    d.on('disconnect', (nexus?: ItNexus) => {
      if (nexus) target.dropNexus(nexus.id, `device gone: LUN ${lun} (fault injected)`);
      else target.dropLun(lun, `device gone: LUN ${lun} powered off`);
    }),
  );
}

export interface CreateDrivesOptions {
  /** Number of drives (LUNs), default 1. */
  count?: number;
  /**
   * Medium each drive starts with (`cd-r` by default; `none` for an empty closed tray): one kind for
   * every drive, or one per drive (a list as long as `count`).
   */
  media?: string | readonly string[];
  /** A saved disc or ISO/BIN image loaded into drive 0 instead of `media`. */
  load?: string;
  /** Where discs are kept (each drive in `drive<n>/`); in memory when absent. */
  dataDir?: string;
  /**
   * With `dataDir`: each drive starts as it was left — the disc it held (loaded again from its files)
   * or an open/empty tray, as `drive<n>/tray.json` recorded it — instead of a new `media` disc. A drive
   * with no record (or whose disc files are gone) gets `media`; `load` still wins for drive 0.
   */
  restore?: boolean;
  vendor?: string;
  product?: string;
  revision?: string;
  /** Serial of drive 0; later drives get a numeric suffix. */
  serial?: string;
  speedModel?: 'unlimited' | 'realistic';
  timeScale?: number;
  /**
   * Time a drive reports 02/04/01 BECOMING READY after a disc is loaded or the tray closed. Default: 0 in
   * the unlimited speed model; in the realistic one the time a drive takes to spin up and read the
   * disc's lead-in, REALISTIC_LOAD_MS divided by the time scale.
   */
  becomingReadyMs?: number;
  logger?: DriveLogger;
  /** Overrides the media factory (tests). */
  mediaSource?: (driveIndex: number) => MediaSource;
}

/** Spin-up and lead-in read after a load, as drives take it (ms of real time at time scale 1). */
export const REALISTIC_LOAD_MS = 2000;

/** The media module's factory, bound to a drive's data directory. */
export function defaultMediaSource(dataDir: string | undefined): MediaSource {
  return {
    kinds: () => MEDIA_KINDS,
    create: (kind: string) => {
      if (!isMediaKind(kind)) throw new TypeError(`media: unknown medium "${kind}" (one of ${MEDIA_KINDS.join(', ')}, none)`);
      return createMedium(kind, dataDir !== undefined ? { dataDir } : {});
    },
    open: (file: string) => loadMedium(file),
  };
}

export function createDrives(opts: CreateDrivesOptions = {}): MmcDrive[] {
  const count = opts.count ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 255) throw new TypeError(`count: ${count} is not 1..255`);
  const kinds = typeof opts.media === 'string' || opts.media === undefined ? Array<string>(count).fill(opts.media ?? 'cd-r') : [...opts.media];
  if (kinds.length !== count) throw new TypeError(`media: ${kinds.length} kinds for ${count} drives (give one, or one per drive)`);
  for (const k of kinds) if (k !== 'none' && !isMediaKind(k)) throw new TypeError(`media: unknown medium "${k}" (one of ${MEDIA_KINDS.join(', ')}, none)`);
  const drives: MmcDrive[] = [];
  for (let i = 0; i < count; i++) {
    const dir = opts.dataDir !== undefined ? join(opts.dataDir, `drive${i}`) : undefined;
    if (dir !== undefined) mkdirSync(dir, { recursive: true });
    const o: MmcDriveOptions = {
      index: i,
      media: opts.mediaSource ? opts.mediaSource(i) : defaultMediaSource(dir),
      ...(opts.vendor !== undefined ? { vendor: opts.vendor } : {}),
      ...(opts.product !== undefined ? { product: opts.product } : {}),
      ...(opts.revision !== undefined ? { revision: opts.revision } : {}),
      serial: `${opts.serial ?? 'EMU000000'}${i}`,
      ...(opts.speedModel !== undefined ? { speedModel: opts.speedModel } : {}),
      ...(opts.timeScale !== undefined ? { timeScale: opts.timeScale } : {}),
      ...(opts.becomingReadyMs !== undefined ? { becomingReadyMs: opts.becomingReadyMs }
        : opts.speedModel === 'realistic' ? { becomingReadyMs: REALISTIC_LOAD_MS / (opts.timeScale ?? 1) } : {}),
      ...(opts.logger !== undefined ? { logger: opts.logger } : {}),
    };
    const d = new MmcDrive(o);
    const media = kinds[i]!;
    const memory = dir !== undefined ? new TrayMemory(join(dir, 'tray.json'), d) : undefined;
    if (i === 0 && opts.load !== undefined) d.load({ file: opts.load });
    else if (!(opts.restore && memory?.restore())) {
      if (media !== 'none') d.load({ media });
    }
    memory?.record();
    drives.push(d);
  }
  return drives;
}
