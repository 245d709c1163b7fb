// The format objects and the openimapi CLI over the real iSCSI target on loopback: burn for real,
// read back byte for byte. Also the realistic speed model's underrun (in process: timing, not wire).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  DiscRecorder2Ex,
  DiscFormat2TrackAtOnce,
  DiscFormat2Data,
  DiscFormat2Erase,
  DiscFormat2RawCD,
  InProcessTransport,
  RAW_IMAGE_START_LBA,
} from '@openimapi/sdk';
import { createDrives } from '../drive/index.js';
import { generateDao96 } from '../media/testing/dao96.js';
import { hr, pattern, serve, open, toc, readCd, read10, discInfo, anotherClientEjects, writeImage, wav, cli, exited } from './burn-fixtures.js';

const discStatus = async (rec: DiscRecorder2Ex) => (await discInfo(rec)).discStatus;

test('iSCSI: TAO two audio tracks → TOC and READ CD byte for byte; then Erase the CD-RW back to blank', async () => {
  const { t, url } = await serve('cd-rw');
  try {
    const rec = await open(url);
    const tao = new DiscFormat2TrackAtOnce();
    tao.recorder = rec;
    tao.clientName = 'iscsi tao';
    const a = pattern(2352 * 400, 1);
    const b = pattern(2352 * 250, 2);
    await tao.prepareMedia();
    await tao.addAudioTrack(a);
    await tao.addAudioTrack(Readable.from([b]));
    await tao.releaseMedia();
    const tc = await toc(rec);
    assert.deepEqual([tc.firstTrack, tc.lastTrack], [1, 2]);
    assert.ok((await readCd(rec, tc.tracks[0]!.startLba, 400)).equals(a));
    assert.ok((await readCd(rec, tc.tracks[1]!.startLba, 250)).equals(b));
    const erase = new DiscFormat2Erase();
    erase.recorder = rec;
    erase.clientName = 'iscsi erase';
    erase.pollIntervalMs = 20;
    await erase.eraseMedia();
    assert.equal(await discStatus(rec), 0, 'blank after the erase');
    await rec.close();
  } finally {
    await t.close();
  }
});

for (const media of ['dvd+r', 'cd-r']) {
  test(`iSCSI: Data to ${media} → READ(10) byte for byte`, async () => {
    const { t, url } = await serve(media);
    try {
      const rec = await open(url);
      const d = new DiscFormat2Data();
      d.recorder = rec;
      d.clientName = 'iscsi data';
      const img = pattern(2048 * 3000, 3);
      await d.write(img);
      assert.ok((await read10(rec, 0, 3000)).equals(img));
      await rec.close();
    } finally {
      await t.close();
    }
  });
}

