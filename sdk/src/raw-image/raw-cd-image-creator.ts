/**
 * RawCDImageCreator (IRawCDImageCreator): builds a DAO-96 raw image for DiscFormat2RawCD from audio
 * (and mode 1 data) tracks, streamed with backpressure so a 700 MB image never sits whole in memory.
 *
 *   const img = new RawCDImageCreator();
 *   img.resultingImageType = RawImageType.SUBCODE_IS_RAW;      // 2448-byte sectors (default)
 *   img.mediaCatalogNumber = '0123456789012';
 *   const n = img.addTrack(CdSectorType.AUDIO, 'track1.pcm');   // or a Buffer, { size, stream }, { size, open }
 *   img.trackInfo(n).ISRC = 'USRC17607839';
 *   img.createResultImage().pipe(fs.createWriteStream('disc.bin'));
 *
 * The image's first sector is MSF 95:00:00 (LBA −22650), then the lead-in (TOC in the Q sub-channel),
 * track 1's pre-gap, the tracks and a 6750-sector lead-out; layout.ts says where each sector goes and
 * what its sub-channel holds. Sectors are 2352 bytes of main channel followed by the sub-channel in the
 * chosen form: 16 bytes of formatted Q (PQ only), or 96 bytes of P-W with R-W packed (cooked) or raw.
 *
 * Data sectors are scrambled. DiscFormat2RawCD writes the image in a raw data block type (mode page
 * 05h types 1–3), in which the drive records the 2352-byte main channel exactly as sent; on the disc a
 * data sector is scrambled (ECMA-130 §15, Annex B), so the image carries it scrambled, as cdrecord,
 * cdrdao and libburn send raw data sectors. Every data sector of the image is built as a logical mode 1
 * sector (sync, header with its own MSF, user data, EDC, ECC) and then scrambled (bytes 12–2351, see
 * wire/cd-sector.ts `scrambleSector`): a data track's sectors, its pre-gap, and the lead-in and lead-out
 * of a disc whose first / last track is data. Audio sectors are PCM as given. A drive reading the disc
 * back (READ CD, READ(10)) descrambles: it returns the logical sectors and the track's user data.
 * The special pre-gap's sectors are taken as logical sectors too: when track 1 is data, those that
 * begin with the sync pattern are scrambled.
 *
 * Return codes: E_IMAPI_RAW_IMAGE_* exactly as IMAPI2 names them, thrown as ImapiError; S_ codes are
 * returned. Choices the IMAPI2 docs leave open, documented here:
 *   - A null source is E_POINTER; a value that is no usable source (a Readable without a size, a file
 *     that cannot be stat'ed, a bad size), a bad property value or a track index out of range is
 *     E_INVALIDARG (an ImapiError, so the conformance suite can assert it, not a TypeError).
 *   - addTrack accepts AUDIO (2352-byte PCM sectors) as IMAPI2 does, and MODE1 (2048-byte user data,
 *     written as scrambled mode 1 sectors with EDC/ECC, above) as an extension; every other sector type is
 *     E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED. A track must be at least 300 sectors (4 s), as the
 *     AddTrack page requires (E_INVALIDARG otherwise); a size that is not whole sectors is padded with
 *     zeros. addTrack returns the new track's number (startingTrackNumber, +1, …), which trackInfo takes.
 *   - addSpecialPregap takes exactly 150 sectors × 2352 bytes (E_INVALIDARG otherwise) and must come
 *     before the first track (E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED), as must startingTrackNumber.
 *   - addSubcodeRWGenerator takes 96 bytes per image sector, R-W in bits 5..0 in packed (de-interleaved)
 *     form, e.g. CD+G or CD-TEXT packs; a SUBCODE_IS_RAW image interleaves them. With a PQ-only image
 *     type it fails with E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED (and so does switching to PQ only
 *     after one was added); a generator whose size is not sectors × 96 fails createResultImage with
 *     E_INVALIDARG.
 *   - startOfLeadoutLimit 0 means no limit beyond the hard one (lead-out start ≤ 398100); values above
 *     398099 or below 0 are E_INVALIDARG; a limit below the current lead-out start, or a track that
 *     pushes the lead-out past the limit, is E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE.
 *   - disableGaplessAudio defaults to false: consecutive audio tracks are gapless (the IMAPI2 page's
 *     sentence "defaults to VARIANT_FALSE, which disables the use of gapless recording" contradicts the
 *     property's name; the name is followed).
 *   - createResultImage may be called again (the object stays read-only) when every source can be
 *     re-read; a one-shot { size, stream } source then errors the new stream with E_FAIL. A source that
 *     ends before its declared size errors the image stream with E_FAIL.
 */
