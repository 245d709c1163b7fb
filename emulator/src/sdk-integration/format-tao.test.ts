// DiscFormat2TrackAtOnce against the real MmcDrive in process (the format object's logic), and one burn
// over the real iSCSI target (format-iscsi.test.ts). Audio is a deterministic pattern per track.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import {
  DiscRecorder2Ex,
  DiscFormat2TrackAtOnce,
  InProcessTransport,
  ImapiError,
  encodeReadTocCdb,
  decodeTocReply,
  encodeReadCdCdb,
  encodeReadDiscInformationCdb,
  decodeDiscInformationReply,
  type TaoUpdate,
} from '@openimapi/sdk';
import { createDrives } from '../drive/index.js';

export function audio(sectors: number, seed: number): Buffer {
  const b = Buffer.alloc(sectors * 2352);
  for (let i = 0; i < b.length; i++) b[i] = (i * 31 + seed * 101 + (i >> 9)) & 0xff;
  return b;
}

async function setup(media = 'cd-r', opts: { speedModel?: 'realistic'; timeScale?: number } = {}) {
  const [drive] = createDrives({ media, becomingReadyMs: 0, ...opts });
  const rec = new DiscRecorder2Ex({ mcnPollMs: 0 });
  await rec.attach(new InProcessTransport(drive!));
  const tao = new DiscFormat2TrackAtOnce();
  tao.recorder = rec;
  tao.clientName = 'tao test';
  return { drive: drive!, rec, tao };
}

const hr = (name: string) => (e: unknown) => e instanceof ImapiError && e.hresultName === name;

async function readToc(rec: DiscRecorder2Ex) {
  return rec.device.read({ cdb: (n) => encodeReadTocCdb({ msf: false, format: 0, trackSessionNumber: 0, allocationLength: n }), allocationLength: 4, decode: (b) => decodeTocReply(b, { msf: false }) });
}
async function readCd(rec: DiscRecorder2Ex, lba: number, count: number): Promise<Buffer> {
  const res = await rec.device.run({ cdb: encodeReadCdCdb({ expectedSectorType: 1, dap: false, lba, transferLength: count, sync: false, headerCodes: 0, userData: true, edcEcc: false, c2ErrorInformation: 0, subChannel: 0 }), direction: 'in', dataInLength: 2352 * count });
  return res.dataIn;
}
async function discStatus(rec: DiscRecorder2Ex): Promise<number> {
  return (await rec.device.read({ cdb: (n) => encodeReadDiscInformationCdb({ dataType: 0, allocationLength: n }), allocationLength: 34, decode: decodeDiscInformationReply })).discStatus;
}

export async function burnAndVerifyTwoTracks(rec: DiscRecorder2Ex, tao: DiscFormat2TrackAtOnce): Promise<void> {
  const a = audio(300, 1);
  const b = audio(200, 2);
  await tao.prepareMedia();
  assert.equal(tao.numberOfExistingTracks, 0);
  assert.equal(tao.usedSectorsOnMedia, 0);
  const free = tao.freeSectorsOnMedia;
  assert.ok(free > 300_000, `free sectors ${free}`);
  await assert.rejects(tao.getExpectedTableOfContents(), hr('E_IMAPI_DF2TAO_TABLE_OF_CONTENTS_EMPTY_DISC'));
  const updates: TaoUpdate[] = [];
  tao.on('update', (u) => updates.push(u));
  await tao.addAudioTrack(a);
  await tao.addAudioTrack(Readable.from([b.subarray(0, 1000), b.subarray(1000)]));
  assert.equal(tao.numberOfExistingTracks, 2);
  assert.ok(tao.freeSectorsOnMedia < free - 500);
  assert.deepEqual([...new Set(updates.map((u) => u.currentTrackNumber))], [1, 2]);
  assert.ok(updates.some((u) => u.currentAction === 2 && u.lastWrittenLba === 299), 'a WRITING update after the last sector of track 1');
  const expected = decodeTocReply(await tao.getExpectedTableOfContents(), { msf: false });
  await tao.releaseMedia();
  assert.equal(await discStatus(rec), 2, 'finalized');
  const toc = await readToc(rec);
  assert.deepEqual([toc.firstTrack, toc.lastTrack], [1, 2]);
  assert.equal(toc.tracks[0]!.startLba, 0);
  assert.deepEqual(toc.tracks.slice(0, 2).map((t) => t.control & 4), [0, 0], 'audio tracks');
  assert.deepEqual(expected.tracks.map((t) => [t.trackNumber, t.startLba]), toc.tracks.map((t) => [t.trackNumber, t.startLba]), 'expectedTableOfContents matches the TOC');
  const s2 = toc.tracks[1]!.startLba;
  assert.ok((await readCd(rec, 0, 300)).equals(a), 'track 1 byte for byte');
  assert.ok((await readCd(rec, s2, 200)).equals(b), 'track 2 byte for byte');
}

