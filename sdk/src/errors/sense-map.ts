/**
 * The one table that turns what a drive answered (SCSI status + sense) into an IMAPI2 HRESULT.
 *
 * No public table documents IMAPI2's own mapping; this one follows from the codes' meanings and the
 * MMC sense values real drives return. Choices where the reference left one open:
 * - MEDIA_UPSIDE_DOWN is raised by 03/57/00 (UNABLE TO RECOVER TABLE OF CONTENTS): a disc the drive
 *   can spin but whose lead-in it cannot read at all — what an upside-down disc looks like.
 *   02/30/01 (unknown format) stays MEDIA_INCOMPATIBLE, with the rest of ASC 30h.
 * - MEDIA_SPEED_MISMATCH is ILLEGAL REQUEST with ASC 30h (any ASCQ) in answer to SET CD SPEED or
 *   SET STREAMING: the medium cannot be driven at the speed asked for.
 * - Mode parameter errors (05/26/00-02, 05/1A/00) count as INVALID_MODE_PARAMETERS for MODE SELECT,
 *   05/24/00 as NO_SUCH_MODE_PAGE for MODE SENSE, 05/20/00 as GET_CONFIGURATION_NOT_SUPPORTED for
 *   GET CONFIGURATION; for other commands they fall through to the default.
 * - DVD_STRUCTURE_NOT_PRESENT is READ DISC STRUCTURE answered with 05/24/00 (the format is not
 *   there) or 05/30/02 (cannot read the medium in that format).
 * - HARDWARE ERROR (sense key 04h, any ASC) is E_FAIL: the drive failed for a reason IMAPI2 has no
 *   code for.
 * - Anything unlisted: E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE, the sense kept on the error.
 * Rows are checked in order; the first match wins.
 */
import { ImapiError } from './imapi-error.js';
import type { HResultName } from './hresult.js';
import { ScsiStatus, parseSense, type SenseData } from '../wire/sense.js';
import { Opcode } from '../scsi/opcodes.js';

export interface SenseRule {
  /** Human description of the condition. */
  readonly condition: string;
  readonly key: number;
  /** ASC to match; omitted = any. */
  readonly asc?: number;
  /** Inclusive ASCQ range to match; omitted = any. */
  readonly ascq?: readonly [number, number];
  /** Only for these opcodes; omitted = any command. */
  readonly opcodes?: readonly number[];
  /** The HRESULT, or 'retry' for unit attentions that a caller retries after. */
  readonly result: HResultName | 'retry';
}

const MODE_SELECT = [Opcode.MODE_SELECT_6, Opcode.MODE_SELECT_10];
const MODE_SENSE = [Opcode.MODE_SENSE_6, Opcode.MODE_SENSE_10];
const SPEED = [Opcode.SET_CD_SPEED, Opcode.SET_STREAMING];

