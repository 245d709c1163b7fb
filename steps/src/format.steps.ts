// Steps shared by the format objects (DiscFormat2RawCD, DiscFormat2TrackAtOnce, DiscFormat2Data,
// DiscFormat2Erase), through the SDK's public API: the object under test, its recorder property,
// prepare/release, plain calls and properties, calls from the Update handler, the tray and the lock.
import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DiscFormat2Data, DiscFormat2Erase, DiscFormat2RawCD, DiscFormat2TrackAtOnce, DiscMaster2, DiscRecorder2Ex, DiscStatus, RawCdSectorType } from '@openimapi/sdk';
import type { ConformanceWorld } from './support/world.js';
import { assertFailedWith, assertSucceeded, describeOutcome } from './common.steps.js';
import { burnClosedSession } from './support/images.js';
import { discToBeReplaced } from './support/media.js';
import { runWithHandler } from './support/update-handler.js';
import { startEmulator } from './support/emulator-process.js';
import { skipWith } from './support/skip.js';

export const ME = 'me';
const KINDS = '(DiscFormat2RawCD|DiscFormat2TrackAtOnce|DiscFormat2Data|DiscFormat2Erase)';
const CTORS: Record<string, new () => any> = { DiscFormat2RawCD, DiscFormat2TrackAtOnce, DiscFormat2Data, DiscFormat2Erase };

/** A format object of `kind` on this scenario's recorder (client "me"), recording its updates. */
export async function makeFormat(world: ConformanceWorld, kind: string, clientName: string): Promise<void> {
  const rec = await world.openClient(ME);
  world.format = new CTORS[kind]!();
  world.format.recorder = rec;
  world.format.clientName = clientName;
  world.format.on('update', (u: unknown) => world.updates.push(u));
}

/** A literal of a step ("true", "-1", "[1,2]", "\"text\"") as a JavaScript value. */
export function literal(text: string): unknown {
  return JSON.parse(text);
}

// A recorder that cannot record with this format at all (a reader, or tgt's DVD-ROM/DVD+R drive for
// DiscFormat2Erase) is refused by every method that talks to the drive (*_RECORDER_NOT_SUPPORTED, rows
// proven on the emulator's CD-ROM drive); the scenario's own condition cannot be reached on it.
Given(new RegExp(`^a ${KINDS} on that recorder with client name "((?:[^"\\\\]|\\\\.)*)"$`), async function (this: ConformanceWorld, kind: string, name: string) {
  await makeFormat(this, kind, JSON.parse(`"${name}"`) as string);
  if (!(await this.format.isRecorderSupported(this.format.recorder))) {
    return skipWith(this, `the recorder cannot record with ${kind}`, `isRecorderSupported is false: the drive lists none of the features or profiles ${kind} records with`);
  }
  return undefined;
});

// A second drive that cannot record: the emulator's plain CD-ROM drive (`openimapi-emulator --media rom`:
// no GET CONFIGURATION, so no recording feature or profile), started for the scenario next to the drive
// under test. Other targets have no such drive to offer.
Given(new RegExp(`^a ${KINDS} on a read-only CD-ROM drive with client name "([^"]*)"$`), async function (this: ConformanceWorld, kind: string, name: string) {
  if (this.drive.target !== 'emulator' && this.drive.target !== 'container') {
    return skipWith(this, `not possible on ${this.drive.target}`, 'the scenario needs a second drive, one that cannot record; the emulator targets start one');
  }
  const rom = await startEmulator({ extraArgs: ['--media', 'rom'] });
  this.cleanup.push(() => rom.stop());
  const url = rom.urls[0]!;
  const rec = await new DiscMaster2({ urls: [url], recorder: { commandTimeoutMs: this.commandTimeoutMs, mcnPollMs: 0 } }).openRecorder(url);
  this.cleanup.push(() => rec.close());
  this.format = new CTORS[kind]!();
  this.format.recorder = rec;
  this.format.clientName = name;
  return undefined;
});

Given(new RegExp(`^a ${KINDS} with no recorder$`), function (this: ConformanceWorld, kind: string) {
  this.format = new CTORS[kind]!();
  this.format.clientName = 'openimapi conformance';
});

Given(new RegExp(`^a ${KINDS} on an uninitialized recorder with client name "([^"]*)"$`), function (this: ConformanceWorld, kind: string, name: string) {
  this.format = new CTORS[kind]!();
  this.format.recorder = new DiscRecorder2Ex();
  this.format.clientName = name;
});

