/**
 * SEND OPC INFORMATION (54h) — MMC-6, SEND OPC INFORMATION command: table "SEND OPC INFORMATION CDB".
 *
 * CDB:
 *   byte 0      OPERATION CODE (54h)
 *   byte 1      Reserved (7-1) | DOOPC (0): perform Optimum Power Calibration now
 *   byte 2      Reserved (7-2) | EXCLUDE1 (1) | EXCLUDE0 (0)
 *   bytes 3-6   Reserved
 *   bytes 7-8   PARAMETER LIST LENGTH (OPC table entries, 8 bytes each: speed 2, OPC value 6)
 *   byte 9      CONTROL
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBits, rejectBytes, uint, writeControl } from './cdb-fields.js';
import { bool } from './arg-checks.js';

export const SEND_OPC_INFORMATION_CDB_LENGTH = 10;
export const SEND_OPC_INFORMATION_DIRECTION: DataDirection = 'out';

export interface SendOpcInformationCdb extends CdbCommon {
  doOpc: boolean;
  exclude0: boolean;
  exclude1: boolean;
  parameterListLength: number;
}

export function encodeSendOpcInformationCdb(p: SendOpcInformationCdb): Buffer {
  const w = new ByteWriter(SEND_OPC_INFORMATION_CDB_LENGTH);
  w.u8(0, Opcode.SEND_OPC_INFORMATION);
  w.u8(1, bool('doOpc', p.doOpc) ? 1 : 0);
  w.u8(2, (bool('exclude1', p.exclude1) ? 2 : 0) | (bool('exclude0', p.exclude0) ? 1 : 0));
  w.u16(7, uint('parameterListLength', p.parameterListLength, 0xffff));
  writeControl(w, 9, p.control);
  return w.buffer;
}

export function decodeSendOpcInformationCdb(cdb: Uint8Array): SendOpcInformationCdb {
  const what = 'SEND OPC INFORMATION';
  const r = cdbReader(cdb, SEND_OPC_INFORMATION_CDB_LENGTH, what);
  expectOpcode(r, Opcode.SEND_OPC_INFORMATION, what);
  rejectBits(r, 1, 0xfe, what);
  rejectBits(r, 2, 0xfc, what);
  rejectBytes(r, 3, 6, what);
  return { doOpc: r.bit(1, 0), exclude0: r.bit(2, 0), exclude1: r.bit(2, 1), parameterListLength: r.u16(7), ...readControl(r, 9, what) };
}
