/**
 * Typed encode/decode of every PDU an iSCSI initiator and target exchange (RFC 7143 §11.3-§11.19).
 * Pure codecs: `encodePdu` gives the header (BHS + AHS) and the data segment (unpadded); the framer
 * adds padding and digests. `decodePdu` reads a framed PDU (BHS, AHS area, data segment).
 *
 * Byte 1 flag bits per PDU (bit 7 is F unless noted):
 *   SCSI Command   F R(6) W(5) ATTR(2..0)          SCSI Response  1 o(4) u(3) O(2) U(1)
 *   Data-In        F A(6) O(2) U(1) S(0)           Text Req/Resp  F C(6)
 *   Login Req/Resp T(7) C(6) CSG(3..2) NSG(1..0)   TMF Request    1 Function(6..0)
 *   Logout Request 1 ReasonCode(6..0)              SNACK          1 Type(3..0)
 */
import { Bhs, IscsiOpcode, RESERVED_TAG, BHS_LENGTH, iscsiOpcodeName } from './bhs.js';
import { AhsType, decodeAhs, encodeAhs, extendedCdbAhs, type Ahs } from './ahs.js';

export interface NopOut { kind: 'nop-out'; immediate?: boolean; lun?: number; itt: number; ttt?: number; cmdSN?: number; expStatSN?: number; data?: Buffer }
export interface NopIn { kind: 'nop-in'; lun?: number; itt: number; ttt?: number; statSN?: number; expCmdSN?: number; maxCmdSN?: number; data?: Buffer }
export interface ScsiCommand {
  kind: 'scsi-command'; immediate?: boolean; final?: boolean; read?: boolean; write?: boolean;
  /** Task attribute (0 untagged, 1 simple, 2 ordered, 3 head of queue, 4 ACA). */
  attr?: number; lun?: number; itt: number; expectedDataTransferLength?: number; cmdSN?: number; expStatSN?: number;
  /** The whole CDB (bytes beyond 16 travel in an Extended CDB AHS). Decoded: the 16-byte field (+ AHS bytes), zero-padded. */
  cdb: Buffer;
  /** Other AHSs (the bidirectional read length), in order. */
  ahs?: Ahs[];
  /** Immediate data. */
  data?: Buffer;
}
export interface ScsiResponse {
  kind: 'scsi-response'; bidiOverflow?: boolean; bidiUnderflow?: boolean; residualOverflow?: boolean; residualUnderflow?: boolean;
  /** iSCSI service response: 00h command completed at target, 01h target failure. */
  response?: number; status?: number; itt: number; snackTag?: number; statSN?: number; expCmdSN?: number; maxCmdSN?: number;
  expDataSN?: number; bidiResidualCount?: number; residualCount?: number;
  /** Sense bytes (the data segment carries SenseLength + sense + response data). */
  sense?: Buffer; responseData?: Buffer;
}
export interface TaskMgmtRequest {
  kind: 'task-mgmt-request'; immediate?: boolean; function: number; lun?: number; itt: number; referencedTaskTag?: number;
  cmdSN?: number; expStatSN?: number; refCmdSN?: number; expDataSN?: number;
}
export interface TaskMgmtResponse { kind: 'task-mgmt-response'; response: number; itt: number; statSN?: number; expCmdSN?: number; maxCmdSN?: number }
export interface LoginRequest {
  kind: 'login-request'; transit?: boolean; cont?: boolean; csg: number; nsg?: number; versionMax?: number; versionMin?: number;
  isid: string; tsih?: number; itt: number; cid?: number; cmdSN?: number; expStatSN?: number; data?: Buffer;
}
export interface LoginResponse {
  kind: 'login-response'; transit?: boolean; cont?: boolean; csg: number; nsg?: number; versionMax?: number; versionActive?: number;
  isid: string; tsih?: number; itt: number; statSN?: number; expCmdSN?: number; maxCmdSN?: number; statusClass?: number; statusDetail?: number; data?: Buffer;
}
export interface TextRequest { kind: 'text-request'; immediate?: boolean; final?: boolean; cont?: boolean; lun?: number; itt: number; ttt?: number; cmdSN?: number; expStatSN?: number; data?: Buffer }
export interface TextResponse { kind: 'text-response'; final?: boolean; cont?: boolean; lun?: number; itt: number; ttt?: number; statSN?: number; expCmdSN?: number; maxCmdSN?: number; data?: Buffer }
export interface DataOut { kind: 'data-out'; final?: boolean; lun?: number; itt: number; ttt?: number; expStatSN?: number; dataSN?: number; bufferOffset?: number; data?: Buffer }
export interface DataIn {
  kind: 'data-in'; final?: boolean; ack?: boolean; residualOverflow?: boolean; residualUnderflow?: boolean; statusPresent?: boolean; status?: number;
  lun?: number; itt: number; ttt?: number; statSN?: number; expCmdSN?: number; maxCmdSN?: number; dataSN?: number; bufferOffset?: number; residualCount?: number; data?: Buffer;
}
export interface LogoutRequest { kind: 'logout-request'; immediate?: boolean; reason: number; itt: number; cid?: number; cmdSN?: number; expStatSN?: number }
export interface LogoutResponse { kind: 'logout-response'; response: number; itt: number; statSN?: number; expCmdSN?: number; maxCmdSN?: number; time2Wait?: number; time2Retain?: number }
export interface R2T {
  kind: 'r2t'; lun?: number; itt: number; ttt: number; statSN?: number; expCmdSN?: number; maxCmdSN?: number; r2tSN?: number;
  bufferOffset: number; desiredDataTransferLength: number;
}
export interface AsyncMessage {
  kind: 'async-message'; lun?: number; statSN?: number; expCmdSN?: number; maxCmdSN?: number; asyncEvent: number; asyncVCode?: number;
  parameter1?: number; parameter2?: number; parameter3?: number; data?: Buffer;
}
export interface Reject { kind: 'reject'; reason: number; statSN?: number; expCmdSN?: number; maxCmdSN?: number; dataSN?: number; /** The rejected PDU's header. */ data: Buffer }
export interface SnackRequest { kind: 'snack-request'; type: number; lun?: number; itt: number; ttt?: number; expStatSN?: number; begRun?: number; runLength?: number }

