/**
 * PERSISTENT RESERVE OUT (5Fh) — SPC-4 tables "PERSISTENT RESERVE OUT command" and "PERSISTENT
 * RESERVE OUT parameter list".
 *
 * CDB:
 *   byte 0     OPERATION CODE (5Fh)
 *   byte 1     Reserved (7-5) | SERVICE ACTION (4-0): 00h REGISTER, 01h RESERVE, 02h RELEASE,
 *              03h CLEAR, 04h PREEMPT, 05h PREEMPT AND ABORT, 06h REGISTER AND IGNORE EXISTING KEY
 *              (07h REGISTER AND MOVE has another parameter list and is not supported here)
 *   byte 2     SCOPE (7-4, 0h LU_SCOPE) | TYPE (3-0; persistent-reserve.ts PrType)
 *   bytes 3-4  Reserved
 *   bytes 5-8  PARAMETER LIST LENGTH (18h, or more with SPEC_I_PT)
 *   byte 9     CONTROL
 *
 * Parameter list (data out):
 *   bytes 0-7   RESERVATION KEY
 *   bytes 8-15  SERVICE ACTION RESERVATION KEY
 *   bytes 16-19 Obsolete
 *   byte 20     Reserved (7-4) | SPEC_I_PT (3) | ALL_TG_PT (2) | Reserved (1) | APTPL (0)
 *   byte 21     Reserved
 *   bytes 22-23 Obsolete
 *   with SPEC_I_PT (REGISTER / REGISTER AND IGNORE EXISTING KEY only):
 *   bytes 24-27 TRANSPORTID PARAMETER DATA LENGTH (n-27)
 *   bytes 28-n  TransportIDs (transport-id.ts)
 * Parameter list errors: a length other than 24 without SPEC_I_PT, or TransportID lengths that do
 * not add up, are PARAMETER LIST LENGTH ERROR; bad bits or TransportIDs are INVALID FIELD IN
 * PARAMETER LIST with the byte pointer.
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidCdbField, invalidParameterField, parameterReader, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { CheckCondition, Sense } from '../../wire/sense.js';
import { expectOpcode, readControl, rejectBits, rejectBytes, u64, uint, writeControl } from './cdb-fields.js';
import { decodeTransportId, encodeTransportId, type TransportId } from './transport-id.js';
import { isPrType, PrScope } from './persistent-reserve.js';

export const PERSISTENT_RESERVE_OUT_CDB_LENGTH = 10;
export const PERSISTENT_RESERVE_OUT_DIRECTION: DataDirection = 'out';
/** Length of the basic parameter list. */
export const PR_OUT_BASIC_PARAMETER_LENGTH = 24;

export const PrOutServiceAction = {
  REGISTER: 0x00,
  RESERVE: 0x01,
  RELEASE: 0x02,
  CLEAR: 0x03,
  PREEMPT: 0x04,
  PREEMPT_AND_ABORT: 0x05,
  REGISTER_AND_IGNORE_EXISTING_KEY: 0x06,
} as const;

/** Service actions whose TYPE field is used (the others ignore SCOPE/TYPE). */
const usesType = new Set<number>([PrOutServiceAction.RESERVE, PrOutServiceAction.RELEASE, PrOutServiceAction.PREEMPT, PrOutServiceAction.PREEMPT_AND_ABORT]);

export interface PersistentReserveOutCdb extends CdbCommon {
  serviceAction: number;
  scope: number;
  type: number;
  parameterListLength: number;
}

export function encodePersistentReserveOutCdb(params: PersistentReserveOutCdb): Buffer {
  const w = new ByteWriter(PERSISTENT_RESERVE_OUT_CDB_LENGTH);
  w.u8(0, Opcode.PERSISTENT_RESERVE_OUT);
  w.bits(1, 0, 5, uint('serviceAction', params.serviceAction, 0x1f));
  w.bits(2, 4, 4, uint('scope', params.scope, 0xf)).bits(2, 0, 4, uint('type', params.type, 0xf));
  w.u32(5, uint('parameterListLength', params.parameterListLength, 0xffffffff));
  writeControl(w, 9, params.control);
  return w.buffer;
}