import { Readable } from 'node:stream';
import { ImapiError } from '../errors/imapi-error.js';
import { CD_SECTOR_SIZE, MODE1_USER_SIZE, makeMode1Sector, hasSync, scrambleSector } from '../wire/cd-sector.js';
import { encodeFormattedQ, interleavePW, isValidMcn, RwInterleaver, SUBCHANNEL_SIZE } from '../wire/subchannel.js';
import { MSF_ZERO_LBA, RAW_IMAGE_START_LBA } from '../wire/msf.js';
import { buildFormattedToc, encodeTocReply } from '../scsi/commands/read-toc-pma-atip.js';
import { ByteTaker, toRawImageSource, type RawImageSource, type RawImageSourceInput } from './source.js';
import { RawCDImageTrackInfo, type TrackOwner } from './track-info.js';
import { planImage, trackControl, SubcodePlanner, PREGAP_SECTORS, MAX_LEAD_OUT_START, type ImagePlan } from './layout.js';
import { CdSectorType, RawImageType, rawImageSectorSize, type CdSectorTypeValue, type RawImageTypeValue } from './types.js';

export const MIN_TRACK_SECTORS = 300;
export const MAX_TRACK_NUMBER = 99;
/** Sectors produced per chunk of the image stream. */
const BATCH_SECTORS = 32;

function invalidArg(msg: string): ImapiError {
  return new ImapiError('E_INVALIDARG', `E_INVALIDARG (0x80070057): ${msg}`);
}

export class RawCDImageCreator {
  private _type: RawImageTypeValue = RawImageType.SUBCODE_IS_RAW;
  private _limit = 0;
  private _disableGapless = false;
  private _mcn = '';
  private _startingTrack = 1;
  private readonly tracks: RawCDImageTrackInfo[] = [];
  private specialPregap: RawImageSource | undefined;
  private rwGenerator: RawImageSource | undefined;
  private _readOnly = false;
  private readonly owner: TrackOwner;

  constructor() {
    const self = this;
    this.owner = {
      get readOnly() {
        return self._readOnly;
      },
      startingLbaOf: (t) => self.plan().tracks[self.tracks.indexOf(t)]!.start,
      trackNumberOf: (t) => self._startingTrack + self.tracks.indexOf(t),
    };
  }

  private writable(): void {
    if (this._readOnly) throw new ImapiError('E_IMAPI_RAW_IMAGE_IS_READ_ONLY');
  }

  private plan(tracks: readonly RawCDImageTrackInfo[] = this.tracks): ImagePlan {
    return planImage(
      tracks.map((t, i) => ({
        number: this._startingTrack + i, sectorType: t.sectorType, sectorCount: t.sectorCount, indexes: t.trackIndexes,
        isrc: t.ISRC, copy: t.digitalAudioCopySetting, preemphasis: t.audioHasPreemphasis,
      })),
      { disableGaplessAudio: this._disableGapless, mcn: this._mcn },
    );
  }

  private leadOutLimit(): number {
    return this._limit === 0 ? MAX_LEAD_OUT_START : this._limit;
  }

  // -------------------------------------------------------------------------------------------
  // Properties

  get resultingImageType(): RawImageTypeValue {
    return this._type;
  }
  set resultingImageType(v: RawImageTypeValue) {
    this.writable();
    if (v !== 1 && v !== 2 && v !== 3) throw invalidArg(`resultingImageType must be 1 (PQ only), 2 (cooked) or 3 (raw), got ${String(v)}`);
    if (v === RawImageType.SUBCODE_PQ_ONLY && this.rwGenerator) {
      throw new ImapiError('E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED', 'E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED (0x80AA0A02): a PQ-only image has no room for the R-W generator that was added');
    }
    this._type = v;
  }