export type Pdu =
  | NopOut | NopIn | ScsiCommand | ScsiResponse | TaskMgmtRequest | TaskMgmtResponse | LoginRequest | LoginResponse
  | TextRequest | TextResponse | DataOut | DataIn | LogoutRequest | LogoutResponse | R2T | AsyncMessage | Reject | SnackRequest;
export type PduKind = Pdu['kind'];

/** TMF function codes (RFC 7143 §11.5.1). */
export const TaskMgmtFunction = {
  ABORT_TASK: 1, ABORT_TASK_SET: 2, CLEAR_ACA: 3, CLEAR_TASK_SET: 4, LOGICAL_UNIT_RESET: 5,
  TARGET_WARM_RESET: 6, TARGET_COLD_RESET: 7, TASK_REASSIGN: 8,
} as const;
/** TMF response codes (RFC 7143 §11.6.1). */
export const TaskMgmtResponseCode = {
  FUNCTION_COMPLETE: 0, TASK_DOES_NOT_EXIST: 1, LUN_DOES_NOT_EXIST: 2, TASK_STILL_ALLEGIANT: 3,
  TASK_ALLEGIANCE_REASSIGNMENT_NOT_SUPPORTED: 4, FUNCTION_NOT_SUPPORTED: 5, FUNCTION_AUTHORIZATION_FAILED: 6, FUNCTION_REJECTED: 255,
} as const;
/** Reject reasons (RFC 7143 §11.17.1). */
export const RejectReason = {
  DATA_DIGEST_ERROR: 0x02, SNACK_REJECT: 0x03, PROTOCOL_ERROR: 0x04, COMMAND_NOT_SUPPORTED: 0x05, IMMEDIATE_COMMAND_REJECT: 0x06,
  TASK_IN_PROGRESS: 0x07, INVALID_DATA_ACK: 0x08, INVALID_PDU_FIELD: 0x09, LONG_OPERATION_REJECT: 0x0a, DEPRECATED: 0x0b, WAITING_FOR_LOGOUT: 0x0c,
} as const;
/** Logout reason codes (§11.14.1) and responses (§11.15.1). */
export const LogoutReason = { CLOSE_SESSION: 0, CLOSE_CONNECTION: 1, REMOVE_CONNECTION_FOR_RECOVERY: 2 } as const;
export const LogoutResponseCode = { CLOSED: 0, CID_NOT_FOUND: 1, RECOVERY_NOT_SUPPORTED: 2, CLEANUP_FAILED: 3 } as const;
/** Login stages (CSG/NSG, §11.12.3). */
export const LoginStage = { SECURITY: 0, OPERATIONAL: 1, FULL_FEATURE: 3 } as const;
/** Login status classes (§11.13.5) and the details used here. */
export const LoginStatus = {
  SUCCESS: [0, 0], TARGET_MOVED_TEMPORARILY: [1, 1], INITIATOR_ERROR: [2, 0], AUTHENTICATION_FAILURE: [2, 1],
  AUTHORIZATION_FAILURE: [2, 2], NOT_FOUND: [2, 3], TARGET_REMOVED: [2, 4], UNSUPPORTED_VERSION: [2, 5],
  TOO_MANY_CONNECTIONS: [2, 6], MISSING_PARAMETER: [2, 7], CANT_INCLUDE_IN_SESSION: [2, 8], SESSION_TYPE_NOT_SUPPORTED: [2, 9],
  SESSION_DOES_NOT_EXIST: [2, 0x0a], INVALID_DURING_LOGIN: [2, 0x0b], TARGET_ERROR: [3, 0], SERVICE_UNAVAILABLE: [3, 1], OUT_OF_RESOURCES: [3, 2],
} as const satisfies Record<string, readonly [number, number]>;
/** Async events (§11.9.1). */
export const AsyncEvent = { SCSI_ASYNC_EVENT: 0, LOGOUT_REQUEST: 1, CONNECTION_DROP: 2, SESSION_DROP: 3, NEGOTIATION_REQUEST: 4, TASK_TERMINATION: 5, VENDOR: 255 } as const;

