/**
 * `burn --verify`: reads the disc back and compares it with the input, chunk by chunk (never the
 * whole image in memory). Data: READ(10) from the write's start. Audio: READ CD (CD-DA, user data)
 * from each track's start in the TOC. Raw: READ CD of the program area with sync, all headers, user
 * data and EDC/ECC (2352 bytes for every sector type, MMC-6 Table 520) against the image's main
 * channel, the image's sector i being LBA −22650 + i (MSF 95:00:00); in a data track the image may hold
 * a sector scrambled (as it lies on the disc: RawCDImageCreator's images do) while READ CD returns it
 * descrambled, so a data sector matches as it is or descrambled. Each READ asks for as many sectors
 * as the path to the drive carries in one command (track-writer.ts `sectorsPerTransfer`).
 */
import type { DiscRecorder2Ex } from '../recorder/disc-recorder2-ex.js';
import { ImapiError } from '../errors/imapi-error.js';
import { SectorSource } from '../format/source.js';
import { encodeRead10Cdb } from '../scsi/commands/read-10.js';
import { encodeReadCdCdb } from '../scsi/commands/read-cd.js';
import { encodeReadTocCdb, decodeTocReply, LEAD_OUT_TRACK } from '../scsi/commands/read-toc-pma-atip.js';
import { RAW_IMAGE_START_LBA } from '../wire/msf.js';
import { scrambleSector } from '../wire/cd-sector.js';
import { wavSectorStream, type WavAudio } from '../format/wav.js';
import { sectorsPerTransfer } from '../format/track-writer.js';

/** Sectors per READ of `sectorBytes`-byte sectors on this recorder's path. */
function chunk(rec: DiscRecorder2Ex, sectorBytes: number): number {
  return sectorsPerTransfer(rec.device.transport.adapter, sectorBytes);
}

function mismatch(what: string, lba: number): ImapiError {
  return new ImapiError('E_FAIL', `E_FAIL: verify: ${what} differs from the input at LBA ${lba}`);
}

async function readCd(rec: DiscRecorder2Ex, lba: number, n: number, audio: boolean): Promise<Buffer> {
  const cdb = audio
    ? encodeReadCdCdb({ expectedSectorType: 1, dap: false, lba, transferLength: n, sync: false, headerCodes: 0, userData: true, edcEcc: false, c2ErrorInformation: 0, subChannel: 0 })
    : encodeReadCdCdb({ expectedSectorType: 0, dap: false, lba, transferLength: n, sync: true, headerCodes: 3, userData: true, edcEcc: true, c2ErrorInformation: 0, subChannel: 0 });
  return (await rec.device.run({ cdb, direction: 'in', dataInLength: n * 2352 })).dataIn;
}

async function toc(rec: DiscRecorder2Ex) {
  return rec.device.read({ cdb: (n) => encodeReadTocCdb({ msf: false, format: 0, trackSessionNumber: 0, allocationLength: n }), allocationLength: 4, decode: (b) => decodeTocReply(b, { msf: false }) });
}

export async function verifyData(rec: DiscRecorder2Ex, path: string, startLba: number): Promise<void> {
  const src = await SectorSource.open(path);
  try {
    const per = chunk(rec, 2048);
    for (let lba = startLba; ; lba += per) {
      const want = await src.readSectors(per, 2048);
      if (want.length === 0) return;
      const n = want.length / 2048;
      const got = (await rec.device.run({ cdb: encodeRead10Cdb({ lba, transferLength: n }), direction: 'in', dataInLength: want.length })).dataIn;
      if (!got.equals(want)) throw mismatch('data', lba);
    }
  } finally {
    await src.close();
  }
}

export async function verifyAudio(rec: DiscRecorder2Ex, wavs: readonly WavAudio[], firstTrack: number): Promise<void> {
  const t = await toc(rec);
  for (const [i, w] of wavs.entries()) {
    const start = t.tracks.find((d) => d.trackNumber === firstTrack + i)?.startLba;
    if (start === undefined) throw new ImapiError('E_FAIL', `E_FAIL: verify: track ${firstTrack + i} is not in the TOC`);
    const src = await SectorSource.open(wavSectorStream(w));
    try {
      const per = chunk(rec, 2352);
      for (let lba = start; ; lba += per) {
        const want = await src.readSectors(per, 2352);
        if (want.length === 0) break;
        if (!(await readCd(rec, lba, want.length / 2352, true)).equals(want)) throw mismatch(`track ${firstTrack + i}`, lba);
      }
    } finally {
      await src.close();
    }
  }
}

export async function verifyRaw(rec: DiscRecorder2Ex, path: string, sectorBytes: number): Promise<void> {
  const t = await toc(rec);
  const leadOut = t.tracks.find((d) => d.trackNumber === LEAD_OUT_TRACK)?.startLba ?? 0;
  const audioFrom = new Map(t.tracks.filter((d) => d.trackNumber !== LEAD_OUT_TRACK).map((d) => [d.startLba, (d.control & 4) === 0]));
  const src = await SectorSource.open(path);
  try {
    await src.skip((0 - RAW_IMAGE_START_LBA) * sectorBytes);
    const starts = [...audioFrom.keys()].sort((a, b) => a - b);
    const per = chunk(rec, 2352);
    for (let lba = 0; lba < leadOut; ) {
      const next = starts.find((x) => x > lba) ?? leadOut;
      const n = Math.min(per, leadOut - lba, next - lba);
      const audio = audioFrom.get(starts.filter((x) => x <= lba).at(-1) ?? 0) ?? true;
      const block = await src.readSectors(n, sectorBytes);
      if (block.length < n * sectorBytes) throw new ImapiError('E_FAIL', 'E_FAIL: verify: the image ends before the lead-out');
      const got = await readCd(rec, lba, n, audio);
      for (let i = 0; i < n; i++) {
        const disc = got.subarray(i * 2352, (i + 1) * 2352);
        const image = block.subarray(i * sectorBytes, i * sectorBytes + 2352);
        if (!disc.equals(image) && (audio || !disc.equals(scrambleSector(Buffer.from(image))))) throw mismatch('main channel', lba + i);
      }
      lba += n;
    }
  } finally {
    await src.close();
  }
}
