/**
 * The CDB shape READ(10)/(12) and WRITE(10)/(12) share (MMC-6 and SBC-3 tables for
 * each). Internal: each command has its own file that names it.
 *
 *   10-byte: byte 0 opcode | byte 1 Reserved (7-5) DPO (4) FUA (3) Reserved (2-0) | bytes 2-5 LBA |
 *            byte 6 Reserved | bytes 7-8 TRANSFER LENGTH | byte 9 CONTROL
 *   12-byte: byte 0 opcode | byte 1 as above | bytes 2-5 LBA | bytes 6-9 TRANSFER LENGTH |
 *            byte 10 STREAMING (7) | Reserved (6-0) | byte 11 CONTROL
 *
 * MMC addresses are signed 32-bit: a raw (DAO) write starts in the lead-in at a negative LBA
 * (MSF 95:00:00 is LBA -22500), sent as two's complement. The SBC-only fields (RDPROTECT/WRPROTECT,
 * FUA_NV, GROUP NUMBER, the obsolete RELADR) are reserved for MMC and rejected.
 */
import { cdbReader, type CdbCommon } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, int, readControl, rejectBits, uint, writeControl } from './cdb-fields.js';

export interface ReadWriteCdbFields extends CdbCommon {
  /** Signed 32-bit logical block address (negative in the lead-in). */
  lba: number;
  /** Blocks to transfer: 16-bit for the 10-byte CDBs, 32-bit for the 12-byte ones. */
  transferLength: number;
  /** DPO: disable page out (do not keep the blocks in cache). Omitted on decode when false. */
  dpo?: boolean;
  /** FUA: force unit access (bypass the cache). Omitted on decode when false. */
  fua?: boolean;
}

export function encodeReadWriteCdb(opcode: number, size: 10 | 12, p: ReadWriteCdbFields, streaming?: boolean): Buffer {
  const w = new ByteWriter(size);
  w.u8(0, opcode);
  w.bit(1, 4, p.dpo ?? false).bit(1, 3, p.fua ?? false);
  w.i32(2, int('lba', p.lba, -0x80000000, 0x7fffffff));
  if (size === 10) {
    w.u16(7, uint('transferLength', p.transferLength, 0xffff));
  } else {
    w.u32(6, uint('transferLength', p.transferLength, 0xffffffff));
    w.bit(10, 7, streaming ?? false);
  }
  writeControl(w, size - 1, p.control);
  return w.buffer;
}

export function decodeReadWriteCdb(cdb: Uint8Array, opcode: number, size: 10 | 12, what: string): ReadWriteCdbFields & { streaming?: boolean } {
  const r = cdbReader(cdb, size, what);
  expectOpcode(r, opcode, what);
  rejectBits(r, 1, 0xe7, what);
  const out: ReadWriteCdbFields & { streaming?: boolean } = { lba: r.i32(2), transferLength: 0 };
  if (size === 10) {
    rejectBits(r, 6, 0xff, what);
    out.transferLength = r.u16(7);
  } else {
    rejectBits(r, 10, 0x7f, what);
    out.transferLength = r.u32(6);
    if (r.bit(10, 7)) out.streaming = true;
  }
  if (r.bit(1, 4)) out.dpo = true;
  if (r.bit(1, 3)) out.fua = true;
  return { ...out, ...readControl(r, size - 1, what) };
}
