/**
 * Write speed and rotation, shared by the format objects (IDiscFormat2Data / TrackAtOnce / RawCD:
 * SetWriteSpeed, RequestedWriteSpeed, RequestedRotationTypeIsPureCAV, CurrentWriteSpeed,
 * CurrentRotationTypeIsPureCAV, SupportedWriteSpeeds, SupportedWriteSpeedDescriptors).
 *
 * IMAPI2 counts speeds in sectors per second (CD 75 per 1x of 2352-byte sectors, DVD/BD in 2048-byte
 * sectors); MMC in kB/s (1000 bytes). The supported speeds come from GET PERFORMANCE type 03h (write
 * speed descriptors, MMC-6 §6.8.6): one IWriteSpeedDescriptor per descriptor, WRC 01b = pure CAV.
 * The requested speed is sent by SetWriteSpeed itself and again before each write (the drive may have
 * been reset or another application may have changed it since): SET CD SPEED on CD (MMC-6 §6.36), SET
 * STREAMING with one performance descriptor (MMC-6 §6.39: write size kB per write time ms) on DVD/BD.
 * SetWriteSpeed, as the IMAPI2 tables have it: no recorder → E_IMAPI_RECORDER_REQUIRED, a closed one →
 * HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE), bad arguments → E_INVALIDARG, then what the drive answers
 * (no media, speed mismatch, locked by another client, ...); during a write it is the format's
 * WRITE_IN_PROGRESS (a speed change in the middle of a recording run is not sent).
 */
import type { ScsiDevice } from '../device/scsi-device.js';
import { ImapiError } from '../errors/imapi-error.js';
import { encodeGetPerformanceCdb, decodeGetPerformanceReply, PerformanceType } from '../scsi/commands/get-performance.js';
import { encodeSetCdSpeedCdb, SET_CD_SPEED_MAXIMUM } from '../scsi/commands/set-cd-speed.js';
import { encodeSetStreamingCdb, encodeSetStreamingParameters, StreamingType, WriteRotationControl } from '../scsi/commands/set-streaming.js';
import { kbpsToSectorsPerSecond, sectorsPerSecondToKbps, type SpeedMedia } from '../scsi/commands/speed.js';
import { MediaPhysicalType } from './media-type.js';
import { encodeModeSense10Cdb, decodeModeSense10Reply, PageControl } from '../scsi/commands/mode-sense-10.js';

/** IWriteSpeedDescriptor. */
export interface IWriteSpeedDescriptor {
  /** IMAPI_MEDIA_PHYSICAL_TYPE the descriptor applies to. */
  readonly mediaType: number;
  readonly rotationTypeIsPureCAV: boolean;
  /** Sectors per second. */
  readonly writeSpeed: number;
}

/** Which speed unit a physical media type counts in (CD for unknown). */
export function speedMediaOf(physicalType: number): SpeedMedia {
  if (physicalType >= MediaPhysicalType.BDROM && physicalType <= MediaPhysicalType.BDRE) return 'bd';
  if (physicalType >= MediaPhysicalType.DVDROM && physicalType <= MediaPhysicalType.HDDVDRAM) return 'dvd';
  return 'cd';
}

/** GET PERFORMANCE type 03h: the write speed descriptors for the current media, fastest first. */
export async function readWriteSpeedDescriptors(device: ScsiDevice, physicalType: number): Promise<IWriteSpeedDescriptor[]> {
  const reply = await device.read({
    cdb: (n) => encodeGetPerformanceCdb({ type: PerformanceType.WRITE_SPEED, dataType: 0, startingLba: 0, maxDescriptors: Math.max(1, Math.floor((n - 8) / 16)) }),
    allocationLength: 8 + 32 * 16,
    decode: (b) => decodeGetPerformanceReply(b, 3),
  });
  if (reply.type !== 3) throw new ImapiError('E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE', 'GET PERFORMANCE type 03h answered with another type');
  const m = speedMediaOf(physicalType);
  return reply.writeSpeeds
    .map((d) => ({ mediaType: physicalType, rotationTypeIsPureCAV: d.wrc === WriteRotationControl.CAV, writeSpeed: kbpsToSectorsPerSecond(d.writeSpeed, m) }))
    .sort((a, b) => b.writeSpeed - a.writeSpeed);
}

/** The speed state a format object keeps; `apply` sends it to the drive before a write. */
export class WriteSpeedSettings {
  /** Sectors per second asked for; -1 (or 0xFFFFFFFF in IMAPI2) = the drive's fastest. */
  requestedWriteSpeed = -1;
  requestedRotationTypeIsPureCAV = false;
  /** The speed the drive selected at the last `apply` (sectors per second; what was asked when it does not say). */
  currentWriteSpeed = -1;
  currentRotationTypeIsPureCAV = false;

