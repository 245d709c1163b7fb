/**
 * SEND DISC STRUCTURE (BFh) — MMC-6 §6.41: tables "SEND DISC STRUCTURE CDB" and the parameter list
 * header shared by every format.
 *
 * CDB:
 *   byte 0      OPERATION CODE (BFh)
 *   byte 1      Reserved (7-4) | MEDIA TYPE (3-0): 0000b DVD / HD DVD, 0001b BD
 *   bytes 2-6   Reserved
 *   byte 7      FORMAT CODE
 *   bytes 8-9   PARAMETER LIST LENGTH (header included)
 *   byte 10     Reserved (7-6 is AGID for the copy-protection formats) | Reserved
 *   byte 11     CONTROL
 *
 * Data out: a 4-byte header, then the structure.
 *   bytes 0-1   STRUCTURE DATA LENGTH (bytes after this field: structure + 2)
 *   bytes 2-3   Reserved
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidCdbField, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBits, rejectBytes, uint, writeControl } from './cdb-fields.js';
import { DiscStructureMediaType, DISC_STRUCTURE_HEADER_LENGTH } from './read-disc-structure.js';

export const SEND_DISC_STRUCTURE_CDB_LENGTH = 12;
export const SEND_DISC_STRUCTURE_DIRECTION: DataDirection = 'out';

export interface SendDiscStructureCdb extends CdbCommon {
  /** MEDIA TYPE (`DiscStructureMediaType`), 0 or 1. */
  mediaType: number;
  /** FORMAT CODE. */
  formatCode: number;
  /** PARAMETER LIST LENGTH: the 4-byte header plus the structure. */
  parameterListLength: number;
}

export function encodeSendDiscStructureCdb(params: SendDiscStructureCdb): Buffer {
  const w = new ByteWriter(SEND_DISC_STRUCTURE_CDB_LENGTH);
  w.u8(0, Opcode.SEND_DISC_STRUCTURE);
  w.u8(1, uint('mediaType', params.mediaType, DiscStructureMediaType.BD));
  w.u8(7, uint('formatCode', params.formatCode, 0xff));
  w.u16(8, uint('parameterListLength', params.parameterListLength, 0xffff));
  writeControl(w, 11, params.control);
  return w.buffer;
}

export function decodeSendDiscStructureCdb(cdb: Uint8Array): SendDiscStructureCdb {
  const what = 'SEND DISC STRUCTURE';
  const r = cdbReader(cdb, SEND_DISC_STRUCTURE_CDB_LENGTH, what);
  expectOpcode(r, Opcode.SEND_DISC_STRUCTURE, what);
  rejectBits(r, 1, 0xf0, what);
  const mediaType = r.bits(1, 0, 4);
  if (mediaType > DiscStructureMediaType.BD) throw invalidCdbField(1, `${what}: media type ${mediaType} is reserved`, 3);
  rejectBytes(r, 2, 6, what);
  return { mediaType, formatCode: r.u8(7), parameterListLength: r.u16(8), ...readControl(r, 11, what) };
}

/** The parameter list: the header (STRUCTURE DATA LENGTH = structure + 2) and the structure. */
export function encodeSendDiscStructureParameters(structure: Uint8Array): Buffer {
  const total = DISC_STRUCTURE_HEADER_LENGTH + structure.length;
  if (total > 0xffff) throw new TypeError(`structure must be at most ${0xffff - DISC_STRUCTURE_HEADER_LENGTH} bytes`);
  const w = new ByteWriter(total);
  w.u16(0, structure.length + 2);
  w.bytes(DISC_STRUCTURE_HEADER_LENGTH, structure);
  return w.buffer;
}
