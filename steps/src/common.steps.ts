import { Given, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { ImapiError, formatHResult, hresultName, hresultValue } from '@openimapi/sdk';
import type { ConformanceWorld, Outcome } from './support/world.js';

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

Then(/^the row (\S+) \((0x[0-9A-Fa-f]{8})\) is documented as not reachable from the TypeScript API$/, function (this: ConformanceWorld, name: string, hex: string) {
  expectedHResult(name, hex);
  return 'skipped';
});

const MEDIA: Record<string, string> = {
  'CD-R': 'cd-r',
  'CD-RW': 'cd-rw',
  'DVD-R': 'dvd-r',
  'DVD+R': 'dvd+r',
  'DVD+RW': 'dvd+rw',
  'BD-R': 'bd-r',
  'BD-RE': 'bd-re',
};

Given(/^a drive with a blank (CD-R|CD-RW|DVD-R|DVD\+R|DVD\+RW|BD-R|BD-RE)$/, async function (this: ConformanceWorld, media: string) {
  const c = this.drive.control;
  if (!c) return 'skipped';
  await c.load(MEDIA[media]!);
  return undefined;
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
};

const COMMANDS: Record<string, string[]> = {
  WRITE: ['WRITE_10', 'WRITE_12'],
  'READ TOC': ['READ_TOC_PMA_ATIP'],
  'SET CD SPEED': ['SET_CD_SPEED', 'SET_STREAMING'],
  'MODE SENSE': ['MODE_SENSE_10', 'MODE_SENSE_6'],
  'MODE SELECT': ['MODE_SELECT_10', 'MODE_SELECT_6'],
  'READ DISC INFORMATION': ['READ_DISC_INFORMATION'],
  'READ DISC STRUCTURE': ['READ_DISC_STRUCTURE'],
  'TEST UNIT READY': ['TEST_UNIT_READY'],
  'PERSISTENT RESERVE OUT': ['PERSISTENT_RESERVE_OUT'],
};

Given(/^the drive will report "([^"]+)" on the next (?:(.+) )?command$/, async function (this: ConformanceWorld, condition: string, command?: string | null) {
  const c = this.drive.control;
  if (!c) return 'skipped';
  const cond = CONDITIONS[condition];
  assert.ok(cond, `no fault for condition "${condition}"`);
  const opcode = command == null ? "any" : COMMANDS[command];
  assert.ok(opcode, `no opcode for command "${command}"`);
  await c.arm({ kind: cond.kind, opcode, ...(cond.sense ? { sense: cond.sense } : {}) });
  return undefined;
});
