/**
 * The compiled SG_IO addon: its typed surface and a lazy loader.
 *
 * The addon is looked for, in order, at `$OPENIMAPI_NATIVE_PATH` (a `.node` file; when set, nothing
 * else is tried), then `build/Release/openimapi_sg.node` and `build/Debug/openimapi_sg.node` in this
 * package. Nothing is loaded until a caller needs the addon, so importing this package never fails.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

/** Environment variable naming the addon file to load instead of this package's build. */
export const NATIVE_PATH_ENV = 'OPENIMAPI_NATIVE_PATH';

/** Data direction codes of `execute` (SG_DXFER_NONE / FROM_DEV / TO_DEV). */
export const AddonDirection = { none: 0, in: 1, out: 2 } as const;

/** The sg_io_hdr outputs of one SG_IO call. */
export interface SgIoOutput {
  /** SCSI status byte. */
  readonly status: number;
  /** Host adapter status (DID_*). */
  readonly hostStatus: number;
  /** Driver status (DRIVER_* with suggestion bits). */
  readonly driverStatus: number;
  /** sg_io_hdr.info: bit 0 set (SG_INFO_CHECK) when status, host or driver status is non-zero. */
  readonly info: number;
  /** dxfer_len minus the bytes actually transferred. */
  readonly resid: number;
  /** Sense bytes written (sb_len_wr). */
  readonly senseLength: number;
  /** Wall time of the ioctl. */
  readonly durationMs: number;
}

/** What the addon exports on Linux. */
export interface SgAddon {
  readonly platform: string;
  readonly supported: true;
  /** open(2) with O_RDWR|O_NONBLOCK (|O_EXCL) then SG_GET_VERSION_NUM; throws an errno Error. */
  open(path: string, exclusive: boolean): number;
  close(fd: number): void;
  /** One SG_IO on the libuv threadpool; `data` and `sense` are filled in place. */
  execute(fd: number, cdb: Buffer, direction: number, data: Buffer | null, timeoutMs: number, sense: Buffer): Promise<SgIoOutput>;
}

/** What the addon exports where SG_IO does not exist. */
export interface UnsupportedAddon {
  readonly platform: string;
  readonly supported: false;
}

/** The native backend cannot be used here; `reason` says why in one line. */
export class NativeUnavailableError extends Error {
  readonly reason: string;
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`@openimapi/native unavailable: ${reason}`, options);
    this.name = 'NativeUnavailableError';
    this.reason = reason;
  }
}

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Candidate addon files, first match wins. */
export function addonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const override = env[NATIVE_PATH_ENV];
  if (override !== undefined && override !== '') return [resolve(override)];
  return ['Release', 'Debug'].map((t) => join(packageRoot, 'build', t, 'openimapi_sg.node'));
}

/**
 * Loads an addon file and checks its shape. Throws NativeUnavailableError when the file is missing,
 * does not load, or is for a platform without SG_IO.
 */
export function loadAddonFrom(candidates: readonly string[], platform: string = process.platform): SgAddon {
  if (platform !== 'linux') throw new NativeUnavailableError(`SG_IO passthrough is not supported on ${platform}`);
  const file = candidates.find((c) => existsSync(c));
  if (file === undefined) {
    throw new NativeUnavailableError(`addon not built (looked for ${candidates.join(', ')}; run \`npm run build:addon -w native\`)`);
  }
  let mod: unknown;
  try {
    mod = require(file);
  } catch (e) {
    throw new NativeUnavailableError(`cannot load ${file}: ${(e as Error).message}`, { cause: e });
  }
  const m = mod as Partial<SgAddon> | UnsupportedAddon;
  if (m.supported === false) throw new NativeUnavailableError(`SG_IO passthrough is not supported on ${m.platform}`);
  if (typeof m.open !== 'function' || typeof m.close !== 'function' || typeof m.execute !== 'function') {
    throw new NativeUnavailableError(`${file} is not the openimapi SG_IO addon`);
  }
  return m as SgAddon;
}

let cached: { addon?: SgAddon; error?: NativeUnavailableError } | undefined;

/** The addon, loaded on first use and cached (as is the failure). */
export function loadAddon(): SgAddon {
  if (cached === undefined) {
    try {
      cached = { addon: loadAddonFrom(addonCandidates()) };
    } catch (e) {
      if (!(e instanceof NativeUnavailableError)) throw e;
      cached = { error: e };
    }
  }
  if (cached.error !== undefined) throw cached.error;
  return cached.addon!;
}

/** Whether the native backend can be used here, and if not, why. Never throws. */
export function nativeAvailability(): { available: true } | { available: false; reason: string } {
  try {
    loadAddon();
    return { available: true };
  } catch (e) {
    return { available: false, reason: e instanceof NativeUnavailableError ? e.reason : String(e) };
  }
}
