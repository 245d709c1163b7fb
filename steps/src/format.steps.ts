// Steps for the format objects (DiscFormat2RawCD, DiscFormat2TrackAtOnce), through the SDK's public API.
import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  DiscFormat2RawCD,
  DiscRecorder2Ex,
  DiscStatus,
  RawCdWriteAction,
  type RawCdUpdate,
} from '@openimapi/sdk';
import type { ConformanceWorld, Outcome } from './support/world.js';
import { assertFailedWith, assertSucceeded } from './common.steps.js';
import { buildRawImage, readBackMatches, burnClosedSession } from './support/images.js';

const ME = 'me';

async function makeFormat(world: ConformanceWorld, kind: string, clientName: string): Promise<void> {
  const rec = await world.openClient(ME);
  world.format = await newFormat(kind);
  world.format.recorder = rec;
  world.format.clientName = clientName;
  world.format.on('update', (u: RawCdUpdate) => world.updates.push(u));
}

async function newFormat(kind: string): Promise<any> {
  if (kind === 'DiscFormat2RawCD') return new DiscFormat2RawCD();
  const sdk: Record<string, any> = await import('@openimapi/sdk');
  const Ctor = sdk[kind];
  assert.ok(typeof Ctor === 'function', `the SDK exports no ${kind}`);
  return new Ctor();
}

Given(/^a (DiscFormat2RawCD|DiscFormat2TrackAtOnce) on that recorder with client name "((?:[^"\\]|\\.)*)"$/, async function (this: ConformanceWorld, kind: string, name: string) {
  await makeFormat(this, kind, JSON.parse(`"${name}"`) as string);
});

Given(/^a (DiscFormat2RawCD|DiscFormat2TrackAtOnce) with no recorder$/, async function (this: ConformanceWorld, kind: string) {
  this.format = await newFormat(kind);
  this.format.clientName = 'openimapi conformance';
});

Given(/^a (DiscFormat2RawCD|DiscFormat2TrackAtOnce) on an uninitialized recorder with client name "([^"]*)"$/, async function (this: ConformanceWorld, kind: string, name: string) {
  this.format = await newFormat(kind);
  this.format.recorder = new DiscRecorder2Ex();
  this.format.clientName = name;
});