export function decodePersistentReserveOutCdb(cdb: Uint8Array): PersistentReserveOutCdb {
  const what = 'PERSISTENT RESERVE OUT';
  const r = cdbReader(cdb, PERSISTENT_RESERVE_OUT_CDB_LENGTH, what);
  expectOpcode(r, Opcode.PERSISTENT_RESERVE_OUT, what);
  rejectBits(r, 1, 0xe0, what);
  const serviceAction = r.bits(1, 0, 5);
  if (serviceAction > PrOutServiceAction.REGISTER_AND_IGNORE_EXISTING_KEY) {
    throw invalidCdbField(1, `${what}: SERVICE ACTION ${serviceAction} not supported`, 4);
  }
  const scope = r.bits(2, 4, 4);
  const type = r.bits(2, 0, 4);
  if (usesType.has(serviceAction)) {
    if (scope !== PrScope.LU_SCOPE) throw invalidCdbField(2, `${what}: SCOPE ${scope} (only LU_SCOPE)`, 7);
    if (!isPrType(type)) throw invalidCdbField(2, `${what}: TYPE ${type} is not a persistent reservation type`, 3);
  }
  rejectBytes(r, 3, 4, what);
  return { serviceAction, scope, type, parameterListLength: r.u32(5), ...readControl(r, 9, what) };
}

export interface PersistentReserveOutParameters {
  reservationKey: bigint;
  serviceActionReservationKey: bigint;
  /** ALL_TG_PT: register through every target port. */
  allTgPt: boolean;
  /** APTPL: keep the registrations through a power loss. */
  aptpl: boolean;
  /** SPEC_I_PT: also register these initiator ports (REGISTER only); present iff SPEC_I_PT is set. */
  transportIds?: TransportId[];
}

export function encodePersistentReserveOutParameters(p: PersistentReserveOutParameters): Buffer {
  const tids = p.transportIds?.map(encodeTransportId);
  const tidBytes = tids ? Buffer.concat(tids) : undefined;
  const w = new ByteWriter(PR_OUT_BASIC_PARAMETER_LENGTH + (tidBytes ? 4 + tidBytes.length : 0));
  w.u64(0, u64('reservationKey', p.reservationKey));
  w.u64(8, u64('serviceActionReservationKey', p.serviceActionReservationKey));
  w.bit(20, 3, tidBytes !== undefined).bit(20, 2, p.allTgPt).bit(20, 0, p.aptpl);
  if (tidBytes) {
    w.u32(24, tidBytes.length);
    w.bytes(28, tidBytes);
  }
  return w.buffer;
}

/** Decodes a PERSISTENT RESERVE OUT parameter list for `serviceAction` (emulator side). */
export function decodePersistentReserveOutParameters(data: Uint8Array, serviceAction: number): PersistentReserveOutParameters {
  const what = 'PERSISTENT RESERVE OUT parameter list';
  const r = parameterReader(data, what);
  if (data.length < PR_OUT_BASIC_PARAMETER_LENGTH) {
    throw new CheckCondition(Sense.PARAMETER_LIST_LENGTH_ERROR, `${what}: ${data.length} bytes, need 24`);
  }
  for (const b of [16, 17, 18, 19, 21, 22, 23]) {
    if (r.u8(b) !== 0) throw invalidParameterField(b, `${what}: obsolete/reserved byte ${b} is not zero`, 7);
  }
  const b20 = r.u8(20);
  if ((b20 & 0xf2) !== 0) {
    const bit = 31 - Math.clz32(b20 & 0xf2);
    throw invalidParameterField(20, `${what}: reserved bit ${bit} of byte 20 is set`, bit);
  }
  const specIPt = (b20 & 0x08) !== 0;
  const out: PersistentReserveOutParameters = {
    reservationKey: r.u64(0),
    serviceActionReservationKey: r.u64(8),
    allTgPt: (b20 & 0x04) !== 0,
    aptpl: (b20 & 0x01) !== 0,
  };
  if (!specIPt) {
    if (data.length !== PR_OUT_BASIC_PARAMETER_LENGTH) {
      throw new CheckCondition(Sense.PARAMETER_LIST_LENGTH_ERROR, `${what}: ${data.length} bytes without SPEC_I_PT, must be 24`);
    }
    return out;
  }
  if (serviceAction !== PrOutServiceAction.REGISTER && serviceAction !== PrOutServiceAction.REGISTER_AND_IGNORE_EXISTING_KEY) {
    throw invalidParameterField(20, `${what}: SPEC_I_PT with service action ${serviceAction}`, 3);
  }
  if (data.length < 28) throw new CheckCondition(Sense.PARAMETER_LIST_LENGTH_ERROR, `${what}: SPEC_I_PT without TRANSPORTID PARAMETER DATA LENGTH`);
  const tidLength = r.u32(24);
  if (28 + tidLength !== data.length) {
    throw new CheckCondition(Sense.PARAMETER_LIST_LENGTH_ERROR, `${what}: TRANSPORTID PARAMETER DATA LENGTH ${tidLength} with ${data.length - 28} bytes present`);
  }
  const transportIds: TransportId[] = [];
  for (let o = 28; o < data.length; ) {
    const { id, length } = decodeTransportId(r, o, data.length - o, (m, byte) => invalidParameterField(byte, `${what}: ${m}`));
    transportIds.push(id);
    o += length;
  }
  return { ...out, transportIds };
}
