/**
 * Faults on demand: conditions armed from the control plane (or the programmatic API) that the next
 * command, the next N commands, or the next commands with a given opcode meet instead of their
 * normal outcome. Every drive condition of the IMAPI2 return-code tables has a kind here.
 *
 * Matching: a fault applies to a command when its opcode is in the fault's opcode set. Without an
 * explicit `opcode`, kinds that only make sense for one command family default to that family
 * (`speed-mismatch` → SET CD SPEED / SET STREAMING, `no-such-mode-page` → MODE SENSE, `reservation-conflict` → WRITE,
 * `invalid-mode-parameters` → MODE SELECT, `loss-of-streaming` / `write-protected` → WRITE,
 * `dvd-structure-not-present` → READ DISC STRUCTURE); the
 * others apply to any command except INQUIRY, REPORT LUNS and REQUEST SENSE (so a client can always
 * identify the drive and fetch sense). `opcode: 'any'` forces any command.
 * Faults are consumed in the order they were armed; `count` (default 1) is how many commands a fault
 * applies to, `count: 0` keeps it until disarmed.
 */
import { Opcode, Sense, opcodeName, type SenseCondition } from '@openimapi/sdk';

export const FaultKinds = [
  'no-media',
  'becoming-ready',
  'format-in-progress',
  'long-write-in-progress',
  'operation-in-progress',
  'upside-down',
  'unreadable',
  'incompatible-medium',
  'write-protected',
  'speed-mismatch',
  'no-such-mode-page',
  'invalid-mode-parameters',
  'timeout',
  'invalid-response',
  'device-gone',
  'loss-of-streaming',
  'dvd-structure-not-present',
  'media-not-formatted',
  'hardware-error',
  'unit-attention',
  'reservation-conflict',
  'sense',
] as const;

export type FaultKind = (typeof FaultKinds)[number];

export interface FaultSpec {
  readonly kind: FaultKind;
  /** Commands the fault applies to; default 1; 0 = until disarmed. */
  readonly count?: number;
  /** Opcode (number, or name as in `Opcode`, e.g. 'WRITE_10'), a list of them, or 'any'. */
  readonly opcode?: number | string | readonly (number | string)[];
  /** For 'sense' (required) and 'unit-attention' (default 06/28/00): the condition. */
  readonly sense?: SenseCondition;
}

export interface ArmedFault {
  readonly id: number;
  readonly kind: FaultKind;
  /** Commands left; Infinity when armed with count 0. */
  remaining: number;
  /** Opcodes it applies to; undefined = any (but INQUIRY/REPORT LUNS/REQUEST SENSE). */
  readonly opcodes: readonly number[] | undefined;
  readonly sense: SenseCondition | undefined;
}

/** What the drive does with a command a fault applies to. */
export type FaultAction =
  | { readonly type: 'check-condition'; readonly sense: SenseCondition; readonly trayDependent?: boolean }
  | { readonly type: 'hang' }
  | { readonly type: 'corrupt-reply' }
  | { readonly type: 'disconnect' }
  | { readonly type: 'reservation-conflict' }
  | { readonly type: 'unit-attention'; readonly sense: SenseCondition };

const WRITES = [Opcode.WRITE_10, Opcode.WRITE_12, Opcode.WRITE_AND_VERIFY_10];
const defaultOpcodes: Partial<Record<FaultKind, readonly number[]>> = {
  'speed-mismatch': [Opcode.SET_CD_SPEED, Opcode.SET_STREAMING],
  'no-such-mode-page': [Opcode.MODE_SENSE_6, Opcode.MODE_SENSE_10],
  'invalid-mode-parameters': [Opcode.MODE_SELECT_6, Opcode.MODE_SELECT_10],
  'loss-of-streaming': WRITES,
  'write-protected': WRITES,
  'dvd-structure-not-present': [Opcode.READ_DISC_STRUCTURE],
  'reservation-conflict': WRITES,
};
const NEVER_BY_DEFAULT = new Set<number>([Opcode.INQUIRY, Opcode.REPORT_LUNS, Opcode.REQUEST_SENSE]);

