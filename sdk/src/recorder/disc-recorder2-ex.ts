/**
 * DiscRecorder2Ex (IDiscRecorder2Ex): raw command pass-through and the structured queries.
 *
 * Pass-through results follow IMAPI2: a command that ends in CHECK CONDITION is not a failure of the
 * call — it resolves with `hresult` S_IMAPI_COMMAND_HAS_SENSE_DATA (0x00AA0200) and the 18-byte
 * sense buffer filled in (fixed format, as the drive sent it, cut or zero-padded to 18). GOOD gives
 * S_OK and 18 zero bytes. Other statuses and transport failures reject as usual (RESERVATION
 * CONFLICT → E_IMAPI_RECORDER_LOCKED, timeout → E_IMAPI_RECORDER_COMMAND_TIMEOUT, …). Unit
 * attentions are returned as sense like any other, not retried: the caller sent a raw command.
 */
import { DiscRecorder2 } from './disc-recorder2.js';
import { HResult } from '../errors/hresult.js';
import { ScsiStatus } from '../wire/sense.js';
import { interpretScsiStatus } from '../errors/sense-map.js';
import type { ScsiResult } from '../transport/scsi-transport.js';
import { encodeReadDiscInformationCdb, decodeDiscInformationReply, DiscInformationDataType, type DiscInformationDecoded } from '../scsi/commands/read-disc-information.js';
import { encodeReadTrackInformationCdb, decodeTrackInformationReply, type TrackInformationDecoded } from '../scsi/commands/read-track-information.js';
import { encodeModeSelect10Cdb, encodeModeSelect10Parameters } from '../scsi/commands/mode-select-10.js';
import type { ModePage } from '../scsi/commands/mode-parameters.js';
import { ModePageRequestType } from './disc-recorder2.js';

export const SENSE_BUFFER_LENGTH = 18;

export interface PassThroughResult {
  /** S_OK (0) or S_IMAPI_COMMAND_HAS_SENSE_DATA (0x00AA0200). */
  readonly hresult: number;
  /** 18 bytes: the sense data when hresult is S_IMAPI_COMMAND_HAS_SENSE_DATA, else zeros. */
  readonly senseBuffer: Buffer;
  /** Data returned (sendCommandGetDataFromDevice). */
  readonly data: Buffer;
  /** Bytes transferred in or out. */
  readonly bytesTransferred: number;
}

function checkCdb(cdb: Uint8Array): void {
  if (!(cdb instanceof Uint8Array) || cdb.length < 6 || cdb.length > 16) throw new TypeError('cdb must be a Uint8Array of 6 to 16 bytes');
}
function checkTimeout(timeoutSeconds: number): number {
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new TypeError('timeoutSeconds must be a positive number');
  return timeoutSeconds * 1000;
}

export class DiscRecorder2Ex extends DiscRecorder2 {
  async sendCommandNoData(cdb: Uint8Array, timeoutSeconds: number): Promise<PassThroughResult> {
    checkCdb(cdb);
    const r = await this.need().raw({ cdb, direction: 'none', timeoutMs: checkTimeout(timeoutSeconds) });
    return this.passResult(cdb, r, 0);
  }

  async sendCommandSendDataToDevice(cdb: Uint8Array, buffer: Uint8Array, timeoutSeconds: number): Promise<PassThroughResult> {
    checkCdb(cdb);
    if (!(buffer instanceof Uint8Array)) throw new TypeError('buffer must be a Uint8Array');
    const r = await this.need().raw({ cdb, direction: 'out', dataOut: buffer, timeoutMs: checkTimeout(timeoutSeconds) });
    return this.passResult(cdb, r, buffer.length - r.residual);
  }

  async sendCommandGetDataFromDevice(cdb: Uint8Array, bufferSize: number, timeoutSeconds: number): Promise<PassThroughResult> {
    checkCdb(cdb);
    if (!Number.isInteger(bufferSize) || bufferSize < 0) throw new TypeError('bufferSize must be a non-negative integer');
    const r = await this.need().raw({ cdb, direction: 'in', dataInLength: bufferSize, timeoutMs: checkTimeout(timeoutSeconds) });
    return this.passResult(cdb, r, r.dataIn.length);
  }

  private passResult(cdb: Uint8Array, r: ScsiResult, bytes: number): PassThroughResult {
    const senseBuffer = Buffer.alloc(SENSE_BUFFER_LENGTH);
    if (r.status === ScsiStatus.CHECK_CONDITION) {
      r.sense.copy(senseBuffer, 0, 0, Math.min(SENSE_BUFFER_LENGTH, r.sense.length));
      return { hresult: HResult.S_IMAPI_COMMAND_HAS_SENSE_DATA, senseBuffer, data: r.dataIn, bytesTransferred: bytes };
    }
    const outcome = interpretScsiStatus(r.status, r.sense, cdb[0]);
    if (outcome.kind === 'error') throw outcome.error;
    return { hresult: 0, senseBuffer, data: r.dataIn, bytesTransferred: bytes };
  }

  /** READ DISC INFORMATION (standard data type), decoded. */
  async getDiscInformation(): Promise<DiscInformationDecoded> {
    return this.need().read({ cdb: (n) => encodeReadDiscInformationCdb({ dataType: DiscInformationDataType.STANDARD, allocationLength: n }), allocationLength: 34, decode: decodeDiscInformationReply });
  }

  /** READ TRACK INFORMATION for `address` of `addressType` (TrackAddressType: LBA 0, track 1, session 2). */
  async getTrackInformation(address: number, addressType: number): Promise<TrackInformationDecoded> {
    if (!Number.isInteger(addressType) || addressType < 0 || addressType > 2) throw new TypeError('addressType must be 0 (LBA), 1 (track) or 2 (session)');
    if (!Number.isInteger(address)) throw new TypeError('address must be an integer');
    return this.need().read({ cdb: (n) => encodeReadTrackInformationCdb({ open: false, addressType, address, allocationLength: n }), allocationLength: 48, decode: decodeTrackInformationReply });
  }

  /** MODE SELECT(10) of one page (requestType must be current or saved values). */
  async setModePage(requestType: number, page: ModePage): Promise<void> {
    if (requestType !== ModePageRequestType.CURRENT_VALUES && requestType !== ModePageRequestType.SAVED_VALUES) {
      throw new TypeError('requestType must be CURRENT_VALUES (0) or SAVED_VALUES (3) for setModePage');
    }
    const data = encodeModeSelect10Parameters({ mediumType: 0, deviceSpecificParameter: 0, longLba: false, blockDescriptors: Buffer.alloc(0), pages: [page] });
    await this.need().write(encodeModeSelect10Cdb({ pf: true, sp: requestType === ModePageRequestType.SAVED_VALUES, parameterListLength: data.length }), data);
  }
}

