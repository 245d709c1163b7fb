/**
 * The initiator's side of the iSCSI login phase (RFC 7143 §6.3, §12.1.3): the security stage with
 * AuthMethod None or CHAP (MD5, optionally mutual), then the operational stage negotiating the §13
 * keys, then full feature phase. Keys the target offers on its own are answered from the same table.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { PduConnection } from './connection.js';
import type { LoginResponse, Pdu } from '../iscsi/pdu.js';
import { LoginStage } from '../iscsi/pdu.js';
import { decodeText, encodeText, type TextPairs } from '../iscsi/text.js';
import { acceptAnswer, answerOffer, applyKey, defaultParams, IRRELEVANT, NOT_UNDERSTOOD, keyDef, type OperationalParams } from '../iscsi/negotiation.js';
import { CHAP_MD5, chapResponse, decodeBinary, encodeBinary, newChallenge, responsesEqual } from '../iscsi/chap.js';
import { ImapiError } from '../errors/imapi-error.js';

export interface ChapCredentials {
  readonly user: string;
  readonly secret: string;
}

export interface LoginOptions {
  readonly initiatorName: string;
  readonly initiatorAlias?: string;
  /** 12 hex digits. */
  readonly isid: string;
  readonly sessionType: 'Normal' | 'Discovery';
  readonly targetName?: string;
  readonly chap?: ChapCredentials;
  /** Mutual CHAP: what the target must answer with. */
  readonly mutualChap?: ChapCredentials;
  /** Offer CRC32C digests (default: None only). */
  readonly digests?: boolean;
  readonly timeoutMs: number;
}

export interface LoginResult {
  readonly params: OperationalParams;
  readonly tsih: number;
  readonly cmdSN: number;
  readonly expStatSN: number;
  readonly expCmdSN: number;
  readonly maxCmdSN: number;
  readonly targetAlias?: string;
  readonly targetPortalGroupTag: number;
}

/** The InitiatorName used unless one is given: `iqn.2026-11.org.openimapi:sdk.<hostname>`. */
export function defaultInitiatorName(): string {
  const h = hostname().toLowerCase().replace(/[^a-z0-9.-]/g, '-').replace(/^[.-]+|[.-]+$/g, '') || 'localhost';
  return `iqn.2026-11.org.openimapi:sdk.${h}`;
}

let isidQualifier = 0;
const isidRandom = randomBytes(3);
/**
 * A fresh ISID of the Random format (RFC 7143 §11.12.5: T=10b, A reserved, B and C random, D a
 * qualifier): random per process, qualifier counted per session, so every session's I_T nexus is new.
 */
export function newIsid(): string {
  isidQualifier = (isidQualifier + 1) & 0xffff;
  const b = Buffer.alloc(6);
  b[0] = 0x80;
  isidRandom.copy(b, 1);
  b.writeUInt16BE(isidQualifier === 0 ? (isidQualifier = 1) : isidQualifier, 4);
  return b.toString('hex');
}

/** What we ask for in the operational stage (first connection of a session). */
function operationalOffer(o: LoginOptions): TextPairs {
  const digest = o.digests ? 'CRC32C,None' : 'None';
  const common: TextPairs = [
    ['HeaderDigest', digest],
    ['DataDigest', digest],
    ['MaxRecvDataSegmentLength', '262144'],
    ['DefaultTime2Wait', '0'],
    ['DefaultTime2Retain', '0'],
    ['ErrorRecoveryLevel', '0'],
  ];
  if (o.sessionType === 'Discovery') return common;
  return [
    ...common,
    ['MaxConnections', '1'],
    ['InitialR2T', 'No'],
    ['ImmediateData', 'Yes'],
    ['MaxBurstLength', '1048576'],
    ['FirstBurstLength', '262144'],
    ['MaxOutstandingR2T', '1'],
    ['DataPDUInOrder', 'Yes'],
    ['DataSequenceInOrder', 'Yes'],
  ];
}

