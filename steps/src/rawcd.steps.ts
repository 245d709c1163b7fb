// Steps for DiscFormat2RawCD: raw DAO-96 images and their sources, writeMedia / writeMedia2, read-back.
import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DiscFormat2RawCD, ImapiError, RAW_IMAGE_START_LBA, RawCdSectorType, RawCdWriteAction, kbpsToSectorsPerSecond, xToKbps, type RawCdUpdate } from '@openimapi/sdk';
import type { ConformanceWorld } from './support/world.js';
import { assertSucceeded } from './common.steps.js';
import { ME } from './format.steps.js';
import { cachedRawImage, readBackMatches } from './support/images.js';

/** Lead-in sectors in front of MSF 00:00:00 in a writeMedia image (95:00:00 → 00:00:00). */
const IMAGE_LEAD_IN = 22500;

/**
 * The suite's images carry raw (interleaved) P-W: the format object is told so, as an app would, once
 * the media is prepared (before, the property is E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED, and so is the
 * write such a scenario tries).
 */
function rawSubcode(world: ConformanceWorld): void {
  if (!(world.format instanceof DiscFormat2RawCD)) return;
  try {
    world.format.requestedSectorType = RawCdSectorType.SUBCODE_IS_RAW;
  } catch (e) {
    if (!(e instanceof ImapiError && e.hresultName === 'E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED')) throw e;
  }
}

Given(/^a raw DAO-96 image with (\d+) audio tracks? of (\d+) seconds(?: each)?$/, async function (this: ConformanceWorld, tracks: string, seconds: string) {
  this.image = await cachedRawImage(Array(Number(tracks)).fill(Number(seconds)));
  rawSubcode(this);
});

Given(/^a sparse raw image file of (\d+) minutes$/, async function (this: ConformanceWorld, minutes: string) {
  const path = join(this.tmp!, 'sparse.bin');
  const sectors = Number(minutes) * 60 * 75 + IMAGE_LEAD_IN;
  const fh = await open(path, 'w');
  await fh.truncate(sectors * 2448);
  await fh.close();
  this.image = { path, sectors, bytes: sectors * 2448, sectorBytes: 2448 };
  rawSubcode(this);
});

When('I call writeMedia with the image', async function (this: ConformanceWorld) {
  await this.attempt(() => this.format.writeMedia(this.image!.path));
});

When('I call writeMedia with the image as a non-seekable stream', async function (this: ConformanceWorld) {
  await this.attempt(() => this.format.writeMedia(Readable.from(createReadStream(this.image!.path))));
});

When(/^I call (writeMedia|writeMedia2) with a raw image of (\d+) sectors$/, async function (this: ConformanceWorld, method: string, n: string) {
  await this.attempt(() => this.format[method](Buffer.alloc(Number(n) * 2448), IMAGE_LEAD_IN));
});

When('I call writeMedia2 with the image cut to {int} lead-in sectors', async function (this: ConformanceWorld, n: number) {
  const img = this.image!;
  const skip = IMAGE_LEAD_IN - n;
  await this.attempt(() => this.format.writeMedia2(createReadStream(img.path, { start: skip * img.sectorBytes }), n));
});

When('I call writeMedia2 with the image and {int} lead-in sectors', async function (this: ConformanceWorld, n: number) {
  await this.attempt(() => this.format.writeMedia2(this.image!.path, n));
});

When('I call writeMedia2 with the image and the lead-in sector count {string}', async function (this: ConformanceWorld, n: string) {
  await this.attempt(() => this.format.writeMedia2(this.image!.path, JSON.parse(n)));
});

Then('the disc reads back as the image, TOC included', async function (this: ConformanceWorld) {
  await readBackMatches(this.client(ME), this.image!);
});