test('TAO: two audio tracks, finalized; TOC and READ CD read back byte for byte', async () => {
  const { rec, tao } = await setup();
  await burnAndVerifyTwoTracks(rec, tao);
  await rec.close();
});

test('TAO: doNotFinalizeMedia leaves the disc appendable; a second preparation adds track 2', async () => {
  const { rec, tao } = await setup();
  tao.doNotFinalizeMedia = true;
  await tao.prepareMedia();
  assert.throws(() => (tao.doNotFinalizeMedia = false), hr('E_IMAPI_DF2TAO_MEDIA_IS_PREPARED'));
  await tao.addAudioTrack(audio(150, 3));
  // Written to in this preparation: PROPERTY_FOR_BLANK_MEDIA_ONLY (no longer MEDIA_IS_PREPARED).
  assert.throws(() => (tao.doNotFinalizeMedia = false), hr('E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY'));
  await tao.releaseMedia();
  assert.equal(await discStatus(rec), 1, 'appendable');
  tao.doNotFinalizeMedia = false;
  await tao.prepareMedia();
  assert.equal(tao.numberOfExistingTracks, 1);
  // An appendable disc holds tracks already: the property is for blank media only.
  assert.throws(() => (tao.doNotFinalizeMedia = true), hr('E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY'));
  assert.equal(tao.doNotFinalizeMedia, false);
  await tao.addAudioTrack(audio(150, 4));
  await tao.releaseMedia();
  assert.equal(await discStatus(rec), 2);
  await assert.rejects(tao.prepareMedia(), hr('E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK'));
  assert.equal(rec.exclusiveAccessCount, 0);
  await rec.close();
});

test('TAO: setWriteSpeed sends the speed at once (mode page 2Ah shows it); its table\'s codes', async () => {
  await assert.rejects(new DiscFormat2TrackAtOnce().setWriteSpeed(1200), hr('E_IMAPI_RECORDER_REQUIRED'));
  const { rec, tao } = await setup();
  await tao.setWriteSpeed(1200); // 16x, before prepareMedia: the CD-R in the drive says the unit
  const page = await rec.getModePage(0x2a);
  assert.ok(page.kind === 'capabilities' && page.currentWriteSpeedSelected === 2822, `16x is 2822 kB/s (${JSON.stringify(page.kind === 'capabilities' && page.currentWriteSpeedSelected)})`);
  assert.deepEqual([tao.requestedWriteSpeed, tao.currentWriteSpeed], [1200, 1200]);
  await assert.rejects(tao.setWriteSpeed(-7), hr('E_INVALIDARG'));
  await rec.close();
  await assert.rejects(tao.setWriteSpeed(600), hr('HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)'));
  assert.equal(tao.requestedWriteSpeed, 1200);
});

test('TAO: documented misuse gets its exact HRESULT', async () => {
  const bare = new DiscFormat2TrackAtOnce();
  await assert.rejects(bare.prepareMedia(), hr('E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED'));
  const { rec, tao } = await setup();
  tao.clientName = '';
  await assert.rejects(tao.prepareMedia(), hr('E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID'));
  tao.clientName = 'tao test';
  await assert.rejects(tao.addAudioTrack(audio(1, 0)), hr('E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED'));
  await assert.rejects(tao.releaseMedia(), hr('E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED'));
  assert.throws(() => tao.cancelAddTrack(), hr('E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS'));
  assert.throws(() => tao.numberOfExistingTracks, hr('E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED'));
  await tao.prepareMedia();
  await assert.rejects(tao.prepareMedia(), hr('E_IMAPI_DF2TAO_MEDIA_IS_PREPARED'));
  await assert.rejects(tao.addAudioTrack(null as never), hr('E_POINTER'));
  await assert.rejects(tao.addAudioTrack(7 as never), hr('E_INVALIDARG'));
  await assert.rejects(tao.addAudioTrack(Buffer.alloc(2352 + 100)), hr('E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED'));
  await assert.rejects(tao.addAudioTrack(Readable.from([Buffer.alloc(3000)])), hr('E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED'), 'a stream ending inside a sector');
  await assert.rejects(
    tao.addAudioTrack(new Readable({ read() { this.destroy(new Error('disk gone')); } })),
    hr('E_FAIL'),
    'a stream that errors',
  );
  await assert.rejects(tao.addAudioTrack(Buffer.alloc(2352 * 400_000)), hr('E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE'));
  await tao.releaseMedia();
  await rec.close();
  const dvd = await setup('dvd+r');
  await assert.rejects(dvd.tao.prepareMedia(), hr('E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED'));
  assert.equal(dvd.rec.exclusiveAccessCount, 0, 'a failed prepare releases exclusive access');
  await dvd.rec.close();
});

