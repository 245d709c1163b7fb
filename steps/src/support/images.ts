/**
 * Disc images for the suite and their read-back through the SDK: raw DAO-96 images built with the SDK's
 * RawCDImageCreator, a closed data session burned with plain MMC commands (TAO mode 1), and byte-for-
 * byte comparisons of what the drive returns (READ TOC format 0/2, READ CD main channel + raw P-W).
 */
import assert from 'node:assert/strict';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  RAW_IMAGE_START_LBA,
  type DiscRecorder2,
  encodeModeSelect10Cdb,
  encodeModeSelect10Parameters,
  decodeModeSense10Reply,
  encodeModeSense10Cdb,
  PageControl,
  WriteType,
  DataBlockType,
  MultiSession,
  writeParametersPage,
  encodeReadTrackInformationCdb,
  decodeTrackInformationReply,
  encodeWrite10Cdb,
  encodeSynchronizeCache10Cdb,
  encodeCloseTrackSessionCdb,
  CloseFunction,
  encodeReadTocCdb,
  decodeTocReply,
  decodeFullTocReply,
  encodeReadCdCdb,
  type WriteParametersPage,
} from '@openimapi/sdk';

export interface RawImage {
  path: string;
  sectors: number;
  bytes: number;
  sectorBytes: number;
}


/** Generated CD-DA samples for a track of `seconds` (deterministic per track). */
export function audio(seconds: number, seed: number): Buffer {
  const b = Buffer.alloc(seconds * 75 * 2352);
  for (let i = 0; i < b.length; i += 4) b.writeUInt32LE(((i * 2654435761) ^ (seed * 0x9e3779b9)) >>> 0, i);
  return b;
}

let cacheDir: string | undefined;
const cached = new Map<string, Promise<RawImage>>();

/**
 * The same image as buildRawImage, built once per worker process and shared by its scenarios (they
 * only read it): images are the slowest thing to set up.
 */
export function cachedRawImage(trackSeconds: readonly number[]): Promise<RawImage> {
  const key = trackSeconds.join('-');
  let p = cached.get(key);
  if (!p) {
    if (!cacheDir) {
      const dir = mkdtempSync(join(tmpdir(), 'openimapi-images-'));
      cacheDir = dir;
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    }
    p = buildRawImage(cacheDir, trackSeconds);
    cached.set(key, p);
  }
  return p;
}

/** A raw DAO-96 image (raw P-W, 2448-byte sectors, first sector at MSF 95:00:00) of audio tracks. */
export async function buildRawImage(dir: string, trackSeconds: readonly number[]): Promise<RawImage> {
  const sdk: Record<string, any> = await import('@openimapi/sdk');
  const Creator = sdk.RawCDImageCreator;
  assert.ok(typeof Creator === 'function', 'the SDK exports no RawCDImageCreator');
  const c = new Creator();
  c.resultingImageType = 3;
  trackSeconds.forEach((s, i) => c.addTrack(0, audio(s, i + 1)));
  const path = join(dir, `image-${trackSeconds.join('-')}.bin`);
  const result = await c.createResultImage();
  await pipeline(result, createWriteStream(path));
  const fh = await open(path, 'r');
  const { size } = await fh.stat();
  await fh.close();
  assert.equal(size % 2448, 0, 'the image is whole 2448-byte sectors');
  return { path, sectors: size / 2448, bytes: size, sectorBytes: 2448 };
}

async function imageSector(image: RawImage, lba: number): Promise<Buffer> {
  const fh = await open(image.path, 'r');
  try {
    const b = Buffer.alloc(image.sectorBytes);
    await fh.read(b, 0, b.length, (lba - RAW_IMAGE_START_LBA) * image.sectorBytes);
    return b;
  } finally {
    await fh.close();
  }
}

/**
 * The disc matches the image: READ CD of `sectors` (main channel + raw P-W) equals the image's sector
 * for that LBA, and (unless `toc: false`) the drive's full TOC has the points the image's lead-in
 * carries: A0/A1/A2 and a track point per track.
 */
export async function readBackMatches(rec: DiscRecorder2, image: RawImage, opts: { sectors?: number[]; toc?: boolean } = {}): Promise<void> {
  const dev = rec.device;
  const toc = await dev.read({ cdb: (n) => encodeReadTocCdb({ msf: false, format: 0, trackSessionNumber: 0, allocationLength: n }), allocationLength: 4, decode: (b) => decodeTocReply(b, { msf: false }) });
  const leadOut = toc.tracks.find((t) => t.trackNumber === 0xaa)!.startLba;
  const sectors = opts.sectors ?? [-150, 0, 1, ...toc.tracks.filter((t) => t.trackNumber !== 0xaa).map((t) => t.startLba), leadOut - 1];
  for (const lba of sectors) {
    const res = await dev.run({
      cdb: encodeReadCdCdb({ expectedSectorType: 0, dap: false, lba, transferLength: 1, sync: true, headerCodes: 3, userData: true, edcEcc: true, c2ErrorInformation: 0, subChannel: 1 }),
      direction: 'in',
      dataInLength: 2448,
    });
    const want = await imageSector(image, lba);
    assert.ok(res.dataIn.subarray(0, 2352).equals(want.subarray(0, 2352)), `main channel of LBA ${lba} differs from the image`);
    assert.ok(res.dataIn.subarray(2352, 2448).equals(want.subarray(2352, 2448)), `P-W sub-channel of LBA ${lba} differs from the image`);
  }
  if (opts.toc === false) return;
  const full = await dev.read({ cdb: (n) => encodeReadTocCdb({ msf: true, format: 2, trackSessionNumber: 1, allocationLength: n }), allocationLength: 4, decode: decodeFullTocReply });
  const points = new Set(full.entries.map((e) => e.point));
  for (const p of [0xa0, 0xa1, 0xa2, ...toc.tracks.filter((t) => t.trackNumber !== 0xaa).map((t) => t.trackNumber)]) assert.ok(points.has(p), `full TOC lacks point ${p.toString(16)}`);
  const a2 = full.entries.find((e) => e.point === 0xa2)!;
  assert.equal(a2.pmin * 4500 + a2.psec * 75 + a2.pframe - 150, leadOut, 'A2 (lead-out start) agrees with the formatted TOC');
}

