// Every format object burning for real to the emulated burner over iSCSI on loopback (real TCP), the
// disc read back byte for byte (TOC included), the documented errors of misuse, cancel from the Update
// handler, sources that fail, and the buffer-underrun behaviour of the realistic speed model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, createWriteStream, openSync, readSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DiscFormat2RawCD,
  DiscFormat2TrackAtOnce,
  DiscFormat2Data,
  DiscFormat2Erase,
  RawCDImageCreator,
  RawCdSectorType,
  RawCdWriteAction,
  CdSectorType,
  DataMediaState,
  DataWriteAction,
  MediaPhysicalType,
  MediaWriteProtectState,
  ImapiError,
  RAW_IMAGE_START_LBA,
  parseWav,
  wavTrackSource,
  decodeQ,
  deinterleavePW,
  decodeFormattedQ,
  encodeReadTocCdb,
  decodeSessionInfoReply,
  encodeReadCdCdb,
  checkMode1Sector,
  scrambleSector,
  type DiscRecorder2Ex,
  type RawCdUpdate,
  type RawImageTypeValue,
  type EraseUpdate,
} from '@openimapi/sdk';
import { hr, pattern, serve, open, toc, readCd, read10, discInfo, anotherClientEjects, wav, cli, type Served } from './burn-fixtures.js';

async function withDrive(media: string | { load: string }, fn: (s: Served, rec: DiscRecorder2Ex) => Promise<void>, opts: { speedModel?: 'realistic'; timeScale?: number } = {}): Promise<void> {
  const s = await serve(media, opts);
  const rec = await open(s.url);
  try {
    await fn(s, rec);
  } finally {
    await rec.close().catch(() => undefined);
    await s.t.close();
  }
}

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'fmt-burn-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function rawFormat(rec: DiscRecorder2Ex): DiscFormat2RawCD {
  const raw = new DiscFormat2RawCD();
  raw.recorder = rec;
  raw.clientName = 'burn test';
  return raw;
}

/** One sector of a raw image file (its first sector is LBA −22650). */
function imageSector(fd: number, lba: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  readSync(fd, b, 0, size, (lba - RAW_IMAGE_START_LBA) * size);
  return b;
}

const MCN = '0123456789012';
const ISRC = 'USRC17607839';

/** WAV files → RawCDImageCreator (MCN, ISRC, an extra index) → an image file of `type`. */
async function wavImage(dir: string, type: RawImageTypeValue) {
  const a = join(dir, 'a.wav');
  const b = join(dir, 'b.wav');
  wav(a, pattern(2352 * 310 + 1000, 1)); // not whole sectors: the last one is padded
  wav(b, pattern(2352 * 305, 2));
  const creator = new RawCDImageCreator();
  creator.resultingImageType = type;
  creator.mediaCatalogNumber = MCN;
  const t1 = creator.addTrack(CdSectorType.AUDIO, wavTrackSource(await parseWav(a)));
  const t2 = creator.addTrack(CdSectorType.AUDIO, wavTrackSource(await parseWav(b)));
  creator.trackInfo(t1).ISRC = ISRC;
  creator.trackInfo(t2).addTrackIndex(100);
  const path = join(dir, `image-${type}.bin`);
  await pipeline(creator.createResultImage(), createWriteStream(path));
  return { path, creator, sectorBytes: type === RawCdSectorType.SUBCODE_PQ_ONLY ? 2368 : 2448 };
}

