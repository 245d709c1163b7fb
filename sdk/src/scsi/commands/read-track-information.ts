/**
 * READ TRACK INFORMATION (52h) — MMC-6 (T10/1836-D r2g) §6.27.
 *
 * CDB (MMC-6 table "READ TRACK INFORMATION CDB"):
 *   byte 0     OPERATION CODE (52h)
 *   byte 1     Reserved (7..3) | Open (2) | ADDRESS/NUMBER TYPE (1..0): 00b LBA, 01b logical track
 *              number, 10b session number, 11b reserved. Open=1 is defined only with type 01b
 *              (first open track numbered ≥ the given one)
 *   bytes 2-5  LOGICAL BLOCK ADDRESS/TRACK/SESSION NUMBER (an LBA is signed: CD lead-in LBAs are
 *              negative; track FFh = the invisible/incomplete track on CD and DVD-R)
 *   byte 6     Reserved
 *   bytes 7-8  ALLOCATION LENGTH
 *   byte 9     CONTROL
 *
 * Reply (MMC-6 table "Track Information Block"):
 *   bytes 0-1  DATA LENGTH (bytes that follow this field; 46 in MMC-6, 34 in MMC-3, 26 in MMC-2)
 *   byte 2     LOGICAL TRACK NUMBER (LSB)
 *   byte 3     SESSION NUMBER (LSB)
 *   byte 4     Reserved
 *   byte 5     LJRS (7..6) | Damage (5) | Copy (4) | TRACK MODE (3..0, the Q CONTROL nibble)
 *   byte 6     RT (7) | Blank (6) | Packet/Inc (5) | FP (4) | DATA MODE (3..0): 1h mode 1,
 *              2h mode 2 (XA), Fh unknown
 *   byte 7     Reserved (7..2) | LRA_V (1) | NWA_V (0)
 *   bytes 8-11  LOGICAL TRACK START ADDRESS
 *   bytes 12-15 NEXT WRITABLE ADDRESS (meaningful only when NWA_V)
 *   bytes 16-19 FREE BLOCKS
 *   bytes 20-23 FIXED PACKET SIZE / BLOCKING FACTOR
 *   bytes 24-27 LOGICAL TRACK SIZE
 *   bytes 28-31 LAST RECORDED ADDRESS (meaningful only when LRA_V)
 *   byte 32    LOGICAL TRACK NUMBER (MSB)
 *   byte 33    SESSION NUMBER (MSB)
 *   bytes 34-35 Reserved
 *   bytes 36-39 READ COMPATIBILITY LBA
 *   bytes 40-43 NEXT LAYER JUMP ADDRESS
 *   bytes 44-47 LAST LAYER JUMP ADDRESS
 * Addresses are read as signed 32-bit: on CD a track's start (and the NWA of a blank disc written
 * from the pre-gap) can lie before LBA 0. An NWA or LRA whose valid bit is clear is returned as the
 * drive sent it but must not be used. Fields past a shorter (older) DATA LENGTH read as zero.
 */
import { ByteWriter } from '../../wire/bytes.js';
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidCdbField, invalidReply, replyReader, type CdbCommon } from '../codec.js';
import { expectOpcode, int, readControl, rejectBits, rejectBytes, uint, writeControl } from './cdb-fields.js';

/** ADDRESS/NUMBER TYPE (byte 1 bits 1..0). */
export const TrackAddressType = {
  LBA: 0,
  TRACK: 1,
  SESSION: 2,
} as const;

/** Track number meaning the invisible/incomplete track (with TrackAddressType.TRACK). */
export const INVISIBLE_TRACK = 0xff;

/** Length of the MMC-6 track information block. */
export const TRACK_INFORMATION_LENGTH = 48;

// ---------------------------------------------------------------------------------------------
// CDB

export interface ReadTrackInformationCdb extends CdbCommon {
  open: boolean;
  /** TrackAddressType. */
  addressType: number;
  /** LBA (signed) for type LBA; track or session number otherwise. */
  address: number;
  allocationLength: number;
}

export function encodeReadTrackInformationCdb(p: ReadTrackInformationCdb): Buffer {
  const type = uint('addressType', p.addressType, 2);
  if (p.open && type !== TrackAddressType.TRACK) throw new TypeError('open: only defined with addressType TRACK (01b)');
  const w = new ByteWriter(10);
  w.u8(0, Opcode.READ_TRACK_INFORMATION);
  w.u8(1, (p.open ? 4 : 0) | type);
  if (type === TrackAddressType.LBA) w.i32(2, int('address', p.address, -0x80000000, 0x7fffffff));
  else w.u32(2, uint('address', p.address, 0xffffffff));
  w.u16(7, uint('allocationLength', p.allocationLength, 0xffff));
  writeControl(w, 9, p.control);
  return w.buffer;
}

export function decodeReadTrackInformationCdb(cdb: Uint8Array): ReadTrackInformationCdb {
  const what = 'READ TRACK INFORMATION CDB';
  const r = cdbReader(cdb, 10, what);
  expectOpcode(r, Opcode.READ_TRACK_INFORMATION, what);
  rejectBits(r, 1, 0xf8, what);
  const addressType = r.bits(1, 0, 2);
  if (addressType === 3) throw invalidCdbField(1, 'READ TRACK INFORMATION: address/number type 11b is reserved', 1);
  const open = r.bit(1, 2);
  if (open && addressType !== TrackAddressType.TRACK) {
    throw invalidCdbField(1, 'READ TRACK INFORMATION: Open is defined only with address/number type 01b', 2);
  }
  rejectBytes(r, 6, 6, what);
  const address = addressType === TrackAddressType.LBA ? r.i32(2) : r.u32(2);
  return { open, addressType, address, allocationLength: r.u16(7), ...readControl(r, 9, what) };
}

