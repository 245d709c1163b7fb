/**
 * Small helpers shared by the SPC/SBC/MMC command codecs of this folder (CDB field checks and
 * argument checks). Internal: not re-exported from the commands barrel.
 *
 * CONTROL byte (SAM-5 table "CONTROL byte"): bits 7-6 vendor specific, 5-3 reserved,
 * 2 NACA, 1 obsolete, 0 LINK (obsolete). The codecs pass the byte through as `control` (omitted
 * when zero) and reject only the reserved bits; whether NACA/LINK are supported is the device's call.
 */
import type { ByteReader, ByteWriter } from '../../wire/bytes.js';
import { CheckCondition, Sense } from '../../wire/sense.js';
import { invalidCdbField } from '../codec.js';

/** Throws INVALID FIELD IN CDB if any bit of `mask` is set in CDB byte `byte`; points at the highest such bit. */
export function rejectBits(r: ByteReader, byte: number, mask: number, what: string): void {
  const v = r.u8(byte) & mask;
  if (v === 0) return;
  const bit = 31 - Math.clz32(v);
  throw invalidCdbField(byte, `${what}: reserved bit ${bit} of CDB byte ${byte} is set`, bit);
}

/** Throws INVALID FIELD IN CDB if any of bytes `from..to` (inclusive) is non-zero. */
export function rejectBytes(r: ByteReader, from: number, to: number, what: string): void {
  for (let b = from; b <= to; b++) rejectBits(r, b, 0xff, what);
}

/** Checks the opcode byte: a CDB of another command is INVALID COMMAND OPERATION CODE. */
export function expectOpcode(r: ByteReader, opcode: number, what: string): void {
  const op = r.u8(0);
  if (op !== opcode) throw new CheckCondition(Sense.INVALID_COMMAND_OPERATION_CODE, `${what}: opcode ${hex(op)} is not ${hex(opcode)}`);
}

/** Reads the CONTROL byte at `byte`: reserved bits 5-3 must be zero. Returns `{control}` or `{}`. */
export function readControl(r: ByteReader, byte: number, what: string): { control?: number } {
  rejectBits(r, byte, 0x38, what);
  const control = r.u8(byte);
  return control !== 0 ? { control } : {};
}

/** Writes the CONTROL byte (0 when not given). */
export function writeControl(w: ByteWriter, byte: number, control: number | undefined): void {
  w.u8(byte, uint('control', control ?? 0, 0xff));
}

/** An integer argument in `0..max`, else TypeError naming it. */
export function uint(name: string, v: unknown, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new TypeError(`${name} must be an integer in 0..${max}, got ${String(v)}`);
  }
  return v;
}

/** An integer argument in `min..max`, else TypeError naming it. */
export function int(name: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new TypeError(`${name} must be an integer in ${min}..${max}, got ${String(v)}`);
  }
  return v;
}

/** A 64-bit unsigned argument (bigint), else TypeError naming it. */
export function u64(name: string, v: unknown): bigint {
  if (typeof v !== 'bigint' || v < 0n || v > 0xffffffffffffffffn) {
    throw new TypeError(`${name} must be a bigint in 0..2^64-1, got ${String(v)}`);
  }
  return v;
}

export function hex(n: number, width = 2): string {
  return n.toString(16).toUpperCase().padStart(width, '0') + 'h';
}
