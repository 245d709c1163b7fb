/**
 * Shared shape of the per-command codec files in `scsi/commands/`.
 *
 * Every command file carries, for one SCSI/MMC command:
 *   - a byte-layout table at its top citing the standard's table;
 *   - `encode<Name>Cdb(params)` → CDB bytes (SDK side) and `decode<Name>Cdb(cdb)` → params (emulator
 *     side; a bad field throws CheckCondition INVALID FIELD IN CDB with the field pointer);
 *   - for commands with data, `encode<Name>Reply/Parameters` and `decode<Name>Reply/Parameters`.
 *
 * Reply decoders (SDK side) follow one rule: a reply cut short by the allocation length decodes
 * without throwing — lists stop at the last complete entry, absent fixed fields read as zero — and
 * the result's `truncated` is true (re-issue with `fullLength` bytes to get all of it). A reply that
 * contradicts itself (a length field too small for the header, a descriptor running past the
 * declared data) throws ImapiError E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE.
 * Parameter-list decoders (emulator side, data-out) throw CheckCondition PARAMETER LIST LENGTH ERROR
 * or INVALID FIELD IN PARAMETER LIST.
 */
import { ByteReader } from '../wire/bytes.js';
import { CheckCondition, Sense } from '../wire/sense.js';
import { ImapiError } from '../errors/imapi-error.js';

/** Data direction of a command, from the initiator's point of view. */
export type DataDirection = 'none' | 'in' | 'out';

/** Reader for a reply from a drive: zero-fills past the end (truncation) and records that it did. */
export function replyReader(buf: Uint8Array, what: string): ByteReader {
  return new ByteReader(buf, { zeroFill: true, what });
}

/** Reader for a reply that must be whole: a short read is an invalid response. */
export function strictReplyReader(buf: Uint8Array, what: string): ByteReader {
  return new ByteReader(buf, { what, fail: (m) => invalidReply(m) });
}

/** The ImapiError for a reply that contradicts itself. */
export function invalidReply(message: string): ImapiError {
  return new ImapiError('E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE', `E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE (0xC0AA02FF): ${message}`);
}

/**
 * Reader for a CDB in the emulator. `length` is the CDB size the opcode's group implies
 * (6, 10, 12 or 16); a shorter CDB is INVALID FIELD IN CDB at its opcode byte.
 */
export function cdbReader(cdb: Uint8Array, length: number, what: string): ByteReader {
  if (cdb.length < length) {
    throw new CheckCondition(Sense.INVALID_FIELD_IN_CDB, `${what}: CDB of ${cdb.length} bytes, need ${length}`, {
      fieldPointer: { cd: true, byte: 0 },
    });
  }
  return new ByteReader(cdb, {
    what,
    fail: (m, off) => new CheckCondition(Sense.INVALID_FIELD_IN_CDB, m, { fieldPointer: { cd: true, byte: off } }),
  });
}

/** Reader for a data-out parameter list in the emulator. */
export function parameterReader(data: Uint8Array, what: string): ByteReader {
  return new ByteReader(data, {
    what,
    fail: (m) => new CheckCondition(Sense.PARAMETER_LIST_LENGTH_ERROR, m),
  });
}

/** INVALID FIELD IN CDB pointing at `byte` (and `bit`). */
export function invalidCdbField(byte: number, message: string, bit?: number): CheckCondition {
  return new CheckCondition(Sense.INVALID_FIELD_IN_CDB, message, { fieldPointer: { cd: true, byte, ...(bit !== undefined ? { bit } : {}) } });
}

/** INVALID FIELD IN PARAMETER LIST pointing at `byte` (and `bit`). */
export function invalidParameterField(byte: number, message: string, bit?: number): CheckCondition {
  return new CheckCondition(Sense.INVALID_FIELD_IN_PARAMETER_LIST, message, { fieldPointer: { cd: false, byte, ...(bit !== undefined ? { bit } : {}) } });
}

/** CDB length from the opcode's group code (SPC-4 §4.2.5.1); undefined for vendor/reserved groups. */
export function cdbLengthForOpcode(opcode: number): number | undefined {
  switch (opcode >> 5) {
    case 0:
      return 6;
    case 1:
    case 2:
      return 10;
    case 4:
      return 16;
    case 5:
      return 12;
    default:
      return undefined;
  }
}

/** Common part of the CONTROL byte's NACA/LINK bits, encoded as the last CDB byte. */
export interface CdbCommon {
  /** CONTROL byte (last byte of the CDB); 0 unless set. */
  control?: number;
}
