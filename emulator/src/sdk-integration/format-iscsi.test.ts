// The format objects and the openimapi CLI over the real iSCSI target on loopback: burn for real,
// read back byte for byte. Also the realistic speed model's underrun (in process: timing, not wire).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import {
  DiscMaster2,
  DiscRecorder2Ex,
  DiscFormat2TrackAtOnce,
  DiscFormat2Data,
  DiscFormat2Erase,
  DiscFormat2RawCD,
  InProcessTransport,
  ImapiError,
  RAW_IMAGE_START_LBA,
  encodeReadTocCdb,
  decodeTocReply,
  encodeReadCdCdb,
  encodeRead10Cdb,
  encodeReadDiscInformationCdb,
  decodeDiscInformationReply,
  encodeStartStopUnitCdb,
} from '@openimapi/sdk';
import { createDrives, type MmcDrive } from '../drive/index.js';
import { startTarget, type StartedTarget } from '../iscsi/target.js';
import { generateDao96, type GenImage } from '../media/testing/dao96.js';
import { wavFile } from '../media/testing/wav.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'sdk', 'dist', 'cli', 'openimapi.js');
const hr = (name: string) => (e: unknown) => e instanceof ImapiError && e.hresultName === name;

function pattern(bytes: number, seed: number): Buffer {
  const b = Buffer.alloc(bytes);
  for (let i = 0; i < b.length; i++) b[i] = (i * 29 + seed * 17 + (i >> 10)) & 0xff;
  return b;
}

async function serve(media: string, opts: { speedModel?: 'realistic'; timeScale?: number } = {}): Promise<{ t: StartedTarget; url: string; drive: MmcDrive }> {
  const [drive] = createDrives({ media, becomingReadyMs: 0, ...opts });
  const t = await startTarget({ host: '127.0.0.1', port: 0, luns: [drive!] });
  return { t, url: t.urls[0]!, drive: drive! };
}

async function open(url: string): Promise<DiscRecorder2Ex> {
  return new DiscMaster2({ urls: [url], recorder: { mcnPollMs: 0 } }).openRecorder(url);
}

async function toc(rec: DiscRecorder2Ex) {
  return rec.device.read({ cdb: (n) => encodeReadTocCdb({ msf: false, format: 0, trackSessionNumber: 0, allocationLength: n }), allocationLength: 4, decode: (b) => decodeTocReply(b, { msf: false }) });
}
async function readCd(rec: DiscRecorder2Ex, lba: number, n: number): Promise<Buffer> {
  return (await rec.device.run({ cdb: encodeReadCdCdb({ expectedSectorType: 1, dap: false, lba, transferLength: n, sync: false, headerCodes: 0, userData: true, edcEcc: false, c2ErrorInformation: 0, subChannel: 0 }), direction: 'in', dataInLength: n * 2352 })).dataIn;
}
async function read10(rec: DiscRecorder2Ex, lba: number, n: number): Promise<Buffer> {
  return (await rec.device.run({ cdb: encodeRead10Cdb({ lba, transferLength: n }), direction: 'in', dataInLength: n * 2048 })).dataIn;
}
async function discStatus(rec: DiscRecorder2Ex): Promise<number> {
  return (await rec.device.read({ cdb: (n) => encodeReadDiscInformationCdb({ dataType: 0, allocationLength: n }), allocationLength: 34, decode: decodeDiscInformationReply })).discStatus;
}

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

