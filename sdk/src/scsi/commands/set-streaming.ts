/**
 * SET STREAMING (B6h) — MMC-6, SET STREAMING command, tables "SET STREAMING CDB" and "Performance
 * Descriptor" (the data-out for TYPE 00h).
 *
 * CDB:
 *   byte 0      OPERATION CODE (B6h)
 *   bytes 1-7   Reserved
 *   byte 8      TYPE (00h performance descriptor, 05h DBI cache zone descriptor)
 *   bytes 9-10  PARAMETER LIST LENGTH
 *   byte 11     CONTROL
 *
 * Performance descriptor (28 bytes):
 *   byte 0      Reserved (7-5) | WRC (4-3) | RDD (2) | EXACT (1) | RA (0)
 *   bytes 1-3   Reserved
 *   bytes 4-7   START LBA
 *   bytes 8-11  END LBA
 *   bytes 12-15 READ SIZE (kB)
 *   bytes 16-19 READ TIME (ms)
 *   bytes 20-23 WRITE SIZE (kB)
 *   bytes 24-27 WRITE TIME (ms)
 * Speed = size / time: READ SIZE 1385 kB per READ TIME 1000 ms is DVD 1x. WRC: 00b default rotation
 * control for the medium, 01b CAV, 10b/11b reserved. RDD set: restore the drive's defaults (the rest
 * is ignored). The DBI cache zone form (TYPE 05h) is not typed here.
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidCdbField, invalidParameterField, parameterReader, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBytes, uint, writeControl } from './cdb-fields.js';
import { bool } from './arg-checks.js';

export const SET_STREAMING_CDB_LENGTH = 12;
export const SET_STREAMING_DIRECTION: DataDirection = 'out';
export const PERFORMANCE_DESCRIPTOR_LENGTH = 28;

/** TYPE of SET STREAMING. */
export const StreamingType = {
  PERFORMANCE: 0x00,
  DBI_CACHE_ZONE: 0x05,
} as const;

/** WRC, write rotation control (SET STREAMING and GET PERFORMANCE write speed descriptors). */
export const WriteRotationControl = {
  DEFAULT: 0,
  CAV: 1,
} as const;

export interface SetStreamingCdb extends CdbCommon {
  /** TYPE (`StreamingType`). */
  type: number;
  parameterListLength: number;
}

export function encodeSetStreamingCdb(params: SetStreamingCdb): Buffer {
  const t = uint('type', params.type, 0xff);
  if (t !== StreamingType.PERFORMANCE && t !== StreamingType.DBI_CACHE_ZONE) throw new TypeError(`type must be 00h or 05h, got ${t}`);
  const w = new ByteWriter(SET_STREAMING_CDB_LENGTH);
  w.u8(0, Opcode.SET_STREAMING);
  w.u8(8, t);
  w.u16(9, uint('parameterListLength', params.parameterListLength, 0xffff));
  writeControl(w, 11, params.control);
  return w.buffer;
}

export function decodeSetStreamingCdb(cdb: Uint8Array): SetStreamingCdb {
  const what = 'SET STREAMING';
  const r = cdbReader(cdb, SET_STREAMING_CDB_LENGTH, what);
  expectOpcode(r, Opcode.SET_STREAMING, what);
  rejectBytes(r, 1, 7, what);
  const type = r.u8(8);
  if (type !== StreamingType.PERFORMANCE && type !== StreamingType.DBI_CACHE_ZONE) {
    throw invalidCdbField(8, `${what}: type ${type.toString(16)}h is reserved`, 7);
  }
  return { type, parameterListLength: r.u16(9), ...readControl(r, 11, what) };
}

export interface StreamingPerformanceDescriptor {
  /** WRC (`WriteRotationControl`), 0 or 1. */
  wrc: number;
  /** RDD: restore drive defaults. */
  rdd: boolean;
  /** EXACT: apply exactly to the range, or fail. */
  exact: boolean;
  /** RA: random access. */
  ra: boolean;
  startLba: number;
  endLba: number;
  /** kB */
  readSize: number;
  /** ms */
  readTime: number;
  /** kB */
  writeSize: number;
  /** ms */
  writeTime: number;
}

/** The 28-byte performance descriptor (TYPE 00h parameter list). */
export function encodeSetStreamingParameters(d: StreamingPerformanceDescriptor): Buffer {
  const w = new ByteWriter(PERFORMANCE_DESCRIPTOR_LENGTH);
  w.u8(0, (uint('wrc', d.wrc, 1) << 3) | (bool('rdd', d.rdd) ? 0x04 : 0) | (bool('exact', d.exact) ? 0x02 : 0) | (bool('ra', d.ra) ? 0x01 : 0));
  w.u32(4, uint('startLba', d.startLba, 0xffffffff));
  w.u32(8, uint('endLba', d.endLba, 0xffffffff));
  w.u32(12, uint('readSize', d.readSize, 0xffffffff));
  w.u32(16, uint('readTime', d.readTime, 0xffffffff));
  w.u32(20, uint('writeSize', d.writeSize, 0xffffffff));
  w.u32(24, uint('writeTime', d.writeTime, 0xffffffff));
  return w.buffer;
}

/**
 * Decodes the TYPE 00h parameter list (emulator side). Fewer than 28 bytes is PARAMETER LIST LENGTH
 * ERROR; a reserved WRC or reserved bits set are INVALID FIELD IN PARAMETER LIST.
 */
export function decodeSetStreamingParameters(data: Uint8Array): StreamingPerformanceDescriptor {
  const r = parameterReader(data, 'SET STREAMING performance descriptor');
  r.u8(PERFORMANCE_DESCRIPTOR_LENGTH - 1);
  const b0 = r.u8(0);
  if ((b0 & 0xe0) !== 0) throw invalidParameterField(0, 'SET STREAMING: reserved bits of byte 0 are set', 31 - Math.clz32(b0 & 0xe0));
  const wrc = r.bits(0, 3, 2);
  if (wrc > 1) throw invalidParameterField(0, `SET STREAMING: write rotation control ${wrc} is reserved`, 4);
  for (let i = 1; i <= 3; i++) {
    const v = r.u8(i);
    if (v !== 0) throw invalidParameterField(i, `SET STREAMING: reserved byte ${i} is not zero`, 31 - Math.clz32(v));
  }
  return {
    wrc,
    rdd: r.bit(0, 2),
    exact: r.bit(0, 1),
    ra: r.bit(0, 0),
    startLba: r.u32(4),
    endLba: r.u32(8),
    readSize: r.u32(12),
    readTime: r.u32(16),
    writeSize: r.u32(20),
    writeTime: r.u32(24),
  };
}