test('TAO: another client holding the drive gets E_IMAPI_RECORDER_LOCKED', async () => {
  const { drive, rec, tao } = await setup();
  const other = new DiscRecorder2Ex({ mcnPollMs: 0 });
  await other.attach(new InProcessTransport(drive));
  await other.acquireExclusiveAccess(false, 'other app');
  await assert.rejects(tao.prepareMedia(), hr('E_IMAPI_RECORDER_LOCKED'));
  await other.close();
  await rec.close();
});

test('TAO: cancelAddTrack from the Update handler ends with E_IMAPI_REQUEST_CANCELLED; releaseMedia unlocks', async () => {
  const { rec, tao } = await setup();
  await tao.prepareMedia();
  let cancelled = false;
  tao.on('update', (u) => {
    if (!cancelled && u.currentAction === 2 && u.lastWrittenLba > 500) {
      tao.cancelAddTrack();
      cancelled = true;
    }
  });
  await assert.rejects(tao.addAudioTrack(audio(3000, 5)), (e: unknown) => e instanceof ImapiError && e.hresultName === 'E_IMAPI_REQUEST_CANCELLED' && e.canceled);
  assert.ok(cancelled);
  await tao.releaseMedia();
  assert.equal(rec.exclusiveAccessCount, 0);
  await rec.close();
});

test('TAO: the 99-track limit is E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED', async () => {
  const { rec, tao } = await setup();
  await tao.prepareMedia();
  const one = audio(4, 9);
  for (let i = 0; i < 99; i++) await tao.addAudioTrack(one);
  assert.equal(tao.numberOfExistingTracks, 99);
  await assert.rejects(tao.addAudioTrack(one), hr('E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED'));
  await tao.releaseMedia();
  await rec.close();
});

test('TAO: a track shorter than 4 seconds is padded with silence to 300 sectors (AddAudioTrack remarks)', async () => {
  const { rec, tao } = await setup();
  await tao.prepareMedia();
  const short = audio(75, 11);
  await tao.addAudioTrack(short);
  await tao.releaseMedia();
  const toc = await readToc(rec);
  assert.equal(toc.tracks.find((t) => t.trackNumber === 0xaa)!.startLba, 300, 'the lead-out follows a 300-sector track');
  const back = await readCd(rec, 0, 300);
  assert.ok(back.subarray(0, short.length).equals(short), 'the samples');
  assert.ok(back.subarray(short.length).every((x) => x === 0), 'then silence');
  await rec.close();
});

test('TAO: during a track, doNotFinalizeMedia and expectedTableOfContents are WRITE_IN_PROGRESS; cancel while closing the track is E_FAIL', async () => {
  const { rec, tao } = await setup();
  await tao.prepareMedia();
  const seen: string[] = [];
  tao.on('update', (u) => {
    if (u.currentAction === 2 && !seen.includes('writing')) {
      seen.push('writing');
      assert.throws(() => (tao.doNotFinalizeMedia = true), hr('E_IMAPI_DF2TAO_WRITE_IN_PROGRESS'));
      void assert.rejects(tao.getExpectedTableOfContents(), hr('E_IMAPI_DF2TAO_WRITE_IN_PROGRESS')).then(() => seen.push('toc'));
    }
    if (u.currentAction === 3 && !seen.includes('finishing')) {
      seen.push('finishing');
      assert.throws(() => tao.cancelAddTrack(), hr('E_FAIL'));
    }
  });
  await tao.addAudioTrack(audio(300, 12));
  assert.deepEqual([...seen].sort(), ['finishing', 'toc', 'writing'], 'each check ran');
  assert.equal(tao.doNotFinalizeMedia, false);
  await tao.releaseMedia();
  await rec.close();
});
