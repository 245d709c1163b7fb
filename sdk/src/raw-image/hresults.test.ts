import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { RawCDImageCreator } from './raw-cd-image-creator.js';
import { CdSectorType, RawImageType } from './types.js';
import { ImapiError } from '../errors/imapi-error.js';
import { hresultValue, type HResultName } from '../errors/hresult.js';

const pcm = (sectors: number) => Buffer.alloc(sectors * 2352);
const is = (name: HResultName) => (e: unknown) => {
  assert.ok(e instanceof ImapiError, `expected ImapiError ${name}, got ${String(e)}`);
  assert.equal(e.hresultName, name);
  assert.equal(e.hresult, hresultValue(name));
  return true;
};

test('E_IMAPI_RAW_IMAGE_IS_READ_ONLY (0x80AA0A00) after createResultImage, on the creator and on its tracks', () => {
  const img = new RawCDImageCreator();
  const n = img.addTrack(CdSectorType.AUDIO, pcm(300));
  const r = img.createResultImage();
  r.destroy();
  assert.equal(hresultValue('E_IMAPI_RAW_IMAGE_IS_READ_ONLY'), 0x80aa0a00);
  assert.throws(() => img.addTrack(CdSectorType.AUDIO, pcm(300)), is('E_IMAPI_RAW_IMAGE_IS_READ_ONLY'));
  assert.throws(() => img.addSpecialPregap(pcm(150)), is('E_IMAPI_RAW_IMAGE_IS_READ_ONLY'));
  assert.throws(() => img.addSubcodeRWGenerator(Buffer.alloc(96)), is('E_IMAPI_RAW_IMAGE_IS_READ_ONLY'));
  assert.throws(() => { img.resultingImageType = RawImageType.SUBCODE_IS_COOKED; }, is('E_IMAPI_RAW_IMAGE_IS_READ_ONLY'));
  assert.throws(() => { img.mediaCatalogNumber = '0000000000000'; }, is('E_IMAPI_RAW_IMAGE_IS_READ_ONLY'));
  assert.throws(() => { img.startOfLeadoutLimit = 1000; }, is('E_IMAPI_RAW_IMAGE_IS_READ_ONLY'));
  assert.throws(() => { img.disableGaplessAudio = true; }, is('E_IMAPI_RAW_IMAGE_IS_READ_ONLY'));
  assert.throws(() => { img.startingTrackNumber = 2; }, is('E_IMAPI_RAW_IMAGE_IS_READ_ONLY'));
  const t = img.trackInfo(n);
  assert.throws(() => { t.ISRC = 'USRC17607839'; }, is('E_IMAPI_RAW_IMAGE_IS_READ_ONLY'));
  assert.throws(() => t.addTrackIndex(100), is('E_IMAPI_RAW_IMAGE_IS_READ_ONLY'));
  assert.throws(() => t.clearTrackIndex(100), is('E_IMAPI_RAW_IMAGE_IS_READ_ONLY'));
  assert.throws(() => { t.audioHasPreemphasis = true; }, is('E_IMAPI_RAW_IMAGE_IS_READ_ONLY'));
  assert.throws(() => { t.digitalAudioCopySetting = 1; }, is('E_IMAPI_RAW_IMAGE_IS_READ_ONLY'));
  // Reading still works.
  assert.equal(img.startOfLeadout, 300);
});

test('E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS (0x80AA0A01) past track 99', () => {
  const img = new RawCDImageCreator();
  img.startingTrackNumber = 98;
  assert.equal(img.addTrack(CdSectorType.AUDIO, pcm(300)), 98);
  assert.equal(img.addTrack(CdSectorType.AUDIO, pcm(300)), 99);
  assert.throws(() => img.addTrack(CdSectorType.AUDIO, pcm(300)), is('E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS'));
  assert.equal(img.numberOfExistingTracks, 2);
  // And 99 tracks from 1 (one shared 300-sector buffer; sizes only).
  const all = new RawCDImageCreator();
  const b = pcm(300);
  for (let i = 1; i <= 99; i++) assert.equal(all.addTrack(CdSectorType.AUDIO, b), i);
  assert.throws(() => all.addTrack(CdSectorType.AUDIO, b), is('E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS'));
});

