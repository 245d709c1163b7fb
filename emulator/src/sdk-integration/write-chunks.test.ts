// Every format object sizes its WRITEs to the path to the drive (ScsiTransport.adapter): over a path
// that carries 64 KiB per command, as ATAPI bridges and USB drives often do, no WRITE(10) carries more,
// each carries the most whole sectors that fit, and what was written reads back. The drive is the real
// MmcDrive; the path is the in-process transport with a narrower adapter, recording each WRITE(10).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DiscRecorder2Ex,
  DiscFormat2RawCD,
  DiscFormat2TrackAtOnce,
  DiscFormat2Data,
  DiscFormat2Erase,
  RawCdSectorType,
  InProcessTransport,
  Opcode,
  RAW_IMAGE_START_LBA,
  StorageBusType,
  type ScsiRequest,
  type ScsiResult,
  type ScsiTransport,
  type TransportAdapterInfo,
} from '@openimapi/sdk';
import { createDrives } from '../drive/index.js';
import { generateDao96 } from '../media/testing/dao96.js';
import { read10, readCd, writeImage, pattern } from './burn-fixtures.js';

/** A path that carries at most `maxTransferLength` bytes per command; it records each WRITE(10). */
class NarrowPath implements ScsiTransport {
  readonly adapter: TransportAdapterInfo;
  /** [transfer length in blocks, data bytes] of each WRITE(10). */
  readonly writes: Array<[number, number]> = [];
  constructor(private readonly inner: InProcessTransport, maxTransferLength: number) {
    this.adapter = { busType: StorageBusType.ATAPI, maxTransferLength, alignmentMask: 0, commandQueueing: false };
  }
  get id(): string {
    return this.inner.id;
  }
  get closed(): boolean {
    return this.inner.closed;
  }
  execute(req: ScsiRequest): Promise<ScsiResult> {
    if (req.cdb[0] === Opcode.WRITE_10) this.writes.push([(req.cdb[7]! << 8) | req.cdb[8]!, req.dataOut!.length]);
    return this.inner.execute(req);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

const LIMIT = 64 * 1024;

async function setup(media: string) {
  const [drive] = createDrives({ media, becomingReadyMs: 0 });
  const path = new NarrowPath(new InProcessTransport(drive!), LIMIT);
  const rec = new DiscRecorder2Ex({ mcnPollMs: 0 });
  await rec.attach(path);
  return { rec, path };
}

/** Every WRITE(10) fits the path, holds whole sectors, and full ones hold the most that fit. */
function assertSized(path: NarrowPath, sectorBytes: number): void {
  assert.ok(path.writes.length > 1, `${path.writes.length} WRITE(10) commands`);
  const most = Math.floor(LIMIT / sectorBytes);
  for (const [blocks, bytes] of path.writes) {
    assert.ok(bytes <= LIMIT, `a WRITE(10) of ${bytes} bytes over a ${LIMIT}-byte path`);
    assert.equal(bytes, blocks * sectorBytes, 'the transfer length counts whole sectors');
    assert.ok(blocks >= 1 && blocks <= most);
  }
  assert.equal(Math.max(...path.writes.map(([b]) => b)), most, `full WRITEs carry ${most} sectors of ${sectorBytes} bytes`);
}

test('RawCD over a 64 KiB path: WRITE(10)s of 26 raw sectors (2448 bytes); TOC and program area read back', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'chunks-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const gen = generateDao96({ leadInStart: RAW_IMAGE_START_LBA, tracks: [{ control: 0, sectors: 300 }], sub: 'raw', leadOutSectors: 150 });
  const image = writeImage(dir, gen);
  const { rec, path } = await setup('cd-r');
  const raw = new DiscFormat2RawCD();
  raw.recorder = rec;
  raw.clientName = 'chunks';
  await raw.prepareMedia();
  raw.requestedSectorType = RawCdSectorType.SUBCODE_IS_RAW;
  const leadIn = raw.startOfNextSession;
  await raw.writeMedia(image);
  await raw.releaseMedia();
  assertSized(path, 2448);
  const written = path.writes.reduce((n, [b]) => n + b, 0);
  assert.equal(written, gen.start + gen.sectors - leadIn, 'every sector from the lead-in start to the end of the image');
  const main = await readCd(rec, 0, 300);
  for (const lba of [0, 1, 150, 299]) assert.ok(main.subarray(lba * 2352, (lba + 1) * 2352).equals(gen.main(lba)), `LBA ${lba}`);
  await rec.close();
});

test('TrackAtOnce over a 64 KiB path: WRITE(10)s of 27 audio sectors, the 4-second padding too', async () => {
  const { rec, path } = await setup('cd-r');
  const tao = new DiscFormat2TrackAtOnce();
  tao.recorder = rec;
  tao.clientName = 'chunks';
  await tao.prepareMedia();
  const pcm = pattern(100 * 2352, 3);
  await tao.addAudioTrack(pcm); // 100 sectors, padded with 200 of silence to 300
  await tao.releaseMedia();
  assertSized(path, 2352);
  assert.equal(path.writes.reduce((n, [b]) => n + b, 0), 300);
  const back = await readCd(rec, 0, 300);
  assert.ok(back.subarray(0, pcm.length).equals(pcm), 'the track reads back');
  assert.ok(back.subarray(pcm.length).every((b) => b === 0), 'then silence');
  await rec.close();
});

test('Data over a 64 KiB path: WRITE(10)s of 32 sectors (2048 bytes) on CD-R and DVD+R; the image reads back', async () => {
  for (const media of ['cd-r', 'dvd+r']) {
    const { rec, path } = await setup(media);
    const data = new DiscFormat2Data();
    data.recorder = rec;
    data.clientName = 'chunks';
    const img = pattern(700 * 2048, 5);
    await data.write(img);
    assertSized(path, 2048);
    assert.ok((await read10(rec, 0, 700)).equals(img), `${media} reads back`);
    await rec.close();
  }
});

test('Erase of a DVD+RW over a 64 KiB path: the zeros go in WRITE(10)s of 32 sectors', async () => {
  const { rec, path } = await setup('dvd+rw');
  const data = new DiscFormat2Data();
  data.recorder = rec;
  data.clientName = 'chunks';
  await data.write(pattern(2048 * 2048, 6));
  path.writes.length = 0;
  const erase = new DiscFormat2Erase();
  erase.recorder = rec;
  erase.clientName = 'chunks';
  await erase.eraseMedia();
  assertSized(path, 2048);
  assert.ok((await read10(rec, 0, 1024)).every((b) => b === 0), 'the first 1024 sectors are zeros');
  await rec.close();
});
