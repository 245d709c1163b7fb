/**
 * START STOP UNIT (1Bh) — MMC-6 table "START STOP UNIT Command Descriptor Block"
 * (SBC-3 for the power conditions).
 *
 *   byte 0     OPERATION CODE (1Bh)
 *   byte 1     Reserved (7-1) | IMMED (0)
 *   byte 2     Reserved
 *   byte 3     Reserved (7-2) | FORMAT-LAYER NUMBER (1-0)
 *   byte 4     POWER CONDITIONS (7-4) | Reserved (3) | FL (2) | LOEJ (1) | START (0)
 *   byte 5     CONTROL
 *
 * With POWER CONDITIONS 0h, LOEJ and START select the action:
 *   LOEJ=0 START=0 stop the disc;  LOEJ=0 START=1 start it (spin up, read the TOC);
 *   LOEJ=1 START=0 eject (open the tray);  LOEJ=1 START=1 load (close the tray).
 * Any other POWER CONDITIONS value changes the power condition and LOEJ/START are ignored.
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidCdbField, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBits, uint, writeControl } from './cdb-fields.js';

export const START_STOP_UNIT_CDB_LENGTH = 6;
export const START_STOP_UNIT_DIRECTION: DataDirection = 'none';

/** POWER CONDITIONS values (SBC-3 table "POWER CONDITION field", MMC-6 adds Sleep 5h). */
export const PowerCondition = {
  START_VALID: 0x0,
  ACTIVE: 0x1,
  IDLE: 0x2,
  STANDBY: 0x3,
  SLEEP: 0x5,
  LU_CONTROL: 0x7,
  FORCE_IDLE_0: 0xa,
  FORCE_STANDBY_0: 0xb,
} as const;
const powerConditions = new Set<number>(Object.values(PowerCondition));

export interface StartStopUnitCdb extends CdbCommon {
  immed: boolean;
  powerCondition: number;
  loej: boolean;
  start: boolean;
  /** FL: format the layer `formatLayerNumber` (MMC-6, multi-layer rewritable media). */
  fl?: boolean;
  formatLayerNumber?: number;
}

/** The tray/spindle action a START STOP UNIT asks for (power condition 0 only). */
export function startStopAction(p: StartStopUnitCdb): 'stop' | 'start' | 'eject' | 'load' | 'power' {
  if (p.powerCondition !== PowerCondition.START_VALID) return 'power';
  if (p.loej) return p.start ? 'load' : 'eject';
  return p.start ? 'start' : 'stop';
}

export function encodeStartStopUnitCdb(params: StartStopUnitCdb): Buffer {
  const pc = uint('powerCondition', params.powerCondition, 0xf);
  if (!powerConditions.has(pc)) throw new TypeError(`powerCondition ${pc} is reserved`);
  const w = new ByteWriter(START_STOP_UNIT_CDB_LENGTH);
  w.u8(0, Opcode.START_STOP_UNIT);
  w.bit(1, 0, params.immed);
  w.bits(3, 0, 2, uint('formatLayerNumber', params.formatLayerNumber ?? 0, 3));
  w.bits(4, 4, 4, pc).bit(4, 2, params.fl ?? false).bit(4, 1, params.loej).bit(4, 0, params.start);
  writeControl(w, 5, params.control);
  return w.buffer;
}

export function decodeStartStopUnitCdb(cdb: Uint8Array): StartStopUnitCdb {
  const what = 'START STOP UNIT';
  const r = cdbReader(cdb, START_STOP_UNIT_CDB_LENGTH, what);
  expectOpcode(r, Opcode.START_STOP_UNIT, what);
  rejectBits(r, 1, 0xfe, what);
  rejectBits(r, 2, 0xff, what);
  rejectBits(r, 3, 0xfc, what);
  rejectBits(r, 4, 0x08, what);
  const powerCondition = r.bits(4, 4, 4);
  if (!powerConditions.has(powerCondition)) throw invalidCdbField(4, `${what}: reserved POWER CONDITIONS ${powerCondition}`, 7);
  const fl = r.bit(4, 2);
  const formatLayerNumber = r.bits(3, 0, 2);
  return {
    immed: r.bit(1, 0),
    powerCondition,
    loej: r.bit(4, 1),
    start: r.bit(4, 0),
    ...(fl ? { fl } : {}),
    ...(formatLayerNumber !== 0 ? { formatLayerNumber } : {}),
    ...readControl(r, 5, what),
  };
}
