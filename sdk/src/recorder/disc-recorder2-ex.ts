/**
 * DiscRecorder2Ex (IDiscRecorder2Ex): raw command pass-through and the structured queries —
 * sendCommandNoData / sendCommandSendDataToDevice / sendCommandGetDataFromDevice, getDiscInformation,
 * getTrackInformation, getFeaturePage, getModePage / setModePage, readDvdStructure /
 * sendDvdStructure, getSupportedFeaturePages / getSupportedProfiles / getSupportedModePages (on the
 * base class), getAdapterDescriptor / getDeviceDescriptor, getByteAlignmentMask and the two maximum
 * transfer sizes (from the transport's `adapter`). IMAPI2's out-parameters (byte buffers with sizes)
 * become return values: decoded structures, or Buffers where IMAPI2 hands back raw bytes.
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
import { encodeReadDiscStructureCdb, DISC_STRUCTURE_HEADER_LENGTH } from '../scsi/commands/read-disc-structure.js';
import { encodeSendDiscStructureCdb, encodeSendDiscStructureParameters } from '../scsi/commands/send-disc-structure.js';
import { encodeInquiryCdb, decodeInquiryReply } from '../scsi/commands/inquiry.js';
import { decodeUnitSerialNumberReply, VpdPage } from '../scsi/commands/inquiry-vpd.js';
import { DEFAULT_ADAPTER_INFO, type TransportAdapterInfo } from '../transport/scsi-transport.js';
import { ImapiError } from '../errors/imapi-error.js';

/** IDiscRecorder2Ex::GetAdapterDescriptor — STORAGE_ADAPTER_DESCRIPTOR's fields, from the transport. */
export interface AdapterDescriptor {
  readonly maximumTransferLength: number;
  /** Pages of `PAGE_SIZE` bytes one transfer may span. */
  readonly maximumPhysicalPages: number;
  readonly alignmentMask: number;
  readonly adapterUsesPio: boolean;
  readonly adapterScansDown: boolean;
  readonly commandQueueing: boolean;
  readonly acceleratedTransfer: boolean;
  /** STORAGE_BUS_TYPE (`StorageBusType`). */
  readonly busType: number;
  readonly busMajorVersion: number;
  readonly busMinorVersion: number;
}

/** IDiscRecorder2Ex::GetDeviceDescriptor — STORAGE_DEVICE_DESCRIPTOR's fields, from INQUIRY. */
export interface DeviceDescriptor {
  /** Peripheral device type (05h). */
  readonly deviceType: number;
  readonly deviceTypeModifier: number;
  readonly removableMedia: boolean;
  readonly commandQueueing: boolean;
  readonly vendorId: string;
  readonly productId: string;
  readonly productRevision: string;
  /** Unit serial number (VPD page 80h); '' when the drive has none. */
  readonly serialNumber: string;
  readonly busType: number;
  /** The standard INQUIRY data as the drive sent it. */
  readonly rawDeviceProperties: Buffer;
}

