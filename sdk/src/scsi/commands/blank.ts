/**
 * BLANK (A1h) — MMC-6, BLANK command, tables "BLANK CDB" and "Blanking Types".
 *
 *   byte 0      OPERATION CODE (A1h)
 *   byte 1      Reserved (7-5) | IMMED (4) | Reserved (3) | BLANKING TYPE (2-0)
 *   bytes 2-5   START ADDRESS / LOGICAL TRACK NUMBER
 *   bytes 6-10  Reserved
 *   byte 11     CONTROL
 *
 * BLANKING TYPE: 000b blank the disc, 001b minimally blank the disc, 010b blank a track,
 * 011b unreserve a track, 100b blank a track tail (from START ADDRESS), 101b unclose the last
 * complete session, 110b blank the last session, 111b reserved → INVALID FIELD IN CDB.
 * Whether the medium supports a type is the device's call.
 *
 * No data.
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidCdbField, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBits, rejectBytes, uint, writeControl } from './cdb-fields.js';
import { bool } from './arg-checks.js';

export const BLANK_CDB_LENGTH = 12;
export const BLANK_DIRECTION: DataDirection = 'none';

/** BLANKING TYPE (MMC-6 table "Blanking Types"). */
export const BlankingType = {
  FULL: 0,
  MINIMAL: 1,
  TRACK: 2,
  UNRESERVE_TRACK: 3,
  TRACK_TAIL: 4,
  UNCLOSE_LAST_SESSION: 5,
  LAST_SESSION: 6,
} as const;

export interface BlankCdb extends CdbCommon {
  immed: boolean;
  /** BLANKING TYPE (`BlankingType`), 0-6. */
  blankingType: number;
  /** START ADDRESS (track tail: an LBA) or LOGICAL TRACK NUMBER (track blanking); 0 otherwise. */
  startAddress: number;
}

export function encodeBlankCdb(params: BlankCdb): Buffer {
  const w = new ByteWriter(BLANK_CDB_LENGTH);
  w.u8(0, Opcode.BLANK);
  w.u8(1, (bool('immed', params.immed) ? 0x10 : 0) | uint('blankingType', params.blankingType, 6));
  w.u32(2, uint('startAddress', params.startAddress, 0xffffffff));
  writeControl(w, 11, params.control);
  return w.buffer;
}

export function decodeBlankCdb(cdb: Uint8Array): BlankCdb {
  const what = 'BLANK';
  const r = cdbReader(cdb, BLANK_CDB_LENGTH, what);
  expectOpcode(r, Opcode.BLANK, what);
  rejectBits(r, 1, 0xe8, what);
  rejectBytes(r, 6, 10, what);
  const blankingType = r.bits(1, 0, 3);
  if (blankingType === 7) throw invalidCdbField(1, `${what}: blanking type 111b is reserved`, 2);
  return { immed: r.bit(1, 4), blankingType, startAddress: r.u32(2), ...readControl(r, 11, what) };
}
