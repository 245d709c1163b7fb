/**
 * PERSISTENT RESERVE IN (5Eh) — SPC-4 table "PERSISTENT RESERVE IN command" and the parameter data
 * tables of its service actions.
 *
 * CDB:
 *   byte 0     OPERATION CODE (5Eh)
 *   byte 1     Reserved (7-5) | SERVICE ACTION (4-0): 00h READ KEYS, 01h READ RESERVATION,
 *              02h REPORT CAPABILITIES, 03h READ FULL STATUS
 *   bytes 2-6  Reserved
 *   bytes 7-8  ALLOCATION LENGTH
 *   byte 9     CONTROL
 *
 * READ KEYS data:      bytes 0-3 PRGENERATION | 4-7 ADDITIONAL LENGTH (n-7) | 8-n keys, 8 bytes each
 * READ RESERVATION:    bytes 0-3 PRGENERATION | 4-7 ADDITIONAL LENGTH (0 or 10h) | then, if 10h:
 *                      8-15 RESERVATION KEY | 16-19 Obsolete | 20 Reserved | 21 SCOPE (7-4) TYPE (3-0) | 22-23 Obsolete
 * REPORT CAPABILITIES: bytes 0-1 LENGTH (0008h)
 *                      byte 2 RLR_C (7) | Reserved (6-5) | CRH (4) | SIP_C (3) | ATP_C (2) | Reserved (1) | PTPL_C (0)
 *                      byte 3 TMV (7) | ALLOW COMMANDS (6-4) | Reserved (3-1) | PTPL_A (0)
 *                      bytes 4-5 PERSISTENT RESERVATION TYPE MASK: byte 4 WR_EX_AR (7) EX_AC_RO (6)
 *                      WR_EX_RO (5) EX_AC (3) WR_EX (1); byte 5 EX_AC_AR (0) | bytes 6-7 Reserved
 * READ FULL STATUS:    bytes 0-3 PRGENERATION | 4-7 ADDITIONAL LENGTH (n-7) | full status descriptors:
 *                      0-7 RESERVATION KEY | 8-11 Reserved | 12 Reserved (7-2) ALL_TG_PT (1) R_HOLDER (0) |
 *                      13 SCOPE (7-4) TYPE (3-0) | 14-17 Reserved | 18-19 RELATIVE TARGET PORT IDENTIFIER |
 *                      20-23 ADDITIONAL DESCRIPTOR LENGTH (n-23) | 24-n TransportID (transport-id.ts)
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidCdbField, invalidReply, replyReader, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBits, rejectBytes, u64, uint, writeControl } from './cdb-fields.js';
import { decodeTransportId, encodeTransportId, type TransportId } from './transport-id.js';
import { PrType } from './persistent-reserve.js';

export const PERSISTENT_RESERVE_IN_CDB_LENGTH = 10;
export const PERSISTENT_RESERVE_IN_DIRECTION: DataDirection = 'in';

export const PrInServiceAction = {
  READ_KEYS: 0x00,
  READ_RESERVATION: 0x01,
  REPORT_CAPABILITIES: 0x02,
  READ_FULL_STATUS: 0x03,
} as const;

export interface PersistentReserveInCdb extends CdbCommon {
  serviceAction: number;
  allocationLength: number;
}

export function encodePersistentReserveInCdb(params: PersistentReserveInCdb): Buffer {
  const w = new ByteWriter(PERSISTENT_RESERVE_IN_CDB_LENGTH);
  w.u8(0, Opcode.PERSISTENT_RESERVE_IN);
  w.bits(1, 0, 5, uint('serviceAction', params.serviceAction, 0x1f));
  w.u16(7, uint('allocationLength', params.allocationLength, 0xffff));
  writeControl(w, 9, params.control);
  return w.buffer;
}

export function decodePersistentReserveInCdb(cdb: Uint8Array): PersistentReserveInCdb {
  const what = 'PERSISTENT RESERVE IN';
  const r = cdbReader(cdb, PERSISTENT_RESERVE_IN_CDB_LENGTH, what);
  expectOpcode(r, Opcode.PERSISTENT_RESERVE_IN, what);
  rejectBits(r, 1, 0xe0, what);
  const serviceAction = r.bits(1, 0, 5);
  if (serviceAction > PrInServiceAction.READ_FULL_STATUS) throw invalidCdbField(1, `${what}: SERVICE ACTION ${serviceAction} not supported`, 4);
  rejectBytes(r, 2, 6, what);
  return { serviceAction, allocationLength: r.u16(7), ...readControl(r, 9, what) };
}

interface ReplyMeta {
  truncated: boolean;
  fullLength: number;
}

function header(buf: Uint8Array, what: string) {
  const r = replyReader(buf, what);
  const haveHeader = r.has(0, 8);
  const additional = r.u32(4);
  return { r, prGeneration: r.u32(0), additional, fullLength: haveHeader ? 8 + additional : 8 };
}

// --- READ KEYS -------------------------------------------------------------------------------

export interface PrReadKeysData {
  prGeneration: number;
  /** Reservation keys of the registered I_T nexuses. */
  keys: bigint[];
}

