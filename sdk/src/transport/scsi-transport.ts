/**
 * ScsiTransport: the seam between the IMAPI2 objects and a drive. Backends: the iSCSI initiator, the
 * native SG_IO addon, USB Bulk-Only Transport, and an in-process transport that runs the emulator's
 * drive core with no socket (unit tests only).
 *
 * Contract every backend keeps:
 *
 * - `execute(request)` sends one CDB. It resolves when the device completed the command with any
 *   SCSI status: GOOD, CHECK CONDITION (with `sense`), RESERVATION CONFLICT, BUSY, ... A status is not
 *   an exception; interpreting it (sense → HRESULT) is the caller's job (`interpretScsiStatus`).
 *
 * - It rejects only when the command did not complete:
 *     - timeout: `timeoutMs` elapsed without completion. The backend aborts the command at the device
 *       (iSCSI ABORT TASK, SG_IO's own timeout, BOT reset recovery) and rejects with ImapiError
 *       E_IMAPI_RECORDER_COMMAND_TIMEOUT (0xC0AA020D). The device is usable afterwards unless the
 *       abort itself failed, in which case the transport is closed (see "lost").
 *     - cancellation: `signal` aborted before completion. The backend aborts the command as for a
 *       timeout and rejects with ImapiError E_IMAPI_REQUEST_CANCELLED (0xC0AA0002), `canceled: true`.
 *       A signal already aborted rejects at once without sending anything.
 *     - lost: the connection or device went away (TCP reset, logout by the target, ENODEV, USB
 *       detach). Every outstanding command and every later one rejects with ImapiError
 *       HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST) (0x80070037), `disconnected: true`. The transport
 *       emits no further results; `closed` becomes true.
 *     - after `close()`: rejects with HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) (0x80070006).
 *     - protocol failure: the transport's own framing broke so the command's outcome is unknown (a
 *       USB BOT phase error or an invalid CSW). The backend resynchronizes with the device (BOT
 *       reset recovery) and rejects with E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE (0xC0AA02FF);
 *       if resynchronizing fails the device counts as lost.
 *     - locked: a backend with its own lock (`lock`, below) rejects with ImapiError
 *       E_IMAPI_RECORDER_LOCKED (0xC0AA0210) while another holder has the device, without sending.
 *     - a malformed request (CDB of 0 or >16 bytes, dataOut with direction 'in', negative lengths):
 *       TypeError naming the parameter, before anything is sent.
 *
 * - Data in: `dataIn` holds what the device returned, at most `dataInLength` bytes.
 *   `residual` = `dataInLength − dataIn.length` for an underflow (device sent less: normal for MMC
 *   replies shorter than the allocation length). `overflow` = bytes the device had beyond
 *   `dataInLength` (it was cut), 0 when unknown or none. For data out, `residual` counts bytes of
 *   `dataOut` the device did not take.
 *
 * - Commands may be outstanding concurrently; a backend that cannot queue serializes them itself.
 *   Results come back per command, in any order.
 *
 * - `adapter` (optional) describes the path to the device the way Windows' STORAGE_ADAPTER_DESCRIPTOR
 *   does (IDiscRecorder2Ex::GetAdapterDescriptor and the transfer-size queries read it). A backend
 *   without one gets `DEFAULT_ADAPTER_INFO`.
 */
import type { DataDirection } from '../scsi/codec.js';
import { ImapiError } from '../errors/imapi-error.js';

export interface ScsiRequest {
  /** 6, 10, 12 or 16 bytes. */
  readonly cdb: Uint8Array;
  readonly direction: DataDirection;
  /** Data to send, for direction 'out'. */
  readonly dataOut?: Uint8Array;
  /** Bytes the host can receive, for direction 'in' (the expected data transfer length). */
  readonly dataInLength?: number;
  /** Milliseconds before the command is aborted and rejected with COMMAND_TIMEOUT. */
  readonly timeoutMs: number;
  /** Aborts the command; the promise rejects with E_IMAPI_REQUEST_CANCELLED. */
  readonly signal?: AbortSignal;
}

export interface ScsiResult {
  /** SCSI status byte (ScsiStatus). */
  readonly status: number;
  /** Sense bytes when status is CHECK CONDITION (autosense), else empty. */
  readonly sense: Buffer;
  /** Data from the device, for direction 'in'. */
  readonly dataIn: Buffer;
  /** Underflow: bytes expected but not transferred. */
  readonly residual: number;
  /** Overflow: bytes the device had beyond the expected length. */
  readonly overflow: number;
}

/** STORAGE_BUS_TYPE values (Windows ntddstor.h) the backends report. */
export const StorageBusType = { UNKNOWN: 0x00, SCSI: 0x01, ATAPI: 0x02, ATA: 0x03, USB: 0x07, ISCSI: 0x09, SAS: 0x0a, SATA: 0x0b, VIRTUAL: 0x0e } as const;