Given(new RegExp(`^a ${KINDS} whose recorder is not a recorder$`), function (this: ConformanceWorld, kind: string) {
  this.format = new CTORS[kind]!();
  this.format.recorder = { vendorId: 'not a recorder' };
  this.format.clientName = 'openimapi conformance';
});

Given('the media is prepared', async function (this: ConformanceWorld) {
  await this.format.prepareMedia();
});

When('I prepare the media', async function (this: ConformanceWorld) {
  await this.attempt(() => this.format.prepareMedia());
});

When('I release the media', async function (this: ConformanceWorld) {
  await this.attempt(() => this.format.releaseMedia());
});

Given('the recorder is closed', async function (this: ConformanceWorld) {
  await this.client(ME).close();
});

Given(/^the (?:CD-R|CD-RW|disc) already holds a closed session$/, async function (this: ConformanceWorld) {
  if (discToBeReplaced(this)) return;
  await burnClosedSession(await this.openClient(ME));
});

Given('another client holds exclusive access as {string}', async function (this: ConformanceWorld, name: string) {
  await (await this.openClient('other')).acquireExclusiveAccess(false, name);
  this.lockNames.set('other', name);
});

// --- plain calls and properties of the object under test ---------------------------------------

When(/^I call (\w+)$/, async function (this: ConformanceWorld, method: string) {
  await this.attempt(() => this.format[method]());
});

When(/^I call (\w+) with arguments (.+)$/, async function (this: ConformanceWorld, method: string, args: string) {
  const values = JSON.parse(`[${args}]`) as unknown[];
  await this.attempt(() => this.format[method](...values));
});

When(/^I read (\w+)$/, async function (this: ConformanceWorld, prop: string) {
  await this.attempt(() => (typeof this.format[prop] === 'function' ? this.format[prop]() : this.format[prop]));
});

When(/^I set (\w+) to (.+)$/, async function (this: ConformanceWorld, prop: string, value: string) {
  const v = literal(value);
  await this.attempt(() => {
    this.format[prop] = v;
  });
});

Then(/^it succeeds with (-?\d+|true|false|null|"[^"]*"|\[.*\])$/, function (this: ConformanceWorld, value: string) {
  assertSucceeded(this.result);
  const got = (this.result as { value?: unknown }).value;
  assert.deepEqual(got, literal(value), `it returned ${JSON.stringify(got)}, not ${value}`);
});

Then(/^(\w+) (?:is|reads) (-?\d+|true|false|"[^"]*"|\[.*\])$/, async function (this: ConformanceWorld, prop: string, value: string) {
  const v = typeof this.format[prop] === 'function' ? await this.format[prop]() : this.format[prop];
  assert.deepEqual(v, literal(value), `${prop}`);
});

Then(/^(\w+) is not (-?\d+|true|false|"[^"]*")$/, async function (this: ConformanceWorld, prop: string, value: string) {
  const v = typeof this.format[prop] === 'function' ? await this.format[prop]() : this.format[prop];
  assert.notDeepEqual(v, literal(value), `${prop}`);
});

// --- the data argument of writeMedia / writeMedia2 / addAudioTrack / write ------------------------

/** Sector size of the object's stream: raw 2448 (2368 PQ only), CD-DA 2352, data 2048. */
function sectorBytes(world: ConformanceWorld): number {
  const f = world.format;
  if (f instanceof DiscFormat2RawCD) return f.requestedSectorType === RawCdSectorType.SUBCODE_PQ_ONLY ? 2368 : 2448;
  return f instanceof DiscFormat2TrackAtOnce ? 2352 : 2048;
}

/** A stream of `sectors` zero sectors that errors instead of going on. */
function failingSource(sectors: number, bytes: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= sectors) return void this.destroy(new Error('the source failed (injected by the test)'));
      const k = Math.min(64, sectors - sent);
      sent += k;
      this.push(Buffer.alloc(k * bytes));
    },
  });
}

When(/^I call (write|addAudioTrack|writeMedia|writeMedia2) with (no stream|the number \d+ as the stream|a stream of \d+ bytes|a stream that fails after \d+ sectors|a sparse file of \d+ sectors)$/, async function (this: ConformanceWorld, method: string, what: string) {
  const n = Number(/\d+/.exec(what)?.[0]);
  let source: unknown;
  if (what === 'no stream') source = undefined;
  else if (what.startsWith('the number')) source = n;
  else if (what.startsWith('a stream of')) source = Buffer.alloc(n);
  else if (what.startsWith('a stream that fails')) source = failingSource(n, sectorBytes(this));
  else {
    // A sparse file: its size is known at once and nothing of it is read before the size check.
    const path = join(this.tmp!, 'sparse.bin');
    const fh = await open(path, 'w');
    await fh.truncate(n * sectorBytes(this));
    await fh.close();
    source = path;
  }
  // writeMedia2 takes the lead-in sector count of a writeMedia image (22 500, MSF 95:00:00 first).
  await this.attempt(() => (method === 'writeMedia2' ? this.format.writeMedia2(source, 22500) : this.format[method](source)));
});

