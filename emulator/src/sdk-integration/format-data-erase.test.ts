// DiscFormat2Data and DiscFormat2Erase against the real MmcDrive in process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DiscRecorder2Ex,
  DiscFormat2Data,
  DiscFormat2Erase,
  DiscFormat2TrackAtOnce,
  DiscFormat2RawCD,
  DataMediaState,
  InProcessTransport,
  ImapiError,
  MediaPhysicalType,
  encodeReadDiscInformationCdb,
  decodeDiscInformationReply,
  closesMedia,
  type DataUpdate,
  type EraseUpdate,
} from '@openimapi/sdk';
import { createDrives } from '../drive/index.js';
import { RomLun } from '../rom-lun.js';
import { read10 } from './burn-fixtures.js';

export function dataImage(sectors: number, seed: number): Buffer {
  const b = Buffer.alloc(sectors * 2048);
  for (let i = 0; i < b.length; i++) b[i] = (i * 13 + seed * 7 + (i >> 11)) & 0xff;
  return b;
}

async function setup(media: string, opts: { speedModel?: 'realistic'; timeScale?: number } = {}) {
  const [drive] = createDrives(media === 'rom' ? { load: romImage(), becomingReadyMs: 0 } : { media, becomingReadyMs: 0, ...opts });
  const rec = new DiscRecorder2Ex({ mcnPollMs: 0 });
  await rec.attach(new InProcessTransport(drive!));
  return { drive: drive!, rec };
}
/** A small ISO image: the emulator loads it as a read-only disc. */
function romImage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'df2rom-'));
  const path = join(dir, 'rom.iso');
  writeFileSync(path, dataImage(64, 9));
  return path;
}
const hr = (name: string) => (e: unknown) => e instanceof ImapiError && e.hresultName === name;

async function discStatus(rec: DiscRecorder2Ex): Promise<number> {
  return (await rec.device.read({ cdb: (n) => encodeReadDiscInformationCdb({ dataType: 0, allocationLength: n }), allocationLength: 34, decode: decodeDiscInformationReply })).discStatus;
}

function dataFormat(rec: DiscRecorder2Ex): DiscFormat2Data {
  const d = new DiscFormat2Data();
  d.recorder = rec;
  d.clientName = 'data test';
  return d;
}

for (const media of ['dvd+r', 'cd-r', 'bd-r', 'dvd-r', 'dvd+rw', 'bd-re']) {
  test(`Data: write to ${media}, read back byte for byte`, async () => {
    const { rec } = await setup(media);
    const d = dataFormat(rec);
    const status = await d.getCurrentMediaStatus();
    const overwrite = media.endsWith('rw') || media === 'bd-re';
    assert.equal(status & DataMediaState.OVERWRITE_ONLY, overwrite ? 1 : 0);
    if (!overwrite) assert.equal(status, DataMediaState.BLANK);
    assert.ok((await d.getFreeSectorsOnMedia()) > 300_000);
    assert.ok((await d.getSupportedWriteSpeeds()).length > 0);
    const img = dataImage(700, 1);
    const updates: DataUpdate[] = [];
    d.on('update', (u) => updates.push(u));
    await d.write(img);
    assert.ok((await read10(rec, 0, 700)).equals(img), 'read back');
    assert.deepEqual([...new Set(updates.map((u) => u.currentAction))], [0, 2, 4, 5, 6]);
    assert.equal(updates.filter((u) => u.currentAction === 4).at(-1)!.lastWrittenLba, 699);
    assert.equal(rec.exclusiveAccessCount, 0, 'write releases exclusive access');
    await rec.close();
  });
}

