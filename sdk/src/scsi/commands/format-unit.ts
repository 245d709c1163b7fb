/**
 * FORMAT UNIT (04h) for MMC devices — MMC-6, FORMAT UNIT command: tables "FORMAT UNIT CDB", "Format
 * List Header" and "Format Descriptor".
 *
 * CDB:
 *   byte 0      OPERATION CODE (04h)
 *   byte 1      Reserved (7-5) | FMTDATA (4) | CMPLIST (3) | FORMAT CODE (2-0) = 001b
 *   byte 2      Vendor specific
 *   bytes 3-4   Obsolete
 *   byte 5      CONTROL
 * MMC requires FMTDATA = 1 (a parameter list follows) and FORMAT CODE 001b.
 *
 * Parameter list: Format List Header (4 bytes) then one Format Descriptor (8 bytes):
 *   byte 0      Reserved
 *   byte 1      FOV (7) | DPRY (6) | DCRT (5) | STPF (4) | IP (3) | DSP (2) | IMMED (1) | VS (0)
 *   bytes 2-3   FORMAT DESCRIPTOR LENGTH (8)
 *   bytes 4-7   NUMBER OF BLOCKS
 *   byte 8      FORMAT TYPE (7-2) | FORMAT SUBTYPE (1-0)
 *   bytes 9-11  TYPE DEPENDENT PARAMETER
 * The parameter list length is not in the CDB: the initiator's data-out length carries it.
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidCdbField, invalidParameterField, parameterReader, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBits, uint, writeControl } from './cdb-fields.js';
import { bool } from './arg-checks.js';

export const FORMAT_UNIT_CDB_LENGTH = 6;
export const FORMAT_UNIT_DIRECTION: DataDirection = 'out';
export const FORMAT_UNIT_PARAMETER_LENGTH = 12;

export interface FormatUnitCdb extends CdbCommon {
  cmpList: boolean;
}

export function encodeFormatUnitCdb(params: FormatUnitCdb): Buffer {
  const w = new ByteWriter(FORMAT_UNIT_CDB_LENGTH);
  w.u8(0, Opcode.FORMAT_UNIT);
  w.u8(1, 0x10 | (bool('cmpList', params.cmpList) ? 0x08 : 0) | 0x01);
  writeControl(w, 5, params.control);
  return w.buffer;
}

export function decodeFormatUnitCdb(cdb: Uint8Array): FormatUnitCdb {
  const what = 'FORMAT UNIT';
  const r = cdbReader(cdb, FORMAT_UNIT_CDB_LENGTH, what);
  expectOpcode(r, Opcode.FORMAT_UNIT, what);
  rejectBits(r, 1, 0xe0, what);
  if (!r.bit(1, 4)) throw invalidCdbField(1, `${what}: FMTDATA 0 (MMC formats always carry a parameter list)`, 4);
  if (r.bits(1, 0, 3) !== 1) throw invalidCdbField(1, `${what}: format code ${r.bits(1, 0, 3)} (MMC uses 001b)`, 2);
  return { cmpList: r.bit(1, 3), ...readControl(r, 5, what) };
}

export interface FormatUnitParameters {
  /** FOV: the bits after it in byte 1 are valid. */
  fov: boolean;
  immed: boolean;
  blocks: number;
  formatType: number;
  formatSubtype: number;
  typeDependent: number;
}

export function encodeFormatUnitParameters(p: FormatUnitParameters): Buffer {
  const w = new ByteWriter(FORMAT_UNIT_PARAMETER_LENGTH);
  w.u8(1, (bool('fov', p.fov) ? 0x80 : 0) | (bool('immed', p.immed) ? 0x02 : 0));
  w.u16(2, 8);
  w.u32(4, uint('blocks', p.blocks, 0xffffffff));
  w.u8(8, (uint('formatType', p.formatType, 0x3f) << 2) | uint('formatSubtype', p.formatSubtype, 3));
  w.u24(9, uint('typeDependent', p.typeDependent, 0xffffff));
  return w.buffer;
}

/** Decodes the format list; a header or descriptor length MMC does not define is INVALID FIELD IN PARAMETER LIST. */
export function decodeFormatUnitParameters(data: Uint8Array): FormatUnitParameters {
  const what = 'FORMAT UNIT parameter list';
  const r = parameterReader(data, what);
  if (r.u16(2) !== 8) throw invalidParameterField(2, `${what}: format descriptor length ${r.u16(2)} (MMC uses 8)`);
  r.u8(FORMAT_UNIT_PARAMETER_LENGTH - 1);
  return {
    fov: r.bit(1, 7),
    immed: r.bit(1, 1),
    blocks: r.u32(4),
    formatType: r.u8(8) >> 2,
    formatSubtype: r.u8(8) & 3,
    typeDependent: r.u24(9),
  };
}