export function encodePrReadKeysReply(d: PrReadKeysData): Buffer {
  const w = new ByteWriter(8 + 8 * d.keys.length);
  w.u32(0, uint('prGeneration', d.prGeneration, 0xffffffff));
  w.u32(4, 8 * d.keys.length);
  d.keys.forEach((k, i) => w.u64(8 + 8 * i, u64(`keys[${i}]`, k)));
  return w.buffer;
}

export function decodePrReadKeysReply(buf: Uint8Array): PrReadKeysData & ReplyMeta {
  const { r, prGeneration, additional, fullLength } = header(buf, 'READ KEYS data');
  if (r.has(4, 4) && additional % 8 !== 0) throw invalidReply(`READ KEYS: ADDITIONAL LENGTH ${additional} is not a multiple of 8`);
  const keys: bigint[] = [];
  for (let o = 8; o + 8 <= fullLength && r.has(o, 8); o += 8) keys.push(r.u64(o));
  return { prGeneration, keys, truncated: buf.length < fullLength, fullLength };
}

// --- READ RESERVATION ------------------------------------------------------------------------

export interface PrReservation {
  key: bigint;
  scope: number;
  type: number;
}

export interface PrReadReservationData {
  prGeneration: number;
  /** The persistent reservation, absent when there is none. */
  reservation?: PrReservation;
}

export function encodePrReadReservationReply(d: PrReadReservationData): Buffer {
  const w = new ByteWriter(d.reservation ? 24 : 8);
  w.u32(0, uint('prGeneration', d.prGeneration, 0xffffffff));
  if (d.reservation) {
    w.u32(4, 16);
    w.u64(8, u64('reservation.key', d.reservation.key));
    w.bits(21, 4, 4, uint('reservation.scope', d.reservation.scope, 0xf));
    w.bits(21, 0, 4, uint('reservation.type', d.reservation.type, 0xf));
  }
  return w.buffer;
}

export function decodePrReadReservationReply(buf: Uint8Array): PrReadReservationData & ReplyMeta {
  const { r, prGeneration, additional, fullLength } = header(buf, 'READ RESERVATION data');
  if (r.has(4, 4) && additional !== 0 && additional !== 16) throw invalidReply(`READ RESERVATION: ADDITIONAL LENGTH ${additional} (0 or 16)`);
  const out: PrReadReservationData & ReplyMeta = { prGeneration, truncated: buf.length < fullLength, fullLength };
  if (additional === 16 && buf.length > 8) out.reservation = { key: r.u64(8), scope: r.bits(21, 4, 4), type: r.bits(21, 0, 4) };
  return out;
}

// --- REPORT CAPABILITIES ---------------------------------------------------------------------

export interface PrCapabilities {
  /** RLR_C: replace lost reservation capable. */
  rlrC: boolean;
  /** CRH: compatible reservation handling (RESERVE/RELEASE(6) vs persistent reservations). */
  crh: boolean;
  /** SIP_C: SPEC_I_PT supported. */
  sipC: boolean;
  /** ATP_C: ALL_TG_PT supported. */
  atpC: boolean;
  /** PTPL_C: persist through power loss supported. */
  ptplC: boolean;
  /** TMV: the type mask is valid. */
  tmv: boolean;
  allowCommands: number;
  /** PTPL_A: persist through power loss activated. */
  ptplA: boolean;
  /** Supported PrType values (meaningful when `tmv`), ascending. */
  types: number[];
}

/** PERSISTENT RESERVATION TYPE MASK bit (byte 4 << 8 | byte 5) for each type. */
const typeMaskBit: Record<number, number> = {
  [PrType.WRITE_EXCLUSIVE_ALL_REGISTRANTS]: 0x8000,
  [PrType.EXCLUSIVE_ACCESS_REGISTRANTS_ONLY]: 0x4000,
  [PrType.WRITE_EXCLUSIVE_REGISTRANTS_ONLY]: 0x2000,
  [PrType.EXCLUSIVE_ACCESS]: 0x0800,
  [PrType.WRITE_EXCLUSIVE]: 0x0200,
  [PrType.EXCLUSIVE_ACCESS_ALL_REGISTRANTS]: 0x0001,
};

