/**
 * SET CD SPEED (BBh) — MMC-6, SET CD SPEED command, tables "SET CD SPEED CDB" and "Rotational
 * Control Field".
 *
 *   byte 0      OPERATION CODE (BBh)
 *   byte 1      Reserved (7-2) | ROTATIONAL CONTROL (1-0)
 *   bytes 2-3   LOGICAL UNIT READ SPEED (kB/s)
 *   bytes 4-5   LOGICAL UNIT WRITE SPEED (kB/s)
 *   bytes 6-10  Reserved
 *   byte 11     CONTROL
 *
 * Speeds are in kB/s (1 kB = 1000 bytes); FFFFh asks for the maximum the drive supports. ROTATIONAL
 * CONTROL: 00b CLV and non-pure CAV, 01b pure CAV, 10b and 11b reserved → INVALID FIELD IN CDB.
 *
 * No data.
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidCdbField, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBits, rejectBytes, uint, writeControl } from './cdb-fields.js';

export const SET_CD_SPEED_CDB_LENGTH = 12;
export const SET_CD_SPEED_DIRECTION: DataDirection = 'none';
/** Speed value meaning "as fast as the drive can". */
export const SET_CD_SPEED_MAXIMUM = 0xffff;

/** ROTATIONAL CONTROL of SET CD SPEED. */
export const SpeedRotationalControl = {
  CLV_AND_NON_PURE_CAV: 0,
  PURE_CAV: 1,
} as const;

export interface SetCdSpeedCdb extends CdbCommon {
  /** ROTATIONAL CONTROL (`SpeedRotationalControl`), 0 or 1. */
  rotationalControl: number;
  /** kB/s; `SET_CD_SPEED_MAXIMUM` (FFFFh) for the fastest. */
  readSpeed: number;
  /** kB/s; `SET_CD_SPEED_MAXIMUM` (FFFFh) for the fastest. */
  writeSpeed: number;
}

export function encodeSetCdSpeedCdb(params: SetCdSpeedCdb): Buffer {
  const w = new ByteWriter(SET_CD_SPEED_CDB_LENGTH);
  w.u8(0, Opcode.SET_CD_SPEED);
  w.u8(1, uint('rotationalControl', params.rotationalControl, 1));
  w.u16(2, uint('readSpeed', params.readSpeed, 0xffff));
  w.u16(4, uint('writeSpeed', params.writeSpeed, 0xffff));
  writeControl(w, 11, params.control);
  return w.buffer;
}

export function decodeSetCdSpeedCdb(cdb: Uint8Array): SetCdSpeedCdb {
  const what = 'SET CD SPEED';
  const r = cdbReader(cdb, SET_CD_SPEED_CDB_LENGTH, what);
  expectOpcode(r, Opcode.SET_CD_SPEED, what);
  rejectBits(r, 1, 0xfc, what);
  rejectBytes(r, 6, 10, what);
  const rotationalControl = r.bits(1, 0, 2);
  if (rotationalControl > 1) throw invalidCdbField(1, `${what}: rotational control ${rotationalControl} is reserved`, 1);
  return { rotationalControl, readSpeed: r.u16(2), writeSpeed: r.u16(4), ...readControl(r, 11, what) };
}