for (const [name, type] of [['raw', RawCdSectorType.SUBCODE_IS_RAW], ['cooked', RawCdSectorType.SUBCODE_IS_COOKED], ['pq', RawCdSectorType.SUBCODE_PQ_ONLY]] as const) {
  test(`RawCD ${name}: WAV files → RawCDImageCreator → writeMedia over iSCSI → TOC and every program-area sector (main + sub-channel) byte for byte`, async (t) => {
    const dir = tempDir(t);
    const img = await wavImage(dir, type);
    await withDrive('cd-r', async ({ url }, rec) => {
      const raw = rawFormat(rec);
      assert.deepEqual(await raw.getSupportedSectorTypes(), [1, 2, 3]);
      assert.throws(() => (raw.requestedSectorType = type), hr('E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED'));
      await raw.prepareMedia();
      raw.requestedSectorType = type;
      assert.equal(raw.currentPhysicalMediaType, MediaPhysicalType.CDR);
      assert.ok(raw.startOfNextSession > RAW_IMAGE_START_LBA && raw.startOfNextSession < -150, `ATIP lead-in start ${raw.startOfNextSession}`);
      assert.ok(raw.lastPossibleStartOfLeadout > 300_000, `ATIP last lead-out start ${raw.lastPossibleStartOfLeadout}`);
      const events: RawCdUpdate[] = [];
      raw.on('update', (u) => events.push(u));
      const iterated: RawCdUpdate[] = [];
      const iterating = (async () => {
        for await (const u of raw.updates(1_000_000)) iterated.push(u);
      })();
      // The three sources: a file (seeks to the lead-in start), { size, stream }, a bare stream (read forward).
      const fd = openSync(img.path, 'r');
      t.after(() => closeSync(fd));
      const source = name === 'raw' ? img.path : name === 'cooked' ? { size: img.creator.imageSectorCount * img.sectorBytes, stream: img.creator.createResultImage() } : Readable.from(readChunks(img.path));
      await raw.writeMedia(source);
      await iterating;
      await raw.releaseMedia();

      // Updates: PREPARING, WRITING…, FINISHING; both the event and the iterator saw them all.
      assert.deepEqual(iterated, events);
      assert.equal(events[0]!.currentAction, RawCdWriteAction.PREPARING);
      assert.equal(events.at(-1)!.currentAction, RawCdWriteAction.FINISHING);
      const writing = events.filter((u) => u.currentAction === RawCdWriteAction.WRITING);
      assert.equal(writing[0]!.startLba, writing.at(-1)!.startLba);
      const expectSectors = img.creator.imageSectorCount - (writing[0]!.startLba - RAW_IMAGE_START_LBA);
      // sectorCount: the sectors from the lead-in start when the size is known; a bare stream's grows.
      if (name === 'pq') assert.ok(writing.every((u) => u.sectorCount === u.lastWrittenLba - u.startLba + 1));
      else assert.ok(writing.every((u) => u.sectorCount === expectSectors));
      assert.equal(writing.at(-1)!.lastWrittenLba, writing[0]!.startLba + expectSectors - 1);
      assert.ok(writing.some((u) => u.totalDeviceBuffer > 0), 'the drive buffer level is reported');
      assert.ok(writing.every((u) => u.usedSystemBuffer <= u.totalSystemBuffer && u.freeSystemBuffer === u.totalSystemBuffer - u.usedSystemBuffer));

      // TOC: the drive's READ TOC is the TOC the creator planned, byte for byte.
      const tc = await toc(rec);
      assert.deepEqual(tc.bytes, img.creator.expectedTableOfContents);
      assert.deepEqual(tc.tracks.map((x) => x.trackNumber), [1, 2, 0xaa]);
      const leadOut = tc.tracks.at(-1)!.startLba;
      // Every sector from the pre-gap through the last track: main channel and sub-channel.
      const sub = type === RawCdSectorType.SUBCODE_PQ_ONLY ? 2 : 1;
      const subBytes = sub === 2 ? 16 : 96;
      const adr = new Set<number>();
      for (let lba = -150; lba < leadOut; lba += 64) {
        const n = Math.min(64, leadOut - lba);
        const got = await readCd(rec, lba, n, { sub });
        for (let i = 0; i < n; i++) {
          const g = got.subarray(i * (2352 + subBytes), (i + 1) * (2352 + subBytes));
          const want = imageSector(fd, lba + i, img.sectorBytes);
          assert.ok(g.subarray(0, 2352).equals(want.subarray(0, 2352)), `main channel of LBA ${lba + i}`);
          assert.ok(g.subarray(2352).equals(want.subarray(2352, 2352 + subBytes)), `sub-channel of LBA ${lba + i}`);
          const q = decodeQ(sub === 2 ? decodeFormattedQ(g.subarray(2352)).q : deinterleavePW(g.subarray(2352)).q);
          adr.add(q.adr);
          if (q.kind === 'mcn') assert.equal((q as { mcn: string }).mcn, MCN);
          if (q.kind === 'isrc') assert.equal((q as { isrc: string }).isrc, ISRC);
        }
      }
      assert.deepEqual([...adr].sort(), [1, 2, 3], 'position, MCN and ISRC Q frames on the disc');
      await anotherClientEjects(url, 'after the raw burn');
    });
  });
}