// ---------------------------------------------------------------------------------------------
// Reply

export interface TrackInformation {
  trackNumber: number;
  sessionNumber: number;
  /** Layer jump recording status (0 no layer jump, 1 unspecified, 2 manual, 3 regular interval). */
  ljrs: number;
  damage: boolean;
  copy: boolean;
  /** Q CONTROL nibble: bit 2 data, bit 3 four-channel, bit 1 digital copy permitted, bit 0 pre-emphasis. */
  trackMode: number;
  rt: boolean;
  blank: boolean;
  packetInc: boolean;
  fp: boolean;
  /** 1 mode 1, 2 mode 2, 15 unknown. */
  dataMode: number;
  lraValid: boolean;
  nwaValid: boolean;
  trackStartAddress: number;
  nextWritableAddress: number;
  freeBlocks: number;
  fixedPacketSize: number;
  trackSize: number;
  lastRecordedAddress: number;
  readCompatibilityLba: number;
  nextLayerJumpAddress: number;
  lastLayerJumpAddress: number;
}

export interface TrackInformationDecoded extends TrackInformation {
  /** DATA LENGTH + 2. */
  fullLength: number;
  truncated: boolean;
}

/** The whole 48-byte track information block (the caller cuts it to the allocation length). */
export function encodeTrackInformationReply(t: TrackInformation): Buffer {
  const w = new ByteWriter(TRACK_INFORMATION_LENGTH);
  const track = uint('trackNumber', t.trackNumber, 0xffff);
  const session = uint('sessionNumber', t.sessionNumber, 0xffff);
  w.u16(0, TRACK_INFORMATION_LENGTH - 2);
  w.u8(2, track & 0xff).u8(32, track >> 8);
  w.u8(3, session & 0xff).u8(33, session >> 8);
  w.u8(5, (uint('ljrs', t.ljrs, 3) << 6) | (t.damage ? 0x20 : 0) | (t.copy ? 0x10 : 0) | uint('trackMode', t.trackMode, 15));
  w.u8(6, (t.rt ? 0x80 : 0) | (t.blank ? 0x40 : 0) | (t.packetInc ? 0x20 : 0) | (t.fp ? 0x10 : 0) | uint('dataMode', t.dataMode, 15));
  w.u8(7, (t.lraValid ? 2 : 0) | (t.nwaValid ? 1 : 0));
  const addr = (name: string, v: number) => int(name, v, -0x80000000, 0x7fffffff);
  w.i32(8, addr('trackStartAddress', t.trackStartAddress));
  w.i32(12, addr('nextWritableAddress', t.nextWritableAddress));
  w.u32(16, uint('freeBlocks', t.freeBlocks, 0xffffffff));
  w.u32(20, uint('fixedPacketSize', t.fixedPacketSize, 0xffffffff));
  w.u32(24, uint('trackSize', t.trackSize, 0xffffffff));
  w.i32(28, addr('lastRecordedAddress', t.lastRecordedAddress));
  w.i32(36, addr('readCompatibilityLba', t.readCompatibilityLba));
  w.i32(40, addr('nextLayerJumpAddress', t.nextLayerJumpAddress));
  w.i32(44, addr('lastLayerJumpAddress', t.lastLayerJumpAddress));
  return w.buffer;
}

export function decodeTrackInformationReply(buf: Uint8Array): TrackInformationDecoded {
  const r = replyReader(buf, 'READ TRACK INFORMATION reply');
  const len = r.u16(0);
  // MMC-2's block (through LOGICAL TRACK SIZE) is the shortest a drive has ever returned.
  if (buf.length >= 2 && len < 26) throw invalidReply(`READ TRACK INFORMATION: DATA LENGTH ${len} is shorter than the 26 bytes of the oldest track information block`);
  const fullLength = buf.length >= 2 ? len + 2 : TRACK_INFORMATION_LENGTH;
  const end = Math.min(buf.length, fullLength);
  // Fields beyond DATA LENGTH are absent (older drive), not truncated: read them as zero.
  const at = (off: number, size: number, read: () => number): number => (off + size <= fullLength ? read() : 0);
  const t: TrackInformationDecoded = {
    trackNumber: (at(32, 1, () => r.u8(32)) << 8) | r.u8(2),
    sessionNumber: (at(33, 1, () => r.u8(33)) << 8) | r.u8(3),
    ljrs: r.bits(5, 6, 2),
    damage: r.bit(5, 5),
    copy: r.bit(5, 4),
    trackMode: r.bits(5, 0, 4),
    rt: r.bit(6, 7),
    blank: r.bit(6, 6),
    packetInc: r.bit(6, 5),
    fp: r.bit(6, 4),
    dataMode: r.bits(6, 0, 4),
    lraValid: r.bit(7, 1),
    nwaValid: r.bit(7, 0),
    trackStartAddress: r.i32(8),
    nextWritableAddress: r.i32(12),
    freeBlocks: r.u32(16),
    fixedPacketSize: r.u32(20),
    trackSize: r.u32(24),
    lastRecordedAddress: at(28, 4, () => r.i32(28)),
    readCompatibilityLba: at(36, 4, () => r.i32(36)),
    nextLayerJumpAddress: at(40, 4, () => r.i32(40)),
    lastLayerJumpAddress: at(44, 4, () => r.i32(44)),
    fullLength,
    truncated: false,
  };
  t.truncated = r.readPastEnd || end < fullLength;
  return t;
}