  /** LBA of the first lead-out sector. */
  get startOfLeadout(): number {
    if (this.tracks.length === 0) throw new ImapiError('E_IMAPI_RAW_IMAGE_NO_TRACKS');
    return this.plan().leadOutStart;
  }

  get startOfLeadoutLimit(): number {
    return this._limit;
  }
  set startOfLeadoutLimit(v: number) {
    this.writable();
    if (!Number.isInteger(v) || v < 0 || v > MAX_LEAD_OUT_START - 1) throw invalidArg(`startOfLeadoutLimit must be an integer in 0..${MAX_LEAD_OUT_START - 1}, got ${String(v)}`);
    if (v !== 0 && this.tracks.length > 0 && this.plan().leadOutStart > v) throw new ImapiError('E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE');
    this._limit = v;
  }

  get disableGaplessAudio(): boolean {
    return this._disableGapless;
  }
  set disableGaplessAudio(v: boolean) {
    this.writable();
    if (typeof v !== 'boolean') throw invalidArg('disableGaplessAudio must be a boolean');
    const prev = this._disableGapless;
    this._disableGapless = v;
    if (this.tracks.length > 0 && this.plan().leadOutStart > this.leadOutLimit()) {
      this._disableGapless = prev;
      throw new ImapiError('E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE');
    }
  }

  /** 13-digit media catalog number, '' for none. */
  get mediaCatalogNumber(): string {
    return this._mcn;
  }
  set mediaCatalogNumber(v: string) {
    this.writable();
    if (typeof v !== 'string' || (v !== '' && !isValidMcn(v))) throw invalidArg(`mediaCatalogNumber must be 13 digits or '', got ${JSON.stringify(v)}`);
    this._mcn = v;
  }

  get startingTrackNumber(): number {
    return this._startingTrack;
  }
  set startingTrackNumber(v: number) {
    this.writable();
    if (!Number.isInteger(v) || v < 1 || v > MAX_TRACK_NUMBER) throw invalidArg(`startingTrackNumber must be 1..99, got ${String(v)}`);
    if (this.tracks.length > 0) throw new ImapiError('E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED');
    this._startingTrack = v;
  }

  get numberOfExistingTracks(): number {
    return this.tracks.length;
  }

  /** Last user sector before the lead-out. */
  get lastUsedUserSectorInImage(): number {
    return this.startOfLeadout - 1;
  }

  /** The formatted TOC (READ TOC format 0000b, LBA addresses) the burned disc will report. */
  get expectedTableOfContents(): Buffer {
    if (this.tracks.length === 0) throw new ImapiError('E_IMAPI_RAW_IMAGE_NO_TRACKS');
    const plan = this.plan();
    const toc = buildFormattedToc([{ discType: plan.discType, leadOutLba: plan.leadOutStart, tracks: plan.tracks.map((t) => ({ number: t.number, control: trackControl(t), startLba: t.start })) }]);
    return encodeTocReply(toc, { msf: false });
  }

  /** First LBA of the image (MSF 95:00:00). */
  get imageStartLba(): number {
    return RAW_IMAGE_START_LBA;
  }

  /** Sectors in the result image: lead-in, pre-gaps, tracks and lead-out. */
  get imageSectorCount(): number {
    return this.plan().end - RAW_IMAGE_START_LBA;
  }

  /** The track `trackIndex` (the number addTrack returned). */
  trackInfo(trackIndex: number): RawCDImageTrackInfo {
    const t = Number.isInteger(trackIndex) ? this.tracks[trackIndex - this._startingTrack] : undefined;
    if (!t) throw invalidArg(`trackIndex ${String(trackIndex)} is not a track of this image (${this._startingTrack}..${this._startingTrack + this.tracks.length - 1})`);
    return t;
  }

  // -------------------------------------------------------------------------------------------
  // Methods