test('RawCD: a mode 1 data track and an audio track from RawCDImageCreator (data sectors scrambled in the image) burn over iSCSI; READ(10) and READ CD give back the source data; the CLI verifies the image', async (t) => {
  const dir = tempDir(t);
  const user = pattern(400 * 2048, 4);
  const pcm = pattern(300 * 2352, 5);
  const creator = new RawCDImageCreator();
  creator.addTrack(CdSectorType.MODE1, user);
  creator.addTrack(CdSectorType.AUDIO, pcm);
  const audioStart = creator.trackInfo(2).startingLba;
  const path = join(dir, 'mixed.bin');
  await pipeline(creator.createResultImage(), createWriteStream(path));
  const fd = openSync(path, 'r');
  t.after(() => closeSync(fd));
  // The image carries the data sectors as they lie on the disc: scrambled, descrambling to valid sectors.
  const first = imageSector(fd, 0, 2448).subarray(0, 2352);
  assert.equal(checkMode1Sector(first).edcOk, false, 'the image holds LBA 0 scrambled');
  assert.deepEqual(checkMode1Sector(scrambleSector(Buffer.from(first))), { edcOk: true, eccOk: true });
  await withDrive('cd-r', async ({ url }, rec) => {
    const raw = rawFormat(rec);
    await raw.prepareMedia();
    raw.requestedSectorType = RawCdSectorType.SUBCODE_IS_RAW;
    await raw.writeMedia(path);
    await raw.releaseMedia();
    const tc = await toc(rec);
    assert.deepEqual(tc.bytes, creator.expectedTableOfContents);
    assert.equal(tc.tracks[0]!.control & 4, 4, 'track 1 is a data track');
    // READ(10): the drive descrambled what it recorded; the user data is the source's.
    assert.ok((await read10(rec, 0, 400)).equals(user), 'READ(10) of the data track');
    // READ CD, user data only (expected sector type mode 1): the same 2048 bytes per sector.
    const res = await rec.device.run({ cdb: encodeReadCdCdb({ expectedSectorType: 2, dap: false, lba: 0, transferLength: 400, sync: false, headerCodes: 0, userData: true, edcEcc: false, c2ErrorInformation: 0, subChannel: 0 }), direction: 'in', dataInLength: 400 * 2048 });
    assert.ok(res.dataIn.equals(user), 'READ CD user data of the data track');
    // READ CD of the whole 2352 bytes: the logical (descrambled) sector of the image, valid EDC/ECC.
    const main = await readCd(rec, 0, 400, { audio: false });
    for (let lba = 0; lba < 400; lba++) {
      const got = main.subarray(lba * 2352, (lba + 1) * 2352);
      assert.ok(got.equals(scrambleSector(imageSector(fd, lba, 2448).subarray(0, 2352))), `LBA ${lba}: the descrambled image sector`);
      if (lba % 97 === 0) assert.deepEqual(checkMode1Sector(got), { edcOk: true, eccOk: true });
    }
    // The audio track: PCM as given.
    assert.ok((await readCd(rec, audioStart, 300)).equals(pcm), 'the audio track');
  });
  // The CLI burns the same image and verifies it (data sectors compared after descrambling).
  await withDrive('cd-r', async ({ url }) => {
    const r = await cli(['burn', '--target', url, '--raw', path, '--verify']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /verify: the disc matches the input/);
  });
});

async function* readChunks(path: string): AsyncGenerator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const b = Buffer.alloc(300_001); // not a sector multiple: the reader reassembles sectors
      const n = readSync(fd, b, 0, b.length, null);
      if (n === 0) return;
      yield b.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/** A generated raw image (raw P-W, first sector MSF 95:00:00) of one audio track of `seconds`. */
async function rawImage(seconds: number): Promise<{ data: Buffer; sectors: number }> {
  const c = new RawCDImageCreator();
  c.addTrack(CdSectorType.AUDIO, pattern(seconds * 75 * 2352, 9));
  const parts: Buffer[] = [];
  for await (const chunk of c.createResultImage()) parts.push(chunk as Buffer);
  return { data: Buffer.concat(parts), sectors: c.imageSectorCount };
}