test('Data: multisession on CD-R — the second session starts at the NWA; previous-session addresses', async () => {
  const { rec } = await setup('cd-r');
  const d = dataFormat(rec);
  const a = dataImage(500, 2);
  await d.write(a);
  assert.equal(await discStatus(rec), 1, 'appendable');
  assert.equal((await d.getCurrentMediaStatus()) & DataMediaState.APPENDABLE, DataMediaState.APPENDABLE);
  assert.equal(await d.getStartAddressOfPreviousSession(), 0);
  const lastPrev = await d.getLastWrittenAddressOfPreviousSession();
  assert.ok(lastPrev >= 499 && lastPrev < 510, `last written ${lastPrev}`);
  const nwa = await d.getNextWritableAddress();
  assert.ok(nwa > 500 + 6750, `second session NWA ${nwa} is past the first lead-out and lead-in`);
  const b = dataImage(300, 3);
  d.forceMediaToBeClosed = true;
  await d.write(Readable.from([b]));
  assert.ok((await read10(rec, nwa, 300)).equals(b));
  assert.ok((await read10(rec, 0, 500)).equals(a));
  assert.equal((await d.getCurrentMediaStatus()) & DataMediaState.FINALIZED, DataMediaState.FINALIZED);
  await assert.rejects(d.write(dataImage(1, 0)), hr('E_IMAPI_DF2DATA_INVALID_MEDIA_STATE'));
  await rec.close();
});

test('Data: documented misuse and media conditions', async () => {
  const bare = new DiscFormat2Data();
  await assert.rejects(bare.write(Buffer.alloc(2048)), hr('E_IMAPI_RECORDER_REQUIRED'));
  const { rec } = await setup('dvd+r');
  const d = dataFormat(rec);
  await assert.rejects(d.write(null as never), hr('E_POINTER'));
  await assert.rejects(d.write({} as never), hr('E_INVALIDARG'));
  d.clientName = '';
  await assert.rejects(d.write(Buffer.alloc(2048)), hr('E_IMAPI_DF2DATA_CLIENT_NAME_IS_NOT_VALID'));
  d.clientName = 'data test';
  assert.throws(() => d.cancelWrite(), hr('E_IMAPI_DF2DATA_WRITE_NOT_IN_PROGRESS'));
  await assert.rejects(d.write(Buffer.alloc(2049)), hr('E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED'));
  await assert.rejects(d.write(Readable.from([Buffer.alloc(3000)])), hr('E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED'));
  await assert.rejects(d.write(new Readable({ read() { this.destroy(new Error('gone')); } })), hr('E_FAIL'));
  const dir = mkdtempSync(join(tmpdir(), 'df2data-'));
  const big = join(dir, 'big.iso');
  truncateSync((writeFileSync(big, ''), big), 2048 * 2_400_000); // sparse: larger than a DVD+R
  await assert.rejects(d.write(big), hr('E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA'));
  rmSync(dir, { recursive: true, force: true });
  assert.equal(rec.exclusiveAccessCount, 0);
  await rec.close();
  const rom = await setup('rom');
  await assert.rejects(dataFormat(rom.rec).write(Buffer.alloc(2048)), hr('E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED'));
  await rom.rec.close();
  const rw = await setup('dvd+rw');
  const w = dataFormat(rw.rec);
  await w.write(dataImage(10, 4));
  await assert.rejects(w.write(dataImage(10, 5)), hr('E_IMAPI_DF2DATA_MEDIA_NOT_BLANK'));
  w.forceOverwrite = true;
  await w.write(dataImage(10, 5));
  assert.ok((await read10(rw.rec, 0, 10)).equals(dataImage(10, 5)));
  await rw.rec.close();
});

test('TAO, RawCD and Erase on a plain CD-ROM drive (no GET CONFIGURATION): *_RECORDER_NOT_SUPPORTED from prepareMedia/eraseMedia, before anything is locked; the burner is supported', async () => {
  const rom = new DiscRecorder2Ex({ mcnPollMs: 0 });
  await rom.attach(new InProcessTransport(new RomLun({ image: romImage() })));
  const { rec } = await setup('cd-rw');
  const cases = [
    [new DiscFormat2TrackAtOnce(), (f: DiscFormat2TrackAtOnce) => f.prepareMedia(), 'E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED'],
    [new DiscFormat2RawCD(), (f: DiscFormat2RawCD) => f.prepareMedia(), 'E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED'],
    [new DiscFormat2Erase(), (f: DiscFormat2Erase) => f.eraseMedia(), 'E_IMAPI_ERASE_RECORDER_NOT_SUPPORTED'],
  ] as const;
  for (const [f, call, code] of cases) {
    f.recorder = rom;
    f.clientName = 'rom test';
    assert.equal(await f.isRecorderSupported(rom), false, code);
    await assert.rejects((call as (x: typeof f) => Promise<void>)(f), hr(code));
    assert.equal(rom.exclusiveAccessCount, 0, `${code}: nothing locked`);
    assert.equal(await f.isRecorderSupported(rec), true, `the burner records with ${f.constructor.name}`);
  }
  await rom.close();
  await rec.close();
});

