/**
 * RESERVE TRACK (53h) — MMC-6, RESERVE TRACK command, tables "RESERVE TRACK CDB" for ARSV = 0
 * (reservation size) and ARSV = 1 (reservation LBA).
 *
 *   byte 0      OPERATION CODE (53h)
 *   byte 1      Reserved (7-1) | ARSV (0)
 *   ARSV = 0:   bytes 2-4 Reserved;              bytes 5-8 RESERVATION SIZE (blocks)
 *   ARSV = 1:   bytes 2-5 RESERVATION LBA;       bytes 6-8 Reserved
 *   byte 9      CONTROL
 *
 * No data.
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBits, rejectBytes, uint, writeControl } from './cdb-fields.js';

export const RESERVE_TRACK_CDB_LENGTH = 10;
export const RESERVE_TRACK_DIRECTION: DataDirection = 'none';

/** Reserve `reservationSize` blocks at the next writable address (ARSV = 0)... */
export interface ReserveTrackBySizeCdb extends CdbCommon {
  arsv: false;
  reservationSize: number;
}
/** ...or reserve from the invisible track's start up to (excluding) `reservationLba` (ARSV = 1). */
export interface ReserveTrackByLbaCdb extends CdbCommon {
  arsv: true;
  reservationLba: number;
}
export type ReserveTrackCdb = ReserveTrackBySizeCdb | ReserveTrackByLbaCdb;

export function encodeReserveTrackCdb(params: ReserveTrackCdb): Buffer {
  const w = new ByteWriter(RESERVE_TRACK_CDB_LENGTH);
  w.u8(0, Opcode.RESERVE_TRACK);
  if (params.arsv === true) {
    w.u8(1, 0x01);
    w.u32(2, uint('reservationLba', params.reservationLba, 0xffffffff));
  } else if (params.arsv === false) {
    w.u32(5, uint('reservationSize', params.reservationSize, 0xffffffff));
  } else {
    throw new TypeError('arsv must be a boolean');
  }
  writeControl(w, 9, params.control);
  return w.buffer;
}

export function decodeReserveTrackCdb(cdb: Uint8Array): ReserveTrackCdb {
  const what = 'RESERVE TRACK';
  const r = cdbReader(cdb, RESERVE_TRACK_CDB_LENGTH, what);
  expectOpcode(r, Opcode.RESERVE_TRACK, what);
  rejectBits(r, 1, 0xfe, what);
  const control = readControl(r, 9, what);
  if (r.bit(1, 0)) {
    rejectBytes(r, 6, 8, what);
    return { arsv: true, reservationLba: r.u32(2), ...control };
  }
  rejectBytes(r, 2, 4, what);
  return { arsv: false, reservationSize: r.u32(5), ...control };
}
