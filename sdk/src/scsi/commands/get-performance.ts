/**
 * GET PERFORMANCE (ACh) — MMC-6, GET PERFORMANCE command: tables "GET PERFORMANCE CDB", "Type Field",
 * "Data Type Field for Type 00h", "Performance Header", "Performance Descriptor – Nominal Performance",
 * "Performance Descriptor – Exceptions" and "Write Speed Descriptor" (Type 03h).
 *
 * CDB:
 *   byte 0      OPERATION CODE (ACh)
 *   byte 1      Reserved (7-5) | DATA TYPE (4-0); for TYPE 00h: WRITE (4) | TOLERANCE (3-2) | EXCEPT (1-0)
 *   bytes 2-5   STARTING LBA
 *   bytes 6-7   Reserved
 *   bytes 8-9   MAXIMUM NUMBER OF DESCRIPTORS
 *   byte 10     TYPE (00h performance, 01h unusable area, 02h defect status, 03h write speed,
 *               04h DBI, 05h DBI cache zone; 06h-FFh reserved)
 *   byte 11     CONTROL
 * TOLERANCE must be 10b (nominal ±10 %, exceptions 20 %); EXCEPT 00b nominal performance,
 * 01b the whole exception list, 10b only outlying exceptions, 11b reserved.
 *
 * Data in — Performance Header (8 bytes), then descriptors:
 *   bytes 0-3   PERFORMANCE DATA LENGTH (bytes after this field)
 *   byte 4      Reserved (7-2) | WRITE (1) | EXCEPT (0)   (TYPE 00h; reserved for 03h)
 *   bytes 5-7   Reserved
 * TYPE 00h, EXCEPT 0 — 16 bytes: START LBA (4), START PERFORMANCE (4, kB/s), END LBA (4),
 *                      END PERFORMANCE (4, kB/s)
 * TYPE 00h, EXCEPT 1 — 6 bytes: LBA (4), TIME (2, expected extra delay)
 * TYPE 03h — 16 bytes: byte 0 Reserved (7-5) | WRC (4-3) | RDD (2) | EXACT (1) | MRW (0);
 *                      bytes 1-3 Reserved; END LBA (4); READ SPEED (4, kB/s); WRITE SPEED (4, kB/s)
 * Unusable area, defect status and DBI replies are not typed here.
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidCdbField, invalidReply, replyReader, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBits, rejectBytes, uint, writeControl } from './cdb-fields.js';
import { bool } from './arg-checks.js';

export const GET_PERFORMANCE_CDB_LENGTH = 12;
export const GET_PERFORMANCE_DIRECTION: DataDirection = 'in';
export const PERFORMANCE_HEADER_LENGTH = 8;

/** TYPE of GET PERFORMANCE. */
export const PerformanceType = {
  PERFORMANCE: 0x00,
  UNUSABLE_AREA: 0x01,
  DEFECT_STATUS: 0x02,
  WRITE_SPEED: 0x03,
  DBI: 0x04,
  DBI_CACHE_ZONE: 0x05,
} as const;

/** EXCEPT of the TYPE 00h DATA TYPE. */
export const PerformanceExcept = {
  NOMINAL: 0,
  ALL_EXCEPTIONS: 1,
  OUTLYING_EXCEPTIONS: 2,
} as const;

/** The only TOLERANCE MMC defines: 10b. */
export const PERFORMANCE_TOLERANCE_10 = 2;

export interface GetPerformanceCdb extends CdbCommon {
  /** TYPE (`PerformanceType`). */
  type: number;
  /** DATA TYPE, 5 bits (build TYPE 00h values with `performanceDataType`). */
  dataType: number;
  startingLba: number;
  maxDescriptors: number;
}

/** DATA TYPE for TYPE 00h: WRITE, TOLERANCE (default 10b), EXCEPT. */
export function performanceDataType(o: { write: boolean; except: number; tolerance?: number }): number {
  return (bool('write', o.write) ? 0x10 : 0) | (uint('tolerance', o.tolerance ?? PERFORMANCE_TOLERANCE_10, 3) << 2) | uint('except', o.except, 3);
}