test('iSCSI: RawCD with a DAO-96 image → TOC from the lead-in; CLI --raw --verify on a second drive', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmt-iscsi-'));
  const { t, url } = await serve('cd-r');
  const second = await serve('cd-r');
  try {
    const gen = generateDao96({ leadInStart: RAW_IMAGE_START_LBA, tracks: [{ control: 0, sectors: 300 }, { control: 0, sectors: 200 }], sub: 'raw', leadOutSectors: 150 });
    const path = writeImage(dir, gen);
    const rec = await open(url);
    const raw = new DiscFormat2RawCD();
    raw.recorder = rec;
    raw.clientName = 'iscsi raw';
    await raw.prepareMedia();
    raw.requestedSectorType = 3; // the image carries raw P-W (the format's default is cooked)
    await raw.writeMedia(path);
    await raw.releaseMedia();
    const tc = await toc(rec);
    assert.deepEqual(tc.tracks.map((x) => [x.trackNumber, x.startLba]), [[1, 0], [2, gen.trackStarts[1]], [0xaa, gen.leadOut]]);
    assert.ok((await readCd(rec, gen.trackStarts[1]!, 10)).equals(Buffer.concat(Array.from({ length: 10 }, (_, i) => gen.main(gen.trackStarts[1]! + i)))));
    await rec.close();
    const r = await cli(['burn', '--target', second.url, '--raw', path, '--verify']);
    exited(r, 0);
    assert.match(r.stderr, /verify: the disc matches/);
  } finally {
    await t.close();
    await second.t.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('iSCSI: cancel from the Update handler → E_IMAPI_REQUEST_CANCELLED; another client can then take the drive', async () => {
  const { t, url } = await serve('dvd+r');
  try {
    const rec = await open(url);
    const d = new DiscFormat2Data();
    d.recorder = rec;
    d.clientName = 'iscsi cancel';
    d.on('update', (u) => {
      if (u.currentAction === 4 && u.lastWrittenLba > 2000) d.cancelWrite();
    });
    await assert.rejects(d.write(pattern(2048 * 8000, 4)), hr('E_IMAPI_REQUEST_CANCELLED'));
    await anotherClientEjects(url, 'other');
    await rec.close();
  } finally {
    await t.close();
  }
});

test('CLI: burn --audio (WAV, last sector padded) --verify, erase, list, bad WAV, exit codes naming HRESULTs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmt-cli-'));
  const { t, url } = await serve('cd-rw');
  try {
    const a = join(dir, 'a.wav');
    const b = join(dir, 'b.wav');
    wav(a, pattern(2352 * 100 + 1000, 5)); // not a whole sector: padded
    wav(b, pattern(2352 * 80, 6));
    let r = await cli(['burn', '--target', url, '--audio', a, b, '--verify']);
    exited(r, 0);
    assert.match(r.stderr, /verify: the disc matches/);
    r = await cli(['burn', '--target', url, '--audio', a]);
    exited(r, 1);
    assert.match(r.stderr, /E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK \(0xC0AA0506\)/);
    r = await cli(['erase', '--target', url]);
    exited(r, 0);
    r = await cli(['list', '--portal', `iscsi://127.0.0.1:${t.port}`]);
    exited(r, 0);
    assert.ok(r.stdout.includes(url), r.stdout);
    const empty = join(dir, 'empty.wav');
    wav(empty, Buffer.alloc(0));
    r = await cli(['burn', '--target', url, '--audio', empty]);
    exited(r, 2);
    assert.match(r.stderr, /no audio samples/);
    const mono = join(dir, 'mono.wav');
    wav(mono, pattern(4000, 1), 1);
    r = await cli(['burn', '--target', url, '--audio', mono]);
    exited(r, 2);
    assert.match(r.stderr, /1-channel audio; CD audio needs 16-bit 44100 Hz stereo/);
    r = await cli(['burn', '--target', url]);
    exited(r, 2);
  } finally {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

// Ctrl-C with a real SIGINT to the CLI child process, mid-write (a progress line past 0 %): the write is
// cancelled, the media released and the tray unlocked (another client can eject), exit code 130.
// The realistic speed model at the slowest speed (DVD+R 4× real time; CD 4× at time scale 4) makes each
// write last well over the 3 s between progress lines.
for (const mode of ['data', 'raw', 'audio'] as const) {
  test(`CLI: Ctrl-C during a ${mode} burn cancels, releases the media (tray unlocked) and exits 130`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fmt-sigint-'));
    const { t, url } = await serve(mode === 'data' ? 'dvd+r' : 'cd-r', { speedModel: 'realistic', timeScale: mode === 'data' ? 1 : 4 });
    try {
      let input: string[];
      if (mode === 'data') {
        const iso = join(dir, 'big.iso');
        writeFileSync(iso, pattern(48 << 20, 7)); // ~9 s at 5.5 MB/s
        input = ['--data', iso];
      } else if (mode === 'raw') {
        const gen = generateDao96({ leadInStart: RAW_IMAGE_START_LBA, tracks: [{ control: 0, sectors: 1500 }], sub: 'raw', leadOutSectors: 150 });
        input = ['--raw', writeImage(dir, gen)];
      } else {
        const a = join(dir, 'a.wav');
        const b = join(dir, 'b.wav');
        wav(a, pattern(2352 * 75 * 60, 8));
        wav(b, pattern(2352 * 75 * 60, 9));
        input = ['--audio', a, b];
      }
      let sent = false;
      const r = await cli(['burn', '--target', url, ...input, '--speed', '1'], (text, kill) => {
        if (!sent && /\s([1-9]\d*\.\d|0\.[1-9])%/.test(text)) {
          sent = true;
          kill('SIGINT');
        }
      });
      assert.ok(sent, r.stderr);
      exited(r, 130);
      assert.match(r.stderr, /cancelled: E_IMAPI_REQUEST_CANCELLED \(0xC0AA0002\).*the media was released and the tray unlocked/);
      await anotherClientEjects(url, 'after ctrl-c');
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('CLI: burn --audio --dao --verify (WAV → RawCDImageCreator → DiscFormat2RawCD, gapless), --sector-type pq; device targets; --help', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmt-dao-'));
  const { t, url } = await serve('cd-r');
  const second = await serve('cd-r');
  try {
    const a = join(dir, 'a.wav');
    const b = join(dir, 'b.wav');
    wav(a, pattern(2352 * 320 + 500, 3));
    wav(b, pattern(2352 * 300, 4));
    let r = await cli(['burn', '--target', url, '--audio', a, b, '--dao', '--verify']);
    exited(r, 0);
    assert.match(r.stderr, /verify: the disc matches/);
    const rec = await open(url);
    const tc = await toc(rec);
    assert.deepEqual(tc.tracks.map((x) => [x.trackNumber, x.startLba]), [[1, 0], [2, 321], [0xaa, 621]], 'gapless: track 2 right after track 1');
    await rec.close();
    r = await cli(['burn', '--target', second.url, '--audio', a, b, '--dao', '--sector-type', 'pq', '--verify']);
    exited(r, 0);
    r = await cli(['burn', '--target', url, '--audio', a, '--dao']);
    exited(r, 1);
    assert.match(r.stderr, /E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK \(0xC0AA0606\)/);
    r = await cli(['burn', '--target', url, '--audio', a, '--dao', '--no-finalize']);
    exited(r, 2);
    r = await cli(['burn', '--target', '/dev/sg-openimapi-absent', '--data', a]);
    exited(r, 1);
    assert.match(r.stderr, /HRESULT_FROM_WIN32\(ERROR_DEV_NOT_EXIST\) \(0x80070037\)|E_FAIL \(0x80004005\): a device target needs/);
    r = await cli(['burn', '--target', 'nowhere', '--data', a]);
    exited(r, 2);
    r = await cli(['burn', '--help']);
    exited(r, 0);
    for (const flag of ['--target', '--raw', '--sector-type', '--audio', '--dao', '--data', '--speed', '--no-finalize', '--verify', 'Ctrl-C', 'Exit codes']) assert.ok(r.stdout.includes(flag), flag);
    r = await cli(['erase', '--help']);
    exited(r, 0);
    assert.match(r.stdout, /--full/);
  } finally {
    await t.close();
    await second.t.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function underrun(bufe: boolean): Promise<unknown> {
  const [drive] = createDrives({ media: 'cd-r', becomingReadyMs: 0, speedModel: 'realistic', timeScale: 100 });
  const rec = new DiscRecorder2Ex({ mcnPollMs: 0 });
  await rec.attach(new InProcessTransport(drive!));
  const tao = new DiscFormat2TrackAtOnce();
  tao.recorder = rec;
  tao.clientName = 'underrun';
  tao.bufferUnderrunFreeDisabled = !bufe;
  await tao.setWriteSpeed(1); // rounds down to the slowest, 4× (706 kB/s; 70.6 MB/s at time scale 100)
  await tao.prepareMedia();
  // A host that feeds 1 MB, then stalls 300 ms — ten times what the 2 MB buffer lasts at this speed.
  const chunk = pattern(2352 * 445, 8);
  const slow = Readable.from((async function* () {
    for (let i = 0; i < 6; i++) {
      yield chunk;
      await new Promise((res) => setTimeout(res, 300));
    }
  })());
  let failure: unknown;
  try {
    await tao.addAudioTrack(slow);
  } catch (e) {
    failure = e;
  }
  await tao.releaseMedia().catch(() => undefined);
  await rec.close();
  return failure;
}

test('realistic speed model: a host that feeds too slowly gets E_IMAPI_LOSS_OF_STREAMING with BUFE off, not with BUFE on', async () => {
  assert.ok(hr('E_IMAPI_LOSS_OF_STREAMING')(await underrun(false)), 'BUFE off: loss of streaming');
  assert.equal(await underrun(true), undefined, 'BUFE on: the drive waits for data');
});