/** MODE SELECT of page 05h for track-at-once writing with these fields (plain MMC commands). */
async function selectTao(rec: DiscRecorder2, fields: Partial<WriteParametersPage>): Promise<void> {
  const dev = rec.device;
  const sense = await dev.read({ cdb: (n) => encodeModeSense10Cdb({ llbaa: false, dbd: true, pageControl: PageControl.CURRENT, pageCode: 5, subpageCode: 0, allocationLength: n }), allocationLength: 64, decode: decodeModeSense10Reply });
  const cur = sense.pages.find((p): p is WriteParametersPage => p.kind === 'writeParameters') ?? writeParametersPage();
  const page: WriteParametersPage = { ...cur, ps: false, writeType: WriteType.TRACK_AT_ONCE, testWrite: false, ...fields };
  const params = encodeModeSelect10Parameters({ mediumType: 0, deviceSpecificParameter: 0, longLba: false, blockDescriptors: Buffer.alloc(0), pages: [page] });
  await dev.write(encodeModeSelect10Cdb({ pf: true, sp: false, parameterListLength: params.length }), params);
}

/** One track of `blocks` blocks of `blockBytes` at the invisible track's NWA, flushed and closed. */
async function writeClosedTrack(rec: DiscRecorder2, blocks: number, blockBytes: number, fill: number): Promise<void> {
  const dev = rec.device;
  const ti = await dev.read({ cdb: (n) => encodeReadTrackInformationCdb({ open: false, addressType: 1, address: 0xff, allocationLength: n }), allocationLength: 48, decode: decodeTrackInformationReply });
  assert.ok(ti.nwaValid, 'the disc has a next writable address');
  await dev.write(encodeWrite10Cdb({ lba: ti.nextWritableAddress, transferLength: blocks }), Buffer.alloc(blocks * blockBytes, fill));
  await dev.exec(encodeSynchronizeCache10Cdb({ immed: false, lba: 0, numberOfBlocks: 0 }));
  await dev.exec(encodeCloseTrackSessionCdb({ immed: false, closeFunction: CloseFunction.CLOSE_TRACK, trackNumber: ti.trackNumber }));
}

/** Burns and closes one TAO mode-1 data track of 300 blocks with plain MMC commands. */
export async function burnClosedSession(rec: DiscRecorder2): Promise<void> {
  await selectTao(rec, { dataBlockType: DataBlockType.MODE_1, trackMode: 4, multiSession: MultiSession.NO_NEXT_SESSION });
  await writeClosedTrack(rec, 300, 2048, 0x5a);
  await rec.device.exec(encodeCloseTrackSessionCdb({ immed: false, closeFunction: CloseFunction.CLOSE_SESSION, trackNumber: 0 }));
}

/**
 * Writes `count` short audio tracks (one sector each) with plain MMC commands, leaving the session
 * open: a disc that already holds that many tracks, made in a fraction of what 4-second tracks take.
 */
export async function burnOpenAudioTracks(rec: DiscRecorder2, count: number): Promise<void> {
  await selectTao(rec, { dataBlockType: DataBlockType.RAW, trackMode: 0, multiSession: MultiSession.NEXT_SESSION_ALLOWED });
  for (let i = 0; i < count; i++) await writeClosedTrack(rec, 1, 2352, i + 1);
}

/** Each track reads back (READ CD, CD-DA 2352) as the samples written. */
export async function readTracksBack(rec: DiscRecorder2, tracks: readonly Buffer[]): Promise<void> {
  const dev = rec.device;
  const toc = await dev.read({ cdb: (n) => encodeReadTocCdb({ msf: false, format: 0, trackSessionNumber: 0, allocationLength: n }), allocationLength: 4, decode: (b) => decodeTocReply(b, { msf: false }) });
  const audioTracks = toc.tracks.filter((t) => t.trackNumber !== 0xaa);
  assert.equal(audioTracks.length, tracks.length, 'tracks on the disc');
  for (const [i, t] of audioTracks.entries()) {
    const data = tracks[i]!;
    const blocks = data.length / 2352;
    for (let off = 0; off < blocks; off += 27) {
      const n = Math.min(27, blocks - off);
      const res = await dev.run({ cdb: encodeReadCdCdb({ expectedSectorType: 1, dap: false, lba: t.startLba + off, transferLength: n, sync: false, headerCodes: 0, userData: true, edcEcc: false, c2ErrorInformation: 0, subChannel: 0 }), direction: 'in', dataInLength: n * 2352 });
      assert.ok(res.dataIn.equals(data.subarray(off * 2352, (off + n) * 2352)), `track ${i + 1} blocks ${off}..${off + n - 1} differ`);
    }
  }
}