/** A PDU as framed off the wire: BHS (48 bytes), AHS area, data segment without padding or digests. */
export interface RawPdu {
  readonly bhs: Buffer;
  readonly ahs: Buffer;
  readonly data: Buffer;
}

/** A PDU whose fields contradict the protocol (not a framing error). `bhs` is kept for the Reject. */
export class PduError extends Error {
  readonly bhs: Buffer | undefined;
  readonly reason: number;
  constructor(message: string, bhs?: Buffer, reason: number = RejectReason.PROTOCOL_ERROR) {
    super(message);
    this.name = 'PduError';
    this.bhs = bhs;
    this.reason = reason;
  }
}

const EMPTY = Buffer.alloc(0);
const NO_AHS: readonly Ahs[] = [];
/** A sequence number field: 32 bits, 0 when absent. */
const sn = (v: number | undefined): number => (v ?? 0) >>> 0;

/**
 * Header (BHS + AHS area) and unpadded data segment of a PDU. `bhs`: 48 bytes to write the BHS into
 * (all of them are overwritten), e.g. room a sender keeps in front of the data segment so that header
 * and data go out as one piece; without it the BHS is a new buffer.
 */
export function encodePdu(p: Pdu, bhs?: Buffer): { header: Buffer; data: Buffer } {
  if (bhs && bhs.length !== BHS_LENGTH) throw new RangeError(`BHS buffer of ${bhs.length} bytes, need ${BHS_LENGTH}`);
  const h = new Bhs(bhs?.fill(0));
  let ahs: readonly Ahs[] = NO_AHS;
  let data: Buffer = EMPTY;
  switch (p.kind) {
    case 'nop-out':
      h.opcode = IscsiOpcode.NOP_OUT; h.immediate = p.immediate ?? false; h.final = true; h.lun = p.lun ?? 0;
      h.itt = p.itt; h.ttt = p.ttt ?? RESERVED_TAG; h.cmdSN = sn(p.cmdSN); h.expStatSN = sn(p.expStatSN); data = p.data ?? EMPTY;
      break;
    case 'nop-in':
      h.opcode = IscsiOpcode.NOP_IN; h.final = true; h.lun = p.lun ?? 0; h.itt = p.itt; h.ttt = p.ttt ?? RESERVED_TAG;
      h.statSN = sn(p.statSN); h.expCmdSN = sn(p.expCmdSN); h.maxCmdSN = sn(p.maxCmdSN); data = p.data ?? EMPTY;
      break;
    case 'scsi-command':
      h.opcode = IscsiOpcode.SCSI_COMMAND; h.immediate = p.immediate ?? false; h.final = p.final ?? true;
      h.flags = (p.read ? 0x40 : 0) | (p.write ? 0x20 : 0) | ((p.attr ?? 1) & 7);
      h.lun = p.lun ?? 0; h.itt = p.itt; h.expectedDataTransferLength = p.expectedDataTransferLength ?? 0;
      h.cmdSN = sn(p.cmdSN); h.expStatSN = sn(p.expStatSN);
      h.cdb = p.cdb.subarray(0, 16);
      ahs = [...(p.cdb.length > 16 ? [extendedCdbAhs(p.cdb)] : []), ...(p.ahs ?? [])];
      data = p.data ?? EMPTY;
      break;
    case 'scsi-response': {
      h.opcode = IscsiOpcode.SCSI_RESPONSE; h.final = true;
      h.flags = (p.bidiOverflow ? 0x10 : 0) | (p.bidiUnderflow ? 0x08 : 0) | (p.residualOverflow ? 0x04 : 0) | (p.residualUnderflow ? 0x02 : 0);
      h.byte2 = p.response ?? 0; h.byte3 = p.status ?? 0; h.itt = p.itt; h.ttt = p.snackTag ?? 0;
      h.statSN = sn(p.statSN); h.expCmdSN = sn(p.expCmdSN); h.maxCmdSN = sn(p.maxCmdSN); h.expDataSN = sn(p.expDataSN);
      h.bidiResidualCount = p.bidiResidualCount ?? 0; h.residualCount = p.residualCount ?? 0;
      if (p.sense?.length || p.responseData?.length) {
        const sense = p.sense ?? EMPTY;
        data = Buffer.alloc(2 + sense.length + (p.responseData?.length ?? 0));
        data.writeUInt16BE(sense.length, 0);
        data.set(sense, 2);
        if (p.responseData) data.set(p.responseData, 2 + sense.length);
      }
      break;
    }
    case 'task-mgmt-request':
      h.opcode = IscsiOpcode.TASK_MGMT_REQUEST; h.immediate = p.immediate ?? true; h.final = true; h.flags = p.function;
      h.lun = p.lun ?? 0; h.itt = p.itt; h.referencedTaskTag = p.referencedTaskTag ?? RESERVED_TAG; h.cmdSN = sn(p.cmdSN);
      h.expStatSN = sn(p.expStatSN); h.refCmdSN = sn(p.refCmdSN); h.expDataSN = sn(p.expDataSN);
      break;
    case 'task-mgmt-response':
      h.opcode = IscsiOpcode.TASK_MGMT_RESPONSE; h.final = true; h.byte2 = p.response; h.itt = p.itt;
      h.statSN = sn(p.statSN); h.expCmdSN = sn(p.expCmdSN); h.maxCmdSN = sn(p.maxCmdSN);
      break;
    case 'login-request':
    case 'login-response': {
      const req = p.kind === 'login-request';
      h.opcode = req ? IscsiOpcode.LOGIN_REQUEST : IscsiOpcode.LOGIN_RESPONSE; h.immediate = req;
      h.final = p.transit ?? false; h.flags = (p.cont ? 0x40 : 0) | ((p.csg & 3) << 2) | ((p.nsg ?? 0) & 3);
      h.byte2 = p.versionMax ?? 0;
      h.byte3 = req ? (p.versionMin ?? 0) : (p.versionActive ?? 0);
      h.isid = p.isid; h.tsih = p.tsih ?? 0; h.itt = p.itt;
      if (req) {
        h.cid = p.cid ?? 0; h.cmdSN = sn(p.cmdSN); h.expStatSN = sn(p.expStatSN);
      } else {
        h.statSN = sn(p.statSN); h.expCmdSN = sn(p.expCmdSN); h.maxCmdSN = sn(p.maxCmdSN);
        h.statusClass = p.statusClass ?? 0; h.statusDetail = p.statusDetail ?? 0;
      }
      data = p.data ?? EMPTY;
      break;
    }
    case 'text-request':
      h.opcode = IscsiOpcode.TEXT_REQUEST; h.immediate = p.immediate ?? false; h.final = p.final ?? true; h.flags = p.cont ? 0x40 : 0;
      h.lun = p.lun ?? 0; h.itt = p.itt; h.ttt = p.ttt ?? RESERVED_TAG; h.cmdSN = sn(p.cmdSN); h.expStatSN = sn(p.expStatSN);
      data = p.data ?? EMPTY;
      break;
    case 'text-response':
      h.opcode = IscsiOpcode.TEXT_RESPONSE; h.final = p.final ?? true; h.flags = p.cont ? 0x40 : 0;
      h.lun = p.lun ?? 0; h.itt = p.itt; h.ttt = p.ttt ?? RESERVED_TAG; h.statSN = sn(p.statSN); h.expCmdSN = sn(p.expCmdSN);
      h.maxCmdSN = sn(p.maxCmdSN); data = p.data ?? EMPTY;
      break;
    case 'data-out':
      h.opcode = IscsiOpcode.DATA_OUT; h.final = p.final ?? false; h.lun = p.lun ?? 0; h.itt = p.itt; h.ttt = p.ttt ?? RESERVED_TAG;
      h.expStatSN = sn(p.expStatSN); h.dataSN = sn(p.dataSN); h.bufferOffset = p.bufferOffset ?? 0; data = p.data ?? EMPTY;
      break;
    case 'data-in':
      h.opcode = IscsiOpcode.DATA_IN; h.final = p.final ?? false;
      h.flags = (p.ack ? 0x40 : 0) | (p.residualOverflow ? 0x04 : 0) | (p.residualUnderflow ? 0x02 : 0) | (p.statusPresent ? 0x01 : 0);
      h.byte3 = p.statusPresent ? (p.status ?? 0) : 0; h.lun = p.lun ?? 0; h.itt = p.itt; h.ttt = p.ttt ?? RESERVED_TAG;
      h.statSN = p.statusPresent ? sn(p.statSN) : 0; h.expCmdSN = sn(p.expCmdSN); h.maxCmdSN = sn(p.maxCmdSN);
      h.dataSN = sn(p.dataSN); h.bufferOffset = p.bufferOffset ?? 0; h.residualCount = p.residualCount ?? 0; data = p.data ?? EMPTY;
      break;
    case 'logout-request':
      h.opcode = IscsiOpcode.LOGOUT_REQUEST; h.immediate = p.immediate ?? false; h.final = true; h.flags = p.reason;
      h.itt = p.itt; h.cid = p.cid ?? 0; h.cmdSN = sn(p.cmdSN); h.expStatSN = sn(p.expStatSN);
      break;
    case 'logout-response':
      h.opcode = IscsiOpcode.LOGOUT_RESPONSE; h.final = true; h.byte2 = p.response; h.itt = p.itt;
      h.statSN = sn(p.statSN); h.expCmdSN = sn(p.expCmdSN); h.maxCmdSN = sn(p.maxCmdSN);
      h.time2Wait = p.time2Wait ?? 0; h.time2Retain = p.time2Retain ?? 0;
      break;
    case 'r2t':
      h.opcode = IscsiOpcode.R2T; h.final = true; h.lun = p.lun ?? 0; h.itt = p.itt; h.ttt = p.ttt;
      h.statSN = sn(p.statSN); h.expCmdSN = sn(p.expCmdSN); h.maxCmdSN = sn(p.maxCmdSN); h.r2tSN = sn(p.r2tSN);
      h.bufferOffset = p.bufferOffset; h.desiredDataTransferLength = p.desiredDataTransferLength;
      break;
    case 'async-message':
      h.opcode = IscsiOpcode.ASYNC_MESSAGE; h.final = true; h.lun = p.lun ?? 0; h.itt = RESERVED_TAG;
      h.statSN = sn(p.statSN); h.expCmdSN = sn(p.expCmdSN); h.maxCmdSN = sn(p.maxCmdSN);
      h.setU8(36, p.asyncEvent); h.setU8(37, p.asyncVCode ?? 0);
      h.setU16(38, p.parameter1 ?? 0); h.setU16(40, p.parameter2 ?? 0); h.setU16(42, p.parameter3 ?? 0);
      data = p.data ?? EMPTY;
      break;
    case 'reject':
      h.opcode = IscsiOpcode.REJECT; h.final = true; h.byte2 = p.reason; h.itt = RESERVED_TAG;
      h.statSN = sn(p.statSN); h.expCmdSN = sn(p.expCmdSN); h.maxCmdSN = sn(p.maxCmdSN); h.dataSN = sn(p.dataSN);
      data = p.data;
      break;
    case 'snack-request':
      h.opcode = IscsiOpcode.SNACK_REQUEST; h.final = true; h.flags = p.type & 0x0f; h.lun = p.lun ?? 0; h.itt = p.itt;
      h.ttt = p.ttt ?? RESERVED_TAG; h.expStatSN = sn(p.expStatSN); h.setU32(40, p.begRun ?? 0); h.setU32(44, p.runLength ?? 0);
      break;
  }
  const ahsArea = ahs.length ? encodeAhs(ahs) : EMPTY;
  h.totalAhsLength = ahsArea.length / 4;
  h.dataSegmentLength = data.length;
  return { header: ahsArea.length ? Buffer.concat([h.buf, ahsArea]) : h.buf, data };
}

