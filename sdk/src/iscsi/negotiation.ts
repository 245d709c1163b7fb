/**
 * Login/Text key negotiation (RFC 7143 §6.2, §13): one table of keys used by both the target and the
 * initiator. A key has a type that fixes how an offer and an answer combine:
 *   boolean-and  result = offer AND answer (Yes/No)      boolean-or   result = offer OR answer
 *   min / max    numerical: result = min / max of the two, each within [min, max] of the key
 *   list         the answer is the first value in the offer's list the responder supports
 *   declarative  each side states its own value (no combining; no answer required)
 * Special answers: `NotUnderstood` (unknown key), `Irrelevant` (key does not apply, e.g. FirstBurstLength
 * when InitialR2T=Yes and ImmediateData=No, or session keys in a discovery session), `Reject` (bad value).
 */

export type KeyType = 'boolean-and' | 'boolean-or' | 'min' | 'max' | 'list' | 'declarative';
/** Where a key may be negotiated (§13): login security/operational stage, any, or full feature. */
export type KeyUse = 'security' | 'operational' | 'any' | 'declare';

export interface KeyDef {
  readonly name: string;
  readonly type: KeyType;
  /** Default value when the key is never negotiated. */
  readonly default: string;
  readonly min?: number;
  readonly max?: number;
  /** Values a list key may take (informative; the responder passes what it supports). */
  readonly values?: readonly string[];
  /** Leading-only: negotiated only on the first connection of a session (§13, "LO"). */
  readonly leadingOnly: boolean;
  readonly use: KeyUse;
  /** Irrelevant in a discovery session. */
  readonly discoveryIrrelevant: boolean;
}

const k = (name: string, type: KeyType, def: string, o: Partial<Omit<KeyDef, 'name' | 'type' | 'default'>> = {}): KeyDef =>
  Object.freeze({ name, type, default: def, leadingOnly: false, use: 'operational', discoveryIrrelevant: false, ...o });

const U24 = 0xffffff;
/** The keys of RFC 7143 §13 (and iSCSIProtocolLevel of RFC 7144), in section order. */
export const KEYS: readonly KeyDef[] = [
  k('HeaderDigest', 'list', 'None', { values: ['None', 'CRC32C'] }),
  k('DataDigest', 'list', 'None', { values: ['None', 'CRC32C'] }),
  k('MaxConnections', 'min', '1', { min: 1, max: 65535, leadingOnly: true, discoveryIrrelevant: true }),
  k('SendTargets', 'declarative', '', { use: 'declare' }),
  k('TargetName', 'declarative', '', { use: 'declare', leadingOnly: true }),
  k('InitiatorName', 'declarative', '', { use: 'declare', leadingOnly: true }),
  k('TargetAlias', 'declarative', '', { use: 'declare', leadingOnly: true }),
  k('InitiatorAlias', 'declarative', '', { use: 'declare', leadingOnly: true }),
  k('TargetAddress', 'declarative', '', { use: 'declare' }),
  k('TargetPortalGroupTag', 'declarative', '1', { use: 'declare', leadingOnly: true, min: 0, max: 65535 }),
  k('InitialR2T', 'boolean-or', 'Yes', { leadingOnly: true, discoveryIrrelevant: true }),
  k('ImmediateData', 'boolean-and', 'Yes', { leadingOnly: true, discoveryIrrelevant: true }),
  k('MaxRecvDataSegmentLength', 'declarative', '8192', { min: 512, max: U24, use: 'any' }),
  k('MaxBurstLength', 'min', '262144', { min: 512, max: U24, leadingOnly: true, discoveryIrrelevant: true }),
  k('FirstBurstLength', 'min', '65536', { min: 512, max: U24, leadingOnly: true, discoveryIrrelevant: true }),
  k('DefaultTime2Wait', 'max', '2', { min: 0, max: 3600, leadingOnly: true }),
  k('DefaultTime2Retain', 'min', '20', { min: 0, max: 3600, leadingOnly: true }),
  k('MaxOutstandingR2T', 'min', '1', { min: 1, max: 65535, leadingOnly: true, discoveryIrrelevant: true }),
  k('DataPDUInOrder', 'boolean-or', 'Yes', { leadingOnly: true, discoveryIrrelevant: true }),
  k('DataSequenceInOrder', 'boolean-or', 'Yes', { leadingOnly: true, discoveryIrrelevant: true }),
  k('ErrorRecoveryLevel', 'min', '0', { min: 0, max: 2, leadingOnly: true }),
  k('SessionType', 'declarative', 'Normal', { use: 'declare', leadingOnly: true, values: ['Discovery', 'Normal'] }),
  k('AuthMethod', 'list', 'None', { use: 'security', values: ['CHAP', 'None', 'KRB5', 'SRP', 'SPKM1', 'SPKM2'] }),
  k('TaskReporting', 'list', 'RFC3720', { leadingOnly: true, values: ['RFC3720', 'ResponseFence', 'FastAbort'], discoveryIrrelevant: true }),
  k('iSCSIProtocolLevel', 'min', '0', { min: 0, max: 31, leadingOnly: true }),
  // Markers were made obsolete by RFC 7143 (§13.25 lists them); answered as plain booleans/No.
  k('OFMarker', 'boolean-and', 'No', { leadingOnly: false }),
  k('IFMarker', 'boolean-and', 'No', { leadingOnly: false }),
];

