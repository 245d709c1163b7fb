/**
 * The lab fixture line protocol, version 1 (docs/lab-fixture.md is the full description): the pure
 * codec both ends use, the SDK's driver (fixture.ts) and the emulator's fixture on a pty.
 *
 *   line      := 1..200 printable ASCII characters (20h..7Eh), ended by LF; a CR before the LF is dropped
 *   request   := [ "@" TAG SP ] VERB *( SP ARG )        TAG: 1..8 decimal digits; VERB case-insensitive
 *   response  := [ "@" TAG SP ] "OK" [ SP TEXT ]        exactly one per request, in request order,
 *              | [ "@" TAG SP ] "ERR" SP CODE SP TEXT    with the request's TAG echoed
 *   event     := "*" SP TEXT                            unsolicited (power-up banner, ...); hosts ignore it
 *
 * Verbs (drive: 0-based index, default 0; slot: 1-based autoloader slot):
 *   HELLO                          OK openimapi-fixture/1 drives=N slots=M
 *   STATUS [drive]                 OK drive=0 power=on tray=closed media=cd-r
 *   POWER ON|OFF|CYCLE [drive]     OK drive=0 power=on
 *   EJECT [FORCE] [drive]          OK drive=0 tray=open media=none
 *   LOAD slot [drive]              OK drive=0 tray=closed media=cd-rw slot=2
 *   SWAP media-kind [drive]        OK drive=0 tray=closed media=cd-rw   (a blank disc of that kind)
 *   SLOTS                          OK 1=cd-r 2=cd-rw 3=empty
 * Error codes: FixtureErrorCode below.
 */

export const FIXTURE_PROTOCOL = 'openimapi-fixture/1';
export const MAX_LINE_LENGTH = 200;

export const FixtureVerbs = ['HELLO', 'STATUS', 'POWER', 'EJECT', 'LOAD', 'SWAP', 'SLOTS'] as const;
export type FixtureVerb = (typeof FixtureVerbs)[number];

/** ERR codes: what the fixture could not do, and why. */
export const FixtureErrorCode = {
  /** Unknown verb or malformed line. */
  BADCMD: 'BADCMD',
  /** A missing, extra or malformed argument. */
  BADARG: 'BADARG',
  /** No such drive. */
  NODRIVE: 'NODRIVE',
  /** No such slot. */
  NOSLOT: 'NOSLOT',
  /** The slot is empty, or no slot holds a blank disc of that kind. */
  EMPTY: 'EMPTY',
  /** The drive is powered off (EJECT, LOAD and SWAP need it on). */
  OFF: 'OFF',
  /** The drive refused to eject (medium removal prevented); EJECT FORCE overrides. */
  PREVENTED: 'PREVENTED',
  /** The mechanism failed (disc dropped, picker jammed). */
  FAULT: 'FAULT',
  /** Still doing the previous action. */
  BUSY: 'BUSY',
} as const;
export type FixtureErrorCodeName = keyof typeof FixtureErrorCode;

/** Seconds a host waits for each verb's response before giving up (fixtures answer within them). */
export const FIXTURE_TIMEOUT_MS: Readonly<Record<FixtureVerb, number>> = Object.freeze({
  HELLO: 2_000,
  STATUS: 2_000,
  SLOTS: 2_000,
  POWER: 30_000,
  EJECT: 120_000,
  LOAD: 120_000,
  SWAP: 120_000,
});

export interface FixtureRequest {
  readonly tag?: number;
  readonly verb: FixtureVerb;
  readonly args: readonly string[];
}

export type FixtureResponse =
  | { readonly tag?: number; readonly ok: true; readonly text: string }
  | { readonly tag?: number; readonly ok: false; readonly code: string; readonly text: string };

export type FixtureLine = { kind: 'response'; response: FixtureResponse } | { kind: 'event'; text: string } | { kind: 'invalid'; reason: string };

const TOKEN = /^[\x21-\x7e]+$/;

function checkText(s: string, what: string): void {
  if (!/^[\x20-\x7e]*$/.test(s)) throw new TypeError(`${what} must be printable ASCII`);
}

function withTag(tag: number | undefined, body: string): string {
  if (tag !== undefined && !(Number.isInteger(tag) && tag >= 0 && tag <= 99_999_999)) throw new TypeError(`tag must be an integer 0..99999999, got ${tag}`);
  const line = tag === undefined ? body : `@${tag} ${body}`;
  if (line.length > MAX_LINE_LENGTH) throw new RangeError(`line of ${line.length} characters exceeds ${MAX_LINE_LENGTH}`);
  return `${line}\n`;
}