export function encodePrReportCapabilitiesReply(c: PrCapabilities): Buffer {
  const w = new ByteWriter(8);
  w.u16(0, 8);
  w.bit(2, 7, c.rlrC).bit(2, 4, c.crh).bit(2, 3, c.sipC).bit(2, 2, c.atpC).bit(2, 0, c.ptplC);
  w.bit(3, 7, c.tmv).bits(3, 4, 3, uint('allowCommands', c.allowCommands, 7)).bit(3, 0, c.ptplA);
  let mask = 0;
  for (const t of c.types) {
    const bit = typeMaskBit[t];
    if (bit === undefined) throw new TypeError(`types: ${t} is not a persistent reservation type`);
    mask |= bit;
  }
  w.u16(4, mask);
  return w.buffer;
}

export function decodePrReportCapabilitiesReply(buf: Uint8Array): PrCapabilities & ReplyMeta {
  const r = replyReader(buf, 'REPORT CAPABILITIES data');
  const length = r.u16(0);
  if (r.has(0, 2) && length < 8) throw invalidReply(`REPORT CAPABILITIES: LENGTH ${length} (at least 8)`);
  const fullLength = r.has(0, 2) ? length : 8;
  const mask = r.u16(4);
  const types = Object.entries(typeMaskBit)
    .filter(([, bit]) => (mask & bit) !== 0)
    .map(([t]) => Number(t))
    .sort((a, b) => a - b);
  return {
    rlrC: r.bit(2, 7),
    crh: r.bit(2, 4),
    sipC: r.bit(2, 3),
    atpC: r.bit(2, 2),
    ptplC: r.bit(2, 0),
    tmv: r.bit(3, 7),
    allowCommands: r.bits(3, 4, 3),
    ptplA: r.bit(3, 0),
    types,
    truncated: buf.length < fullLength,
    fullLength,
  };
}

// --- READ FULL STATUS ------------------------------------------------------------------------

export interface PrFullStatusDescriptor {
  key: bigint;
  allTgPt: boolean;
  /** R_HOLDER: this registrant holds the reservation (then scope/type are meaningful). */
  reservationHolder: boolean;
  scope: number;
  type: number;
  relativeTargetPortIdentifier: number;
  transportId: TransportId;
}

export interface PrReadFullStatusData {
  prGeneration: number;
  descriptors: PrFullStatusDescriptor[];
}

export function encodePrReadFullStatusReply(d: PrReadFullStatusData): Buffer {
  const parts = d.descriptors.map((s, i) => {
    const tid = encodeTransportId(s.transportId);
    const w = new ByteWriter(24 + tid.length);
    w.u64(0, u64(`descriptors[${i}].key`, s.key));
    w.bit(12, 1, s.allTgPt).bit(12, 0, s.reservationHolder);
    w.bits(13, 4, 4, uint(`descriptors[${i}].scope`, s.scope, 0xf)).bits(13, 0, 4, uint(`descriptors[${i}].type`, s.type, 0xf));
    w.u16(18, uint(`descriptors[${i}].relativeTargetPortIdentifier`, s.relativeTargetPortIdentifier, 0xffff));
    w.u32(20, tid.length);
    w.bytes(24, tid);
    return w.buffer;
  });
  const body = Buffer.concat(parts);
  const w = new ByteWriter(8 + body.length);
  w.u32(0, uint('prGeneration', d.prGeneration, 0xffffffff));
  w.u32(4, body.length);
  w.bytes(8, body);
  return w.buffer;
}

export function decodePrReadFullStatusReply(buf: Uint8Array): PrReadFullStatusData & ReplyMeta {
  const what = 'READ FULL STATUS';
  const { r, prGeneration, fullLength } = header(buf, `${what} data`);
  const descriptors: PrFullStatusDescriptor[] = [];
  let o = 8;
  while (o < fullLength) {
    if (o + 24 > fullLength) throw invalidReply(`${what}: ${fullLength - o} byte(s) at ${o}, less than a full status descriptor`);
    if (!r.has(o, 24)) break;
    const tidLength = r.u32(o + 20);
    if (o + 24 + tidLength > fullLength) throw invalidReply(`${what}: descriptor at byte ${o} runs past ADDITIONAL LENGTH`);
    if (!r.has(o + 24, tidLength)) break;
    const { id, length } = decodeTransportId(r, o + 24, tidLength, (m, byte) => invalidReply(`${what}: ${m} (byte ${byte})`));
    if (length !== tidLength) throw invalidReply(`${what}: ADDITIONAL DESCRIPTOR LENGTH ${tidLength} but a TransportID of ${length} bytes at ${o + 24}`);
    descriptors.push({
      key: r.u64(o),
      allTgPt: r.bit(o + 12, 1),
      reservationHolder: r.bit(o + 12, 0),
      scope: r.bits(o + 13, 4, 4),
      type: r.bits(o + 13, 0, 4),
      relativeTargetPortIdentifier: r.u16(o + 18),
      transportId: id,
    });
    o += 24 + tidLength;
  }
  return { prGeneration, descriptors, truncated: buf.length < fullLength, fullLength };
}
