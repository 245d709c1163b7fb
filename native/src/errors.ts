/**
 * errno and sg_io_hdr status → ImapiError, for the SG_IO backend. Pure functions, no I/O.
 *
 *   open(2):   EBUSY (another O_EXCL holder, or a mounted block device) → E_IMAPI_RECORDER_LOCKED
 *              ENOENT / ENODEV / ENXIO                                  → HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)
 *              EACCES / EPERM                                           → E_FAIL naming the errno (the catalog
 *                                                                        has no E_ACCESSDENIED)
 *              ENOTTY (SG_GET_VERSION_NUM refused: not an SG_IO node)   → E_INVALIDARG
 *   SG_IO:     ENODEV / ENXIO (device detached mid-flight)              → ERROR_DEV_NOT_EXIST, disconnected
 *              ETIMEDOUT                                                → E_IMAPI_RECORDER_COMMAND_TIMEOUT
 *   anything else                                                       → E_FAIL naming the errno
 */
import { constants } from 'node:os';
import { ImapiError } from '@openimapi/sdk';

/** Linux host_status codes (DID_*, include/scsi/scsi_status.h) that this backend tells apart. */
export const HostStatus = {
  DID_OK: 0x00,
  DID_NO_CONNECT: 0x01,
  DID_BUS_BUSY: 0x02,
  DID_TIME_OUT: 0x03,
  DID_BAD_TARGET: 0x04,
  DID_ABORT: 0x05,
  DID_PARITY: 0x06,
  DID_ERROR: 0x07,
  DID_RESET: 0x08,
  DID_BAD_INTR: 0x09,
  DID_PASSTHROUGH: 0x0a,
  DID_SOFT_ERROR: 0x0b,
  DID_IMM_RETRY: 0x0c,
  DID_REQUEUE: 0x0d,
  DID_TRANSPORT_DISRUPTED: 0x0e,
  DID_TRANSPORT_FAILFAST: 0x0f,
} as const;

/** Linux driver_status: DRIVER_* codes in bits 2..0, DRIVER_SENSE (08h) a flag, suggestions in bits 7..4. */
export const DriverStatus = {
  DRIVER_OK: 0x00,
  DRIVER_BUSY: 0x01,
  DRIVER_SOFT: 0x02,
  DRIVER_MEDIA: 0x03,
  DRIVER_ERROR: 0x04,
  DRIVER_INVALID: 0x05,
  DRIVER_TIMEOUT: 0x06,
  DRIVER_HARD: 0x07,
  DRIVER_SENSE: 0x08,
} as const;

/** sg_io_hdr.info: SG_INFO_OK_MASK selects SG_INFO_CHECK (something in status/host/driver was non-zero). */
export const SG_INFO_OK_MASK = 0x1;
export const SG_INFO_CHECK = 0x1;

/** `EBUSY` for 16, `errno 999` for a number the platform does not name. */
export function errnoName(errno: number): string {
  for (const [name, value] of Object.entries(constants.errno)) if (value === errno) return name;
  return `errno ${errno}`;
}

interface ErrnoLike {
  errno?: unknown;
  message?: unknown;
}

function errnoOf(err: unknown): number | undefined {
  const n = (err as ErrnoLike | null)?.errno;
  return typeof n === 'number' ? n : undefined;
}

/** `EBUSY` for an error carrying errno 16, undefined for an error without an errno. */
export function errnoNameOf(err: unknown): string | undefined {
  const n = errnoOf(err);
  return n === undefined ? undefined : errnoName(n);
}

function describe(err: unknown): string {
  const n = errnoOf(err);
  const msg = typeof (err as ErrnoLike | null)?.message === 'string' ? String((err as ErrnoLike).message) : String(err);
  return n === undefined ? msg : `${errnoName(n)}: ${msg}`;
}

/** The error an open() of `path` failed with, as an ImapiError. */
export function openError(err: unknown, path: string): ImapiError {
  const name = errnoNameOf(err);
  const text = `cannot open ${path}: ${describe(err)}`;
  switch (name) {
    case 'EBUSY':
      return new ImapiError('E_IMAPI_RECORDER_LOCKED', `E_IMAPI_RECORDER_LOCKED (0xC0AA0210): ${path} is held by another open (O_EXCL; another process or another transport in this one) (${describe(err)})`, { cause: err });
    case 'ENOENT':
    case 'ENODEV':
    case 'ENXIO':
      return new ImapiError('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)', text, { cause: err });
    case 'ENOTTY':
      return new ImapiError('E_INVALIDARG', `${path} is not a SCSI generic device (SG_GET_VERSION_NUM refused: ${describe(err)})`, { cause: err });
    default:
      return new ImapiError('E_FAIL', text, { cause: err });
  }
}

/** The error an SG_IO ioctl failed with (it did not complete), as an ImapiError. */
export function ioctlError(err: unknown, path: string): ImapiError {
  const name = errnoNameOf(err);
  switch (name) {
    case 'ENODEV':
    case 'ENXIO':
      return lostError(`${path} went away (${describe(err)})`, err);
    case 'ETIMEDOUT':
      return new ImapiError('E_IMAPI_RECORDER_COMMAND_TIMEOUT', `SG_IO on ${path} timed out (${describe(err)})`, { cause: err });
    default:
      return new ImapiError('E_FAIL', `SG_IO on ${path} failed: ${describe(err)}`, { cause: err });
  }
}

export function lostError(why: string, cause?: unknown): ImapiError {
  return new ImapiError('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)', `the device is no longer available: ${why}`, {
    disconnected: true,
    ...(cause !== undefined ? { cause } : {}),
  });
}

export function closedError(path: string): ImapiError {
  return new ImapiError('HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)', `${path}: the transport is closed`);
}

export function cancelledError(): ImapiError {
  return new ImapiError('E_IMAPI_REQUEST_CANCELLED', undefined, { canceled: true });
}

/**
 * How an SG_IO that returned 0 ended:
 *   completed — the device returned a SCSI status (any status, CHECK CONDITION included);
 *   timeout   — the kernel's timeout fired and the command was aborted (DID_TIME_OUT / DRIVER_TIMEOUT);
 *   lost      — the target is gone (DID_NO_CONNECT, DID_BAD_TARGET);
 *   failed    — the host adapter or driver failed the command without a SCSI status.
 */
export type SgOutcome = 'completed' | 'timeout' | 'lost' | 'failed';

export function classifySgIo(out: { hostStatus: number; driverStatus: number }): SgOutcome {
  const driver = out.driverStatus & 0x07; // low 3 bits: DRIVER_* code; 08h is the DRIVER_SENSE flag
  if (out.hostStatus === HostStatus.DID_TIME_OUT || driver === DriverStatus.DRIVER_TIMEOUT) return 'timeout';
  if (out.hostStatus === HostStatus.DID_NO_CONNECT || out.hostStatus === HostStatus.DID_BAD_TARGET) return 'lost';
  if (out.hostStatus !== HostStatus.DID_OK) return 'failed';
  if (driver === DriverStatus.DRIVER_ERROR || driver === DriverStatus.DRIVER_INVALID || driver === DriverStatus.DRIVER_HARD) return 'failed';
  return 'completed';
}

/** `DID_RESET (08h)`. */
export function hostStatusName(code: number): string {
  const name = Object.entries(HostStatus).find(([, v]) => v === code)?.[0] ?? 'DID_?';
  return `${name} (${code.toString(16).padStart(2, '0')}h)`;
}
