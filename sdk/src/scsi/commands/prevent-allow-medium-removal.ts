/**
 * PREVENT ALLOW MEDIUM REMOVAL (1Eh) — SPC-4 / SBC-3 table "PREVENT ALLOW MEDIUM
 * REMOVAL command"; MMC-6 adds the persistent prevent (bit 1).
 *
 *   byte 0     OPERATION CODE (1Eh)
 *   bytes 1-3  Reserved
 *   byte 4     Reserved (7-2) | PREVENT (1-0): MMC bit 1 Persistent, bit 0 Prevent
 *                00b allow removal, 01b prevent removal (lock the tray),
 *                10b clear the persistent prevent, 11b set the persistent prevent
 *   byte 5     CONTROL
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBits, rejectBytes, uint, writeControl } from './cdb-fields.js';

export const PREVENT_ALLOW_MEDIUM_REMOVAL_CDB_LENGTH = 6;
export const PREVENT_ALLOW_MEDIUM_REMOVAL_DIRECTION: DataDirection = 'none';

/** PREVENT field values (MMC-6). */
export const MediumRemoval = {
  ALLOW: 0b00,
  PREVENT: 0b01,
  PERSISTENT_ALLOW: 0b10,
  PERSISTENT_PREVENT: 0b11,
} as const;

export interface PreventAllowMediumRemovalCdb extends CdbCommon {
  /** MediumRemoval value (2 bits). */
  prevent: number;
}

export function encodePreventAllowMediumRemovalCdb(params: PreventAllowMediumRemovalCdb): Buffer {
  const w = new ByteWriter(PREVENT_ALLOW_MEDIUM_REMOVAL_CDB_LENGTH);
  w.u8(0, Opcode.PREVENT_ALLOW_MEDIUM_REMOVAL);
  w.bits(4, 0, 2, uint('prevent', params.prevent, 3));
  writeControl(w, 5, params.control);
  return w.buffer;
}

export function decodePreventAllowMediumRemovalCdb(cdb: Uint8Array): PreventAllowMediumRemovalCdb {
  const what = 'PREVENT ALLOW MEDIUM REMOVAL';
  const r = cdbReader(cdb, PREVENT_ALLOW_MEDIUM_REMOVAL_CDB_LENGTH, what);
  expectOpcode(r, Opcode.PREVENT_ALLOW_MEDIUM_REMOVAL, what);
  rejectBytes(r, 1, 3, what);
  rejectBits(r, 4, 0xfc, what);
  return { prevent: r.bits(4, 0, 2), ...readControl(r, 5, what) };
}