test('E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED (0x80AA0A02): other sector types, R-W with a PQ-only image', () => {
  const img = new RawCDImageCreator();
  for (const t of [CdSectorType.MODE_ZERO, CdSectorType.MODE2FORM0, CdSectorType.MODE2FORM1, CdSectorType.MODE2FORM2, CdSectorType.MODE1RAW, CdSectorType.MODE2FORM0RAW, CdSectorType.MODE2FORM1RAW, CdSectorType.MODE2FORM2RAW]) {
    assert.throws(() => img.addTrack(t, pcm(300)), is('E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED'));
  }
  img.resultingImageType = RawImageType.SUBCODE_PQ_ONLY;
  assert.throws(() => img.addSubcodeRWGenerator(Buffer.alloc(96)), is('E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED'));
  const img2 = new RawCDImageCreator();
  img2.addSubcodeRWGenerator(Buffer.alloc(96));
  assert.throws(() => { img2.resultingImageType = RawImageType.SUBCODE_PQ_ONLY; }, is('E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED'));
});

test('E_IMAPI_RAW_IMAGE_NO_TRACKS (0x80AA0A03) before the first track', () => {
  const img = new RawCDImageCreator();
  assert.throws(() => img.createResultImage(), is('E_IMAPI_RAW_IMAGE_NO_TRACKS'));
  assert.throws(() => img.startOfLeadout, is('E_IMAPI_RAW_IMAGE_NO_TRACKS'));
  assert.throws(() => img.lastUsedUserSectorInImage, is('E_IMAPI_RAW_IMAGE_NO_TRACKS'));
  assert.throws(() => img.expectedTableOfContents, is('E_IMAPI_RAW_IMAGE_NO_TRACKS'));
});

test('E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED (0x80AA0A04): special pre-gap and starting track number after a track', () => {
  const img = new RawCDImageCreator();
  img.addSpecialPregap(pcm(150));
  img.startingTrackNumber = 5;
  img.addTrack(CdSectorType.AUDIO, pcm(300));
  assert.throws(() => img.addSpecialPregap(pcm(150)), is('E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED'));
  assert.throws(() => { img.startingTrackNumber = 1; }, is('E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED'));
  assert.equal(img.trackInfo(5).trackNumber, 5);
});

test('E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE (0x80AA0A05) past startOfLeadoutLimit and past LBA 398100', () => {
  const img = new RawCDImageCreator();
  img.startOfLeadoutLimit = 700;
  img.addTrack(CdSectorType.AUDIO, pcm(400));
  assert.throws(() => img.addTrack(CdSectorType.AUDIO, pcm(301)), is('E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE'));
  img.addTrack(CdSectorType.AUDIO, pcm(300)); // exactly at the limit
  assert.equal(img.startOfLeadout, 700);
  assert.throws(() => { img.disableGaplessAudio = true; }, is('E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE'));
  assert.equal(img.disableGaplessAudio, false);
  assert.throws(() => { img.startOfLeadoutLimit = 699; }, is('E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE'));
  assert.throws(() => { img.startOfLeadoutLimit = 398100; }, is('E_INVALIDARG'));
  // Without a limit, the lead-out may start at 398100 at most (the AddTrack page: last sector 88:29:74).
  const big = new RawCDImageCreator();
  big.addTrack(CdSectorType.AUDIO, { size: 398100 * 2352, open: () => Readable.from([]) });
  assert.equal(big.lastUsedUserSectorInImage, 398099);
  assert.throws(() => big.addTrack(CdSectorType.AUDIO, pcm(300)), is('E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE'));
});