test('Data: a recorder without data write features (a plain CD-ROM drive, no GET CONFIGURATION) is E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED, before anything is locked', async () => {
  const rom = new DiscRecorder2Ex({ mcnPollMs: 0 });
  await rom.attach(new InProcessTransport(new RomLun({ image: romImage() })));
  const d = dataFormat(rom);
  assert.equal(await d.isRecorderSupported(rom), false);
  await assert.rejects(d.write(dataImage(16, 1)), hr('E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED'));
  assert.equal(rom.exclusiveAccessCount, 0);
  await rom.close();
  // The emulated burner lists the features (TAO, incremental streaming, DVD+R, BD write, ...).
  const { rec } = await setup('cd-r');
  assert.equal(await dataFormat(rec).isRecorderSupported(rec), true);
  await rec.close();
});

test('closesMedia: 2% of the disc or less free closes it', () => {
  const total = 359_849; // an 80-minute CD-R
  assert.equal(closesMedia(7196, total), true); // 7196 × 50 = 359 800 ≤ 359 849
  assert.equal(closesMedia(7197, total), false); // 359 850: just over 2%
  assert.equal(closesMedia(0, total), true);
  assert.equal(closesMedia(total, total), false);
});

test('Data: a write that leaves 2% of a CD-R or less free closes the disc though forceMediaToBeClosed is false (a sparse image)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'df2full-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { rec } = await setup('cd-r');
  const d = dataFormat(rec);
  const total = await d.getTotalSectorsOnMedia();
  const free = await d.getFreeSectorsOnMedia();
  // Leave exactly the most that still counts as 2%: the session closes.
  const leave = Math.floor(total / 50);
  const sectors = free - leave;
  const path = join(dir, 'nearly-full.iso');
  writeFileSync(path, '');
  truncateSync(path, sectors * 2048); // sparse: nothing on the disk, the whole size read as zeros
  assert.equal(d.forceMediaToBeClosed, false);
  await d.write(path);
  assert.equal(await discStatus(rec), 2, 'the disc is finalized (no next session)');
  assert.equal((await d.getCurrentMediaStatus()) & DataMediaState.FINALIZED, DataMediaState.FINALIZED);
  assert.ok((await read10(rec, sectors - 4, 4)).equals(Buffer.alloc(4 * 2048)), 'the last sectors of the image were recorded');
  await assert.rejects(d.write(dataImage(1, 0)), hr('E_IMAPI_DF2DATA_INVALID_MEDIA_STATE'));
  await rec.close();
});

test('Data: cancelWrite from the Update handler → E_IMAPI_REQUEST_CANCELLED, exclusive access and tray released', async () => {
  const { rec } = await setup('dvd+r');
  const d = dataFormat(rec);
  d.on('update', (u) => {
    if (u.currentAction === 4 && u.lastWrittenLba >= 1024) d.cancelWrite();
  });
  await assert.rejects(d.write(dataImage(4000, 6)), (e: unknown) => e instanceof ImapiError && e.hresultName === 'E_IMAPI_REQUEST_CANCELLED' && e.canceled);
  assert.equal(rec.exclusiveAccessCount, 0);
  await rec.close();
});