  /** IDiscFormat2*::SetWriteSpeed's arguments: E_INVALIDARG for a negative speed other than -1 or a non-integer. */
  set(sectorsPerSecond: number, rotationTypeIsPureCAV = false): void {
    if (!Number.isInteger(sectorsPerSecond) || sectorsPerSecond < -1) {
      throw new ImapiError('E_INVALIDARG', `E_INVALIDARG: requestedSectorsPerSecond must be -1 or a non-negative integer, got ${String(sectorsPerSecond)}`);
    }
    this.requestedWriteSpeed = sectorsPerSecond;
    this.requestedRotationTypeIsPureCAV = Boolean(rotationTypeIsPureCAV);
  }

  /**
   * IDiscFormat2*::SetWriteSpeed: records the request and sends it to the drive at once for the media
   * `physicalType` resolves (which may fail with the format's media codes). Any failure leaves the
   * requested and current values as they were.
   */
  async request(device: ScsiDevice, sectorsPerSecond: number, rotationTypeIsPureCAV: boolean, physicalType: () => Promise<number>): Promise<void> {
    const { requestedWriteSpeed, requestedRotationTypeIsPureCAV, currentWriteSpeed, currentRotationTypeIsPureCAV } = this;
    this.set(sectorsPerSecond, rotationTypeIsPureCAV);
    try {
      await this.apply(device, await physicalType());
    } catch (e) {
      Object.assign(this, { requestedWriteSpeed, requestedRotationTypeIsPureCAV, currentWriteSpeed, currentRotationTypeIsPureCAV });
      throw e;
    }
  }

  /** Sends the requested speed for the media about to be written. */
  async apply(device: ScsiDevice, physicalType: number): Promise<void> {
    const m = speedMediaOf(physicalType);
    const cav = this.requestedRotationTypeIsPureCAV;
    const fastest = this.requestedWriteSpeed < 0;
    if (m === 'cd') {
      const kbps = fastest ? SET_CD_SPEED_MAXIMUM : Math.min(SET_CD_SPEED_MAXIMUM - 1, Math.max(1, sectorsPerSecondToKbps(this.requestedWriteSpeed, m)));
      await device.exec(encodeSetCdSpeedCdb({ rotationalControl: cav ? 1 : 0, readSpeed: SET_CD_SPEED_MAXIMUM, writeSpeed: kbps }));
    } else {
      // Write size in kB per write time in ms = kB/s when the time is 1000 ms; "fastest" asks for an
      // impossibly high rate, which the drive rounds down to its best (MMC-6 §6.39.2.1).
      const kbps = fastest ? 0xffffffff : Math.max(1, sectorsPerSecondToKbps(this.requestedWriteSpeed, m));
      const params = encodeSetStreamingParameters({ wrc: cav ? WriteRotationControl.CAV : WriteRotationControl.DEFAULT, rdd: false, exact: false, ra: false, startLba: 0, endLba: 0xffffffff, readSize: kbps, readTime: 1000, writeSize: kbps, writeTime: 1000 });
      await device.write(encodeSetStreamingCdb({ type: StreamingType.PERFORMANCE, parameterListLength: params.length }), params);
    }
    // The drive may use another speed than the one asked for (the closest it can do): CurrentWriteSpeed
    // is the speed it selected, mode page 2Ah "write speed selected" (MMC-6 Table 663), when it says.
    const selected = await selectedWriteSpeedKbps(device);
    this.currentWriteSpeed = selected !== undefined ? kbpsToSectorsPerSecond(selected, m) : this.requestedWriteSpeed;
    this.currentRotationTypeIsPureCAV = cav;
  }
}

/** Mode page 2Ah current write speed selected (kB/s); undefined when the drive does not report one. */
async function selectedWriteSpeedKbps(device: ScsiDevice): Promise<number | undefined> {
  try {
    const reply = await device.read({
      cdb: (n) => encodeModeSense10Cdb({ llbaa: false, dbd: true, pageControl: PageControl.CURRENT, pageCode: 0x2a, subpageCode: 0, allocationLength: n }),
      allocationLength: 256,
      decode: decodeModeSense10Reply,
    });
    const page = reply.pages.find((p) => p.kind === 'capabilities');
    return page && page.kind === 'capabilities' && page.currentWriteSpeedSelected > 0 ? page.currentWriteSpeedSelected : undefined;
  } catch (e) {
    // A drive without the page (or that refuses it) leaves the requested speed as the current one.
    if (e instanceof ImapiError && e.sense) return undefined;
    throw e;
  }
}
