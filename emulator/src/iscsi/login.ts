/**
 * The target's side of login (RFC 7143 §6.3, §11.12-§11.13): security stage (AuthMethod None or CHAP,
 * mutual CHAP optional), operational stage (every key of the negotiation table), transit to full
 * feature phase. Pure state machine: it takes decoded Login Requests and returns the answer's fields;
 * the connection sends them and applies the result.
 */
import {
  LoginStage, LoginStatus, answerOffer, applyKey, defaultParams, isIrrelevant, keyDef, decodeText, encodeText, TextAccumulator,
  chapResponse, decodeBinary, encodeBinary, newChallenge, responsesEqual, CHAP_MD5, IRRELEVANT, REJECT,
  type LoginRequest, type OperationalParams, type TextPairs,
} from '@openimapi/sdk/iscsi';
import type { ChapConfig } from './types.js';

export interface LoginConfig {
  iqn: string;
  alias: string | undefined;
  tpgt: number;
  chap: ChapConfig | undefined;
  maxRecvDataSegmentLength: number;
}

export interface LoginReply {
  transit: boolean;
  csg: number;
  nsg: number;
  status: readonly [number, number];
  pairs: TextPairs;
  /** Login complete: go to full feature phase. */
  done: boolean;
  /** Why a login failed, for the log. */
  failure?: string;
  /** More reply data follows (the initiator sent C=1): answer with an empty PDU. */
  partial?: boolean;
}

/** What the target's answers to each key are based on (its own settings, §13). */
function targetSetting(key: string, cfg: LoginConfig): string | undefined {
  switch (key) {
    case 'HeaderDigest':
    case 'DataDigest':
      return 'CRC32C,None';
    case 'MaxConnections': return '1';
    case 'InitialR2T': return 'No';
    case 'ImmediateData': return 'Yes';
    case 'MaxBurstLength': return String(0xffffff);
    case 'FirstBurstLength': return String(0xffffff);
    case 'DefaultTime2Wait': return '0';
    case 'DefaultTime2Retain': return '0';
    case 'MaxOutstandingR2T': return '16';
    // Data-Out PDUs of one burst must come in order (boolean-or: the answer is Yes whatever is offered);
    // bursts may come in any order, each R2T is tracked on its own.
    case 'DataPDUInOrder': return 'Yes';
    case 'DataSequenceInOrder': return 'No';
    case 'ErrorRecoveryLevel': return '0';
    case 'TaskReporting': return 'RFC3720';
    case 'iSCSIProtocolLevel': return '1';
    case 'OFMarker':
    case 'IFMarker':
      return 'No';
    case 'AuthMethod': return cfg.chap ? 'CHAP' : 'None';
    default: return undefined;
  }
}

export class LoginState {
  readonly params: OperationalParams = defaultParams();
  initiatorName = '';
  initiatorAlias = '';
  sessionType: 'Normal' | 'Discovery' = 'Normal';
  targetName = '';
  stage: number = -1;
  private authenticated = false;
  private authMethod: 'None' | 'CHAP' | undefined;
  private chapChallenge: { identifier: number; challenge: Buffer } | undefined;
  private chapAlgorithmAgreed = false;
  private sentDeclarations = false;
  private readonly text = new TextAccumulator(64 * 1024);
  private agreed = new Set<string>();
  /** Keys the initiator has sent in this login: each at most once (RFC 7143 §6.2). */
  private offered = new Set<string>();

  constructor(private readonly cfg: LoginConfig) {}