test('Data: during a write forceMediaToBeClosed is WRITE_IN_PROGRESS; cancelWrite once the session is being closed is E_FAIL', async () => {
  const { rec } = await setup('cd-r');
  const d = dataFormat(rec);
  const seen: string[] = [];
  d.on('update', (u) => {
    if (u.currentAction === 4 && !seen.includes('writing')) {
      seen.push('writing');
      assert.throws(() => (d.forceMediaToBeClosed = true), hr('E_IMAPI_DF2DATA_WRITE_IN_PROGRESS'));
    }
    if (u.currentAction === 5 && !seen.includes('finalization')) {
      seen.push('finalization');
      assert.throws(() => d.cancelWrite(), hr('E_FAIL'));
    }
  });
  await d.write(dataImage(600, 8));
  assert.deepEqual(seen, ['writing', 'finalization']);
  assert.equal(d.forceMediaToBeClosed, false);
  d.forceMediaToBeClosed = true;
  assert.equal(d.forceMediaToBeClosed, true, 'settable again once the write ended');
  await rec.close();
});

test('Erase: CD-RW after a TAO burn, quick and full, back to blank with progress updates', async () => {
  const { rec } = await setup('cd-rw', { speedModel: 'realistic', timeScale: 200 });
  const tao = new DiscFormat2TrackAtOnce();
  tao.recorder = rec;
  tao.clientName = 'erase test';
  await tao.setWriteSpeed(-1);
  await tao.prepareMedia();
  await tao.addAudioTrack(Buffer.alloc(2352 * 75));
  await tao.releaseMedia();
  assert.equal(await discStatus(rec), 2);
  for (const full of [false, true]) {
    const e = new DiscFormat2Erase();
    e.recorder = rec;
    e.clientName = 'erase test';
    e.fullErase = full;
    e.pollIntervalMs = 10;
    const updates: EraseUpdate[] = [];
    e.on('update', (u) => updates.push(u));
    await e.eraseMedia();
    assert.equal(e.currentPhysicalMediaType, MediaPhysicalType.CDRW);
    assert.equal(await discStatus(rec), 0, 'blank');
    assert.ok(updates.length >= 2, `${updates.length} updates`);
    assert.equal(rec.exclusiveAccessCount, 0);
  }
  await rec.close();
});

test('Erase: DVD+RW quick erase overwrites the file system areas with zeros', async () => {
  const { rec } = await setup('dvd+rw');
  const d = dataFormat(rec);
  await d.write(dataImage(2000, 7));
  const e = new DiscFormat2Erase();
  e.recorder = rec;
  e.clientName = 'erase test';
  await e.eraseMedia();
  assert.ok((await read10(rec, 0, 1024)).equals(Buffer.alloc(1024 * 2048)));
  await rec.close();
});

test('Erase: exact HRESULTs', async () => {
  const e = new DiscFormat2Erase();
  await assert.rejects(e.eraseMedia(), hr('E_IMAPI_RECORDER_REQUIRED'));
  const r = await setup('cd-r');
  e.recorder = r.rec;
  e.clientName = 'bad\u0001name';
  await assert.rejects(e.eraseMedia(), hr('E_IMAPI_ERASE_CLIENT_NAME_IS_NOT_VALID'));
  e.clientName = 'erase test';
  await assert.rejects(e.eraseMedia(), hr('E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE'));
  assert.equal(r.rec.exclusiveAccessCount, 0);
  await r.rec.close();
  const rom = await setup('rom');
  e.recorder = rom.rec;
  await assert.rejects(e.eraseMedia(), hr('E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED'));
  await rom.rec.close();
});

test('Erase: the disc is spun up first; a drive refusing START UNIT is E_IMAPI_ERASE_DRIVE_FAILED_SPINUP_COMMAND', async () => {
  const { drive, rec } = await setup('cd-rw');
  const e = new DiscFormat2Erase();
  e.recorder = rec;
  e.clientName = 'erase test';
  drive.faults.arm({ kind: 'sense', sense: { key: 4, asc: 0x44, ascq: 0 }, opcode: 'START_STOP_UNIT' });
  await assert.rejects(e.eraseMedia(), (x: unknown) => hr('E_IMAPI_ERASE_DRIVE_FAILED_SPINUP_COMMAND')(x) && (x as ImapiError).sense?.key === 4);
  assert.equal(rec.exclusiveAccessCount, 0, 'exclusive access given back');
  await e.eraseMedia();
  await rec.close();
});