export function encodeGetPerformanceCdb(params: GetPerformanceCdb): Buffer {
  const w = new ByteWriter(GET_PERFORMANCE_CDB_LENGTH);
  w.u8(0, Opcode.GET_PERFORMANCE);
  w.u8(1, uint('dataType', params.dataType, 0x1f));
  w.u32(2, uint('startingLba', params.startingLba, 0xffffffff));
  w.u16(8, uint('maxDescriptors', params.maxDescriptors, 0xffff));
  w.u8(10, uint('type', params.type, 0xff));
  writeControl(w, 11, params.control);
  return w.buffer;
}

export function decodeGetPerformanceCdb(cdb: Uint8Array): GetPerformanceCdb {
  const what = 'GET PERFORMANCE';
  const r = cdbReader(cdb, GET_PERFORMANCE_CDB_LENGTH, what);
  expectOpcode(r, Opcode.GET_PERFORMANCE, what);
  rejectBits(r, 1, 0xe0, what);
  rejectBytes(r, 6, 7, what);
  const type = r.u8(10);
  if (type > PerformanceType.DBI_CACHE_ZONE) throw invalidCdbField(10, `${what}: type ${type.toString(16)}h is reserved`, 7);
  if (type === PerformanceType.PERFORMANCE) {
    if (r.bits(1, 2, 2) !== PERFORMANCE_TOLERANCE_10) throw invalidCdbField(1, `${what}: tolerance ${r.bits(1, 2, 2)} is reserved (10b)`, 3);
    if (r.bits(1, 0, 2) === 3) throw invalidCdbField(1, `${what}: except 11b is reserved`, 1);
  }
  return { type, dataType: r.bits(1, 0, 5), startingLba: r.u32(2), maxDescriptors: r.u16(8), ...readControl(r, 11, what) };
}

export interface PerformanceDescriptor {
  startLba: number;
  /** kB/s */
  startPerformance: number;
  endLba: number;
  /** kB/s */
  endPerformance: number;
}

export interface PerformanceException {
  lba: number;
  /** TIME: the expected additional delay at `lba`. */
  time: number;
}

export interface WriteSpeedDescriptor {
  /** WRC (`WriteRotationControl`: 0 default, 1 CAV), 2 bits. */
  wrc: number;
  /** RDD: the descriptor reports the drive's defaults. */
  rdd: boolean;
  /** EXACT: the speed holds for the whole medium. */
  exact: boolean;
  /** MRW: suitable for mixed read/write (overwrite). */
  mrw: boolean;
  endLba: number;
  /** kB/s */
  readSpeed: number;
  /** kB/s */
  writeSpeed: number;
}

/** The data of a GET PERFORMANCE reply, by TYPE and (for TYPE 00h) EXCEPT. */
export type GetPerformanceData =
  | { type: 0; write: boolean; except: false; descriptors: PerformanceDescriptor[] }
  | { type: 0; write: boolean; except: true; exceptions: PerformanceException[] }
  | { type: 3; writeSpeeds: WriteSpeedDescriptor[] };

const DESCRIPTOR_SIZE = { nominal: 16, exception: 6, writeSpeed: 16 } as const;

export function encodeGetPerformanceReply(d: GetPerformanceData): Buffer {
  let n: number;
  let size: number;
  if (d.type === 3) [n, size] = [d.writeSpeeds.length, DESCRIPTOR_SIZE.writeSpeed];
  else if (d.except) [n, size] = [d.exceptions.length, DESCRIPTOR_SIZE.exception];
  else [n, size] = [d.descriptors.length, DESCRIPTOR_SIZE.nominal];
  const w = new ByteWriter(PERFORMANCE_HEADER_LENGTH + n * size);
  w.u32(0, w.length - 4);
  if (d.type === 0) w.u8(4, (bool('write', d.write) ? 2 : 0) | (d.except ? 1 : 0));
  let o = PERFORMANCE_HEADER_LENGTH;
  if (d.type === 3) {
    for (const s of d.writeSpeeds) {
      w.u8(o, (uint('wrc', s.wrc, 3) << 3) | (bool('rdd', s.rdd) ? 4 : 0) | (bool('exact', s.exact) ? 2 : 0) | (bool('mrw', s.mrw) ? 1 : 0));
      w.u32(o + 4, uint('endLba', s.endLba, 0xffffffff));
      w.u32(o + 8, uint('readSpeed', s.readSpeed, 0xffffffff));
      w.u32(o + 12, uint('writeSpeed', s.writeSpeed, 0xffffffff));
      o += size;
    }
  } else if (d.except) {
    for (const e of d.exceptions) {
      w.u32(o, uint('lba', e.lba, 0xffffffff));
      w.u16(o + 4, uint('time', e.time, 0xffff));
      o += size;
    }
  } else {
    for (const p of d.descriptors) {
      w.u32(o, uint('startLba', p.startLba, 0xffffffff));
      w.u32(o + 4, uint('startPerformance', p.startPerformance, 0xffffffff));
      w.u32(o + 8, uint('endLba', p.endLba, 0xffffffff));
      w.u32(o + 12, uint('endPerformance', p.endPerformance, 0xffffffff));
      o += size;
    }
  }
  return w.buffer;
}

