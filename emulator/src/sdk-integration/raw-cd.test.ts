// DiscFormat2RawCD against the real MmcDrive (in-process transport: the format object's logic, not the
// iSCSI path, is under test here). Images come from the media tests' independent DAO-96 generator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  DiscRecorder2Ex,
  DiscFormat2RawCD,
  RawCdSectorType,
  InProcessTransport,
  ImapiError,
  RAW_IMAGE_START_LBA,
  encodeReadTocCdb,
  decodeTocReply,
  encodeReadCdCdb,
  encodeTestUnitReadyCdb,
  type RawCdUpdate,
} from '@openimapi/sdk';
import { createDrives, type MmcDrive } from '../drive/index.js';
import { generateDao96, type GenImage } from '../media/testing/dao96.js';

function writeImage(dir: string, gen: GenImage): string {
  const path = join(dir, 'image.bin');
  const fd = openSync(path, 'w');
  const batch = 256;
  for (let i = 0; i < gen.sectors; i += batch) {
    const n = Math.min(batch, gen.sectors - i);
    writeSync(fd, Buffer.concat(Array.from({ length: n }, (_, k) => gen.block(i + k))));
  }
  closeSync(fd);
  return path;
}

async function setup(media = 'cd-r') {
  const [drive] = createDrives({ media, becomingReadyMs: 0 });
  const rec = new DiscRecorder2Ex({ mcnPollMs: 0 });
  await rec.attach(new InProcessTransport(drive!));
  const raw = new DiscFormat2RawCD();
  raw.recorder = rec;
  raw.clientName = 'raw-cd test';
  return { drive: drive!, rec, raw };
}

/** prepareMedia, then the sector type of the generated images (raw P-W), which needs prepared media. */
async function prepareRaw(raw: DiscFormat2RawCD): Promise<void> {
  await raw.prepareMedia();
  raw.requestedSectorType = RawCdSectorType.SUBCODE_IS_RAW;
}

const hr = (name: string) => (e: unknown) => e instanceof ImapiError && e.hresultName === name;

test('writeMedia: a DAO-96 image starting at 95:00:00 burns from the lead-in start; TOC and sectors read back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rawcd-'));
  try {
    const gen = generateDao96({ leadInStart: RAW_IMAGE_START_LBA, tracks: [{ control: 0, sectors: 300 }, { control: 0, sectors: 225 }], sub: 'raw', leadOutSectors: 150 });
    const path = writeImage(dir, gen);
    const { rec, raw } = await setup();
    await prepareRaw(raw);
    const leadIn = raw.startOfNextSession;
    assert.ok(leadIn < -150 && leadIn > RAW_IMAGE_START_LBA, `ATIP lead-in start ${leadIn}`);
    const updates: RawCdUpdate[] = [];
    raw.on('update', (u) => updates.push(u));
    await raw.writeMedia(path);
    await raw.releaseMedia();
    assert.equal(updates[0]!.startLba, leadIn, 'the first sector written is the media lead-in start');
    assert.equal(updates.at(-1)!.currentAction, 3, 'the last update is FINISHING');
    const toc = await rec.device.read({ cdb: (n) => encodeReadTocCdb({ msf: false, format: 0, trackSessionNumber: 0, allocationLength: n }), allocationLength: 4, decode: (b) => decodeTocReply(b, { msf: false }) });
    assert.deepEqual(toc.tracks.map((d) => [d.trackNumber, d.startLba]), [[1, 0], [2, gen.trackStarts[1]], [0xaa, gen.leadOut]]);
    for (const lba of [0, 1, 299, gen.trackStarts[1]!, gen.leadOut - 1]) {
      const res = await rec.device.run({ cdb: encodeReadCdCdb({ expectedSectorType: 1, dap: false, lba, transferLength: 1, sync: false, headerCodes: 0, userData: true, edcEcc: false, c2ErrorInformation: 0, subChannel: 0 }), direction: 'in', dataInLength: 2352 });
      assert.deepEqual(res.dataIn, gen.main(lba), `main channel of LBA ${lba}`);
    }
    await rec.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writeMedia from a stream that cannot seek: reads forward to the lead-in start', async () => {
  const gen = generateDao96({ leadInStart: RAW_IMAGE_START_LBA, tracks: [{ control: 0, sectors: 150 }], sub: 'raw', leadOutSectors: 150 });
  const { raw, rec } = await setup();
  await prepareRaw(raw);
  const stream = Readable.from((function* () {
    for (let i = 0; i < gen.sectors; i++) yield gen.block(i);
  })());
  await raw.writeMedia(stream);
  await raw.releaseMedia();
  await rec.close();
});