test('track indexes: TOO_MANY (98 added), NOT_FOUND, ALREADY_EXISTS (success code), OFFSET_ZERO, TOO_CLOSE (10 sectors)', () => {
  const img = new RawCDImageCreator();
  const t = img.trackInfo(img.addTrack(CdSectorType.AUDIO, pcm(1000)));
  assert.deepEqual(t.trackIndexes, [0]);
  assert.equal(t.addTrackIndex(0), hresultValue('S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS'));
  assert.equal(t.addTrackIndex(10), 0);
  assert.equal(t.addTrackIndex(10), 0x00aa0a08);
  assert.throws(() => t.addTrackIndex(19), is('E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX'));
  assert.throws(() => t.addTrackIndex(5), is('E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX'));
  assert.throws(() => t.addTrackIndex(991), is('E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX')); // 9 sectors to the end
  assert.equal(t.addTrackIndex(990), 0);
  assert.throws(() => t.clearTrackIndex(0), is('E_IMAPI_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED'));
  assert.throws(() => t.clearTrackIndex(11), is('E_IMAPI_RAW_IMAGE_TRACK_INDEX_NOT_FOUND'));
  t.clearTrackIndex(990);
  assert.deepEqual(t.trackIndexes, [0, 10]);
  assert.throws(() => t.addTrackIndex(1000), is('E_INVALIDARG'));
  assert.throws(() => t.addTrackIndex(-1), is('E_INVALIDARG'));
  for (let o = 20; o <= 980; o += 10) t.addTrackIndex(o);
  assert.equal(t.trackIndexes.length, 99); // INDEX 01..99: offset 0 plus 98 added
  assert.throws(() => t.addTrackIndex(985), is('E_IMAPI_RAW_IMAGE_TOO_MANY_TRACK_INDEXES'));
  assert.equal(t.addTrackIndex(500), hresultValue('S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS'));
});

test('bad arguments: null sources are E_POINTER, unusable values E_INVALIDARG (ImapiError)', () => {
  const img = new RawCDImageCreator();
  assert.throws(() => img.addTrack(CdSectorType.AUDIO, null as never), is('E_POINTER'));
  assert.throws(() => img.addTrack(CdSectorType.AUDIO, undefined as never), is('E_POINTER'));
  assert.throws(() => img.addSpecialPregap(null as never), is('E_POINTER'));
  assert.throws(() => img.addSubcodeRWGenerator(null as never), is('E_POINTER'));
  assert.throws(() => img.addTrack(CdSectorType.AUDIO, Readable.from([pcm(300)]) as never), is('E_INVALIDARG'));
  assert.throws(() => img.addTrack(CdSectorType.AUDIO, 42 as never), is('E_INVALIDARG'));
  assert.throws(() => img.addTrack(CdSectorType.AUDIO, '/nonexistent/track.pcm'), is('E_INVALIDARG'));
  assert.throws(() => img.addTrack(CdSectorType.AUDIO, pcm(299)), is('E_INVALIDARG')); // under 4 s
  assert.throws(() => img.addTrack(12 as never, pcm(300)), is('E_INVALIDARG'));
  assert.throws(() => img.addSpecialPregap(pcm(149)), is('E_INVALIDARG'));
  assert.throws(() => { img.resultingImageType = 4 as never; }, is('E_INVALIDARG'));
  assert.throws(() => { img.mediaCatalogNumber = '123'; }, is('E_INVALIDARG'));
  assert.throws(() => { img.startingTrackNumber = 0; }, is('E_INVALIDARG'));
  assert.throws(() => { img.startingTrackNumber = 100; }, is('E_INVALIDARG'));
  assert.throws(() => img.trackInfo(1), is('E_INVALIDARG'));
  const n = img.addTrack(CdSectorType.MODE1, Buffer.alloc(300 * 2048));
  assert.throws(() => { img.trackInfo(n).ISRC = 'USRC17607839'; }, is('E_INVALIDARG')); // data track
  const m = img.addTrack(CdSectorType.AUDIO, pcm(300));
  assert.throws(() => { img.trackInfo(m).ISRC = 'not an isrc'; }, is('E_INVALIDARG'));
  img.addSubcodeRWGenerator(Buffer.alloc(96)); // wrong size: found when the image is created
  assert.throws(() => img.createResultImage(), is('E_INVALIDARG'));
});