// --- calls from inside the Update handler --------------------------------------------------------

const OPERATIONS = '(call writeMedia with the image|call writeMedia2 with the image and -?\\d+ lead-in sectors|add an audio track of \\d+ seconds|write a data image of \\d+ sectors|erase the media)';

When(new RegExp(`^I ${OPERATIONS} and (call \\w+(?: again)?|set \\w+ to .+|read \\w+) from the Update handler( once it is finishing)?$`), async function (this: ConformanceWorld, op: string, action: string, finishing?: string) {
  await runWithHandler(this, op, action, finishing ? 'finishing' : 'writing');
});

Then(/^(\w+) succeeded$/, function (this: ConformanceWorld, key: string) {
  assertSucceeded(this.inner.get(key));
});

Then(/^(?:the second call|(\w+)) failed with (\S+) \((0x[0-9A-Fa-f]{8})\)$/, function (this: ConformanceWorld, key: string | undefined, name: string, hex: string) {
  assertFailedWith(this.inner.get(key ?? 'writeMedia'), name, hex);
});

Then(/^the second call fails with (\S+) \((0x[0-9A-Fa-f]{8})\)$/, function (this: ConformanceWorld, name: string, hex: string) {
  const op = [...this.inner.keys()].find((k) => ['writeMedia', 'writeMedia2', 'addAudioTrack', 'write', 'eraseMedia'].includes(k));
  assertFailedWith(this.inner.get(op ?? 'writeMedia'), name, hex);
});

// --- the tray, the lock and the media ------------------------------------------------------------

Then(/^the tray is (locked|unlocked)$/, async function (this: ConformanceWorld, state: string) {
  const page = await this.client(ME).getModePage(0x2a);
  assert.equal(page.kind, 'capabilities');
  assert.equal((page as { lockState: boolean }).lockState, state === 'locked', `mode page 2Ah Lock State`);
});

Then('another client can acquire exclusive access', async function (this: ConformanceWorld) {
  const rec = await this.openClient('other');
  await rec.acquireExclusiveAccess(false, 'another client');
  await rec.releaseExclusiveAccess();
});

Then(/^another client acquiring exclusive access fails with (\S+) \((0x[0-9A-Fa-f]{8})\)$/, async function (this: ConformanceWorld, name: string, hex: string) {
  // Opening counts as part of the attempt: where the lock is an exclusive open (sg:), another client
  // cannot even open the drive while it is held, and that open fails with the same HRESULT.
  const r = await this.attempt(async () => (await this.openClient('other')).acquireExclusiveAccess(false, 'another client'));
  assertFailedWith(r, name, hex);
});

Then(/^the media is (not )?blank$/, async function (this: ConformanceWorld, not?: string) {
  const d = await this.client(ME).getDiscInformation();
  assert.equal(d.discStatus === DiscStatus.EMPTY, !not, `disc status ${d.discStatus}`);
});

Then(/^the disc is (blank|appendable|finalized)$/, async function (this: ConformanceWorld, state: string) {
  const d = await this.client(ME).getDiscInformation();
  const want = { blank: DiscStatus.EMPTY, appendable: DiscStatus.INCOMPLETE, finalized: DiscStatus.FINALIZED }[state];
  assert.equal(d.discStatus, want, `disc status ${d.discStatus}, want ${state}`);
});

When('I erase the media', async function (this: ConformanceWorld) {
  const erase = new DiscFormat2Erase();
  erase.recorder = this.client(ME);
  erase.clientName = 'openimapi conformance';
  erase.fullErase = false;
  await erase.eraseMedia();
});

Then(/^media change notification is (enabled|disabled) on the recorder$/, function (this: ConformanceWorld, state: string) {
  assert.equal(this.client(ME).mcnEnabled, state === 'enabled');
});

Then('every update was raised while the operation ran', function (this: ConformanceWorld) {
  assert.ok(this.updates.length > 0, `no Update events (${describeOutcome(this.result)})`);
});

When(/^I call (\w+) on the recorder$/, async function (this: ConformanceWorld, method: string) {
  const rec = this.client(ME) as unknown as Record<string, () => unknown>;
  await this.attempt(() => rec[method]!());
});