export interface TransportAdapterInfo {
  /** STORAGE_BUS_TYPE (`StorageBusType`). */
  readonly busType: number;
  /** Largest data transfer of one command the path carries, in bytes. */
  readonly maxTransferLength: number;
  /** Buffer alignment the path needs, as a mask (0: any address). */
  readonly alignmentMask: number;
  /** Several commands may be outstanding at once. */
  readonly commandQueueing: boolean;
}

/** What a backend that says nothing is assumed to be: 64 KiB per command, no alignment, no queueing. */
export const DEFAULT_ADAPTER_INFO: TransportAdapterInfo = Object.freeze({ busType: StorageBusType.UNKNOWN, maxTransferLength: 65536, alignmentMask: 0, commandQueueing: false });

/**
 * A lock the transport provides itself, for a drive local to this host that other processes reach
 * through the OS (SG_IO: an O_EXCL open of the device node). Every process on one host reaches such a
 * drive through the same I_T nexus, so a SCSI reservation cannot tell them apart; when a transport has
 * a `lock`, exclusive access (recorder/exclusive-access.ts) takes it instead of a reservation.
 */
export interface TransportLock {
  /** Takes the device for this transport alone; rejects with E_IMAPI_RECORDER_LOCKED when another holder has it. */
  acquire(clientName: string): Promise<void>;
  /** Gives the device back; no effect when this transport does not hold it. */
  release(): Promise<void>;
  /** Who holds the device: '' when nobody does, else the holder's clientName or a description of the holding process. */
  owner(): Promise<string>;
}

export interface ScsiTransport {
  /** Stable identity of the device behind this transport (e.g. `iscsi://host:port/iqn/lun`). */
  readonly id: string;
  /** The path to the device (default `DEFAULT_ADAPTER_INFO`). */
  readonly adapter?: TransportAdapterInfo;
  /** True after close() or once the connection is lost. */
  readonly closed: boolean;
  /** The transport's own device lock, when the device is local (see TransportLock); absent for iSCSI. */
  readonly lock?: TransportLock;
  /**
   * Optional: a second, independent connection to the same logical unit, which the device sees as
   * another initiator named `initiatorName` (iSCSI: a new session with that InitiatorName and a fresh
   * ISID, the same portal, target, LUN and credentials). The exclusive-access lock uses it to leave the
   * holder's client name where other clients can read it (see recorder/owner-tag.ts). Transports whose
   * devices have one initiator (SG_IO, USB) leave it out.
   */
  connectAs?(initiatorName: string): Promise<ScsiTransport>;
  execute(request: ScsiRequest): Promise<ScsiResult>;
  /** Ends the connection (iSCSI logout, close the fd). Outstanding commands reject as lost. */
  close(): Promise<void>;
}

/** Checks a request's shape; throws TypeError naming the bad parameter. Backends call it first. */
export function validateScsiRequest(req: ScsiRequest): void {
  if (!(req.cdb instanceof Uint8Array) || req.cdb.length < 6 || req.cdb.length > 16) {
    throw new TypeError('cdb must be a Uint8Array of 6 to 16 bytes');
  }
  if (req.direction !== 'none' && req.direction !== 'in' && req.direction !== 'out') {
    throw new TypeError(`direction must be 'none', 'in' or 'out', got ${String(req.direction)}`);
  }
  if (req.direction === 'out' && !(req.dataOut instanceof Uint8Array)) throw new TypeError("dataOut must be a Uint8Array for direction 'out'");
  if (req.direction !== 'out' && req.dataOut !== undefined) throw new TypeError(`dataOut given for direction '${req.direction}'`);
  if (req.direction === 'in' && (!Number.isInteger(req.dataInLength) || req.dataInLength! < 0)) {
    throw new TypeError("dataInLength must be a non-negative integer for direction 'in'");
  }
  if (!Number.isFinite(req.timeoutMs) || req.timeoutMs <= 0) throw new TypeError('timeoutMs must be a positive number');
}

/** The contract's rejections, shared by the backends. */
export function transportLostError(what = 'connection lost'): ImapiError {
  return new ImapiError('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)', `the device is no longer available (${what})`, { disconnected: true });
}
export function transportClosedError(): ImapiError {
  return new ImapiError('HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)', 'transport is closed');
}
export function requestCancelledError(): ImapiError {
  return new ImapiError('E_IMAPI_REQUEST_CANCELLED', undefined, { canceled: true });
}
export function commandTimeoutError(cdb: Uint8Array, timeoutMs: number): ImapiError {
  return new ImapiError('E_IMAPI_RECORDER_COMMAND_TIMEOUT', `command 0x${(cdb[0] ?? 0).toString(16)} timed out after ${timeoutMs} ms`);
}