  /** Adds a track; returns its number. */
  addTrack(sectorType: CdSectorTypeValue, data: RawImageSourceInput): number {
    this.writable();
    if (!Number.isInteger(sectorType) || sectorType < 0 || sectorType > 9) throw invalidArg(`dataType must be an IMAPI_CD_SECTOR_TYPE (0..9), got ${String(sectorType)}`);
    if (sectorType !== CdSectorType.AUDIO && sectorType !== CdSectorType.MODE1) throw new ImapiError('E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED');
    const source = toRawImageSource(data, 'data');
    if (this._startingTrack + this.tracks.length > MAX_TRACK_NUMBER) throw new ImapiError('E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS');
    const bytesPerSector = sectorType === CdSectorType.AUDIO ? CD_SECTOR_SIZE : MODE1_USER_SIZE;
    const sectorCount = Math.ceil(source.size / bytesPerSector);
    if (sectorCount < MIN_TRACK_SECTORS) throw invalidArg(`a track must be at least ${MIN_TRACK_SECTORS} sectors (4 s); this one is ${sectorCount}`);
    const track = new RawCDImageTrackInfo(this.owner, sectorType, sectorCount, source);
    if (this.plan([...this.tracks, track]).leadOutStart > this.leadOutLimit()) throw new ImapiError('E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE');
    this.tracks.push(track);
    return this._startingTrack + this.tracks.length - 1;
  }

  /** Data for track 1's 150-sector pre-gap (2352-byte sectors, written as they are). */
  addSpecialPregap(data: RawImageSourceInput): void {
    this.writable();
    const source = toRawImageSource(data, 'data');
    if (this.tracks.length > 0) throw new ImapiError('E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED');
    if (source.size !== PREGAP_SECTORS * CD_SECTOR_SIZE) throw invalidArg(`the special pre-gap must be ${PREGAP_SECTORS} sectors of ${CD_SECTOR_SIZE} bytes (${PREGAP_SECTORS * CD_SECTOR_SIZE}), got ${source.size} bytes`);
    this.specialPregap = source;
  }

  /** R-W sub-code for every image sector: 96 bytes each, packed, P/Q bits (7..6) zero. */
  addSubcodeRWGenerator(subcode: RawImageSourceInput): void {
    this.writable();
    const source = toRawImageSource(subcode, 'subcode');
    if (this._type === RawImageType.SUBCODE_PQ_ONLY) {
      throw new ImapiError('E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED', 'E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED (0x80AA0A02): a PQ-only image carries no R-W sub-code');
    }
    this.rwGenerator = source;
  }

  /** The image as a Readable (bytes, with backpressure). The creator is read-only from now on. */
  createResultImage(): Readable {
    if (this.tracks.length === 0) throw new ImapiError('E_IMAPI_RAW_IMAGE_NO_TRACKS');
    const plan = this.plan();
    if (plan.leadOutStart > this.leadOutLimit()) throw new ImapiError('E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE');
    const sectors = plan.end - plan.leadInStart;
    if (this.rwGenerator && this.rwGenerator.size !== sectors * SUBCHANNEL_SIZE) {
      throw invalidArg(`the R-W generator must hold ${sectors} sectors × 96 = ${sectors * SUBCHANNEL_SIZE} bytes, it holds ${this.rwGenerator.size}`);
    }
    this._readOnly = true;
    const sources = this.tracks.map((t) => t.source);
    return Readable.from(produceImage(plan, sources, this._type, this.specialPregap, this.rwGenerator), { objectMode: false, highWaterMark: 1 << 18 });
  }
}

/** Reads `size` bytes of a source in pieces of up to `piece` bytes; E_FAIL if it ends early. */
async function* readSource(src: RawImageSource, piece: number, what: string): AsyncGenerator<Buffer> {
  const taker = new ByteTaker(src.open());
  try {
    let left = src.size;
    while (left > 0) {
      const n = Math.min(piece, left);
      const buf = await taker.take(n);
      if (buf.length < n) throw new ImapiError('E_FAIL', `E_FAIL (0x80004005): ${what} ended after ${src.size - left + buf.length} of ${src.size} bytes`);
      left -= n;
      yield buf;
    }
  } finally {
    taker.close();
  }
}

