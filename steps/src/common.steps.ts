import { Given, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { ImapiError, formatHResult, hresultName, hresultValue } from '@openimapi/sdk';
import type { ConformanceWorld, Outcome } from './support/world.js';
import type { FaultArm } from './support/control.js';
import { MEDIA_STEP, emulatorKind, mediaNeedOf, useDriveAsItIs } from './support/media.js';
import { skipNoControlPlane, skipWith } from './support/skip.js';

/** Asserts the catalog agrees with the feature text: name ↔ value exactly as the docs print them. */
export function expectedHResult(name: string, hex: string): number {
  const value = hresultValue(name);
  assert.equal(value, Number.parseInt(hex, 16) >>> 0, `the feature says ${name} is ${hex}; the catalog says ${formatHResult(value)}`);
  return value;
}

export function describeOutcome(o: Outcome | undefined): string {
  if (!o) return 'nothing was called';
  if (o.ok) return 'it succeeded';
  const e = o.error;
  if (e instanceof ImapiError) return `${formatHResult(e.hresult)}: ${e.message}`;
  return `a non-IMAPI error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`;
}

export function assertFailedWith(o: Outcome | undefined, name: string, hex: string): void {
  const want = expectedHResult(name, hex);
  assert.ok(o && !o.ok, `expected ${name} (${hex}), but ${describeOutcome(o)}`);
  const e = o.error;
  assert.ok(e instanceof ImapiError, `expected ${name} (${hex}), got ${describeOutcome(o)}`);
  assert.equal(e.hresult, want, `expected ${name} (${hex}), got ${describeOutcome(o)}`);
  assert.equal(e.hresultName, hresultName(want));
}

export function assertSucceeded(o: Outcome | undefined): void {
  assert.ok(o?.ok, `expected success, but ${describeOutcome(o)}`);
}

Then('it succeeds', function (this: ConformanceWorld) {
  assertSucceeded(this.result);
});

Then(/^it fails with (\S+) \((0x[0-9A-Fa-f]{8})\)$/, function (this: ConformanceWorld, name: string, hex: string) {
  assertFailedWith(this.result, name, hex);
});

/**
 * Generic COM codes some IMAPI2 tables list that the SDK's catalog does not carry (it returns none of
 * them), with the values winerror.h gives them.
 */
const OUTSIDE_CATALOG: Record<string, number> = {
  E_ACCESS_DENIED: 0x80070005,
  E_NOTIMPL: 0x80004001,
};

/** The row's name and value agree with the catalog (or, outside it, with winerror.h). */
export function documentedRow(name: string, hex: string): void {
  const outside = OUTSIDE_CATALOG[name];
  if (outside !== undefined) assert.equal(Number.parseInt(hex, 16) >>> 0, outside, `${name} is ${formatHResult(outside)}`);
  else expectedHResult(name, hex);
}

// A row of a return-code table the TypeScript API cannot produce; the scenario's comment says why.
Then(/^the row (\S+) \((0x[0-9A-Fa-f]{8})\) is documented as not reachable from the TypeScript API$/, function (this: ConformanceWorld, name: string, hex: string) {
  documentedRow(name, hex);
  return skipWith(this, 'cannot happen in this API', `${name} (${hex}): see the scenario's comment`);
});

// A row the SDK could meet but does not return yet: kept visible as skipped, with the reason.
Then(/^the row (\S+) \((0x[0-9A-Fa-f]{8})\) is not returned by the SDK: (.+)$/, function (this: ConformanceWorld, name: string, hex: string, why: string) {
  documentedRow(name, hex);
  return skipWith(this, 'not returned by the SDK', `${name} (${hex}): ${why}`);
});

// A row the SDK returns, but the emulated drive cannot be made to cause: kept visible as skipped.
Then(/^the row (\S+) \((0x[0-9A-Fa-f]{8})\) cannot be produced by the emulator: (.+)$/, function (this: ConformanceWorld, name: string, hex: string, why: string) {
  documentedRow(name, hex);
  return skipWith(this, 'cannot be caused by the emulator', `${name} (${hex}): ${why}`);
});

// The disc a scenario starts with. The emulator (or a lab fixture) loads it; a drive nothing can load
// is used as it is: the step checks the disc in it, erases a rewritable one when that is allowed, or
// skips the scenario with what it needs and what the drive holds (support/media.ts).
Given(MEDIA_STEP, { timeout: 15 * 60_000 }, async function (this: ConformanceWorld, state: string | undefined, media: string | undefined) {
  const need = mediaNeedOf(state ? `a drive with a ${state} ${media}` : 'a drive with any disc')!;
  const c = this.drive.control;
  // A pressed disc (CD-ROM, DVD-ROM) is a media kind of its own, of known content: no image file has to
  // reach the drive's host (a container, or the host of a guest).
  if (c) return void (await c.load(emulatorKind(need)));
  // A later media step replaces this disc (the Background's, before the scenario's own): nothing to check.
  if (--this.mediaStepsAhead > 0) return undefined;
  const mismatch = await useDriveAsItIs(this, need, (line) => this.log(line));
  return mismatch ? skipWith(this, mismatch.kind, mismatch.detail) : undefined;
});

/** Feature wording of a drive condition → the emulator's fault kind (and sense where it needs one). */
const CONDITIONS: Record<string, { kind: string; sense?: { key: number; asc: number; ascq: number } }> = {
  'no media': { kind: 'no-media' },
  'becoming ready': { kind: 'becoming-ready' },
  'format in progress': { kind: 'format-in-progress' },
  'long write in progress': { kind: 'long-write-in-progress' },
  'upside down': { kind: 'upside-down' },
  'incompatible medium': { kind: 'incompatible-medium' },
  'write protected': { kind: 'write-protected' },
  'speed mismatch': { kind: 'speed-mismatch' },
  'no such mode page': { kind: 'no-such-mode-page' },
  'invalid mode parameters': { kind: 'invalid-mode-parameters' },
  'loss of streaming': { kind: 'loss-of-streaming' },
  'command timeout': { kind: 'timeout' },
  'invalid response': { kind: 'invalid-response' },
  'device gone': { kind: 'device-gone' },
  'reservation conflict': { kind: 'reservation-conflict' },
  'hardware error': { kind: 'sense', sense: { key: 0x4, asc: 0x44, ascq: 0x00 } },
  'dvd structure not present': { kind: 'sense', sense: { key: 0x5, asc: 0x24, ascq: 0x00 } },
  // 05/21/02 INVALID ADDRESS FOR WRITE: an error the write engine cannot recover from.
  'invalid address for write': { kind: 'sense', sense: { key: 0x5, asc: 0x21, ascq: 0x02 } },
  // 05/30/05 CANNOT WRITE MEDIUM - INCOMPATIBLE FORMAT, the answer to BLANK on media that cannot be blanked.
  'cannot blank this medium': { kind: 'sense', sense: { key: 0x5, asc: 0x30, ascq: 0x05 } },
  // 03/31/00 MEDIUM FORMAT CORRUPTED: the disc fails while the drive is erasing it.
  'medium format corrupted': { kind: 'sense', sense: { key: 0x3, asc: 0x31, ascq: 0x00 } },
};

const COMMANDS: Record<string, string[]> = {
  WRITE: ['WRITE_10', 'WRITE_12'],
  'READ TOC': ['READ_TOC_PMA_ATIP'],
  'SET CD SPEED': ['SET_CD_SPEED', 'SET_STREAMING'],
  'SET STREAMING': ['SET_STREAMING'],
  'MODE SENSE': ['MODE_SENSE_10', 'MODE_SENSE_6'],
  'MODE SELECT': ['MODE_SELECT_10', 'MODE_SELECT_6'],
  'READ DISC INFORMATION': ['READ_DISC_INFORMATION'],
  'READ DISC STRUCTURE': ['READ_DISC_STRUCTURE'],
  'TEST UNIT READY': ['TEST_UNIT_READY'],
  'PERSISTENT RESERVE OUT': ['PERSISTENT_RESERVE_OUT'],
  'PERSISTENT RESERVE IN': ['PERSISTENT_RESERVE_IN'],
  'START STOP UNIT': ['START_STOP_UNIT'],
  'PREVENT ALLOW MEDIUM REMOVAL': ['PREVENT_ALLOW_MEDIUM_REMOVAL'],
  'GET CONFIGURATION': ['GET_CONFIGURATION'],
  'INQUIRY': ['INQUIRY'],
  'READ TRACK INFORMATION': ['READ_TRACK_INFORMATION'],
  'READ CAPACITY': ['READ_CAPACITY_10'],
  'GET PERFORMANCE': ['GET_PERFORMANCE'],
  'SYNCHRONIZE CACHE': ['SYNCHRONIZE_CACHE_10'],
  'CLOSE TRACK SESSION': ['CLOSE_TRACK_SESSION'],
  'BLANK': ['BLANK'],
};

/** The fault spec for a feature's condition and command wording (`count` commands, default 1). */
export function faultSpec(condition: string, command: string | null | undefined, count = 1): FaultArm {
  const cond = CONDITIONS[condition];
  assert.ok(cond, `no fault for condition "${condition}"`);
  const opcode = command == null ? 'any' : COMMANDS[command];
  assert.ok(opcode, `no opcode for command "${command}"`);
  return { kind: cond.kind, opcode, count, ...(cond.sense ? { sense: cond.sense } : {}) };
}

// A recorder that lacks a recording capability: the emulator's drive is switched to one for the
// scenario (its control plane's /capabilities; the After hook gives the defaults back). It must come
// before prepareMedia, which reads the CD Mastering feature.
const MISSING_CAPABILITY = {
  'R-W subcode': { what: 'a recorder without R-W sub-channel recording', off: { rwSubcode: false } },
  'Raw recording': { what: 'a recorder without raw (DAO-96) recording', off: { raw: false } },
} as const;
Given(/^the recorder's CD Mastering feature does not list (R-W subcode|Raw recording)$/, async function (this: ConformanceWorld, which: keyof typeof MISSING_CAPABILITY) {
  const c = this.drive.control;
  const m = MISSING_CAPABILITY[which];
  if (!c?.setCapabilities) return skipNoControlPlane(this, m.what);
  this.capabilitiesChanged = true;
  await c.setCapabilities(m.off);
  return undefined;
});

Given(/^the drive will report "([^"]+)" on the next (?:(\d+) )?(?:(.+) )?commands?$/, async function (this: ConformanceWorld, condition: string, count: string | null | undefined, command?: string | null) {
  const c = this.drive.control;
  if (!c) return skipNoControlPlane(this, `"${condition}"`);
  await c.arm(faultSpec(condition, command, Number(count ?? 1)));
  return undefined;
});
