/**
 * The sequential write loop RawCD, TrackAtOnce and Data share: whole sectors from a SectorSource to the
 * drive with WRITE(10) at consecutive LBAs, one command in flight and the next chunk read ahead (so the
 * host holds at most two chunks: backpressure comes from awaiting each WRITE). Each WRITE carries the
 * most whole sectors that fit in what the path to the drive moves in one command
 * (`ScsiTransport.adapter.maxTransferLength`: the iSCSI session's MaxBurstLength; 64 KiB where the
 * backend says nothing, as ATAPI bridges and USB often allow no more), capped at 1 MiB, and never
 * fewer than one sector (`sectorsPerTransfer`). After each chunk a
 * progress report (IWriteEngine2EventArgs fields) is emitted synchronously, so a handler that cancels
 * stops the loop before the next WRITE. The drive buffer level (READ BUFFER CAPACITY, MMC-6 §6.23) is
 * sampled at most every 250 ms.
 */
import type { ScsiDevice } from '../device/scsi-device.js';
import { ImapiError } from '../errors/imapi-error.js';
import type { HResultName } from '../errors/hresult.js';
import { SourceError, type SectorSource } from './source.js';
import { encodeWrite10Cdb } from '../scsi/commands/write-10.js';
import { encodeReadBufferCapacityCdb, decodeReadBufferCapacityReply } from '../scsi/commands/read-buffer-capacity.js';
import { DEFAULT_ADAPTER_INFO, type TransportAdapterInfo } from '../transport/scsi-transport.js';

/** The most data one command carries, whatever the path would take: 1 MiB. */
export const MAX_TRANSFER_BYTES = 1 << 20;

/**
 * Sectors per WRITE (or READ) over `adapter` (DEFAULT_ADAPTER_INFO when the transport has none): the
 * largest whole number of `sectorBytes` sectors within min(maxTransferLength, MAX_TRANSFER_BYTES), at
 * least 1.
 */
export function sectorsPerTransfer(adapter: TransportAdapterInfo | undefined, sectorBytes: number): number {
  if (!Number.isInteger(sectorBytes) || sectorBytes <= 0) throw new RangeError(`sectorBytes must be a positive integer, got ${String(sectorBytes)}`);
  const limit = Math.min((adapter ?? DEFAULT_ADAPTER_INFO).maxTransferLength, MAX_TRANSFER_BYTES);
  return Math.max(1, Math.floor(limit / sectorBytes));
}

/** Writes `data` (whole sectors) from `lba` in WRITE(10)s of at most `sectorsPerTransfer` sectors each. */
export async function writeSectors(device: ScsiDevice, lba: number, data: Uint8Array, sectorBytes: number): Promise<void> {
  const per = sectorsPerTransfer(device.transport.adapter, sectorBytes) * sectorBytes;
  for (let o = 0; o < data.length; o += per) {
    const part = data.subarray(o, Math.min(data.length, o + per));
    await device.write(encodeWrite10Cdb({ lba: lba + o / sectorBytes, transferLength: part.length / sectorBytes }), part);
  }
}

/** IWriteEngine2EventArgs plus elapsed/remaining seconds. */
export interface WriteEngineProgress {
  readonly elapsedTime: number;
  readonly remainingTime: number;
  readonly startLba: number;
  readonly sectorCount: number;
  readonly lastReadLba: number;
  readonly lastWrittenLba: number;
  /** Drive buffer, bytes (0 when the drive does not say). */
  readonly totalDeviceBuffer: number;
  readonly usedDeviceBuffer: number;
  /** Host-side buffer, bytes. */
  readonly totalSystemBuffer: number;
  readonly usedSystemBuffer: number;
  readonly freeSystemBuffer: number;
}

export interface TrackWriteJob {
  readonly device: ScsiDevice;
  readonly source: SectorSource;
  readonly sectorBytes: number;
  readonly startLba: number;
  /** Sectors expected (known size), or undefined for a stream of unknown length. */
  readonly totalSectors: number | undefined;
  /** First LBA that may not be written. */
  readonly limitLba: number;
  /** The family's code for "does not fit" and for "not whole sectors". */
  readonly noSpace: HResultName;
  readonly streamNotSupported: HResultName;
  readonly report: (p: WriteEngineProgress) => void;
  /** Throws E_IMAPI_REQUEST_CANCELLED when a cancel was requested. */
  readonly checkCancel: () => void;
}