/** A stream of `data` that, after `failAfter` bytes, errors (`'error'`) or just ends (`'end'`). */
function brokenStream(data: Buffer, failAfter: number, how: 'error' | 'end'): Readable {
  let at = 0;
  return new Readable({
    read() {
      if (at >= failAfter) {
        if (how === 'error') this.destroy(new Error('the disk holding the image went away'));
        else this.push(null);
        return;
      }
      const n = Math.min(256 * 1024, failAfter - at);
      this.push(data.subarray(at, at + n));
      at += n;
    },
  });
}

test('RawCD over iSCSI: speeds, rotation and the speed descriptors; setWriteSpeed reaches the drive', async () => {
  const { data } = await rawImage(4);
  await withDrive('cd-r', async (_s, rec) => {
    const raw = rawFormat(rec);
    await assert.rejects(raw.getSupportedWriteSpeedDescriptors(), hr('E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED'));
    await assert.rejects(raw.setWriteSpeed(-2), hr('E_INVALIDARG'));
    await assert.rejects(raw.setWriteSpeed(1.5), hr('E_INVALIDARG'));
    await raw.prepareMedia();
    const descriptors = await raw.getSupportedWriteSpeedDescriptors();
    assert.ok(descriptors.length > 0);
    assert.ok(descriptors.every((d) => d.mediaType === MediaPhysicalType.CDR && d.writeSpeed % 75 === 0 && typeof d.rotationTypeIsPureCAV === 'boolean'));
    assert.deepEqual(await raw.getSupportedWriteSpeeds(), descriptors.map((d) => d.writeSpeed));
    const slowest = descriptors.at(-1)!.writeSpeed;
    assert.equal(raw.requestedWriteSpeed, -1, 'default: the fastest');
    await raw.setWriteSpeed(slowest, true);
    assert.equal(raw.requestedWriteSpeed, slowest);
    assert.equal(raw.requestedRotationTypeIsPureCAV, true);
    assert.equal(raw.currentWriteSpeed, slowest, 'sent to the drive by setWriteSpeed itself');
    await raw.writeMedia(data);
    assert.equal(raw.currentWriteSpeed, slowest);
    assert.equal(raw.currentRotationTypeIsPureCAV, true);
    await raw.releaseMedia();
  });
});

test('RawCD over iSCSI: cancelWrite from the Update handler → E_IMAPI_REQUEST_CANCELLED; after releaseMedia the tray is unlocked', async () => {
  const { data } = await rawImage(20);
  await withDrive('cd-r', async ({ url }, rec) => {
    const raw = rawFormat(rec);
    await raw.prepareMedia();
    let cancelled: RawCdUpdate | undefined;
    const after: RawCdUpdate[] = [];
    raw.on('update', (u) => {
      if (cancelled) after.push(u);
      else if (u.currentAction === RawCdWriteAction.WRITING && u.lastWrittenLba > u.startLba + 3000) {
        raw.cancelWrite();
        cancelled = u;
      }
    });
    await assert.rejects(raw.writeMedia(data), (e: unknown) => hr('E_IMAPI_REQUEST_CANCELLED')(e) && (e as ImapiError).canceled);
    assert.ok(cancelled);
    assert.deepEqual(after, [], 'no WRITE after the handler cancelled');
    assert.throws(() => raw.cancelWrite(), hr('E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS'));
    await assert.rejects(anotherClientEjects(url, 'while prepared'), (e: unknown) => e instanceof ImapiError, 'the drive is still held until releaseMedia');
    await raw.releaseMedia();
    await assert.rejects(raw.releaseMedia(), hr('E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED'));
    await anotherClientEjects(url, 'after the cancel');
  });
});