test('requestedSectorType defaults to SUBCODE_IS_COOKED, as IMAPI2 documents', () => {
  assert.equal(new DiscFormat2RawCD().requestedSectorType, RawCdSectorType.SUBCODE_IS_COOKED);
});

test('documented misuse and media conditions get their exact HRESULTs', async () => {
  const { raw, rec } = await setup();
  await assert.rejects(raw.writeMedia(Buffer.alloc(2448)), hr('E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED'));
  await assert.rejects(raw.releaseMedia(), hr('E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED'));
  assert.throws(() => raw.cancelWrite(), hr('E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS'));
  await prepareRaw(raw);
  await assert.rejects(raw.prepareMedia(), hr('E_IMAPI_DF2RAW_MEDIA_IS_PREPARED'));
  await assert.rejects(raw.writeMedia(undefined as never), hr('E_POINTER'));
  await assert.rejects(raw.writeMedia(42 as never), hr('E_INVALIDARG'));
  await assert.rejects(raw.writeMedia(Buffer.alloc(1000)), hr('E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED'));
  await assert.rejects(raw.writeMedia(Buffer.alloc(5000 * 2448)), hr('E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT'));
  await assert.rejects(raw.writeMedia2(Buffer.alloc(2448 * 20), 1000), hr('E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT'));
  await assert.rejects(raw.writeMedia2(Buffer.alloc(2448), -5), hr('E_INVALIDARG'));
  await raw.releaseMedia();
  await rec.close();
  const dvd = await setup('dvd+r');
  await assert.rejects(dvd.raw.prepareMedia(), hr('E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED'));
  assert.equal(dvd.rec.exclusiveAccessCount, 0, 'a failed prepare releases exclusive access');
  await dvd.rec.close();
});