/** Maps a SectorSource failure: ended inside a sector → the family's STREAM_NOT_SUPPORTED, failed → E_FAIL. */
export function sourceFailure(e: unknown, streamNotSupported: HResultName): unknown {
  if (e instanceof SourceError) {
    const name: HResultName = e.reason === 'short' ? streamNotSupported : 'E_FAIL';
    return new ImapiError(name, `${name}: ${e.message}`, { cause: e });
  }
  return e;
}

/** The progress of a write that has not sent a sector yet (an update of another action). */
export function idleProgress(startLba = 0, sectorCount = 0): WriteEngineProgress {
  return {
    elapsedTime: 0, remainingTime: 0, startLba, sectorCount, lastReadLba: startLba - 1, lastWrittenLba: startLba - 1,
    totalDeviceBuffer: 0, usedDeviceBuffer: 0, totalSystemBuffer: 0, usedSystemBuffer: 0, freeSystemBuffer: 0,
  };
}

/** Writes the whole source; returns the number of sectors written. */
export async function writeTrack(job: TrackWriteJob): Promise<number> {
  const { device, source, sectorBytes, startLba } = job;
  const chunkSectors = sectorsPerTransfer(device.transport.adapter, sectorBytes);
  const started = process.hrtime.bigint();
  let deviceBuffer = { total: 0, used: 0 };
  let sampledAt = -Infinity;
  const chunkBytes = chunkSectors * sectorBytes;
  const read = () => source.readSectors(chunkSectors, sectorBytes).catch((e: unknown) => Promise.reject(sourceFailure(e, job.streamNotSupported)));
  const emit = (lba: number, inFlight: number) => {
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    const done = lba - startLba;
    const count = job.totalSectors ?? done;
    const remaining = done > 0 && count > done ? (elapsed / done) * (count - done) : 0;
    job.report({
      elapsedTime: Math.floor(elapsed),
      remainingTime: Math.ceil(remaining),
      startLba,
      sectorCount: count,
      lastReadLba: startLba + Math.floor(source.position / sectorBytes) - 1,
      lastWrittenLba: lba - 1,
      totalDeviceBuffer: deviceBuffer.total,
      usedDeviceBuffer: deviceBuffer.used,
      totalSystemBuffer: 2 * chunkBytes,
      usedSystemBuffer: inFlight,
      freeSystemBuffer: 2 * chunkBytes - inFlight,
    });
  };
  let lba = startLba;
  let next = read();
  emit(lba, 0);
  job.checkCancel();
  for (;;) {
    const chunk = await next;
    if (chunk.length === 0) break;
    const n = chunk.length / sectorBytes;
    if (lba + n > job.limitLba) throw new ImapiError(job.noSpace, `${job.noSpace}: the data runs past the last writable sector ${job.limitLba - 1}`);
    next = read();
    next.catch(() => undefined); // surfaces when awaited
    await device.write(encodeWrite10Cdb({ lba, transferLength: n }), chunk);
    lba += n;
    const now = performance.now();
    if (now - sampledAt >= 250) {
      sampledAt = now;
      deviceBuffer = await readDeviceBuffer(device);
    }
    emit(lba, chunk.length);
    job.checkCancel();
  }
  return lba - startLba;
}

/** READ BUFFER CAPACITY in bytes; a drive without it (or in block form) reports 0/0. */
export async function readDeviceBuffer(device: ScsiDevice): Promise<{ total: number; used: number }> {
  try {
    const r = await device.read({ cdb: (n) => encodeReadBufferCapacityCdb({ block: false, allocationLength: n }), allocationLength: 12, decode: decodeReadBufferCapacityReply });
    if (r.block) return { total: 0, used: 0 };
    return { total: r.bufferLength, used: Math.max(0, r.bufferLength - r.availableLength) };
  } catch (e) {
    if (e instanceof ImapiError && e.sense?.key === 0x5) return { total: 0, used: 0 };
    throw e;
  }
}