for (const how of ['error', 'end'] as const) {
  test(`RawCD over iSCSI: a source that ${how === 'error' ? 'errors' : 'ends short'} mid-write → ${how === 'error' ? 'E_FAIL' : 'E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED'}; the drive is left defined (released, flushed, erasable, burnable again)`, async () => {
    const { data } = await rawImage(8);
    await withDrive('cd-rw', async ({ url }, rec) => {
      const raw = rawFormat(rec);
      await raw.prepareMedia();
      const cut = 2448 * 20_000 + 1000; // past the lead-in start, inside a sector for 'end'
      const source = how === 'error' ? brokenStream(data, cut, 'error') : { size: data.length, stream: brokenStream(data, cut, 'end') };
      await assert.rejects(raw.writeMedia(source), hr(how === 'error' ? 'E_FAIL' : 'E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED'));
      await raw.releaseMedia();
      assert.equal(rec.exclusiveAccessCount, 0);
      // The disc is no longer blank (as after IMAPI2's CancelWrite): prepareMedia says so; an erase makes it usable.
      assert.notEqual((await discInfo(rec)).discStatus, 0);
      await assert.rejects(raw.prepareMedia(), hr('E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK'));
      assert.equal(rec.exclusiveAccessCount, 0, 'a refused prepare gives exclusive access back');
      const erase = new DiscFormat2Erase();
      erase.recorder = rec;
      erase.clientName = 'burn test';
      erase.pollIntervalMs = 10;
      await erase.eraseMedia();
      await raw.prepareMedia();
      await raw.writeMedia(data);
      await raw.releaseMedia();
      const tc = await toc(rec);
      assert.deepEqual(tc.tracks.map((x) => x.trackNumber), [1, 0xaa]);
      await anotherClientEjects(url, 'after the failed and the good burn');
    });
  });
}

/** A RawCD write from a host that feeds 1 MB then stalls 300 ms — longer than the 2 MB buffer lasts at 4× × time scale 100. */
async function rawUnderrun(bufe: boolean): Promise<unknown> {
  const { data } = await rawImage(60);
  let failure: unknown;
  await withDrive('cd-r', async (_s, rec) => {
    const raw = rawFormat(rec);
    raw.bufferUnderrunFreeDisabled = !bufe;
    await raw.setWriteSpeed(1); // rounds down to the slowest, 4×
    await raw.prepareMedia();
    const skip = (raw.startOfNextSession - RAW_IMAGE_START_LBA) * 2448;
    const slow = Readable.from((async function* () {
      const chunk = 428 * 2448; // ~1 MB of whole sectors
      for (let o = 0; o < data.length; o += chunk) {
        yield data.subarray(o, o + chunk);
        if (o > skip) await new Promise((res) => setTimeout(res, 300));
        if (o > skip + 8 * chunk) break; // enough to underrun (or survive) several times
      }
    })());
    try {
      await raw.writeMedia(slow);
    } catch (e) {
      failure = e;
    }
    await raw.releaseMedia();
  }, { speedModel: 'realistic', timeScale: 100 });
  return failure;
}

test('RawCD over iSCSI, realistic speed model: a host too slow for the drive → E_IMAPI_LOSS_OF_STREAMING with BUFE off; with BUFE on the drive waits', async () => {
  assert.ok(hr('E_IMAPI_LOSS_OF_STREAMING')(await rawUnderrun(false)), 'BUFE off');
  // BUFE on: the drive pauses while the host stalls and resumes; the write (a stream cut short on purpose) succeeds.
  const withBufe = await rawUnderrun(true);
  assert.equal(withBufe, undefined, 'BUFE on: the write ends without an error');
});

// ---- TrackAtOnce ---------------------------------------------------------------------------------

