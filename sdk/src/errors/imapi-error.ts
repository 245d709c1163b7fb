import { formatHResult, hresultMessage, hresultName, hresultValue, type HResultName } from './hresult.js';
import type { SenseData } from '../wire/sense.js';

export interface ImapiErrorOptions {
  /** Sense data, when the error came from a drive's CHECK CONDITION. */
  sense?: SenseData;
  /** SCSI status, when the error came from a drive. */
  scsiStatus?: number;
  /** The operation was cancelled (by cancelWrite, an AbortSignal, ...). */
  canceled?: boolean;
  /** The device or connection is gone. */
  disconnected?: boolean;
  cause?: unknown;
}

/**
 * An IMAPI2 failure: carries the exact unsigned HRESULT and its catalog name, and where the drive
 * caused it, the sense data. `canceled` and `disconnected` are flags callers can test.
 */
export class ImapiError extends Error {
  readonly hresult: number;
  /** Catalog name of the HRESULT (`E_IMAPI_RECORDER_LOCKED`), or its hex form if not in the catalog. */
  readonly hresultName: string;
  readonly sense: SenseData | undefined;
  readonly scsiStatus: number | undefined;
  readonly canceled: boolean;
  readonly disconnected: boolean;

  constructor(hr: number | HResultName, message?: string, opts: ImapiErrorOptions = {}) {
    const value = typeof hr === 'number' ? hr >>> 0 : hresultValue(hr);
    super(message ?? `${formatHResult(value)}: ${hresultMessage(value)}`, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = 'ImapiError';
    this.hresult = value;
    this.hresultName = hresultName(value) ?? formatHResult(value);
    this.sense = opts.sense;
    this.scsiStatus = opts.scsiStatus;
    this.canceled = opts.canceled ?? false;
    this.disconnected = opts.disconnected ?? false;
  }

  /** True when `err` is an ImapiError with the given HRESULT (name or value). */
  static is(err: unknown, hr: number | HResultName): err is ImapiError {
    if (!(err instanceof ImapiError)) return false;
    return err.hresult === (typeof hr === 'number' ? hr >>> 0 : hresultValue(hr));
  }
}

/** Throws `E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE` naming what was wrong. */
export function invalidResponse(what: string): never {
  throw new ImapiError('E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE', `E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE (0xC0AA02FF): ${what}`);
}