/** The page size the page-aligned transfer sizes count in. */
export const PAGE_SIZE = 4096;

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

  /**
   * IDiscRecorder2Ex::ReadDvdStructure: READ DISC STRUCTURE (media type DVD) of `format` at `address`,
   * `layer`, `agid`; the structure without the 4-byte header (the whole of it: the command is
   * re-issued when the first allocation was too small). 05/24/00 or 05/30/02 from the drive →
   * E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT.
   */
  async readDvdStructure(format: number, address: number, layer: number, agid: number): Promise<Buffer> {
    for (const [name, v, max] of [['format', format, 0xff], ['address', address, 0xffffffff], ['layer', layer, 0xff], ['agid', agid, 3]] as const) {
      if (!Number.isInteger(v) || v < 0 || v > max) throw new TypeError(`${name} must be an integer 0..${max}`);
    }
    const cdb = (n: number) => encodeReadDiscStructureCdb({ mediaType: 0, address, layerNumber: layer, formatCode: format, allocationLength: n, agid });
    const dev = this.need();
    let data = (await dev.run({ cdb: cdb(4096), direction: 'in', dataInLength: 4096 })).dataIn;
    const full = () => (data.length >= 2 ? data.readUInt16BE(0) + 2 : 0);
    if (full() > data.length && data.length === 4096) data = (await dev.run({ cdb: cdb(0xffff), direction: 'in', dataInLength: 0xffff })).dataIn;
    if (data.length < DISC_STRUCTURE_HEADER_LENGTH || full() < DISC_STRUCTURE_HEADER_LENGTH) {
      throw new ImapiError('E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE', `READ DISC STRUCTURE returned ${data.length} bytes, no whole header`);
    }
    return Buffer.from(data.subarray(DISC_STRUCTURE_HEADER_LENGTH, Math.min(data.length, full())));
  }

  /** IDiscRecorder2Ex::SendDvdStructure: SEND DISC STRUCTURE (media type DVD) of `format`; the SDK adds the 4-byte header. */
  async sendDvdStructure(format: number, data: Uint8Array): Promise<void> {
    if (!Number.isInteger(format) || format < 0 || format > 0xff) throw new TypeError('format must be an integer 0..0xFF');
    if (!(data instanceof Uint8Array)) throw new TypeError('data must be a Uint8Array');
    const list = encodeSendDiscStructureParameters(data);
    await this.need().write(encodeSendDiscStructureCdb({ mediaType: 0, formatCode: format, parameterListLength: list.length }), list);
  }

  /** The transport's description of the path to the drive (`ScsiTransport.adapter`). */
  private adapterInfo(): TransportAdapterInfo {
    return this.need().transport.adapter ?? DEFAULT_ADAPTER_INFO;
  }

  /** IDiscRecorder2Ex::GetAdapterDescriptor. */
  async getAdapterDescriptor(): Promise<AdapterDescriptor> {
    const a = this.adapterInfo();
    return {
      maximumTransferLength: a.maxTransferLength,
      maximumPhysicalPages: Math.ceil(a.maxTransferLength / PAGE_SIZE) + 1,
      alignmentMask: a.alignmentMask,
      adapterUsesPio: false,
      adapterScansDown: false,
      commandQueueing: a.commandQueueing,
      acceleratedTransfer: false,
      busType: a.busType,
      busMajorVersion: 0,
      busMinorVersion: 0,
    };
  }

  /** IDiscRecorder2Ex::GetDeviceDescriptor: standard INQUIRY and the unit serial number (VPD 80h, when the drive has it). */
  async getDeviceDescriptor(): Promise<DeviceDescriptor> {
    const dev = this.need();
    const raw = (await dev.run({ cdb: encodeInquiryCdb({ evpd: false, pageCode: 0, allocationLength: 0xff }), direction: 'in', dataInLength: 0xff })).dataIn;
    const inq = decodeInquiryReply(raw);
    let serialNumber = '';
    try {
      serialNumber = (await dev.read({ cdb: (n) => encodeInquiryCdb({ evpd: true, pageCode: VpdPage.UNIT_SERIAL_NUMBER, allocationLength: n }), allocationLength: 64, maxAllocationLength: 0xffff, decode: decodeUnitSerialNumberReply })).productSerialNumber;
    } catch (e) {
      if (!(e instanceof ImapiError) || e.sense?.key !== 0x5) throw e; // no such VPD page: no serial number
    }
    return {
      deviceType: inq.peripheralDeviceType,
      deviceTypeModifier: 0,
      removableMedia: inq.rmb,
      commandQueueing: inq.cmdque,
      vendorId: inq.vendorIdentification,
      productId: inq.productIdentification,
      productRevision: inq.productRevisionLevel,
      serialNumber,
      busType: this.adapterInfo().busType,
      rawDeviceProperties: Buffer.from(raw),
    };
  }

  /** IDiscRecorder2Ex::GetByteAlignmentMask: buffer alignment the path needs (0: any). */
  getByteAlignmentMask(): number {
    return this.adapterInfo().alignmentMask;
  }
  /** IDiscRecorder2Ex::GetMaximumNonPageAlignedTransferSize, in bytes. */
  getMaximumNonPageAlignedTransferSize(): number {
    return this.adapterInfo().maxTransferLength;
  }
  /** IDiscRecorder2Ex::GetMaximumPageAlignedTransferSize, in bytes (whole pages). */
  getMaximumPageAlignedTransferSize(): number {
    const n = this.adapterInfo().maxTransferLength;
    return n - (n % PAGE_SIZE) || n;
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

