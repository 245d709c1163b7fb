// Steps for DiscFormat2Data: data images, their sources, media status flags, read-back.
import { Given, Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { DataMediaState, DataWriteAction, DiscFormat2Data, encodeRead10Cdb } from '@openimapi/sdk';
import type { ConformanceWorld } from './support/world.js';
import { ME } from './format.steps.js';
import { assertFailedWith } from './common.steps.js';
import { dataImage } from './support/update-handler.js';
import { discToBeReplaced } from './support/media.js';

const SECTOR = 2048;

When('I call write with a data image of {int} sectors', async function (this: ConformanceWorld, sectors: number) {
  this.dataImage = dataImage(sectors, 1);
  await this.attempt(() => this.format.write(this.dataImage));
});

/** Writes a session with a DiscFormat2Data of its own (the app did it earlier). */
async function writeSession(world: ConformanceWorld, sectors: number, seed: number, close: boolean): Promise<Buffer> {
  const data = new DiscFormat2Data();
  data.recorder = await world.openClient(ME);
  data.clientName = 'openimapi conformance';
  data.forceMediaToBeClosed = close;
  const image = dataImage(sectors, seed);
  await data.write(image);
  return image;
}

Given(/^the disc already holds a data session of (\d+) sectors( and is closed)?$/, async function (this: ConformanceWorld, sectors: string, closed?: string) {
  if (discToBeReplaced(this)) return;
  await writeSession(this, Number(sectors), 7, Boolean(closed));
});

/** Reads `count` sectors from `lba` with READ(10), 32 at a time. */
async function readSectors(world: ConformanceWorld, lba: number, count: number): Promise<Buffer> {
  const dev = world.client(ME).device;
  const parts: Buffer[] = [];
  for (let off = 0; off < count; off += 32) {
    const n = Math.min(32, count - off);
    const res = await dev.run({ cdb: encodeRead10Cdb({ lba: lba + off, transferLength: n }), direction: 'in', dataInLength: n * SECTOR });
    parts.push(res.dataIn);
  }
  return Buffer.concat(parts);
}

Then('the data image reads back from LBA {int}', async function (this: ConformanceWorld, lba: number) {
  const img = this.dataImage!;
  const got = await readSectors(this, lba, img.length / SECTOR);
  assert.ok(got.equals(img), `the sectors from LBA ${lba} differ from the image`);
});

Then('the data image reads back from the start of the last session', async function (this: ConformanceWorld) {
  const start = await this.format.getStartAddressOfPreviousSession();
  const img = this.dataImage!;
  const got = await readSectors(this, start, img.length / SECTOR);
  assert.ok(got.equals(img), `the sectors from LBA ${start} differ from the image`);
});

Then('LBA {int} to {int} read back as zeros', async function (this: ConformanceWorld, from: number, to: number) {
  const got = await readSectors(this, from, to - from + 1);
  assert.ok(got.every((b) => b === 0), `LBA ${from}..${to} are not all zeros`);
});

Then('LBA {int} still holds the data written there', async function (this: ConformanceWorld, lba: number) {
  const img = this.dataImage!;
  const got = await readSectors(this, lba, 1);
  assert.ok(got.equals(img.subarray(lba * SECTOR, (lba + 1) * SECTOR)), `LBA ${lba} changed`);
});

/** "BLANK", "APPENDABLE | NON_EMPTY_SESSION", ... → the IMAPI_FORMAT2_DATA_MEDIA_STATE value. */
function mediaState(text: string): number {
  return text.split('|').map((s) => s.trim()).reduce((acc, name) => {
    const v = (DataMediaState as Record<string, number>)[name];
    assert.ok(v !== undefined, `no media state ${name}`);
    return acc | v;
  }, 0);
}

Then(/^the current media status is (.+)$/, async function (this: ConformanceWorld, flags: string) {
  const got = await this.format.getCurrentMediaStatus();
  const want = mediaState(flags);
  const names = Object.entries(DataMediaState).filter(([k, v]) => v !== 0 && !k.endsWith('_MASK') && k !== 'RANDOMLY_WRITABLE' && (got & v) === v).map(([k]) => k);
  assert.equal(got, want, `media status 0x${got.toString(16)} (${names.join(' | ')}), want ${flags} (0x${want.toString(16)})`);
});

Then('the result is the media status {word}', function (this: ConformanceWorld, flags: string) {
  assert.ok(this.result?.ok, 'the call failed');
  assert.equal((this.result as { value: number }).value, mediaState(flags));
});

Then('the next writable address is after the first session', async function (this: ConformanceWorld) {
  const nwa = await this.format.getNextWritableAddress();
  const last = await this.format.getLastWrittenAddressOfPreviousSession();
  assert.ok(last > 0 && nwa > last, `next writable ${nwa}, last written of the previous session ${last}`);
});

// The write is held after its first chunk until the other client's attempt has settled, so the
// attempt surely meets the lock the write holds (no race with the end of the write).
When('client {string} tries to acquire exclusive access while I write a data image of {int} sectors', async function (this: ConformanceWorld, name: string, sectors: number) {
  const other = await this.openClient(name);
  const image = dataImage(sectors, 1);
  this.dataImage = image;
  const first = 512 * SECTOR;
  let gate!: () => void;
  const opened = new Promise<void>((r) => (gate = r));
  let stage = 0;
  const source = new Readable({
    read() {
      if (stage === 0) {
        stage = 1;
        this.push(image.subarray(0, first));
      } else if (stage === 1) {
        stage = 2;
        void opened.then(() => {
          this.push(image.subarray(first));
          this.push(null);
        });
      }
    },
  });
  let tried = false;
  const key = `client ${name}`;
  const handler = (u: { currentAction: number; lastWrittenLba: number; startLba: number }) => {
    if (tried || u.currentAction !== DataWriteAction.WRITING_DATA || u.lastWrittenLba < u.startLba) return;
    tried = true;
    other.acquireExclusiveAccess(false, `Burner ${name}`).then(
      () => this.inner.set(key, { ok: true }),
      (error: unknown) => this.inner.set(key, { ok: false, error }),
    ).finally(gate);
  };
  this.format.on('update', handler);
  try {
    await this.attempt(() => this.format.write(source));
  } finally {
    this.format.off('update', handler);
    gate();
  }
  assert.ok(tried, 'the write raised no WRITING update');
});

Then('the attempt of client {string} failed with {word} \\({word}\\)', function (this: ConformanceWorld, name: string, hr: string, hex: string) {
  assertFailedWith(this.inner.get(`client ${name}`), hr, hex);
});

Then('the Update events of the data write went through its actions up to COMPLETED', function (this: ConformanceWorld) {
  const actions = (this.updates as Array<{ currentAction: number }>).map((u) => u.currentAction).filter((a, i, all) => i === 0 || all[i - 1] !== a);
  const { VALIDATING_MEDIA, INITIALIZING_HARDWARE, WRITING_DATA, FINALIZATION, COMPLETED } = DataWriteAction;
  assert.deepEqual(actions, [VALIDATING_MEDIA, INITIALIZING_HARDWARE, WRITING_DATA, FINALIZATION, COMPLETED], `actions ${actions.join(',')}`);
});

Then('every descriptor has media type {int}, pure CAV {word}, and the speeds {}', function (this: ConformanceWorld, type: number, cav: string, speeds: string) {
  assert.ok(this.result?.ok, 'the call failed');
  const ds = (this.result as { value: Array<{ mediaType: number; rotationTypeIsPureCAV: boolean; writeSpeed: number }> }).value;
  assert.deepEqual(ds.map((d) => d.writeSpeed), speeds.split(',').map((x) => Number(x.trim())));
  for (const d of ds) {
    assert.equal(d.mediaType, type);
    assert.equal(d.rotationTypeIsPureCAV, cav === 'true');
  }
});

Then('the free sectors equal the total sectors', async function (this: ConformanceWorld) {
  const free = await this.format.getFreeSectorsOnMedia();
  assert.ok(free > 0, `free sectors ${free}`);
  assert.equal(free, await this.format.getTotalSectorsOnMedia());
});

Given('I remember the free sectors', async function (this: ConformanceWorld) {
  this.remembered.set('free', await this.format.getFreeSectorsOnMedia());
});

Then('the free sectors shrank by more than {int}', async function (this: ConformanceWorld, n: number) {
  const now = await this.format.getFreeSectorsOnMedia();
  const before = this.remembered.get('free')!;
  assert.ok(before - now > n, `free sectors ${before} → ${now}`);
});

// A TAO data track ends with 2 run-out blocks (MMC-6 §4.3.5.3), which the drive counts in the track.
Then('the last written address of the previous session is {int} or one of the 2 run-out blocks after it', async function (this: ConformanceWorld, lba: number) {
  const last = await this.format.getLastWrittenAddressOfPreviousSession();
  assert.ok(last >= lba && last <= lba + 2, `last written address of the previous session: ${last}`);
});