test('TAO over iSCSI: two sessions (doNotFinalizeMedia, then finalized); expectedTableOfContents = READ TOC byte for byte; audio byte for byte; sector counts', async () => {
  await withDrive('cd-r', async ({ url }, rec) => {
    const tao = new DiscFormat2TrackAtOnce();
    tao.recorder = rec;
    tao.clientName = 'burn test';
    const a = pattern(2352 * 400, 11);
    const b = pattern(2352 * 300, 12);
    const c = pattern(2352 * 350, 13);
    tao.doNotFinalizeMedia = true;
    await tao.prepareMedia();
    assert.throws(() => (tao.doNotFinalizeMedia = false), hr('E_IMAPI_DF2TAO_MEDIA_IS_PREPARED'));
    const total = tao.totalSectorsOnMedia;
    assert.equal(tao.usedSectorsOnMedia, 0);
    assert.equal(tao.freeSectorsOnMedia, total);
    await assert.rejects(tao.getExpectedTableOfContents(), hr('E_IMAPI_DF2TAO_TABLE_OF_CONTENTS_EMPTY_DISC'));
    await tao.addAudioTrack(a);
    await tao.addAudioTrack({ size: b.length, stream: Readable.from([b]) });
    assert.equal(tao.numberOfExistingTracks, 2);
    assert.ok(tao.usedSectorsOnMedia >= 700 && tao.freeSectorsOnMedia === tao.totalSectorsOnMedia - tao.usedSectorsOnMedia);
    const expected1 = await tao.getExpectedTableOfContents();
    await tao.releaseMedia();
    assert.deepEqual([(await discInfo(rec)).discStatus], [1], 'appendable: the session is closed, the disc is not');
    assert.deepEqual((await toc(rec)).bytes, expected1);

    tao.doNotFinalizeMedia = false;
    await tao.prepareMedia();
    assert.equal(tao.numberOfExistingTracks, 2);
    await tao.addAudioTrack(c);
    const expected2 = await tao.getExpectedTableOfContents();
    await tao.releaseMedia();
    assert.equal((await discInfo(rec)).discStatus, 2, 'finalized');
    const tc = await toc(rec);
    assert.deepEqual(tc.bytes, expected2);
    assert.deepEqual(tc.tracks.map((x) => x.trackNumber), [1, 2, 3, 0xaa]);
    assert.ok(tc.tracks.slice(0, 3).every((x) => (x.control & 4) === 0), 'audio tracks');
    for (const [i, pcm] of [a, b, c].entries()) assert.ok((await readCd(rec, tc.tracks[i]!.startLba, pcm.length / 2352)).equals(pcm), `track ${i + 1}`);
    const sessions = await rec.device.read({ cdb: (n) => encodeReadTocCdb({ msf: false, format: 1, trackSessionNumber: 0, allocationLength: n }), allocationLength: 12, decode: (x) => decodeSessionInfoReply(x, { msf: false }) });
    assert.equal(sessions.lastCompleteSession, 2);
    await tao.prepareMedia().then(() => assert.fail('a finalized disc'), (e: unknown) => assert.ok(hr('E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK')(e)));
    await anotherClientEjects(url, 'after TAO');
  });
});

test('TAO over iSCSI: cancelAddTrack from the Update handler → E_IMAPI_REQUEST_CANCELLED; releaseMedia closes what was written and unlocks the tray', async () => {
  await withDrive('cd-rw', async ({ url }, rec) => {
    const tao = new DiscFormat2TrackAtOnce();
    tao.recorder = rec;
    tao.clientName = 'burn test';
    await tao.prepareMedia();
    tao.on('update', (u) => {
      if (u.currentAction === 2 && u.lastWrittenLba > 1000) tao.cancelAddTrack();
    });
    await assert.rejects(tao.addAudioTrack(pattern(2352 * 6000, 14)), (e: unknown) => hr('E_IMAPI_REQUEST_CANCELLED')(e) && (e as ImapiError).canceled);
    assert.throws(() => tao.cancelAddTrack(), hr('E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS'));
    await tao.releaseMedia();
    assert.equal(rec.exclusiveAccessCount, 0);
    assert.notEqual((await discInfo(rec)).discStatus, 0, 'what reached the drive was recorded');
    await anotherClientEjects(url, 'after the TAO cancel');
  });
});

// ---- Data ----------------------------------------------------------------------------------------

/** A 2048-byte-sector image with an ISO 9660 primary volume descriptor and terminator at sectors 16/17. */
function isoImage(sectors: number, seed: number): Buffer {
  const img = pattern(sectors * 2048, seed);
  for (const [lba, type] of [[16, 1], [17, 255]] as const) {
    const d = img.subarray(lba * 2048, (lba + 1) * 2048);
    d.fill(0);
    d[0] = type;
    d.write('CD001', 1, 'latin1');
    d[6] = 1;
  }
  img.write('OPENIMAPI_TEST'.padEnd(32), 16 * 2048 + 40, 'latin1');
  img.writeUInt32LE(sectors, 16 * 2048 + 80);
  img.writeUInt32BE(sectors, 16 * 2048 + 84);
  return img;
}