async function* produceImage(
  plan: ImagePlan, sources: readonly RawImageSource[], type: RawImageTypeValue,
  specialPregap: RawImageSource | undefined, rwGenerator: RawImageSource | undefined,
): AsyncGenerator<Buffer> {
  const sectorSize = rawImageSectorSize(type);
  const planner = new SubcodePlanner(plan);
  const interleaver = type === RawImageType.SUBCODE_IS_RAW ? new RwInterleaver() : undefined;
  const rw = rwGenerator ? readSource(rwGenerator, BATCH_SECTORS * SUBCHANNEL_SIZE, 'the R-W generator') : undefined;
  let rwBuf: Buffer = Buffer.alloc(0);
  let out = Buffer.allocUnsafe(BATCH_SECTORS * sectorSize);
  let n = 0;
  let lba = plan.leadInStart;
  const zero = Buffer.alloc(CD_SECTOR_SIZE);
  const first = plan.tracks[0]!;
  const last = plan.tracks[plan.tracks.length - 1]!;
  const isData = (t: { sectorType: number }) => t.sectorType === CdSectorType.MODE1;
  const filler = (t: { sectorType: number }, at: number) => (isData(t) ? makeMode1Sector(at) : zero);

  // Emits one sector (a logical data sector is scrambled on the way out); returns a full batch when there is one.
  const emit = async (main: Uint8Array, scramble: boolean): Promise<Buffer | undefined> => {
    const { q, p } = planner.at(lba);
    const base = n * sectorSize;
    out.set(main.subarray(0, CD_SECTOR_SIZE), base);
    if (main.length < CD_SECTOR_SIZE) out.fill(0, base + main.length, base + CD_SECTOR_SIZE);
    if (scramble) scrambleSector(out, base);
    if (type === RawImageType.SUBCODE_PQ_ONLY) {
      out.set(encodeFormattedQ(q, p), base + CD_SECTOR_SIZE);
    } else {
      let r: Buffer | undefined;
      if (rw) {
        if (rwBuf.length === 0) {
          const next = await rw.next();
          rwBuf = next.done ? Buffer.alloc(0) : next.value;
        }
        r = rwBuf.subarray(0, SUBCHANNEL_SIZE);
        rwBuf = rwBuf.subarray(SUBCHANNEL_SIZE);
      }
      const rwBlock = interleaver && r ? interleaver.push(r) : r;
      out.set(interleavePW(p, q, rwBlock), base + CD_SECTOR_SIZE);
    }
    lba++;
    n++;
    if (n < BATCH_SECTORS) return undefined;
    const full = out;
    out = Buffer.allocUnsafe(BATCH_SECTORS * sectorSize);
    n = 0;
    return full;
  };

  try {
    // Lead-in
    while (lba < MSF_ZERO_LBA) {
      const b = await emit(filler(first, lba), isData(first));
      if (b) yield b;
    }
    // Tracks with their pre-gaps
    for (const [i, t] of plan.tracks.entries()) {
      if (t.pregapStart !== undefined) {
        if (i === 0 && specialPregap) {
          for await (const chunk of readSource(specialPregap, BATCH_SECTORS * CD_SECTOR_SIZE, 'the special pre-gap')) {
            for (let o = 0; o < chunk.length; o += CD_SECTOR_SIZE) {
              const sector = chunk.subarray(o, o + CD_SECTOR_SIZE);
              const b = await emit(sector, isData(t) && hasSync(sector));
              if (b) yield b;
            }
          }
        } else {
          while (lba < t.start) {
            const b = await emit(filler(t, lba), isData(t));
            if (b) yield b;
          }
        }
      }
      const audio = t.sectorType === CdSectorType.AUDIO;
      const bps = audio ? CD_SECTOR_SIZE : MODE1_USER_SIZE;
      const src = sources[i]!;
      for await (const chunk of readSource(src, BATCH_SECTORS * bps, `track ${t.number}`)) {
        for (let o = 0; o < chunk.length; o += bps) {
          let user = chunk.subarray(o, o + bps);
          if (user.length < bps) user = Buffer.concat([user, Buffer.alloc(bps - user.length)]);
          const b = await emit(audio ? user : makeMode1Sector(lba, user), !audio);
          if (b) yield b;
        }
      }
      if (lba !== t.start + t.sectorCount) throw new ImapiError('E_FAIL', `E_FAIL (0x80004005): track ${t.number} produced ${lba - t.start} of ${t.sectorCount} sectors`);
    }
    // Lead-out
    while (lba < plan.end) {
      const b = await emit(filler(last, lba), isData(last));
      if (b) yield b;
    }
    if (n > 0) yield out.subarray(0, n * sectorSize);
  } finally {
    await rw?.return(undefined);
  }
}