const senseOf: Partial<Record<FaultKind, SenseCondition>> = {
  'no-media': Sense.MEDIUM_NOT_PRESENT_TRAY_CLOSED,
  'becoming-ready': Sense.LOGICAL_UNIT_IS_IN_PROCESS_OF_BECOMING_READY,
  'format-in-progress': Sense.LOGICAL_UNIT_NOT_READY_FORMAT_IN_PROGRESS,
  'long-write-in-progress': Sense.LOGICAL_UNIT_NOT_READY_LONG_WRITE_IN_PROGRESS,
  'operation-in-progress': Sense.LOGICAL_UNIT_NOT_READY_OPERATION_IN_PROGRESS,
  'upside-down': Sense.UNABLE_TO_RECOVER_TABLE_OF_CONTENTS,
  unreadable: Sense.UNABLE_TO_RECOVER_TABLE_OF_CONTENTS,
  'incompatible-medium': Sense.INCOMPATIBLE_MEDIUM_INSTALLED_NR,
  'write-protected': Sense.WRITE_PROTECTED,
  'speed-mismatch': Sense.INCOMPATIBLE_MEDIUM_INSTALLED_IR,
  'no-such-mode-page': Sense.INVALID_FIELD_IN_CDB,
  'invalid-mode-parameters': Sense.INVALID_FIELD_IN_PARAMETER_LIST,
  'loss-of-streaming': Sense.LOSS_OF_STREAMING,
  'dvd-structure-not-present': Sense.INVALID_FIELD_IN_CDB,
  'media-not-formatted': { key: 0x2, asc: 0x30, ascq: 0x10 },
  'hardware-error': { key: 0x4, asc: 0x44, ascq: 0x00 },
};

const opcodeByName = new Map<string, number>(Object.entries(Opcode).map(([k, v]) => [k, v]));

function parseOpcode(v: number | string): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new TypeError(`opcode: ${v} is not 0..255`);
    return v;
  }
  const byName = opcodeByName.get(v.toUpperCase().replace(/[ -]/g, '_'));
  if (byName !== undefined) return byName;
  if (/^(0x)?[0-9a-f]{1,2}$/i.test(v)) return parseInt(v.replace(/^0x/i, ''), 16);
  throw new TypeError(`opcode: unknown opcode "${v}"`);
}

function validSense(s: unknown): s is SenseCondition {
  if (typeof s !== 'object' || s === null) return false;
  const o = s as Record<string, unknown>;
  const byte = (v: unknown, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
  return byte(o.key, 0x0f) && byte(o.asc, 0xff) && byte(o.ascq, 0xff);
}

export class Faults {
  private armed: ArmedFault[] = [];
  private nextId = 1;

  /** Arms a fault; a bad spec throws TypeError naming the field. */
  arm(spec: FaultSpec): ArmedFault {
    if (typeof spec !== 'object' || spec === null) throw new TypeError('fault: expected an object');
    if (!(FaultKinds as readonly string[]).includes(spec.kind)) {
      throw new TypeError(`kind: "${String(spec.kind)}" is not one of ${FaultKinds.join(', ')}`);
    }
    const count = spec.count ?? 1;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) throw new TypeError(`count: ${String(count)} is not a non-negative integer`);
    let opcodes: readonly number[] | undefined;
    if (spec.opcode === undefined) opcodes = defaultOpcodes[spec.kind];
    else if (spec.opcode === 'any') opcodes = undefined;
    else if (Array.isArray(spec.opcode)) opcodes = spec.opcode.map((o) => parseOpcode(o as number | string));
    else if (typeof spec.opcode === 'number' || typeof spec.opcode === 'string') opcodes = [parseOpcode(spec.opcode)];
    else throw new TypeError('opcode: expected a number, a name, a list or "any"');
    if (spec.kind === 'sense' && !validSense(spec.sense)) throw new TypeError('sense: kind "sense" needs {key, asc, ascq}');
    if (spec.sense !== undefined && !validSense(spec.sense)) throw new TypeError('sense: expected {key 0..15, asc 0..255, ascq 0..255}');
    const sense = spec.sense ? { key: spec.sense.key, asc: spec.sense.asc, ascq: spec.sense.ascq } : undefined;
    const fault: ArmedFault = { id: this.nextId++, kind: spec.kind, remaining: count === 0 ? Infinity : count, opcodes, sense };
    this.armed.push(fault);
    return fault;
  }

  /** Disarms one fault by id, or all of them. Returns how many were removed. */
  disarm(id?: number): number {
    const before = this.armed.length;
    this.armed = id === undefined ? [] : this.armed.filter((f) => f.id !== id);
    return before - this.armed.length;
  }

  list(): readonly ArmedFault[] {
    return this.armed;
  }

  /** For /state: plain JSON. */
  describe(): { id: number; kind: FaultKind; remaining: number | 'until-disarmed'; opcodes: string[] | 'any'; sense?: SenseCondition }[] {
    return this.armed.map((f) => ({
      id: f.id,
      kind: f.kind,
      remaining: f.remaining === Infinity ? 'until-disarmed' : f.remaining,
      opcodes: f.opcodes ? f.opcodes.map(opcodeName) : 'any',
      ...(f.sense ? { sense: f.sense } : {}),
    }));
  }

  /** The first armed fault that applies to `opcode`, consumed by one; undefined when none does. */
  take(opcode: number): FaultAction | undefined {
    if (this.armed.length === 0) return undefined;
    const i = this.armed.findIndex((f) => (f.opcodes ? f.opcodes.includes(opcode) : !NEVER_BY_DEFAULT.has(opcode)));
    if (i < 0) return undefined;
    const f = this.armed[i]!;
    f.remaining -= 1;
    if (f.remaining <= 0) this.armed.splice(i, 1);
    return actionFor(f);
  }
}