for (const media of ['cd-r', 'cd-rw', 'dvd-r', 'dvd+r', 'dvd+rw', 'bd-r', 'bd-re']) {
  test(`Data over iSCSI: an ISO 9660 image to ${media} → READ(10) byte for byte, TOC, media status, speeds`, async () => {
    await withDrive(media, async ({ url }, rec) => {
      const d = new DiscFormat2Data();
      d.recorder = rec;
      d.clientName = 'burn test';
      const overwrite = media === 'dvd+rw' || media === 'bd-re';
      assert.equal(await d.getWriteProtectStatus(), 0);
      assert.equal(await d.getCurrentMediaStatus(), overwrite ? DataMediaState.OVERWRITE_ONLY | DataMediaState.BLANK : DataMediaState.BLANK);
      const physical = await d.getCurrentPhysicalMediaType();
      const descriptors = await d.getSupportedWriteSpeedDescriptors();
      assert.ok(descriptors.length > 0 && descriptors.every((x) => x.mediaType === physical));
      await d.setWriteSpeed(descriptors.at(-1)!.writeSpeed);
      const img = isoImage(2000, media.length);
      const updates: number[] = [];
      d.on('update', (u) => {
        if (updates.at(-1) !== u.currentAction) updates.push(u.currentAction);
        assert.equal(u.totalTime, u.elapsedTime + u.remainingTime);
      });
      await d.write(img);
      assert.deepEqual(updates, [DataWriteAction.VALIDATING_MEDIA, DataWriteAction.INITIALIZING_HARDWARE, DataWriteAction.WRITING_DATA, DataWriteAction.FINALIZATION, DataWriteAction.COMPLETED]);
      assert.equal(d.currentWriteSpeed, descriptors.at(-1)!.writeSpeed);
      assert.ok((await read10(rec, 0, 2000)).equals(img), 'read back');
      const tc = await toc(rec);
      assert.equal(tc.tracks[0]!.trackNumber, 1);
      assert.equal(tc.tracks[0]!.startLba, 0);
      assert.equal(tc.tracks[0]!.control & 4, 4, 'a data track');
      assert.ok(tc.tracks.at(-1)!.trackNumber === 0xaa && tc.tracks.at(-1)!.startLba >= 2000, `lead-out at ${tc.tracks.at(-1)!.startLba}`);
      const after = await d.getCurrentMediaStatus();
      if (overwrite) {
        assert.equal(after, DataMediaState.OVERWRITE_ONLY, 'holds data: no longer blank');
        await assert.rejects(d.write(img), hr('E_IMAPI_DF2DATA_MEDIA_NOT_BLANK'));
        d.forceOverwrite = true;
        const again = isoImage(100, 99);
        await d.write(again);
        assert.ok((await read10(rec, 0, 100)).equals(again));
      } else {
        assert.equal(after & DataMediaState.APPENDABLE, DataMediaState.APPENDABLE, `status 0x${after.toString(16)}`);
      }
      assert.equal(rec.exclusiveAccessCount, 0, 'write gives exclusive access back');
      await anotherClientEjects(url, `after the ${media} write`);
    });
  });
}

test('Data over iSCSI: multisession on DVD+R — the NWA, previous-session addresses, status flags; forceMediaToBeClosed finalizes', async () => {
  await withDrive('dvd+r', async (_s, rec) => {
    const d = new DiscFormat2Data();
    d.recorder = rec;
    d.clientName = 'burn test';
    assert.equal(await d.getStartAddressOfPreviousSession(), -1);
    assert.equal(await d.getLastWrittenAddressOfPreviousSession(), -1);
    assert.equal(await d.getNextWritableAddress(), 0);
    const first = isoImage(1000, 1);
    await d.write(first);
    assert.equal(await d.getStartAddressOfPreviousSession(), 0);
    assert.equal(await d.getLastWrittenAddressOfPreviousSession(), 999);
    const nwa = await d.getNextWritableAddress();
    assert.ok(nwa >= 1000, `NWA ${nwa}`);
    const free = await d.getFreeSectorsOnMedia();
    assert.equal(await d.getTotalSectorsOnMedia(), nwa + free);
    const second = isoImage(500, 2);
    d.forceMediaToBeClosed = true;
    await d.write(second);
    assert.ok((await read10(rec, nwa, 500)).equals(second), 'session 2 at the NWA');
    assert.ok((await read10(rec, 0, 1000)).equals(first), 'session 1 untouched');
    assert.equal(await d.getStartAddressOfPreviousSession(), nwa);
    assert.equal((await d.getCurrentMediaStatus()) & DataMediaState.FINALIZED, DataMediaState.FINALIZED);
    await assert.rejects(d.write(isoImage(32, 3)), hr('E_IMAPI_DF2DATA_INVALID_MEDIA_STATE'));
    const sessions = await rec.device.read({ cdb: (n) => encodeReadTocCdb({ msf: false, format: 1, trackSessionNumber: 0, allocationLength: n }), allocationLength: 12, decode: (x) => decodeSessionInfoReply(x, { msf: false }) });
    assert.equal(sessions.lastCompleteSession, 2);
  });
});