export const senseTable: readonly SenseRule[] = [
  { condition: 'no medium (tray closed / open)', key: 0x2, asc: 0x3a, ascq: [0x00, 0x02], result: 'E_IMAPI_RECORDER_MEDIA_NO_MEDIA' },
  { condition: 'not ready, cause not reportable', key: 0x2, asc: 0x04, ascq: [0x00, 0x00], result: 'E_IMAPI_RECORDER_MEDIA_BECOMING_READY' },
  { condition: 'becoming ready', key: 0x2, asc: 0x04, ascq: [0x01, 0x01], result: 'E_IMAPI_RECORDER_MEDIA_BECOMING_READY' },
  { condition: 'format in progress', key: 0x2, asc: 0x04, ascq: [0x04, 0x04], result: 'E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS' },
  { condition: 'operation / long write in progress', key: 0x2, asc: 0x04, ascq: [0x07, 0x08], result: 'E_IMAPI_RECORDER_MEDIA_BUSY' },
  { condition: 'write protected', key: 0x7, asc: 0x27, result: 'E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED' },
  { condition: 'speed not supported by the medium', key: 0x5, asc: 0x30, opcodes: SPEED, result: 'E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH' },
  { condition: 'DVD structure not present', key: 0x5, asc: 0x24, ascq: [0x00, 0x00], opcodes: [Opcode.READ_DISC_STRUCTURE], result: 'E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT' },
  { condition: 'DVD structure not present', key: 0x5, asc: 0x30, ascq: [0x02, 0x02], opcodes: [Opcode.READ_DISC_STRUCTURE], result: 'E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT' },
  { condition: 'medium not formatted', key: 0x2, asc: 0x30, ascq: [0x10, 0x10], result: 'E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED' },
  { condition: 'medium not formatted', key: 0x3, asc: 0x30, ascq: [0x10, 0x10], result: 'E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED' },
  { condition: 'medium not formatted', key: 0x5, asc: 0x30, ascq: [0x10, 0x10], result: 'E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED' },
  { condition: 'incompatible medium, cannot read/write/format', key: 0x2, asc: 0x30, ascq: [0x00, 0x06], result: 'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE' },
  { condition: 'incompatible medium, cannot read/write/format', key: 0x3, asc: 0x30, ascq: [0x00, 0x06], result: 'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE' },
  { condition: 'incompatible medium, cannot read/write/format', key: 0x5, asc: 0x30, ascq: [0x00, 0x06], result: 'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE' },
  { condition: 'unreadable lead-in (upside down)', key: 0x3, asc: 0x57, ascq: [0x00, 0x00], result: 'E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN' },
  { condition: 'parameter list invalid', key: 0x5, asc: 0x26, ascq: [0x00, 0x02], opcodes: MODE_SELECT, result: 'E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS' },
  { condition: 'parameter list length error', key: 0x5, asc: 0x1a, ascq: [0x00, 0x00], opcodes: MODE_SELECT, result: 'E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS' },
  { condition: 'mode page absent', key: 0x5, asc: 0x24, ascq: [0x00, 0x00], opcodes: MODE_SENSE, result: 'E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE' },
  { condition: 'GET CONFIGURATION unsupported', key: 0x5, asc: 0x20, ascq: [0x00, 0x00], opcodes: [Opcode.GET_CONFIGURATION], result: 'E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED' },
  { condition: 'loss of streaming / buffer underrun', key: 0x3, asc: 0x0c, ascq: [0x09, 0x09], result: 'E_IMAPI_LOSS_OF_STREAMING' },
  { condition: 'invalid address for write', key: 0x5, asc: 0x21, ascq: [0x02, 0x02], result: 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE' },
  { condition: 'session fixation error', key: 0x5, asc: 0x72, result: 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE' },
  { condition: 'session fixation error', key: 0x3, asc: 0x72, result: 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE' },
  { condition: 'power calibration area error', key: 0x3, asc: 0x73, result: 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE' },
  { condition: 'power calibration area error', key: 0x5, asc: 0x73, result: 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE' },
  { condition: 'hardware error (drive failure of unspecified cause)', key: 0x4, result: 'E_FAIL' },
  { condition: 'unit attention (medium changed, reset, parameters changed)', key: 0x6, result: 'retry' },
];

export type ScsiOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'retry'; readonly mediaChanged: boolean; readonly sense: SenseData }
  | { readonly kind: 'error'; readonly error: ImapiError };

/** The first rule of `senseTable` matching this sense (and opcode), if any. */
export function matchSenseRule(sense: SenseData, opcode?: number): SenseRule | undefined {
  return senseTable.find(
    (r) =>
      r.key === sense.key &&
      (r.asc === undefined || r.asc === sense.asc) &&
      (r.ascq === undefined || (sense.ascq >= r.ascq[0] && sense.ascq <= r.ascq[1])) &&
      (r.opcodes === undefined || (opcode !== undefined && r.opcodes.includes(opcode))),
  );
}

/**
 * What a command's completion means for an IMAPI2 caller.
 * GOOD / CONDITION MET → ok; RESERVATION CONFLICT → E_IMAPI_RECORDER_LOCKED; BUSY and TASK SET FULL →
 * E_IMAPI_RECORDER_MEDIA_BUSY; TASK ABORTED → E_IMAPI_REQUEST_CANCELLED; CHECK CONDITION → the table;
 * CHECK CONDITION without parseable sense → E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE.
 */
export function interpretScsiStatus(status: number, senseBytes: Uint8Array | undefined, opcode?: number): ScsiOutcome {
  switch (status) {
    case ScsiStatus.GOOD:
    case ScsiStatus.CONDITION_MET:
      return { kind: 'ok' };
    case ScsiStatus.RESERVATION_CONFLICT:
      return { kind: 'error', error: new ImapiError('E_IMAPI_RECORDER_LOCKED', undefined, { scsiStatus: status }) };
    case ScsiStatus.BUSY:
    case ScsiStatus.TASK_SET_FULL:
      return { kind: 'error', error: new ImapiError('E_IMAPI_RECORDER_MEDIA_BUSY', undefined, { scsiStatus: status }) };
    case ScsiStatus.TASK_ABORTED:
      return { kind: 'error', error: new ImapiError('E_IMAPI_REQUEST_CANCELLED', undefined, { scsiStatus: status, canceled: true }) };
    case ScsiStatus.CHECK_CONDITION: {
      const sense = parseSense(senseBytes);
      if (!sense) {
        return { kind: 'error', error: new ImapiError('E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE', 'CHECK CONDITION without valid sense data', { scsiStatus: status }) };
      }
      const rule = matchSenseRule(sense, opcode);
      if (rule?.result === 'retry') {
        return { kind: 'retry', mediaChanged: sense.asc === 0x28, sense };
      }
      return { kind: 'error', error: new ImapiError(rule?.result ?? 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE', undefined, { sense, scsiStatus: status }) };
    }
    default:
      return { kind: 'error', error: new ImapiError('E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE', `unknown SCSI status 0x${status.toString(16)}`, { scsiStatus: status }) };
  }
}
