/**
 * RawCDImageTrackInfo (IRawCDImageTrackInfo): the per-track properties of a RawCDImageCreator track.
 *
 * Indexes: `trackIndexes` lists the LBA offsets (from the track's first user sector) where INDEX 01,
 * 02, … begin; offset 0 (INDEX 01) is always there. `addTrackIndex` keeps at most 99 entries (98 added
 * indexes), each index at least 10 sectors long (from its neighbours and to the end of the track).
 * Adding an offset that is already listed returns S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS (a
 * success code) instead of throwing. Every setter throws E_IMAPI_RAW_IMAGE_IS_READ_ONLY once the
 * creator's result image was created.
 */
import { ImapiError } from '../errors/imapi-error.js';
import { hresultValue } from '../errors/hresult.js';
import { normalizeIsrc } from '../wire/subchannel.js';
import { CdSectorType, CdTrackDigitalCopySetting, type CdSectorTypeValue, type CdTrackDigitalCopySettingValue } from './types.js';
import type { RawImageSource } from './source.js';

/** The creator-side view a track needs. */
export interface TrackOwner {
  readonly readOnly: boolean;
  startingLbaOf(track: RawCDImageTrackInfo): number;
  trackNumberOf(track: RawCDImageTrackInfo): number;
}

export const MAX_TRACK_INDEXES = 99;
export const MIN_INDEX_SECTORS = 10;

function invalidArg(msg: string): ImapiError {
  return new ImapiError('E_INVALIDARG', `E_INVALIDARG (0x80070057): ${msg}`);
}

export class RawCDImageTrackInfo {
  readonly sectorType: CdSectorTypeValue;
  /** Number of user sectors in this track. */
  readonly sectorCount: number;
  /** @internal */
  readonly source: RawImageSource;
  private _isrc = '';
  private _copy: CdTrackDigitalCopySettingValue = CdTrackDigitalCopySetting.PERMITTED;
  private _preemphasis = false;
  private readonly indexes: number[] = [0];

  /** @internal */
  constructor(private readonly owner: TrackOwner, sectorType: CdSectorTypeValue, sectorCount: number, source: RawImageSource) {
    this.sectorType = sectorType;
    this.sectorCount = sectorCount;
    this.source = source;
  }

  /** LBA of the track's first user sector (INDEX 01). */
  get startingLba(): number {
    return this.owner.startingLbaOf(this);
  }

  get trackNumber(): number {
    return this.owner.trackNumberOf(this);
  }

  private writable(): void {
    if (this.owner.readOnly) throw new ImapiError('E_IMAPI_RAW_IMAGE_IS_READ_ONLY');
  }

  /** ISRC (12 characters, CC-OOO-YY-NNNNN; hyphens dropped); '' for none. Audio tracks only. */
  get ISRC(): string {
    return this._isrc;
  }
  set ISRC(v: string) {
    this.writable();
    if (typeof v !== 'string') throw invalidArg('ISRC must be a string');
    if (v === '') {
      this._isrc = '';
      return;
    }
    if (this.sectorType !== CdSectorType.AUDIO) throw invalidArg('ISRC may only be set on an audio track');
    const s = normalizeIsrc(v);
    if (s === undefined) throw invalidArg(`ISRC must be 2 letters, 3 letters or digits, 7 digits (CC-OOO-YY-NNNNN), got ${JSON.stringify(v)}`);
    this._isrc = s;
  }

  get digitalAudioCopySetting(): CdTrackDigitalCopySettingValue {
    return this._copy;
  }
  set digitalAudioCopySetting(v: CdTrackDigitalCopySettingValue) {
    this.writable();
    if (v !== 0 && v !== 1 && v !== 2) throw invalidArg(`digitalAudioCopySetting must be 0 (permitted), 1 (prohibited) or 2 (SCMS), got ${String(v)}`);
    if (this.sectorType !== CdSectorType.AUDIO && v !== CdTrackDigitalCopySetting.PERMITTED) throw invalidArg('digitalAudioCopySetting applies to audio tracks only');
    this._copy = v;
  }

  get audioHasPreemphasis(): boolean {
    return this._preemphasis;
  }
  set audioHasPreemphasis(v: boolean) {
    this.writable();
    if (typeof v !== 'boolean') throw invalidArg('audioHasPreemphasis must be a boolean');
    if (v && this.sectorType !== CdSectorType.AUDIO) throw invalidArg('audioHasPreemphasis applies to audio tracks only');
    this._preemphasis = v;
  }

  /** Offsets of INDEX 01, 02, … from the track's first user sector, ascending. */
  get trackIndexes(): number[] {
    return [...this.indexes];
  }

  /** Adds an index at `lbaOffset`. Returns S_OK (0) or S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS. */
  addTrackIndex(lbaOffset: number): number {
    this.writable();
    if (!Number.isInteger(lbaOffset) || lbaOffset < 0 || lbaOffset >= this.sectorCount) {
      throw invalidArg(`lbaOffset must be an integer in 0..${this.sectorCount - 1}, got ${String(lbaOffset)}`);
    }
    if (this.indexes.includes(lbaOffset)) return hresultValue('S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS');
    if (this.indexes.length >= MAX_TRACK_INDEXES) throw new ImapiError('E_IMAPI_RAW_IMAGE_TOO_MANY_TRACK_INDEXES');
    const tooClose = this.indexes.some((o) => Math.abs(o - lbaOffset) < MIN_INDEX_SECTORS) || this.sectorCount - lbaOffset < MIN_INDEX_SECTORS;
    if (tooClose) throw new ImapiError('E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX');
    this.indexes.push(lbaOffset);
    this.indexes.sort((a, b) => a - b);
    return hresultValue('S_OK');
  }

  /** Removes the index at `lbaOffset` (never offset 0, INDEX 01). */
  clearTrackIndex(lbaOffset: number): void {
    this.writable();
    if (!Number.isInteger(lbaOffset)) throw invalidArg(`lbaOffset must be an integer, got ${String(lbaOffset)}`);
    if (lbaOffset === 0) throw new ImapiError('E_IMAPI_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED');
    const i = this.indexes.indexOf(lbaOffset);
    if (i < 0) throw new ImapiError('E_IMAPI_RAW_IMAGE_TRACK_INDEX_NOT_FOUND');
    this.indexes.splice(i, 1);
  }
}