  /** Handles one Login Request; returns the response fields. */
  handle(req: LoginRequest): LoginReply {
    const csg = req.csg;
    const nsg = req.nsg ?? 0;
    const fail = (status: readonly [number, number], why: string): LoginReply => ({
      transit: false, csg, nsg: 0, status, pairs: [], done: false, failure: why,
    });
    if (csg === 2 || (req.transit && (nsg === 2 || nsg <= csg))) return fail(LoginStatus.INITIATOR_ERROR, `bad stage transition CSG=${csg} NSG=${nsg}`);
    if (this.stage !== -1 && csg < this.stage) return fail(LoginStatus.INITIATOR_ERROR, `CSG went back from ${this.stage} to ${csg}`);
    if (req.transit && req.cont) return fail(LoginStatus.INITIATOR_ERROR, 'T and C both set');
    this.stage = csg;

    let data: Buffer | undefined;
    try {
      data = this.text.push(req.data ?? Buffer.alloc(0), req.cont ?? false);
    } catch (e) {
      return fail(LoginStatus.INITIATOR_ERROR, (e as Error).message);
    }
    if (data === undefined) return { transit: false, csg, nsg: 0, status: LoginStatus.SUCCESS, pairs: [], done: false, partial: true };
    let pairs: TextPairs;
    try {
      pairs = decodeText(data);
    } catch (e) {
      return fail(LoginStatus.INITIATOR_ERROR, (e as Error).message);
    }

    const out: TextPairs = [];
    const chap: Record<string, string> = {};
    for (const [key, value] of pairs) {
      // "An attempt to renegotiate/redeclare parameters ... MUST be detected ... the target MUST
      // respond with Login reject (initiator error)" (§6.2). CHAP keys are checked by the CHAP steps.
      if (!key.startsWith('CHAP_')) {
        if (this.offered.has(key)) return fail(LoginStatus.INITIATOR_ERROR, `${key} sent twice`);
        this.offered.add(key);
      }
      if (key.startsWith('CHAP_')) {
        chap[key] = value;
        continue;
      }
      switch (key) {
        case 'InitiatorName': this.initiatorName = value; continue;
        case 'InitiatorAlias': this.initiatorAlias = value; continue;
        case 'TargetName': this.targetName = value; continue;
        case 'SessionType':
          if (value !== 'Normal' && value !== 'Discovery') return fail(LoginStatus.SESSION_TYPE_NOT_SUPPORTED, `SessionType=${value}`);
          this.sessionType = value;
          continue;
        case 'SendTargets':
        case 'TargetAlias':
        case 'TargetAddress':
        case 'TargetPortalGroupTag':
          out.push([key, IRRELEVANT]);
          continue;
        default:
          break;
      }
      if (key === 'AuthMethod') {
        if (csg !== LoginStage.SECURITY) {
          out.push([key, REJECT]);
          continue;
        }
        const a = answerOffer(key, value, targetSetting(key, this.cfg)!);
        if (a.result === undefined) return fail(LoginStatus.AUTHENTICATION_FAILURE, `no acceptable AuthMethod in "${value}"`);
        this.authMethod = a.result as 'None' | 'CHAP';
        out.push([key, a.reply!]);
        continue;
      }
      const def = keyDef(key);
      const discovery = this.sessionType === 'Discovery';
      if (def && isIrrelevant(key, { discovery, initialR2T: this.params.initialR2T, immediateData: this.params.immediateData })) {
        out.push([key, IRRELEVANT]);
        continue;
      }
      if (key === 'MaxRecvDataSegmentLength') {
        const a = answerOffer(key, value, '');
        if (a.result === undefined) out.push([key, REJECT]);
        else applyKey(this.params, key, a.result, 'initiator');
        continue;
      }
      const mine = targetSetting(key, this.cfg);
      const a = answerOffer(key, value, mine ?? '');
      if (a.reply !== undefined) out.push([key, a.reply]);
      if (a.result !== undefined) {
        applyKey(this.params, key, a.result, 'initiator');
        this.agreed.add(key);
      }
    }

    // FirstBurstLength MUST NOT exceed MaxBurstLength (§13.14): answer the smaller value.
    if (this.params.firstBurstLength > this.params.maxBurstLength) {
      this.params.firstBurstLength = this.params.maxBurstLength;
      const i = out.findIndex(([k]) => k === 'FirstBurstLength');
      if (i >= 0) out[i] = ['FirstBurstLength', String(this.params.maxBurstLength)];
    }

    // First response: identify the session and the portal group (§13.9 TargetPortalGroupTag).
    if (this.stage === csg && !this.sentDeclarations) {
      if (!this.initiatorName) return fail(LoginStatus.MISSING_PARAMETER, 'no InitiatorName');
      if (this.sessionType === 'Normal') {
        if (!this.targetName) return fail(LoginStatus.MISSING_PARAMETER, 'no TargetName in a normal session');
        if (this.targetName !== this.cfg.iqn) return fail(LoginStatus.NOT_FOUND, `unknown TargetName ${this.targetName}`);
        out.push(['TargetPortalGroupTag', String(this.cfg.tpgt)]);
        if (this.cfg.alias) out.push(['TargetAlias', this.cfg.alias]);
      }
      this.sentDeclarations = true;
    }

    // Security stage: authentication.
    if (csg === LoginStage.SECURITY) {
      if (this.cfg.chap && this.authMethod === 'None') return fail(LoginStatus.AUTHENTICATION_FAILURE, 'CHAP required');
      if (this.authMethod === 'CHAP' && this.cfg.chap) {
        const r = this.chapStep(chap, out);
        if (r) return fail(LoginStatus.AUTHENTICATION_FAILURE, r);
      } else if (this.authMethod === 'None' || (this.authMethod === undefined && !this.cfg.chap)) {
        this.authenticated = true;
      }
    } else if (!this.authenticated) {
      // Operational stage without a security stage: allowed only when no authentication is required.
      if (this.cfg.chap) return fail(LoginStatus.AUTHENTICATION_FAILURE, 'security stage skipped but CHAP is required');
      this.authenticated = true;
    }

    // Declare our receive limit in the operational stage (§13.12, declarative).
    if (csg === LoginStage.OPERATIONAL && !this.agreed.has('MaxRecvDataSegmentLength-declared')) {
      out.push(['MaxRecvDataSegmentLength', String(this.cfg.maxRecvDataSegmentLength)]);
      this.agreed.add('MaxRecvDataSegmentLength-declared');
      this.params.targetMaxRecvDataSegmentLength = this.cfg.maxRecvDataSegmentLength;
    }

    let transit = false;
    let replyNsg = 0;
    if (req.transit) {
      const ready = csg !== LoginStage.SECURITY || this.authenticated;
      if (ready) {
        transit = true;
        replyNsg = nsg;
      }
    }
    const done = transit && replyNsg === LoginStage.FULL_FEATURE;
    if (done && csg === LoginStage.SECURITY && !this.agreed.has('MaxRecvDataSegmentLength-declared')) {
      // Straight from security to full feature: the declaration goes with the last response.
      out.push(['MaxRecvDataSegmentLength', String(this.cfg.maxRecvDataSegmentLength)]);
      this.params.targetMaxRecvDataSegmentLength = this.cfg.maxRecvDataSegmentLength;
    }
    return { transit, csg, nsg: replyNsg, status: LoginStatus.SUCCESS, pairs: out, done };
  }