test('prepareMedia refuses media that is not blank (E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK) and holds nothing after', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rawcd-'));
  try {
    const gen = generateDao96({ leadInStart: RAW_IMAGE_START_LBA, tracks: [{ control: 0, sectors: 150 }], sub: 'raw', leadOutSectors: 150 });
    const { raw, rec } = await setup();
    await prepareRaw(raw);
    await raw.writeMedia(writeImage(dir, gen));
    await raw.releaseMedia();
    await assert.rejects(raw.prepareMedia(), hr('E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK'));
    assert.equal(rec.exclusiveAccessCount, 0, 'a failed prepare releases exclusive access');
    assert.equal(rec.mcnEnabled, true, 'a failed prepare resumes MCN');
    await rec.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cancelWrite from the Update handler ends the write with E_IMAPI_REQUEST_CANCELLED', async () => {
  const gen = generateDao96({ leadInStart: RAW_IMAGE_START_LBA, tracks: [{ control: 0, sectors: 1500 }], sub: 'raw', leadOutSectors: 150 });
  const dir = mkdtempSync(join(tmpdir(), 'rawcd-'));
  try {
    const path = writeImage(dir, gen);
    const { raw, rec } = await setup();
    await prepareRaw(raw);
    let cancelled = false;
    raw.on('update', (u) => {
      if (!cancelled && u.lastWrittenLba > u.startLba + 1000) {
        raw.cancelWrite();
        cancelled = true;
      }
    });
    await assert.rejects(raw.writeMedia(path), (e: unknown) => e instanceof ImapiError && e.hresultName === 'E_IMAPI_REQUEST_CANCELLED' && e.canceled);
    assert.ok(cancelled);
    await raw.releaseMedia();
    await rec.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The drive's recording capabilities switched off (drive/capabilities.ts): its CD Mastering feature
// without R-W (no host R-W sub-channel), then without Raw — a drive that writes P-Q only, or no raw DAO.
test('getSupportedSectorTypes follows the drive: P-Q only without R-W (raw P-W → DATA_BLOCK_TYPE_NOT_SUPPORTED), none and RECORDER_NOT_SUPPORTED without Raw', async () => {
  const gen = generateDao96({ leadInStart: RAW_IMAGE_START_LBA, tracks: [{ control: 0, sectors: 300 }], sub: 'pq', leadOutSectors: 150 });
  const [drive] = createDrives({ media: 'cd-r', becomingReadyMs: 0 });
  drive!.setCapabilities({ rwSubcode: false });
  const rec = new DiscRecorder2Ex({ mcnPollMs: 0 });
  await rec.attach(new InProcessTransport(drive!));
  const raw = new DiscFormat2RawCD();
  raw.recorder = rec;
  raw.clientName = 'raw-cd test';
  assert.deepEqual(await raw.getSupportedSectorTypes(), [RawCdSectorType.SUBCODE_PQ_ONLY]);
  assert.equal(await raw.isRecorderSupported(rec), true, 'Raw without R-W: still a raw recorder');
  await raw.prepareMedia();
  // The default (cooked P-W) needs R-W recording: the write refuses it; so does the property, for raw P-W.
  await assert.rejects(raw.writeMedia(Buffer.alloc(2448 * 30_000)), hr('E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED'));
  assert.throws(() => (raw.requestedSectorType = RawCdSectorType.SUBCODE_IS_RAW), hr('E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED'));
  assert.equal(raw.requestedSectorType, RawCdSectorType.SUBCODE_IS_COOKED, 'a refused type leaves the property as it was');
  raw.requestedSectorType = RawCdSectorType.SUBCODE_PQ_ONLY;
  await raw.writeMedia(Buffer.concat(Array.from({ length: gen.sectors }, (_, i) => gen.block(i))));
  await raw.releaseMedia();
  await rec.close();

  const [bare] = createDrives({ media: 'cd-r', becomingReadyMs: 0 });
  bare!.setCapabilities({ raw: false, rwSubcode: false });
  const rec2 = new DiscRecorder2Ex({ mcnPollMs: 0 });
  await rec2.attach(new InProcessTransport(bare!));
  raw.recorder = rec2;
  assert.deepEqual(await raw.getSupportedSectorTypes(), []);
  assert.equal(await raw.isRecorderSupported(rec2), false, 'CD Mastering with SAO but not Raw: not a raw recorder');
  await assert.rejects(raw.prepareMedia(), hr('E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED'));
  assert.equal(rec2.exclusiveAccessCount, 0, 'a failed prepare gives exclusive access back');
  await rec2.close();
});

test('setWriteSpeed sends the speed at once, with the SetWriteSpeed table\'s codes; requestedSectorType needs prepared media', async () => {
  await assert.rejects(new DiscFormat2RawCD().setWriteSpeed(1800), hr('E_IMAPI_RECORDER_REQUIRED'));
  const { raw, rec } = await setup();
  assert.throws(() => (raw.requestedSectorType = RawCdSectorType.SUBCODE_IS_RAW), hr('E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED'));
  raw.clientName = '';
  await assert.rejects(raw.setWriteSpeed(1800), hr('E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID'));
  raw.clientName = 'raw-cd test';
  await assert.rejects(raw.setWriteSpeed(-3), hr('E_INVALIDARG'));
  await raw.setWriteSpeed(1800); // not prepared: a blank CD-R, checked and sent
  assert.deepEqual([raw.requestedWriteSpeed, raw.currentWriteSpeed], [1800, 1800]);
  await rec.close();
  await assert.rejects(raw.setWriteSpeed(1200), hr('HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)'));
  assert.equal(raw.requestedWriteSpeed, 1800, 'a failed call leaves the request as it was');
  const dvd = await setup('dvd+r');
  await assert.rejects(dvd.raw.setWriteSpeed(1800), hr('E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED'));
  await dvd.rec.close();
});

test('ejectMedia and closeTray are E_IMAPI_RECORDER_LOCKED while a format object of the recorder has the media prepared; nothing reaches the drive', async () => {
  const { raw, rec } = await setup();
  await raw.prepareMedia();
  await assert.rejects(rec.ejectMedia(), hr('E_IMAPI_RECORDER_LOCKED'));
  await assert.rejects(rec.closeTray(), hr('E_IMAPI_RECORDER_LOCKED'));
  // The format's lock stands: the tray is locked (mode page 2Ah) and the disc is still in and ready.
  const page = await rec.getModePage(0x2a);
  assert.ok(page.kind === 'capabilities' && page.lockState, 'the tray stays locked');
  await rec.device.exec(encodeTestUnitReadyCdb());
  await raw.releaseMedia();
  await rec.ejectMedia();
  await assert.rejects(rec.device.exec(encodeTestUnitReadyCdb()), hr('E_IMAPI_RECORDER_MEDIA_NO_MEDIA'));
  await rec.closeTray();
  await rec.close();
});

test('currentWriteSpeed is the speed the drive selected, not the one asked for (mode page 2Ah)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rawcd-'));
  try {
    const gen = generateDao96({ leadInStart: RAW_IMAGE_START_LBA, tracks: [{ control: 0, sectors: 150 }], sub: 'raw', leadOutSectors: 150 });
    const { raw, rec } = await setup();
    // 1000 sectors/s = 2352 kB/s: the CD-R's speeds are 48..4x; the drive rounds down to 8x (1411 kB/s).
    await raw.setWriteSpeed(1000);
    await prepareRaw(raw);
    await raw.writeMedia(writeImage(dir, gen));
    await raw.releaseMedia();
    assert.equal(raw.requestedWriteSpeed, 1000);
    assert.equal(raw.currentWriteSpeed, 600, '1411 kB/s = 600 sectors of 2352 bytes per second');
    await rec.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