Given(/^a (DiscFormat2RawCD|DiscFormat2TrackAtOnce) whose recorder is not a recorder$/, async function (this: ConformanceWorld, kind: string) {
  this.format = await newFormat(kind);
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

Given('the CD-R already holds a closed session', async function (this: ConformanceWorld) {
  await burnClosedSession(await this.openClient(ME));
});

Given('another client holds exclusive access as {string}', async function (this: ConformanceWorld, name: string) {
  await (await this.openClient('other')).acquireExclusiveAccess(false, name);
  this.lockNames.set('other', name);
});

Given(/^a raw DAO-96 image with (\d+) audio tracks? of (\d+) seconds(?: each)?$/, async function (this: ConformanceWorld, tracks: string, seconds: string) {
  this.image = await buildRawImage(this.tmp!, Array(Number(tracks)).fill(Number(seconds)));
});

Given(/^a sparse raw image file of (\d+) minutes$/, async function (this: ConformanceWorld, minutes: string) {
  const path = join(this.tmp!, 'sparse.bin');
  const sectors = Number(minutes) * 60 * 75 + 22500;
  const fh = await open(path, 'w');
  await fh.truncate(sectors * 2448);
  await fh.close();
  this.image = { path, sectors, bytes: sectors * 2448, sectorBytes: 2448 };
});

When('I call writeMedia with the image', async function (this: ConformanceWorld) {
  await this.attempt(() => this.format.writeMedia(this.image!.path));
});

When('I call writeMedia with the image as a non-seekable stream', async function (this: ConformanceWorld) {
  await this.attempt(() => this.format.writeMedia(Readable.from(createReadStream(this.image!.path))));
});

When('I call writeMedia with no stream', async function (this: ConformanceWorld) {
  await this.attempt(() => this.format.writeMedia(undefined));
});

When('I call writeMedia with a stream of {int} bytes', async function (this: ConformanceWorld, n: number) {
  await this.attempt(() => this.format.writeMedia(Buffer.alloc(n)));
});

When('I call writeMedia with a raw image of {int} sectors', async function (this: ConformanceWorld, n: number) {
  await this.attempt(() => this.format.writeMedia(Buffer.alloc(n * 2448)));
});

When('I call writeMedia2 with the image cut to {int} lead-in sectors', async function (this: ConformanceWorld, n: number) {
  const img = this.image!;
  const skip = 22500 - n;
  await this.attempt(() => this.format.writeMedia2(createReadStream(img.path, { start: skip * img.sectorBytes }), n));
});

When('I call writeMedia2 with the image and {int} lead-in sectors', async function (this: ConformanceWorld, n: number) {
  await this.attempt(() => this.format.writeMedia2(this.image!.path, n));
});

When('I call writeMedia with a stream that fails after {int} sectors', async function (this: ConformanceWorld, n: number) {
  let sent = 0;
  const failing = new Readable({
    read() {
      if (sent >= n) return void this.destroy(new Error('the source failed (injected by the test)'));
      const k = Math.min(64, n - sent);
      sent += k;
      this.push(Buffer.alloc(k * 2448));
    },
  });
  await this.attempt(() => this.format.writeMedia(failing));
});

/** Runs writeMedia with an Update handler that calls `method` once `when(update)` holds. */
async function writeWithHandler(world: ConformanceWorld, method: string, when: (u: RawCdUpdate) => boolean): Promise<void> {
  let called = false;
  world.format.on('update', (u: RawCdUpdate) => {
    if (called || !when(u)) return;
    called = true;
    let out: Outcome;
    try {
      const r = method === 'writeMedia' ? world.format.writeMedia(world.image!.path) : world.format[method]();
      out = { ok: true, value: r };
      if (r && typeof r.then === 'function') {
        // async methods report through their promise; record when it settles
        world.inner.set(method, { ok: true });
        r.then(
          () => world.inner.set(method, { ok: true }),
          (error: unknown) => world.inner.set(method, { ok: false, error }),
        );
        return;
      }
    } catch (error) {
      out = { ok: false, error };
    }
    world.inner.set(method, out);
  });
  await world.attempt(() => world.format.writeMedia(world.image!.path));
  await new Promise((r) => setImmediate(r));
  assert.ok(called, `the Update handler never got to call ${method}`);
}

When(/^I call writeMedia with the image and call (cancelWrite|writeMedia|releaseMedia)(?: again)? from the Update handler$/, async function (this: ConformanceWorld, method: string) {
  await writeWithHandler(this, method, (u) => u.currentAction === RawCdWriteAction.WRITING && u.lastWrittenLba >= u.startLba);
});

When('I call writeMedia with the image and call cancelWrite from the Update handler once it is finishing', async function (this: ConformanceWorld) {
  await writeWithHandler(this, 'cancelWrite', (u) => u.currentAction === RawCdWriteAction.FINISHING);
});

When('I call cancelWrite', async function (this: ConformanceWorld) {
  await this.attempt(() => this.format.cancelWrite());
});

Then(/^(cancelWrite|releaseMedia) succeeded$/, function (this: ConformanceWorld, method: string) {
  assertSucceeded(this.inner.get(method));
});

Then(/^(?:the second call|(cancelWrite|releaseMedia)) failed with (\S+) \((0x[0-9A-Fa-f]{8})\)$/, function (this: ConformanceWorld, method: string | undefined, name: string, hex: string) {
  assertFailedWith(this.inner.get(method ?? 'writeMedia'), name, hex);
});

Then(/^the second call fails with (\S+) \((0x[0-9A-Fa-f]{8})\)$/, function (this: ConformanceWorld, name: string, hex: string) {
  assertFailedWith(this.inner.get('writeMedia'), name, hex);
});

Then('the disc reads back as the image, TOC included', async function (this: ConformanceWorld) {
  await readBackMatches(this.client(ME), this.image!);
});

Then('the drive was written from its ATIP lead-in start with the image sector for that address', async function (this: ConformanceWorld) {
  assertSucceeded(this.result);
  const first = this.updates.find((u) => u.currentAction === RawCdWriteAction.WRITING);
  assert.ok(first, 'no WRITING update was raised');
  assert.equal(first.startLba, this.format.startOfNextSession, 'the write starts at the ATIP lead-in start');
  // Every LBA holds the image sector (LBA − LBA of MSF 95:00:00): the image was aligned, not shifted.
  await readBackMatches(this.client(ME), this.image!, { sectors: [-150, 0, 1, 75], toc: false });
});

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

When('I erase the media', async function (this: ConformanceWorld) {
  const erase = await newFormat('DiscFormat2Erase');
  erase.recorder = this.client(ME);
  erase.clientName = 'openimapi conformance';
  erase.fullErase = false;
  await erase.eraseMedia();
});

Then(/^a raw DAO-96 image with (\d+) audio tracks? of (\d+) seconds burns and reads back$/, async function (this: ConformanceWorld, tracks: string, seconds: string) {
  const raw = new DiscFormat2RawCD();
  raw.recorder = this.client(ME);
  raw.clientName = 'openimapi conformance';
  const image = await buildRawImage(this.tmp!, Array(Number(tracks)).fill(Number(seconds)));
  await raw.prepareMedia();
  try {
    await raw.writeMedia(image.path);
  } finally {
    await raw.releaseMedia();
  }
  await readBackMatches(this.client(ME), image);
});

// --- TrackAtOnce ---------------------------------------------------------------------------------

function pcm(seconds: number, seed: number): Buffer {
  const b = Buffer.alloc(seconds * 75 * 2352);
  for (let i = 0; i < b.length; i += 4) b.writeUInt32LE(((i * 2654435761) ^ seed) >>> 0, i);
  return b;
}

When('I add an audio track of {int} seconds', async function (this: ConformanceWorld, seconds: number) {
  const tracks: Buffer[] = ((this as any).tracks ??= []);
  const data = pcm(seconds, tracks.length + 1);
  tracks.push(data);
  await this.attempt(() => this.format.addAudioTrack(data));
  assertSucceeded(this.result);
});

Then('the disc holds {int} audio tracks that read back as written', async function (this: ConformanceWorld, n: number) {
  const { readTracksBack } = await import('./support/images.js');
  const tracks: Buffer[] = (this as any).tracks ?? [];
  assert.equal(tracks.length, n);
  await readTracksBack(this.client(ME), tracks);
});

When('I set doNotFinalizeMedia to true', async function (this: ConformanceWorld) {
  await this.attempt(() => {
    this.format.doNotFinalizeMedia = true;
  });
});

Then(/^media change notification is (enabled|disabled) on the recorder$/, function (this: ConformanceWorld, state: string) {
  assert.equal(this.client(ME).mcnEnabled, state === 'enabled');
});