export function encodeRequest(r: FixtureRequest): string {
  if (!FixtureVerbs.includes(r.verb)) throw new TypeError(`verb must be one of ${FixtureVerbs.join(', ')}, got ${String(r.verb)}`);
  for (const a of r.args) if (!TOKEN.test(a)) throw new TypeError(`argument ${JSON.stringify(a)} must be printable ASCII without spaces`);
  return withTag(r.tag, [r.verb, ...r.args].join(' '));
}

export function encodeResponse(r: FixtureResponse): string {
  checkText(r.text, 'text');
  if (r.ok) return withTag(r.tag, r.text ? `OK ${r.text}` : 'OK');
  if (!/^[A-Z]+$/.test(r.code)) throw new TypeError(`code must be upper-case letters, got ${JSON.stringify(r.code)}`);
  return withTag(r.tag, `ERR ${r.code} ${r.text}`.trimEnd());
}

export function encodeEvent(text: string): string {
  checkText(text, 'text');
  return withTag(undefined, `* ${text}`);
}

function splitTag(line: string): { tag?: number; rest: string } | undefined {
  const m = /^@(\d{1,8}) (.*)$/.exec(line);
  if (m) return { tag: Number(m[1]), rest: m[2]! };
  if (line.startsWith('@')) return undefined;
  return { rest: line };
}

function cleanLine(raw: string): string | { reason: string } {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (line.length > MAX_LINE_LENGTH) return { reason: `line of ${line.length} characters exceeds ${MAX_LINE_LENGTH}` };
  if (!/^[\x20-\x7e]*$/.test(line)) return { reason: 'line has characters outside printable ASCII' };
  return line;
}

/** Fixture side: a request line (without its LF). Throws nothing: bad lines come back as `error`. */
export function decodeRequest(raw: string): { request: FixtureRequest } | { error: { tag?: number; code: 'BADCMD'; text: string } } {
  const line = cleanLine(raw);
  if (typeof line !== 'string') return { error: { code: 'BADCMD', text: line.reason } };
  const t = splitTag(line.trim());
  if (!t) return { error: { code: 'BADCMD', text: 'malformed tag (want @ and 1 to 8 digits, then a space)' } };
  const words = t.rest.split(/ +/).filter(Boolean);
  const verb = (words[0] ?? '').toUpperCase();
  const tagged = t.tag !== undefined ? { tag: t.tag } : {};
  if (!(FixtureVerbs as readonly string[]).includes(verb)) return { error: { ...tagged, code: 'BADCMD', text: verb ? `unknown verb ${verb}` : 'empty request' } };
  return { request: { ...tagged, verb: verb as FixtureVerb, args: words.slice(1) } };
}

/** Host side: a line from the fixture (without its LF). */
export function decodeLine(raw: string): FixtureLine {
  const line = cleanLine(raw);
  if (typeof line !== 'string') return { kind: 'invalid', reason: line.reason };
  if (line.startsWith('* ') || line === '*') return { kind: 'event', text: line.slice(2) };
  const t = splitTag(line);
  if (!t) return { kind: 'invalid', reason: 'malformed tag' };
  const tagged = t.tag !== undefined ? { tag: t.tag } : {};
  const ok = /^OK(?: (.*))?$/.exec(t.rest);
  if (ok) return { kind: 'response', response: { ...tagged, ok: true, text: ok[1] ?? '' } };
  const err = /^ERR ([A-Z]+)(?: (.*))?$/.exec(t.rest);
  if (err) return { kind: 'response', response: { ...tagged, ok: false, code: err[1]!, text: err[2] ?? '' } };
  return { kind: 'invalid', reason: `not OK, ERR or an event: ${JSON.stringify(line.slice(0, 40))}` };
}

/** `key=value` pairs of a response text (`drive=0 power=on`), values as strings. */
export function parseFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of text.split(/ +/)) {
    const i = w.indexOf('=');
    if (i > 0) out[w.slice(0, i)] = w.slice(i + 1);
  }
  return out;
}

/** Splits a byte stream into lines (LF-terminated); keeps the unfinished tail. Over-long lines are cut and flagged. */
export class LineSplitter {
  private buf = '';
  /** Feeds bytes (latin1), returns the complete lines. */
  push(chunk: Buffer | string): string[] {
    this.buf += typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    const lines = this.buf.split('\n');
    this.buf = lines.pop()!;
    // An endless line (noise on the wire) is kept bounded: it will decode as too long.
    if (this.buf.length > MAX_LINE_LENGTH * 4) this.buf = this.buf.slice(-MAX_LINE_LENGTH * 2);
    return lines;
  }
}