  /** One CHAP step; returns a failure reason or undefined. */
  private chapStep(chap: Record<string, string>, out: TextPairs): string | undefined {
    const cfg = this.cfg.chap!;
    if (chap.CHAP_A !== undefined) {
      const algs = chap.CHAP_A.split(',');
      if (!algs.includes(String(CHAP_MD5))) return `no supported CHAP_A in ${chap.CHAP_A}`;
      this.chapAlgorithmAgreed = true;
      this.chapChallenge = newChallenge();
      out.push(['CHAP_A', String(CHAP_MD5)], ['CHAP_I', String(this.chapChallenge.identifier)], ['CHAP_C', encodeBinary(this.chapChallenge.challenge)]);
      return undefined;
    }
    if (chap.CHAP_N !== undefined || chap.CHAP_R !== undefined) {
      if (!this.chapAlgorithmAgreed || !this.chapChallenge) return 'CHAP_R before CHAP_A';
      if (chap.CHAP_N !== cfg.user) return `CHAP_N ${chap.CHAP_N ?? '(none)'} is not the configured user`;
      const got = chap.CHAP_R !== undefined ? decodeBinary(chap.CHAP_R) : undefined;
      const ours = this.chapChallenge.challenge;
      const want = chapResponse(this.chapChallenge.identifier, cfg.secret, ours);
      if (!got || !responsesEqual(got, want)) return 'CHAP_R does not match';
      this.chapChallenge = undefined;
      // Mutual CHAP: the initiator challenges us.
      if (chap.CHAP_I !== undefined || chap.CHAP_C !== undefined) {
        if (!cfg.mutualUser || cfg.mutualSecret === undefined) return 'mutual CHAP requested but not configured';
        const id = Number(chap.CHAP_I);
        const c = chap.CHAP_C !== undefined ? decodeBinary(chap.CHAP_C) : undefined;
        if (!Number.isInteger(id) || id < 0 || id > 255 || !c) return 'bad mutual CHAP_I/CHAP_C';
        if (c.length > 1024) return 'mutual CHAP_C too long';
        // A challenge reflected back would make us answer our own question (RFC 7143 §12.1.3).
        if (c.equals(ours)) return 'mutual CHAP_C is the challenge the target sent';
        out.push(['CHAP_N', cfg.mutualUser], ['CHAP_R', encodeBinary(chapResponse(id, cfg.mutualSecret, c))]);
      }
      this.authenticated = true;
      return undefined;
    }
    if (!this.authenticated && Object.keys(chap).length) return 'unexpected CHAP keys';
    return undefined;
  }
}