test('Data over iSCSI: ROM media → writeProtectStatus READ_ONLY_MEDIA, status WRITE_PROTECTED|UNSUPPORTED_MEDIA, write → E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED', async (t) => {
  const dir = tempDir(t);
  const iso = join(dir, 'rom.iso');
  writeFileSync(iso, isoImage(64, 5));
  await withDrive({ load: iso }, async (_s, rec) => {
    const d = new DiscFormat2Data();
    d.recorder = rec;
    d.clientName = 'burn test';
    assert.equal(await d.getWriteProtectStatus(), MediaWriteProtectState.READ_ONLY_MEDIA);
    assert.equal(await d.getCurrentMediaStatus(), DataMediaState.WRITE_PROTECTED | DataMediaState.UNSUPPORTED_MEDIA);
    await assert.rejects(d.write(isoImage(32, 6)), hr('E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED'));
    assert.equal(rec.exclusiveAccessCount, 0);
  });
});

test('Data over iSCSI: a stream that errors mid-write → E_FAIL, the track closed and the drive released', async () => {
  await withDrive('dvd+r', async ({ url }, rec) => {
    const d = new DiscFormat2Data();
    d.recorder = rec;
    d.clientName = 'burn test';
    await assert.rejects(d.write(brokenStream(isoImage(4000, 7), 2048 * 2500, 'error')), hr('E_FAIL'));
    assert.equal(rec.exclusiveAccessCount, 0);
    const info = await discInfo(rec);
    assert.notEqual(info.discStatus, 0, 'what reached the drive was recorded in a closed track');
    await anotherClientEjects(url, 'after the failed data write');
  });
});

// ---- Erase ---------------------------------------------------------------------------------------

for (const [media, full] of [['cd-rw', true], ['dvd+rw', true], ['bd-re', false]] as const) {
  test(`Erase over iSCSI: ${full ? 'full' : 'quick'} erase of a written ${media}, with progress (elapsed, estimated total)`, async () => {
    await withDrive(media, async ({ url }, rec) => {
      const d = new DiscFormat2Data();
      d.recorder = rec;
      d.clientName = 'burn test';
      const img = isoImage(3000, 8);
      await d.write(img);
      const e = new DiscFormat2Erase();
      e.recorder = rec;
      e.clientName = 'burn test';
      e.fullErase = full;
      e.pollIntervalMs = 10;
      const updates: EraseUpdate[] = [];
      e.on('update', (u) => updates.push(u));
      await e.eraseMedia();
      assert.equal(e.currentPhysicalMediaType, media === 'cd-rw' ? MediaPhysicalType.CDRW : media === 'dvd+rw' ? MediaPhysicalType.DVDPLUSRW : MediaPhysicalType.BDRE);
      assert.ok(updates.length >= 2, `${updates.length} updates`);
      assert.ok(updates.every((u, i) => u.estimatedTotalSeconds >= 1 || i === updates.length - 1));
      assert.ok(updates.every((u, i) => i === 0 || u.elapsedSeconds >= updates[i - 1]!.elapsedSeconds), 'elapsed never goes back');
      assert.equal(updates.at(-1)!.elapsedSeconds <= updates.at(-1)!.estimatedTotalSeconds, true);
      if (media === 'cd-rw') {
        assert.equal((await discInfo(rec)).discStatus, 0, 'blank');
      } else {
        assert.ok((await read10(rec, 0, full ? 3000 : 1024)).equals(Buffer.alloc((full ? 3000 : 1024) * 2048)), 'zeros where the file system was');
        assert.equal(await d.getCurrentMediaStatus(), DataMediaState.OVERWRITE_ONLY | DataMediaState.BLANK);
      }
      assert.equal(rec.exclusiveAccessCount, 0);
      await d.write(img);
      assert.ok((await read10(rec, 0, 3000)).equals(img), 'writable again');
      await anotherClientEjects(url, 'after the erase');
    });
  });
}