function actionFor(f: ArmedFault): FaultAction {
  switch (f.kind) {
    case 'timeout':
      return { type: 'hang' };
    case 'invalid-response':
      return { type: 'corrupt-reply' };
    case 'device-gone':
      return { type: 'disconnect' };
    case 'reservation-conflict':
      return { type: 'reservation-conflict' };
    case 'unit-attention':
      return { type: 'unit-attention', sense: f.sense ?? Sense.NOT_READY_TO_READY_CHANGE_MEDIUM_MAY_HAVE_CHANGED };
    case 'sense':
      return { type: 'check-condition', sense: f.sense! };
    case 'no-media':
      return f.sense ? { type: 'check-condition', sense: f.sense } : { type: 'check-condition', sense: senseOf['no-media']!, trayDependent: true };
    default:
      return { type: 'check-condition', sense: f.sense ?? senseOf[f.kind]! };
  }
}

/**
 * Makes a reply contradict itself (the 'invalid-response' fault): its length field is set too small
 * for the header it sits in, the case the SDK's codecs reject as an invalid response (see
 * sdk/src/scsi/codec.ts). Offsets of the length field per command, from each reply's layout table.
 */
export function corruptReply(opcode: number, data: Buffer): Buffer {
  const out = Buffer.from(data.length >= 8 ? data : Buffer.concat([data, Buffer.alloc(8 - data.length)]));
  switch (opcode) {
    case Opcode.GET_CONFIGURATION: // DATA LENGTH bytes 0-3 (MMC-6 Table 90): 0 < the 4 bytes after it
      out.writeUInt32BE(0x00000001, 0);
      break;
    case Opcode.INQUIRY: // ADDITIONAL LENGTH byte 4: standard data needs ≥ 31
      out[4] = 0x01;
      break;
    case Opcode.MODE_SENSE_6: // MODE DATA LENGTH byte 0: header is 4 bytes
      out[0] = 0x01;
      break;
    case Opcode.READ_CAPACITY_10: // no length field: a block length of 0 is impossible
      out.writeUInt32BE(0, 4);
      break;
    case Opcode.GET_PERFORMANCE: // PERFORMANCE DATA LENGTH bytes 0-3 (MMC-6 Table 403): the header alone needs 4
      out.writeUInt32BE(0x00000001, 0);
      break;
    case Opcode.PERSISTENT_RESERVE_IN:
      // READ KEYS / READ RESERVATION / READ FULL STATUS: ADDITIONAL LENGTH bytes 4-7 (SPC-4 §6.15) of 1
      // fits no key, reservation or status descriptor; REPORT CAPABILITIES: LENGTH bytes 0-1 (≥ 8).
      out.writeUInt16BE(0x0001, 0);
      out.writeUInt32BE(0x00000001, 4);
      break;
    default: // a 2-byte length at 0-1 (TOC, disc/track information, MODE SENSE(10), GESN, ...)
      out.writeUInt16BE(0x0001, 0);
  }
  return out;
}
