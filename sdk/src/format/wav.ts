/**
 * WAV input for audio tracks: RIFF/WAVE with a PCM `fmt ` chunk (format tag 1) of 2 channels,
 * 44 100 Hz, 16 bits — the CD-DA sample format (Red Book: 2352-byte sectors of 588 little-endian
 * stereo sample frames). Anything else is refused with a message saying what the file is. The `data`
 * chunk is streamed from the file (never read whole) and zero-padded to a whole sector.
 *
 *   const w = await parseWav('track1.wav');
 *   await tao.addAudioTrack(wavSectorStream(w));          // DiscFormat2TrackAtOnce
 *   creator.addTrack(CdSectorType.AUDIO, wavTrackSource(w)); // RawCDImageCreator → DiscFormat2RawCD
 *
 * A file that is not CD audio is a WavError: an ImapiError E_INVALIDARG whose message says what the
 * file is.
 *
 * Layout (Microsoft RIFF, "Multimedia Programming Interface and Data Specifications 1.0"):
 *   0  "RIFF"  4  u32le size  8  "WAVE"  then chunks: 4-byte id, u32le size, data, pad byte if odd.
 *   fmt : u16le formatTag, u16le channels, u32le sampleRate, u32le byteRate, u16le blockAlign, u16le bits.
 */
import { open } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { ImapiError } from '../errors/imapi-error.js';

const CD_SECTOR_BYTES = 2352;

export interface WavAudio {
  readonly path: string;
  /** Byte offset and length of the PCM data in the file. */
  readonly dataOffset: number;
  readonly dataBytes: number;
  /** Length once padded to whole sectors. */
  readonly paddedBytes: number;
  readonly sectors: number;
}

export class WavError extends ImapiError {
  constructor(message: string) {
    super('E_INVALIDARG', message);
    this.name = 'WavError';
  }
}

/** Bounds-checked little-endian reads over a header buffer. */
class LeReader {
  constructor(private readonly b: Buffer, private readonly what: string) {}
  need(off: number, len: number): void {
    if (off < 0 || off + len > this.b.length) throw new WavError(`${this.what}: truncated (needs byte ${off + len - 1}, has ${this.b.length})`);
  }
  ascii(off: number, len: number): string {
    this.need(off, len);
    return this.b.toString('latin1', off, off + len);
  }
  u16(off: number): number {
    this.need(off, 2);
    return this.b.readUInt16LE(off);
  }
  u32(off: number): number {
    this.need(off, 4);
    return this.b.readUInt32LE(off);
  }
}

/** Parses the headers of `path` (reads only the chunk headers). */
export async function parseWav(path: string): Promise<WavAudio> {
  const fh = await open(path, 'r').catch((e: Error) => {
    throw new WavError(`${path}: ${e.message}`);
  });
  try {
    const size = (await fh.stat()).size;
    const head = Buffer.alloc(12);
    await fh.read(head, 0, 12, 0);
    const r = new LeReader(head, path);
    if (r.ascii(0, 4) !== 'RIFF' || r.ascii(8, 4) !== 'WAVE') throw new WavError(`${path}: not a RIFF/WAVE file`);
    let off = 12;
    let fmtOk = false;
    while (off + 8 <= size) {
      const ch = Buffer.alloc(24);
      const { bytesRead } = await fh.read(ch, 0, 24, off);
      const c = new LeReader(ch.subarray(0, bytesRead), path);
      const id = c.ascii(0, 4);
      const len = c.u32(4);
      if (id === 'fmt ') {
        if (len < 16) throw new WavError(`${path}: fmt chunk of ${len} bytes is too short`);
        const tag = c.u16(8);
        const channels = c.u16(10);
        const rate = c.u32(12);
        const bits = c.u16(22);
        // WAVE_FORMAT_EXTENSIBLE (FFFEh) with PCM data is common for the same samples; accept it.
        if (tag !== 1 && tag !== 0xfffe) throw new WavError(`${path}: format tag ${tag} is not PCM; CD audio needs 16-bit 44.1 kHz stereo PCM`);
        if (channels !== 2 || rate !== 44100 || bits !== 16) {
          throw new WavError(`${path}: ${bits}-bit ${rate} Hz ${channels}-channel audio; CD audio needs 16-bit 44100 Hz stereo (convert it first, e.g. sox in.wav -b 16 -r 44100 -c 2 out.wav)`);
        }
        fmtOk = true;
      } else if (id === 'data') {
        if (!fmtOk) throw new WavError(`${path}: data chunk before the fmt chunk`);
        const dataBytes = Math.min(len, size - off - 8);
        if (dataBytes % 4 !== 0) throw new WavError(`${path}: data chunk of ${dataBytes} bytes is not whole stereo frames`);
        if (dataBytes === 0) throw new WavError(`${path}: no audio samples`);
        const sectors = Math.ceil(dataBytes / CD_SECTOR_BYTES);
        return { path, dataOffset: off + 8, dataBytes, paddedBytes: sectors * CD_SECTOR_BYTES, sectors };
      }
      off += 8 + len + (len & 1);
    }
    throw new WavError(`${path}: no ${fmtOk ? 'data' : 'fmt'} chunk`);
  } finally {
    await fh.close();
  }
}

/** The PCM samples of `wav`, zero-padded to a whole sector, as a stream read from the file. */
export function wavSectorStream(wav: WavAudio): Readable {
  const pad = wav.paddedBytes - wav.dataBytes;
  const file = createReadStream(wav.path, { start: wav.dataOffset, end: wav.dataOffset + wav.dataBytes - 1, highWaterMark: 1 << 20 });
  return Readable.from(
    (async function* () {
      for await (const chunk of file) yield chunk as Buffer;
      if (pad > 0) yield Buffer.alloc(pad);
    })(),
    { objectMode: false },
  );
}

/** A RawCDImageCreator track source for `wav` (its padded size; re-readable for each createResultImage). */
export function wavTrackSource(wav: WavAudio): { readonly size: number; open(): Readable } {
  return { size: wav.paddedBytes, open: () => wavSectorStream(wav) };
}
