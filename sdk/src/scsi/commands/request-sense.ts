/**
 * REQUEST SENSE (03h) — SPC-4 table "REQUEST SENSE command"; MMC-6 clause 6.
 *
 *   byte 0     OPERATION CODE (03h)
 *   byte 1     Reserved (7-1) | DESC (0)
 *   bytes 2-3  Reserved
 *   byte 4     ALLOCATION LENGTH
 *   byte 5     CONTROL
 *
 * Data in: sense data (SPC-4 §4.5), fixed format (DESC=0, response code 70h/71h) or descriptor
 * format (DESC=1, 72h/73h); layouts in wire/sense.ts, which builds and parses them. Either way
 * byte 7 is the ADDITIONAL SENSE LENGTH (n-7), so the whole reply is 8 + byte 7 bytes.
 * Sense data is never longer than 252 bytes (SPC-4 §4.5): that is the allocation length to use
 * when even byte 7 was cut off.
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidReply, replyReader, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { buildDescriptorSense, buildFixedSense, parseSense, type BuildSense, type SenseData } from '../../wire/sense.js';
import { expectOpcode, readControl, rejectBits, rejectBytes, uint, writeControl } from './cdb-fields.js';

export const REQUEST_SENSE_CDB_LENGTH = 6;
export const REQUEST_SENSE_DIRECTION: DataDirection = 'in';
/** Largest sense data a device returns (SPC-4 §4.5). */
export const MAX_SENSE_LENGTH = 252;

export interface RequestSenseCdb extends CdbCommon {
  /** DESC: ask for descriptor-format sense. */
  desc: boolean;
  allocationLength: number;
}

export function encodeRequestSenseCdb(params: RequestSenseCdb): Buffer {
  const w = new ByteWriter(REQUEST_SENSE_CDB_LENGTH);
  w.u8(0, Opcode.REQUEST_SENSE);
  w.bit(1, 0, params.desc);
  w.u8(4, uint('allocationLength', params.allocationLength, 0xff));
  writeControl(w, 5, params.control);
  return w.buffer;
}

export function decodeRequestSenseCdb(cdb: Uint8Array): RequestSenseCdb {
  const what = 'REQUEST SENSE';
  const r = cdbReader(cdb, REQUEST_SENSE_CDB_LENGTH, what);
  expectOpcode(r, Opcode.REQUEST_SENSE, what);
  rejectBits(r, 1, 0xfe, what);
  rejectBytes(r, 2, 3, what);
  return { desc: r.bit(1, 0), allocationLength: r.u8(4), ...readControl(r, 5, what) };
}

/** Sense data for the reply: descriptor format when the CDB's DESC bit asked for it. */
export function encodeRequestSenseReply(sense: BuildSense, desc: boolean): Buffer {
  return desc ? buildDescriptorSense(sense) : buildFixedSense(sense);
}

export interface RequestSenseReply {
  /** The parsed sense data; undefined only when not even byte 0 arrived. */
  sense: SenseData | undefined;
  truncated: boolean;
  /** Length of the whole sense data (8 + ADDITIONAL SENSE LENGTH), or 252 when byte 7 was cut off. */
  fullLength: number;
}

export function decodeRequestSenseReply(buf: Uint8Array): RequestSenseReply {
  const r = replyReader(buf, 'REQUEST SENSE data');
  if (buf.length === 0) return { sense: undefined, truncated: true, fullLength: MAX_SENSE_LENGTH };
  const code = r.u8(0) & 0x7f;
  if (code < 0x70 || code > 0x73) throw invalidReply(`REQUEST SENSE: response code ${code.toString(16)}h is not 70h-73h`);
  const fullLength = r.has(7) ? 8 + r.u8(7) : MAX_SENSE_LENGTH;
  if (fullLength > MAX_SENSE_LENGTH) throw invalidReply(`REQUEST SENSE: additional sense length ${r.u8(7)} exceeds 244`);
  if (code >= 0x72) {
    // Descriptors must fit the declared length: each is type, additional length, then that many bytes.
    let o = 8;
    while (o + 2 <= fullLength && r.has(o, 2)) {
      const next = o + 2 + r.u8(o + 1);
      if (next > fullLength) throw invalidReply(`REQUEST SENSE: sense data descriptor at byte ${o} runs past the additional sense length`);
      o = next;
    }
    if (o + 1 === fullLength) throw invalidReply(`REQUEST SENSE: stray byte after the last sense data descriptor`);
  }
  return { sense: parseSense(buf), truncated: buf.length < fullLength, fullLength };
}