/** What we answer when the target offers a key itself. */
const OUR_LIMITS: Record<string, string> = {
  HeaderDigest: 'None',
  DataDigest: 'None',
  MaxConnections: '1',
  InitialR2T: 'No',
  ImmediateData: 'Yes',
  MaxBurstLength: '1048576',
  FirstBurstLength: '262144',
  DefaultTime2Wait: '0',
  DefaultTime2Retain: '0',
  MaxOutstandingR2T: '1',
  DataPDUInOrder: 'Yes',
  DataSequenceInOrder: 'Yes',
  ErrorRecoveryLevel: '0',
  TaskReporting: 'RFC3720',
  iSCSIProtocolLevel: '1',
  IFMarker: 'No',
  OFMarker: 'No',
};

function loginError(message: string): ImapiError {
  return new ImapiError('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)', `iSCSI login failed: ${message}`, { disconnected: true });
}

/** Runs the login on `conn`. Rejects with ImapiError ERROR_DEV_NOT_EXIST (login failed) naming why. */
export async function login(conn: PduConnection, o: LoginOptions): Promise<LoginResult> {
  const itt = 0;
  let cmdSN = 1;
  let expStatSN = 0;
  let tsih = 0;
  const params = defaultParams();
  params.initiatorMaxRecvDataSegmentLength = 262144;
  let targetAlias: string | undefined;
  let tpgt = 1;

  const exchange = (csg: number, nsg: number, transit: boolean, pairs: TextPairs): Promise<LoginResponse> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(loginError(`no login response within ${o.timeoutMs} ms`));
      }, o.timeoutMs);
      const onPdu = (p: Pdu) => {
        if (p.kind !== 'login-response') {
          cleanup();
          reject(loginError(`unexpected ${p.kind} during login`));
          return;
        }
        cleanup();
        resolve(p);
      };
      const onLost = (e: Error) => {
        cleanup();
        reject(loginError(e.message));
      };
      const cleanup = () => {
        clearTimeout(timer);
        conn.off('pdu', onPdu);
        conn.off('lost', onLost);
      };
      conn.on('pdu', onPdu);
      conn.on('lost', onLost);
      conn.send({ kind: 'login-request', transit, csg, nsg, versionMax: 0, versionMin: 0, isid: o.isid, tsih, itt, cid: 0, cmdSN, expStatSN, data: encodeText(pairs) });
    });

  const check = (r: LoginResponse): TextPairs => {
    if ((r.statusClass ?? 0) !== 0) {
      const cls = r.statusClass ?? 0;
      const det = r.statusDetail ?? 0;
      const why = cls === 2 && det === 1 ? 'authentication failure' : cls === 2 && det === 3 ? 'target not found' : cls === 2 && det === 2 ? 'authorization failure' : `status class ${cls} detail ${det}`;
      throw loginError(why);
    }
    expStatSN = ((r.statSN ?? 0) + 1) >>> 0;
    tsih = r.tsih ?? tsih;
    return decodeText(r.data ?? Buffer.alloc(0));
  };
  const get = (pairs: TextPairs, k: string) => pairs.find(([key]) => key === k)?.[1];

  // --- Security stage ----------------------------------------------------------------------------
  const first: TextPairs = [
    ['InitiatorName', o.initiatorName],
    ...(o.initiatorAlias ? ([['InitiatorAlias', o.initiatorAlias]] as TextPairs) : []),
    ['SessionType', o.sessionType],
    ...(o.targetName ? ([['TargetName', o.targetName]] as TextPairs) : []),
    ['AuthMethod', o.chap ? 'CHAP' : 'None'],
  ];
  let r = await exchange(LoginStage.SECURITY, LoginStage.OPERATIONAL, !o.chap, first);
  let got = check(r);
  targetAlias = get(got, 'TargetAlias') ?? targetAlias;
  const tpgtText = get(got, 'TargetPortalGroupTag');
  if (tpgtText !== undefined) tpgt = Number(tpgtText);
  const method = get(got, 'AuthMethod');
  if (o.chap) {
    if (method !== 'CHAP') throw loginError(`target did not accept AuthMethod=CHAP (answered ${method ?? 'nothing'})`);
    r = await exchange(LoginStage.SECURITY, LoginStage.OPERATIONAL, false, [['CHAP_A', String(CHAP_MD5)]]);
    got = check(r);
    const a = get(got, 'CHAP_A');
    const id = Number(get(got, 'CHAP_I'));
    const challenge = decodeBinary(get(got, 'CHAP_C') ?? '');
    if (a !== String(CHAP_MD5) || !Number.isInteger(id) || !challenge) throw loginError('target sent a malformed CHAP challenge');
    const answer: TextPairs = [
      ['CHAP_N', o.chap.user],
      ['CHAP_R', encodeBinary(chapResponse(id, o.chap.secret, challenge))],
    ];
    const mine = o.mutualChap ? newChallenge() : undefined;
    if (mine) answer.push(['CHAP_I', String(mine.identifier)], ['CHAP_C', encodeBinary(mine.challenge)]);
    r = await exchange(LoginStage.SECURITY, LoginStage.OPERATIONAL, true, answer);
    got = check(r);
    if (mine && o.mutualChap) {
      const n = get(got, 'CHAP_N');
      const resp = decodeBinary(get(got, 'CHAP_R') ?? '');
      if (n !== o.mutualChap.user || !resp || !responsesEqual(resp, chapResponse(mine.identifier, o.mutualChap.secret, mine.challenge))) {
        conn.destroy();
        throw loginError('mutual CHAP: the target did not prove it knows the secret');
      }
    }
  } else if (method !== undefined && method !== 'None') {
    throw loginError(`target requires AuthMethod ${method}`);
  }
  // The target may need more security-stage exchanges before transiting.
  while (!(r.transit && r.nsg === LoginStage.OPERATIONAL) && r.csg === LoginStage.SECURITY) {
    r = await exchange(LoginStage.SECURITY, LoginStage.OPERATIONAL, true, []);
    got = check(r);
  }

  // --- Operational stage ------------------------------------------------------------------------
  const offer = operationalOffer(o);
  const offered = new Map(offer);
  let toSend: TextPairs = offer;
  for (let round = 0; round < 16; round++) {
    r = await exchange(LoginStage.OPERATIONAL, LoginStage.FULL_FEATURE, true, toSend);
    got = check(r);
    toSend = [];
    for (const [key, value] of got) {
      if (key === 'TargetAlias') targetAlias = value;
      else if (key === 'TargetPortalGroupTag') tpgt = Number(value);
      else if (offered.has(key)) {
        let agreed: string | undefined;
        try {
          agreed = keyDef(key)?.type === 'declarative' ? value : acceptAnswer(key, offered.get(key)!, value);
        } catch (e) {
          throw loginError((e as Error).message);
        }
        if (key === 'MaxRecvDataSegmentLength') applyKey(params, key, value, 'target');
        else if (agreed !== undefined) applyKey(params, key, agreed, 'initiator');
        offered.delete(key);
      } else if (keyDef(key)) {
        // The target offers a key on its own: answer from our limits.
        if (key === 'MaxRecvDataSegmentLength') {
          applyKey(params, key, value, 'target');
          continue;
        }
        const a = answerOffer(key, value, OUR_LIMITS[key] ?? value);
        if (a.result !== undefined) applyKey(params, key, a.result, 'initiator');
        if (a.reply !== undefined && a.reply !== IRRELEVANT) toSend.push([key, a.reply]);
      } else if (value !== NOT_UNDERSTOOD) {
        toSend.push([key, NOT_UNDERSTOOD]);
      }
    }
    if (r.transit && r.nsg === LoginStage.FULL_FEATURE) {
      params.initiatorMaxRecvDataSegmentLength = 262144;
      return {
        params,
        tsih,
        cmdSN,
        expStatSN,
        expCmdSN: r.expCmdSN ?? cmdSN,
        maxCmdSN: r.maxCmdSN ?? cmdSN,
        ...(targetAlias !== undefined ? { targetAlias } : {}),
        targetPortalGroupTag: tpgt,
      };
    }
  }
  throw loginError('operational negotiation did not finish');
}