Then('the drive was written from its ATIP lead-in start with the image sector for that address', async function (this: ConformanceWorld) {
  assertSucceeded(this.result);
  const first = (this.updates as RawCdUpdate[]).find((u) => u.currentAction === RawCdWriteAction.WRITING);
  assert.ok(first, 'no WRITING update was raised');
  assert.equal(first.startLba, this.format.startOfNextSession, 'the write starts at the ATIP lead-in start');
  // Every LBA holds the image sector (LBA − LBA of MSF 95:00:00): the image was aligned, not shifted.
  await readBackMatches(this.client(ME), this.image!, { sectors: [-150, 0, 1, 75], toc: false });
});

Then(/^a raw DAO-96 image with (\d+) audio tracks? of (\d+) seconds burns and reads back$/, async function (this: ConformanceWorld, tracks: string, seconds: string) {
  const raw = new DiscFormat2RawCD();
  raw.recorder = this.client(ME);
  raw.clientName = 'openimapi conformance';
  const image = await cachedRawImage(Array(Number(tracks)).fill(Number(seconds)));
  await raw.prepareMedia();
  try {
    raw.requestedSectorType = RawCdSectorType.SUBCODE_IS_RAW;
    await raw.writeMedia(image.path);
  } finally {
    await raw.releaseMedia();
  }
  await readBackMatches(this.client(ME), image);
});

Then(/^the Update events went PREPARING\/WRITING\/FINISHING with the written LBA rising to the end of the image$/, function (this: ConformanceWorld) {
  const us = this.updates as RawCdUpdate[];
  const actions = [...new Set(us.map((u) => u.currentAction))];
  assert.deepEqual(actions.filter((a) => a !== RawCdWriteAction.PREPARING), [RawCdWriteAction.WRITING, RawCdWriteAction.FINISHING], `actions ${actions.join(',')}`);
  const writing = us.filter((u) => u.currentAction === RawCdWriteAction.WRITING);
  for (let i = 1; i < writing.length; i++) assert.ok(writing[i]!.lastWrittenLba >= writing[i - 1]!.lastWrittenLba, 'lastWrittenLba never goes back');
  const last = writing[writing.length - 1]!;
  const end = last.startLba + last.sectorCount - 1;
  assert.equal(last.lastWrittenLba, end, 'the last WRITING update reports the whole image written');
  assert.equal(end, RAW_IMAGE_START_LBA + this.image!.sectors - 1, 'the write ends at the image\'s last sector');
});

/** Mode page 2Ah "current write speed selected" (kB/s) and the media's speed unit. */
async function driveWriteSpeed(world: ConformanceWorld): Promise<{ kbps: number; media: 'cd' | 'dvd' | 'bd' }> {
  const rec = world.client(ME);
  const page = await rec.getModePage(0x2a);
  assert.equal(page.kind, 'capabilities');
  const profile = await rec.getCurrentProfile();
  const media = profile >= 0x40 ? 'bd' : profile >= 0x10 ? 'dvd' : 'cd';
  return { kbps: (page as { currentWriteSpeedSelected: number }).currentWriteSpeedSelected, media };
}

Then('the drive writes at {int}x', async function (this: ConformanceWorld, x: number) {
  const { kbps, media } = await driveWriteSpeed(this);
  assert.equal(kbps, xToKbps(x, media), `mode page 2Ah write speed selected: ${kbps} kB/s`);
});

Then('currentWriteSpeed is the speed the drive writes at', async function (this: ConformanceWorld) {
  const { kbps, media } = await driveWriteSpeed(this);
  const current = typeof this.format.currentWriteSpeed === 'function' ? await this.format.currentWriteSpeed() : this.format.currentWriteSpeed;
  assert.equal(current, kbpsToSectorsPerSecond(kbps, media), `the drive writes at ${kbps} kB/s`);
});

Then('every listed value is accepted as requestedSectorType', function (this: ConformanceWorld) {
  assertSucceeded(this.result);
  for (const t of (this.result as { value: number[] }).value) {
    this.format.requestedSectorType = t;
    assert.equal(this.format.requestedSectorType, t);
  }
});