export type GetPerformanceReply = GetPerformanceData & {
  truncated: boolean;
  /** PERFORMANCE DATA LENGTH + 4: ask for (fullLength - 8) / descriptor size descriptors to get all. */
  fullLength: number;
};

/**
 * Decodes a TYPE 00h or 03h reply (the reply does not say which TYPE was asked: pass it). A reply
 * shorter than its PERFORMANCE DATA LENGTH keeps the whole descriptors that arrived. A data length
 * below 4, or one that is not the header plus whole descriptors, is an invalid response.
 */
export function decodeGetPerformanceReply(buf: Uint8Array, type: 0 | 3): GetPerformanceReply {
  if (type !== 0 && type !== 3) throw new TypeError(`type must be 0 or 3, got ${String(type)}`);
  const r = replyReader(buf, 'GET PERFORMANCE data');
  const known = buf.length >= 4;
  const fullLength = known ? r.u32(0) + 4 : PERFORMANCE_HEADER_LENGTH;
  if (fullLength < PERFORMANCE_HEADER_LENGTH) throw invalidReply(`GET PERFORMANCE: performance data length ${fullLength - 4} is less than 4`);
  const truncated = buf.length < fullLength;
  const except = type === 0 && r.bit(4, 0);
  const size = type === 3 ? DESCRIPTOR_SIZE.writeSpeed : except ? DESCRIPTOR_SIZE.exception : DESCRIPTOR_SIZE.nominal;
  if (known && (fullLength - PERFORMANCE_HEADER_LENGTH) % size !== 0) {
    throw invalidReply(`GET PERFORMANCE: performance data length ${fullLength - 4} is not 4 + a multiple of ${size}`);
  }
  const end = Math.min(buf.length, fullLength);
  const count = Math.max(0, Math.floor((end - PERFORMANCE_HEADER_LENGTH) / size));
  const at = (i: number) => PERFORMANCE_HEADER_LENGTH + i * size;
  const tail = { truncated, fullLength };
  if (type === 3) {
    const writeSpeeds: WriteSpeedDescriptor[] = [];
    for (let i = 0; i < count; i++) {
      const o = at(i);
      writeSpeeds.push({
        wrc: r.bits(o, 3, 2), rdd: r.bit(o, 2), exact: r.bit(o, 1), mrw: r.bit(o, 0),
        endLba: r.u32(o + 4), readSpeed: r.u32(o + 8), writeSpeed: r.u32(o + 12),
      });
    }
    return { type: 3, writeSpeeds, ...tail };
  }
  const write = r.bit(4, 1);
  if (except) {
    const exceptions: PerformanceException[] = [];
    for (let i = 0; i < count; i++) exceptions.push({ lba: r.u32(at(i)), time: r.u16(at(i) + 4) });
    return { type: 0, write, except: true, exceptions, ...tail };
  }
  const descriptors: PerformanceDescriptor[] = [];
  for (let i = 0; i < count; i++) {
    const o = at(i);
    descriptors.push({ startLba: r.u32(o), startPerformance: r.u32(o + 4), endLba: r.u32(o + 8), endPerformance: r.u32(o + 12) });
  }
  return { type: 0, write, except: false, descriptors, ...tail };
}