const byName = new Map(KEYS.map((d) => [d.name, d]));
/** The key's definition, or undefined for a key this table does not know (answer NotUnderstood). */
export function keyDef(name: string): KeyDef | undefined {
  return byName.get(name);
}

export const NOT_UNDERSTOOD = 'NotUnderstood';
export const IRRELEVANT = 'Irrelevant';
export const REJECT = 'Reject';

/** Parses a numerical value: decimal, or hex `0x...` (§6.1 numerical encodings). NaN if neither. */
export function parseNumber(v: string): number {
  if (/^[0-9]{1,10}$/.test(v)) return Number(v);
  if (/^0[xX][0-9a-fA-F]{1,8}$/.test(v)) return parseInt(v.slice(2), 16);
  return NaN;
}

function parseBool(v: string): boolean | undefined {
  return v === 'Yes' ? true : v === 'No' ? false : undefined;
}

export interface Answer {
  /** The value to send back (`NotUnderstood`, `Irrelevant`, `Reject` included); undefined = no answer. */
  readonly reply: string | undefined;
  /** The negotiated result for this side, undefined when nothing was agreed. */
  readonly result: string | undefined;
}

/**
 * The responder's answer to `offer` for `key`, given its own setting `mine` (a Yes/No, a number
 * limit, or for list keys the values it supports in its order of preference as a comma list).
 */
export function answerOffer(key: string, offer: string, mine: string): Answer {
  const d = byName.get(key);
  if (!d) return { reply: NOT_UNDERSTOOD, result: undefined };
  switch (d.type) {
    case 'boolean-and':
    case 'boolean-or': {
      const a = parseBool(offer);
      const b = parseBool(mine);
      if (a === undefined || b === undefined) return { reply: REJECT, result: undefined };
      const r = d.type === 'boolean-and' ? a && b : a || b;
      return { reply: r ? 'Yes' : 'No', result: r ? 'Yes' : 'No' };
    }
    case 'min':
    case 'max': {
      const a = parseNumber(offer);
      const b = parseNumber(mine);
      if (!inBounds(d, a) || !inBounds(d, b)) return { reply: REJECT, result: undefined };
      const r = String(d.type === 'min' ? Math.min(a, b) : Math.max(a, b));
      return { reply: r, result: r };
    }
    case 'list': {
      const ours = mine.split(',');
      const pick = offer.split(',').find((v) => ours.includes(v));
      return pick === undefined ? { reply: REJECT, result: undefined } : { reply: pick, result: pick };
    }
    case 'declarative':
      if (d.min !== undefined && !inBounds(d, parseNumber(offer))) return { reply: REJECT, result: undefined };
      return { reply: undefined, result: offer };
  }
}

/**
 * The originator's check of an answer to its `offer`: the agreed value, or an Error when the answer
 * breaks the key's rule (a list answer not in the offer, a min answer above the offer, ...).
 * `Irrelevant` and `NotUnderstood` answers leave the key at undefined (the default applies).
 */
export function acceptAnswer(key: string, offer: string, answer: string): string | undefined {
  const d = byName.get(key);
  if (answer === IRRELEVANT || answer === NOT_UNDERSTOOD) return undefined;
  if (!d) throw new Error(`answer for unknown key ${key}`);
  if (answer === REJECT) throw new Error(`${key}=${offer} rejected`);
  switch (d.type) {
    case 'boolean-and':
    case 'boolean-or': {
      const a = parseBool(offer);
      const b = parseBool(answer);
      if (a === undefined || b === undefined) throw new Error(`${key}: bad boolean answer "${answer}"`);
      // AND: an offer of No must come back No; OR: an offer of Yes must come back Yes.
      if (d.type === 'boolean-and' && !a && b) throw new Error(`${key}: answer Yes to an offer of No`);
      if (d.type === 'boolean-or' && a && !b) throw new Error(`${key}: answer No to an offer of Yes`);
      return answer;
    }
    case 'min':
    case 'max': {
      const a = parseNumber(offer);
      const b = parseNumber(answer);
      if (!inBounds(d, b)) throw new Error(`${key}: answer ${answer} out of bounds`);
      if (d.type === 'min' ? b > a : b < a) throw new Error(`${key}: answer ${answer} breaks the ${d.type} rule against ${offer}`);
      return String(b);
    }
    case 'list':
      if (!offer.split(',').includes(answer)) throw new Error(`${key}: answer "${answer}" not among the offered ${offer}`);
      return answer;
    case 'declarative':
      return answer;
  }
}