function writeImage(dir: string, gen: GenImage): string {
  const path = join(dir, 'image.bin');
  const fd = openSync(path, 'w');
  for (let i = 0; i < gen.sectors; i += 256) {
    const n = Math.min(256, gen.sectors - i);
    writeSync(fd, Buffer.concat(Array.from({ length: n }, (_, k) => gen.block(i + k))));
  }
  closeSync(fd);
  return path;
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
    await raw.writeMedia(path);
    await raw.releaseMedia();
    const tc = await toc(rec);
    assert.deepEqual(tc.tracks.map((x) => [x.trackNumber, x.startLba]), [[1, 0], [2, gen.trackStarts[1]], [0xaa, gen.leadOut]]);
    assert.ok((await readCd(rec, gen.trackStarts[1]!, 10)).equals(Buffer.concat(Array.from({ length: 10 }, (_, i) => gen.main(gen.trackStarts[1]! + i)))));
    await rec.close();
    const r = await cli(['burn', '--target', second.url, '--raw', path, '--verify']);
    assert.equal(r.code, 0, r.stderr);
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
    const other = await open(url);
    await other.acquireExclusiveAccess(false, 'other');
    await other.device.exec(encodeStartStopUnitCdb({ immed: false, powerCondition: 0, loej: true, start: false }));
    await other.close();
    await rec.close();
  } finally {
    await t.close();
  }
});

function wav(path: string, pcm: Buffer, channels = 2): void {
  writeFileSync(path, wavFile(pcm, channels));
}

function cli(args: string[], onStderr?: (text: string, kill: (sig: NodeJS.Signals) => void) => void): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      onStderr?.(stderr, (s) => child.kill(s));
    });
    child.on('exit', (code) => resolve({ code, stderr, stdout }));
  });
}

test('CLI: burn --audio (WAV, last sector padded) --verify, erase, list, bad WAV, exit codes naming HRESULTs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmt-cli-'));
  const { t, url } = await serve('cd-rw');
  try {
    const a = join(dir, 'a.wav');
    const b = join(dir, 'b.wav');
    wav(a, pattern(2352 * 100 + 1000, 5)); // not a whole sector: padded
    wav(b, pattern(2352 * 80, 6));
    let r = await cli(['burn', '--target', url, '--audio', a, b, '--verify']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /verify: the disc matches/);
    r = await cli(['burn', '--target', url, '--audio', a]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK \(0xC0AA0506\)/);
    r = await cli(['erase', '--target', url]);
    assert.equal(r.code, 0, r.stderr);
    r = await cli(['list', '--portal', `iscsi://127.0.0.1:${t.port}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(url), r.stdout);
    const empty = join(dir, 'empty.wav');
    wav(empty, Buffer.alloc(0));
    r = await cli(['burn', '--target', url, '--audio', empty]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no audio samples/);
    const mono = join(dir, 'mono.wav');
    wav(mono, pattern(4000, 1), 1);
    r = await cli(['burn', '--target', url, '--audio', mono]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /1-channel audio; CD audio needs 16-bit 44100 Hz stereo/);
    r = await cli(['burn', '--target', url]);
    assert.equal(r.code, 2);
  } finally {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CLI: Ctrl-C during a data burn cancels, releases the media (tray unlocked) and exits 130', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmt-sigint-'));
  // Realistic model at 4× real time: a 64 MB image takes seconds, long enough to interrupt.
  const { t, url } = await serve('dvd+r', { speedModel: 'realistic', timeScale: 4 });
  try {
    const iso = join(dir, 'big.iso');
    writeFileSync(iso, pattern(64 << 20, 7));
    let sent = false;
    const r = await cli(['burn', '--target', url, '--data', iso], (text, kill) => {
      if (!sent && /MB\/s/.test(text)) {
        sent = true;
        kill('SIGINT');
      }
    });
    assert.ok(sent, r.stderr);
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /E_IMAPI_REQUEST_CANCELLED/);
    const other = await open(url);
    await other.acquireExclusiveAccess(false, 'after ctrl-c');
    await other.device.exec(encodeStartStopUnitCdb({ immed: false, powerCondition: 0, loej: true, start: false }));
    await other.close();
  } finally {
    await t.close();
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
  tao.setWriteSpeed(1); // rounds down to the slowest, 4× (706 kB/s; 70.6 MB/s at time scale 100)
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
