/**
 * Speeds: SET CD SPEED (MMC-6 §6.37), SET STREAMING type 00h (§6.38), GET PERFORMANCE types 00h and
 * 03h (§6.8). Speeds are kB/s (1000 bytes/s). A requested write speed the medium cannot do is rounded
 * down to the next speed in its list (the slowest when below all of them); FFFFh means the fastest.
 * The control plane's `speed-mismatch` fault makes these commands fail with 05/30/00 instead.
 */
import {
  PerformanceExcept,
  PerformanceType,
  SET_CD_SPEED_MAXIMUM,
  StreamingType,
  decodeGetPerformanceCdb,
  decodeSetCdSpeedCdb,
  decodeSetStreamingCdb,
  decodeSetStreamingParameters,
  encodeGetPerformanceReply,
  invalidCdbField,
  type WriteSpeedDescriptor,
} from '@openimapi/sdk';
import type { Medium } from '../media/medium.js';
import type { CommandContext } from './types.js';

/** Fastest speeds the drive mechanism has (48x CD read, 48x CD write), for page 2Ah without a disc. */
export const driveMaxReadSpeed = 8467;
export const driveMaxWriteSpeed = 8467;
/** Drive buffer (mode page 2Ah BUFFER SIZE SUPPORTED), KB: what the realistic speed model fills and drains. */
export const DRIVE_BUFFER_KB = 2048;

/** The speed the medium records at when asked for `kbps`: rounded down within its list. */
export function effectiveWriteSpeed(m: Medium | undefined, kbps: number | undefined): number | undefined {
  const list = m?.info.writeSpeeds ?? [];
  if (list.length === 0) return undefined;
  if (kbps === undefined) return list[0];
  return list.find((s) => s <= kbps) ?? list[list.length - 1];
}

function chooseRead(m: Medium | undefined, kbps: number): number | undefined {
  if (kbps >= SET_CD_SPEED_MAXIMUM) return undefined;
  return m ? Math.min(kbps, m.info.readSpeed) : kbps;
}

export function setCdSpeed(ctx: CommandContext): void {
  const p = decodeSetCdSpeedCdb(ctx.cdb);
  const m = ctx.state.loadedMedium;
  ctx.state.readSpeed = chooseRead(m, p.readSpeed);
  ctx.state.writeSpeed = p.writeSpeed >= SET_CD_SPEED_MAXIMUM ? undefined : (effectiveWriteSpeed(m, p.writeSpeed) ?? p.writeSpeed);
  ctx.note({ read: ctx.state.readSpeed ?? 'max', write: ctx.state.writeSpeed ?? 'max' });
}

export function setStreaming(ctx: CommandContext): void {
  const p = decodeSetStreamingCdb(ctx.cdb);
  if (p.type !== StreamingType.PERFORMANCE) throw invalidCdbField(8, `SET STREAMING: type ${p.type.toString(16)}h is not supported`, 7);
  const d = decodeSetStreamingParameters(ctx.cmd.dataOut ?? Buffer.alloc(0));
  const m = ctx.state.loadedMedium;
  if (d.rdd) {
    ctx.state.readSpeed = undefined;
    ctx.state.writeSpeed = undefined;
    return;
  }
  const rate = (size: number, time: number) => (time > 0 ? Math.floor((size * 1000) / time) : undefined);
  const read = rate(d.readSize, d.readTime);
  const write = rate(d.writeSize, d.writeTime);
  ctx.state.readSpeed = read === undefined ? undefined : chooseRead(m, read);
  ctx.state.writeSpeed = write === undefined ? undefined : (effectiveWriteSpeed(m, write) ?? write);
  ctx.note({ read: ctx.state.readSpeed ?? 'max', write: ctx.state.writeSpeed ?? 'max' });
}

/**
 * MMC-6 defines only TOLERANCE 10b for TYPE 00h, but hosts send 00b (libburn's write-speed query is
 * AC 10 ... 00) and drives answer it the same way: the CDB is read as if it said 10b.
 */
function lenientTolerance(cdb: Buffer): Buffer {
  if (cdb.length < 11 || cdb[10] !== PerformanceType.PERFORMANCE || ((cdb[1]! >> 2) & 3) === 2) return cdb;
  const c = Buffer.from(cdb);
  c[1] = (c[1]! & ~0x0c) | 0x08;
  return c;
}

/** GET PERFORMANCE: type 03h lists the medium's write speeds, type 00h nominal performance. */
export function getPerformance(ctx: CommandContext): Buffer {
  const p = decodeGetPerformanceCdb(lenientTolerance(ctx.cdb));
  const m = ctx.state.loadedMedium;
  const endLba = m ? Math.max(0, m.capacityBlocks - 1) : 0;
  if (p.type === PerformanceType.WRITE_SPEED) {
    const speeds: WriteSpeedDescriptor[] = (m?.info.writeSpeeds ?? []).map((s) => ({
      wrc: 0,
      rdd: false,
      exact: true,
      mrw: m!.info.recording === 'overwrite',
      endLba,
      readSpeed: m!.info.readSpeed,
      writeSpeed: s,
    }));
    return encodeGetPerformanceReply({ type: 3, writeSpeeds: speeds.slice(0, p.maxDescriptors) });
  }
  if (p.type === PerformanceType.PERFORMANCE) {
    const write = (p.dataType & 0x10) !== 0;
    if ((p.dataType & 3) !== PerformanceExcept.NOMINAL) return encodeGetPerformanceReply({ type: 0, write, except: true, exceptions: [] });
    ctx.state.requireMedium();
    const speed = write ? (effectiveWriteSpeed(m, ctx.state.writeSpeed) ?? 0) : Math.min(ctx.state.readSpeed ?? m!.info.readSpeed, m!.info.readSpeed);
    const d = { startLba: 0, startPerformance: speed, endLba, endPerformance: speed };
    return encodeGetPerformanceReply({ type: 0, write, except: false, descriptors: [d].slice(0, p.maxDescriptors) });
  }
  throw invalidCdbField(10, `GET PERFORMANCE: type ${p.type.toString(16)}h is not supported`, 7);
}