function inBounds(d: KeyDef, n: number): boolean {
  return Number.isInteger(n) && (d.min === undefined || n >= d.min) && (d.max === undefined || n <= d.max);
}

/** The operational parameters in force on a connection/session after login. */
export interface OperationalParams {
  headerDigest: 'None' | 'CRC32C';
  dataDigest: 'None' | 'CRC32C';
  maxConnections: number;
  initialR2T: boolean;
  immediateData: boolean;
  /** What the initiator declared it can receive (bounds our Data-In / Text Response segments). */
  initiatorMaxRecvDataSegmentLength: number;
  /** What the target declared it can receive (bounds Data-Out / immediate data segments). */
  targetMaxRecvDataSegmentLength: number;
  maxBurstLength: number;
  firstBurstLength: number;
  defaultTime2Wait: number;
  defaultTime2Retain: number;
  maxOutstandingR2T: number;
  dataPDUInOrder: boolean;
  dataSequenceInOrder: boolean;
  errorRecoveryLevel: number;
}

/** RFC 7143 defaults. */
export function defaultParams(): OperationalParams {
  return {
    headerDigest: 'None', dataDigest: 'None', maxConnections: 1, initialR2T: true, immediateData: true,
    initiatorMaxRecvDataSegmentLength: 8192, targetMaxRecvDataSegmentLength: 8192, maxBurstLength: 262144,
    firstBurstLength: 65536, defaultTime2Wait: 2, defaultTime2Retain: 20, maxOutstandingR2T: 1,
    dataPDUInOrder: true, dataSequenceInOrder: true, errorRecoveryLevel: 0,
  };
}

/** Stores an agreed key value in `p`. `from` says who declared a MaxRecvDataSegmentLength. */
export function applyKey(p: OperationalParams, key: string, value: string, from: 'initiator' | 'target'): void {
  const n = parseNumber(value);
  switch (key) {
    case 'HeaderDigest': p.headerDigest = value === 'CRC32C' ? 'CRC32C' : 'None'; break;
    case 'DataDigest': p.dataDigest = value === 'CRC32C' ? 'CRC32C' : 'None'; break;
    case 'MaxConnections': p.maxConnections = n; break;
    case 'InitialR2T': p.initialR2T = value === 'Yes'; break;
    case 'ImmediateData': p.immediateData = value === 'Yes'; break;
    case 'MaxRecvDataSegmentLength':
      if (from === 'initiator') p.initiatorMaxRecvDataSegmentLength = n;
      else p.targetMaxRecvDataSegmentLength = n;
      break;
    case 'MaxBurstLength': p.maxBurstLength = n; break;
    case 'FirstBurstLength': p.firstBurstLength = n; break;
    case 'DefaultTime2Wait': p.defaultTime2Wait = n; break;
    case 'DefaultTime2Retain': p.defaultTime2Retain = n; break;
    case 'MaxOutstandingR2T': p.maxOutstandingR2T = n; break;
    case 'DataPDUInOrder': p.dataPDUInOrder = value === 'Yes'; break;
    case 'DataSequenceInOrder': p.dataSequenceInOrder = value === 'Yes'; break;
    case 'ErrorRecoveryLevel': p.errorRecoveryLevel = n; break;
    default: break;
  }
}

/**
 * True when `key` does not apply given what is already agreed (§13.14: FirstBurstLength is
 * irrelevant with InitialR2T=Yes and ImmediateData=No) or in a discovery session.
 */
export function isIrrelevant(key: string, ctx: { discovery: boolean; initialR2T?: boolean; immediateData?: boolean }): boolean {
  const d = byName.get(key);
  if (!d) return false;
  if (ctx.discovery && d.discoveryIrrelevant) return true;
  if (key === 'FirstBurstLength' && ctx.initialR2T === true && ctx.immediateData === false) return true;
  return false;
}
