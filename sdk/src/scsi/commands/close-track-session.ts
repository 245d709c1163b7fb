/**
 * CLOSE TRACK/SESSION (5Bh) — MMC-6, CLOSE TRACK SESSION command, table "CLOSE TRACK SESSION CDB"
 * and the close function tables per media type.
 *
 *   byte 0      OPERATION CODE (5Bh)
 *   byte 1      Reserved (7-1) | IMMED (0)
 *   byte 2      Reserved (7-3) | CLOSE FUNCTION (2-0)
 *   byte 3      Reserved
 *   bytes 4-5   LOGICAL TRACK NUMBER
 *   bytes 6-8   Reserved
 *   byte 9      CONTROL
 *
 * CLOSE FUNCTION (meaning depends on the medium):
 *   000b  DVD+RW / DVD+RW DL: quick stop of background format
 *   001b  close the logical track (CD-R/RW, DVD±R, BD-R ...)
 *   010b  close the session (CD-R/RW and DVD-R: this finalizes when the Multi-session field says no
 *         next session); DVD+RW, MRW: stop background format
 *   011b  DVD+RW: compatible stop of background format; DVD-RW: finalize
 *   100b  DVD+R DL: close session with extended lead-out
 *   101b  DVD+R / DVD+R DL: finalize with minimal radius
 *   110b  DVD+R / DVD+R DL, BD-R: finalize the disc
 *   111b  reserved → INVALID FIELD IN CDB
 * Whether a function applies to the current medium is the device's call, not this codec's.
 *
 * No data.
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidCdbField, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBits, rejectBytes, uint, writeControl } from './cdb-fields.js';
import { bool } from './arg-checks.js';

export const CLOSE_TRACK_SESSION_CDB_LENGTH = 10;
export const CLOSE_TRACK_SESSION_DIRECTION: DataDirection = 'none';

/** CLOSE FUNCTION codes (MMC-6). */
export const CloseFunction = {
  QUICK_STOP_BACKGROUND_FORMAT: 0b000,
  CLOSE_TRACK: 0b001,
  /** Close session; finalizes CD-R/RW and DVD-R when no next session is allowed. */
  CLOSE_SESSION: 0b010,
  /** DVD+RW: compatible stop of background format; DVD-RW: finalize. */
  CLOSE_SESSION_OR_FINALIZE_DVD_RW: 0b011,
  CLOSE_SESSION_EXTENDED_LEAD_OUT: 0b100,
  FINALIZE_MINIMAL_RADIUS: 0b101,
  FINALIZE_DISC: 0b110,
} as const;

export interface CloseTrackSessionCdb extends CdbCommon {
  /** IMMED: return status before the operation completes. */
  immed: boolean;
  /** CLOSE FUNCTION (`CloseFunction`), 0-6. */
  closeFunction: number;
  /** LOGICAL TRACK NUMBER (used by close track). */
  trackNumber: number;
}

export function encodeCloseTrackSessionCdb(params: CloseTrackSessionCdb): Buffer {
  const w = new ByteWriter(CLOSE_TRACK_SESSION_CDB_LENGTH);
  w.u8(0, Opcode.CLOSE_TRACK_SESSION);
  w.u8(1, bool('immed', params.immed) ? 1 : 0);
  w.u8(2, uint('closeFunction', params.closeFunction, 6));
  w.u16(4, uint('trackNumber', params.trackNumber, 0xffff));
  writeControl(w, 9, params.control);
  return w.buffer;
}

export function decodeCloseTrackSessionCdb(cdb: Uint8Array): CloseTrackSessionCdb {
  const what = 'CLOSE TRACK/SESSION';
  const r = cdbReader(cdb, CLOSE_TRACK_SESSION_CDB_LENGTH, what);
  expectOpcode(r, Opcode.CLOSE_TRACK_SESSION, what);
  rejectBits(r, 1, 0xfe, what);
  rejectBits(r, 2, 0xf8, what);
  rejectBytes(r, 3, 3, what);
  rejectBytes(r, 6, 8, what);
  const closeFunction = r.bits(2, 0, 3);
  if (closeFunction === 0b111) throw invalidCdbField(2, `${what}: close function 111b is reserved`, 2);
  return { immed: r.bit(1, 0), closeFunction, trackNumber: r.u16(4), ...readControl(r, 9, what) };
}