/** Decodes a framed PDU. Unknown opcodes and self-contradicting fields throw PduError. */
export function decodePdu(raw: RawPdu): Pdu {
  if (raw.bhs.length !== BHS_LENGTH) throw new PduError(`BHS of ${raw.bhs.length} bytes`);
  const h = new Bhs(raw.bhs);
  const data = raw.data;
  const f = h.flags;
  switch (h.opcode) {
    case IscsiOpcode.NOP_OUT:
      return { kind: 'nop-out', immediate: h.immediate, lun: h.lun, itt: h.itt, ttt: h.ttt, cmdSN: h.cmdSN, expStatSN: h.expStatSN, data };
    case IscsiOpcode.NOP_IN:
      return { kind: 'nop-in', lun: h.lun, itt: h.itt, ttt: h.ttt, statSN: h.statSN, expCmdSN: h.expCmdSN, maxCmdSN: h.maxCmdSN, data };
    case IscsiOpcode.SCSI_COMMAND: {
      let cdb = h.cdb;
      const ahs: Ahs[] = [];
      if (raw.ahs.length) {
        let list: Ahs[];
        try {
          list = decodeAhs(raw.ahs);
        } catch (e) {
          throw new PduError((e as Error).message, raw.bhs, RejectReason.INVALID_PDU_FIELD);
        }
        for (const a of list) {
          if (a.type === AhsType.EXTENDED_CDB) cdb = Buffer.concat([cdb, a.specific.subarray(1)]);
          else ahs.push(a);
        }
      }
      return {
        kind: 'scsi-command', immediate: h.immediate, final: h.final, read: (f & 0x40) !== 0, write: (f & 0x20) !== 0, attr: f & 7,
        lun: h.lun, itt: h.itt, expectedDataTransferLength: h.expectedDataTransferLength, cmdSN: h.cmdSN, expStatSN: h.expStatSN, cdb, ahs, data,
      };
    }
    case IscsiOpcode.SCSI_RESPONSE: {
      let sense: Buffer | undefined;
      let responseData: Buffer | undefined;
      if (data.length) {
        if (data.length < 2) throw new PduError('SCSI Response data segment shorter than SenseLength', raw.bhs);
        const sl = data.readUInt16BE(0);
        if (2 + sl > data.length) throw new PduError(`SenseLength ${sl} exceeds the data segment (${data.length})`, raw.bhs);
        sense = data.subarray(2, 2 + sl);
        if (data.length > 2 + sl) responseData = data.subarray(2 + sl);
      }
      return {
        kind: 'scsi-response', bidiOverflow: (f & 0x10) !== 0, bidiUnderflow: (f & 0x08) !== 0, residualOverflow: (f & 0x04) !== 0,
        residualUnderflow: (f & 0x02) !== 0, response: h.byte2, status: h.byte3, itt: h.itt, snackTag: h.ttt, statSN: h.statSN,
        expCmdSN: h.expCmdSN, maxCmdSN: h.maxCmdSN, expDataSN: h.expDataSN, bidiResidualCount: h.bidiResidualCount, residualCount: h.residualCount,
        ...(sense ? { sense } : {}), ...(responseData ? { responseData } : {}),
      };
    }
    case IscsiOpcode.TASK_MGMT_REQUEST:
      return {
        kind: 'task-mgmt-request', immediate: h.immediate, function: f, lun: h.lun, itt: h.itt, referencedTaskTag: h.referencedTaskTag,
        cmdSN: h.cmdSN, expStatSN: h.expStatSN, refCmdSN: h.refCmdSN, expDataSN: h.expDataSN,
      };
    case IscsiOpcode.TASK_MGMT_RESPONSE:
      return { kind: 'task-mgmt-response', response: h.byte2, itt: h.itt, statSN: h.statSN, expCmdSN: h.expCmdSN, maxCmdSN: h.maxCmdSN };
    case IscsiOpcode.LOGIN_REQUEST:
      return {
        kind: 'login-request', transit: h.final, cont: (f & 0x40) !== 0, csg: (f >> 2) & 3, nsg: f & 3, versionMax: h.byte2, versionMin: h.byte3,
        isid: h.isid, tsih: h.tsih, itt: h.itt, cid: h.cid, cmdSN: h.cmdSN, expStatSN: h.expStatSN, data,
      };
    case IscsiOpcode.LOGIN_RESPONSE:
      return {
        kind: 'login-response', transit: h.final, cont: (f & 0x40) !== 0, csg: (f >> 2) & 3, nsg: f & 3, versionMax: h.byte2,
        versionActive: h.byte3, isid: h.isid, tsih: h.tsih, itt: h.itt, statSN: h.statSN, expCmdSN: h.expCmdSN, maxCmdSN: h.maxCmdSN,
        statusClass: h.statusClass, statusDetail: h.statusDetail, data,
      };
    case IscsiOpcode.TEXT_REQUEST:
      return { kind: 'text-request', immediate: h.immediate, final: h.final, cont: (f & 0x40) !== 0, lun: h.lun, itt: h.itt, ttt: h.ttt, cmdSN: h.cmdSN, expStatSN: h.expStatSN, data };
    case IscsiOpcode.TEXT_RESPONSE:
      return { kind: 'text-response', final: h.final, cont: (f & 0x40) !== 0, lun: h.lun, itt: h.itt, ttt: h.ttt, statSN: h.statSN, expCmdSN: h.expCmdSN, maxCmdSN: h.maxCmdSN, data };
    case IscsiOpcode.DATA_OUT:
      return { kind: 'data-out', final: h.final, lun: h.lun, itt: h.itt, ttt: h.ttt, expStatSN: h.expStatSN, dataSN: h.dataSN, bufferOffset: h.bufferOffset, data };
    case IscsiOpcode.DATA_IN: {
      const statusPresent = (f & 0x01) !== 0;
      return {
        kind: 'data-in', final: h.final, ack: (f & 0x40) !== 0, residualOverflow: (f & 0x04) !== 0, residualUnderflow: (f & 0x02) !== 0,
        statusPresent, status: h.byte3, lun: h.lun, itt: h.itt, ttt: h.ttt, statSN: h.statSN, expCmdSN: h.expCmdSN, maxCmdSN: h.maxCmdSN,
        dataSN: h.dataSN, bufferOffset: h.bufferOffset, residualCount: h.residualCount, data,
      };
    }
    case IscsiOpcode.LOGOUT_REQUEST:
      return { kind: 'logout-request', immediate: h.immediate, reason: f, itt: h.itt, cid: h.cid, cmdSN: h.cmdSN, expStatSN: h.expStatSN };
    case IscsiOpcode.LOGOUT_RESPONSE:
      return { kind: 'logout-response', response: h.byte2, itt: h.itt, statSN: h.statSN, expCmdSN: h.expCmdSN, maxCmdSN: h.maxCmdSN, time2Wait: h.time2Wait, time2Retain: h.time2Retain };
    case IscsiOpcode.R2T:
      return {
        kind: 'r2t', lun: h.lun, itt: h.itt, ttt: h.ttt, statSN: h.statSN, expCmdSN: h.expCmdSN, maxCmdSN: h.maxCmdSN, r2tSN: h.r2tSN,
        bufferOffset: h.bufferOffset, desiredDataTransferLength: h.desiredDataTransferLength,
      };
    case IscsiOpcode.ASYNC_MESSAGE:
      return {
        kind: 'async-message', lun: h.lun, statSN: h.statSN, expCmdSN: h.expCmdSN, maxCmdSN: h.maxCmdSN, asyncEvent: h.u8(36), asyncVCode: h.u8(37),
        parameter1: h.u16(38), parameter2: h.u16(40), parameter3: h.u16(42), data,
      };
    case IscsiOpcode.REJECT:
      return { kind: 'reject', reason: h.byte2, statSN: h.statSN, expCmdSN: h.expCmdSN, maxCmdSN: h.maxCmdSN, dataSN: h.dataSN, data };
    case IscsiOpcode.SNACK_REQUEST:
      return { kind: 'snack-request', type: f & 0x0f, lun: h.lun, itt: h.itt, ttt: h.ttt, expStatSN: h.expStatSN, begRun: h.u32(40), runLength: h.u32(44) };
    default:
      throw new PduError(`unknown opcode ${iscsiOpcodeName(h.opcode)}`, raw.bhs, RejectReason.COMMAND_NOT_SUPPORTED);
  }
}
