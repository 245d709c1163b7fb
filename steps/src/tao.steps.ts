// Steps for DiscFormat2TrackAtOnce: audio tracks, their sources, the disc's TOC and what reads back.
import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { TaoWriteAction, decodeTocReply, encodeReadCdCdb, encodeReadTocCdb, type TaoUpdate } from '@openimapi/sdk';
import type { ConformanceWorld } from './support/world.js';
import { assertSucceeded } from './common.steps.js';
import { ME } from './format.steps.js';
import { audio, burnOpenAudioTracks, readTracksBack } from './support/images.js';
import { operation } from './support/update-handler.js';
import { discToBeReplaced } from './support/media.js';

/** Sectors per second of CD-DA (75 sectors of 2352 bytes). */
const SECTORS_PER_SECOND = 75;

When(/^I add an audio track of (\d+) seconds$/, async function (this: ConformanceWorld, seconds: string) {
  await this.attempt(() => operation(this, `add an audio track of ${seconds} seconds`).start());
  assertSucceeded(this.result);
});

When(/^I call addAudioTrack with a track of (\d+) seconds$/, async function (this: ConformanceWorld, seconds: string) {
  await this.attempt(() => operation(this, `add an audio track of ${seconds} seconds`).start());
});

When('I call addAudioTrack with a track of {int} sectors', async function (this: ConformanceWorld, sectors: number) {
  const data = audio(1, this.tracks.length + 1).subarray(0, sectors * 2352);
  this.tracks.push(Buffer.from(data));
  await this.attempt(() => this.format.addAudioTrack(data));
});

Given('the disc already holds {int} audio tracks in an open session', async function (this: ConformanceWorld, n: number) {
  if (discToBeReplaced(this)) return;
  await burnOpenAudioTracks(this.client(ME), n);
});

Given('the media is prepared and holds {int} audio tracks of {int} second(s)', async function (this: ConformanceWorld, n: number, seconds: number) {
  await this.format.prepareMedia();
  for (let i = 0; i < n; i++) await operation(this, `add an audio track of ${seconds} seconds`).start();
});

Then('the disc holds {int} audio tracks that read back as written', async function (this: ConformanceWorld, n: number) {
  assert.equal(this.tracks.length, n);
  await readTracksBack(this.client(ME), this.tracks);
});

/** READ TOC format 0000b (LBA) of the disc in the drive. */
async function readToc(world: ConformanceWorld) {
  const dev = world.client(ME).device;
  return dev.read({ cdb: (n) => encodeReadTocCdb({ msf: false, format: 0, trackSessionNumber: 0, allocationLength: n }), allocationLength: 4, decode: (b) => decodeTocReply(b, { msf: false }) });
}

Then('the disc holds {int} tracks', async function (this: ConformanceWorld, n: number) {
  const toc = await readToc(this);
  assert.equal(toc.tracks.filter((t) => t.trackNumber !== 0xaa).length, n);
});

Then(/^track (\d+) is (\d+) sectors long$/, async function (this: ConformanceWorld, track: string, sectors: string) {
  const info = await this.client(ME).getTrackInformation(Number(track), 1);
  assert.equal(info.trackSize, Number(sectors), `track ${track} size`);
});

Then(/^track (\d+) is shorter than its (\d+)-second stream$/, async function (this: ConformanceWorld, track: string, seconds: string) {
  const info = await this.client(ME).getTrackInformation(Number(track), 1);
  assert.ok(info.trackSize > 0 && info.trackSize < Number(seconds) * SECTORS_PER_SECOND, `track ${track} holds ${info.trackSize} sectors`);
});

Then('track {int} starts {int} sectors after the end of track {int}', async function (this: ConformanceWorld, b: number, gap: number, a: number) {
  const ta = await this.client(ME).getTrackInformation(a, 1);
  const tb = await this.client(ME).getTrackInformation(b, 1);
  assert.equal(tb.trackStartAddress - (ta.trackStartAddress + ta.trackSize), gap, `gap between track ${a} and track ${b}`);
});

Then('the expected table of contents equals the disc\'s TOC after release', async function (this: ConformanceWorld) {
  assertSucceeded(this.result);
  const expected = Buffer.from((this.result as { value: Buffer }).value);
  await this.format.releaseMedia();
  const dev = this.client(ME).device;
  const res = await dev.run({ cdb: encodeReadTocCdb({ msf: false, format: 0, trackSessionNumber: 0, allocationLength: 2048 }), direction: 'in', dataInLength: 2048 });
  const actual = decodeTocReply(res.dataIn, { msf: false });
  assert.deepEqual(decodeTocReply(expected, { msf: false }), actual);
});

Then('the expected table of contents lists {int} tracks and the lead-out', function (this: ConformanceWorld, n: number) {
  assertSucceeded(this.result);
  const toc = decodeTocReply(Buffer.from((this.result as { value: Buffer }).value), { msf: false });
  assert.deepEqual(toc.tracks.map((t) => t.trackNumber), [...Array.from({ length: n }, (_, i) => i + 1), 0xaa]);
});

Then('track {int} reads back as its samples followed by silence', async function (this: ConformanceWorld, n: number) {
  const data = this.tracks[n - 1]!;
  const info = await this.client(ME).getTrackInformation(n, 1);
  const dev = this.client(ME).device;
  const res = await dev.run({ cdb: encodeReadCdCdb({ expectedSectorType: 1, dap: false, lba: info.trackStartAddress, transferLength: info.trackSize, sync: false, headerCodes: 0, userData: true, edcEcc: false, c2ErrorInformation: 0, subChannel: 0 }), direction: 'in', dataInLength: info.trackSize * 2352 });
  assert.ok(res.dataIn.subarray(0, data.length).equals(data), 'the samples read back');
  assert.ok(res.dataIn.subarray(data.length).every((b) => b === 0), 'the rest of the track is silence');
});

Then('the Update events of track {int} went PREPARING, WRITING, FINISHING', function (this: ConformanceWorld, n: number) {
  const us = (this.updates as TaoUpdate[]).filter((u) => u.currentTrackNumber === n);
  const actions = us.map((u) => u.currentAction).filter((a, i, all) => i === 0 || all[i - 1] !== a);
  assert.deepEqual(actions, [TaoWriteAction.PREPARING, TaoWriteAction.WRITING, TaoWriteAction.FINISHING], `actions ${actions.join(',')}`);
  const writing = us.filter((u) => u.currentAction === TaoWriteAction.WRITING);
  const last = writing[writing.length - 1]!;
  assert.equal(last.lastWrittenLba - last.startLba + 1, this.tracks[n - 1]!.length / 2352, 'the last WRITING update counts every sector');
});

Then('the free sectors of the session equal its total sectors', function (this: ConformanceWorld) {
  assert.ok(this.format.freeSectorsOnMedia > 300_000, `free sectors ${this.format.freeSectorsOnMedia}`);
  assert.equal(this.format.freeSectorsOnMedia, this.format.totalSectorsOnMedia);
});

Given("I remember the session's free sectors", function (this: ConformanceWorld) {
  this.remembered.set('session free', this.format.freeSectorsOnMedia);
});

Then("the session's free sectors shrank by at least {int}", function (this: ConformanceWorld, n: number) {
  const now = this.format.freeSectorsOnMedia as number;
  const before = this.remembered.get('session free')!;
  assert.ok(before - now >= n, `free sectors ${before} → ${now}`);
});
