/**
 * `Disc`: the one implementation of `Medium` (medium.ts) for every kind in the catalog. It owns the
 * disc state (state.ts) and the sector store (store.ts); the CD recording paths live in cd-write.ts
 * (TAO, SAO, RAW), READ CD field selection in read-cd.ts, TOC views in toc.ts.
 *
 * Layout rules (documented choices where MMC leaves them to the drive):
 *  - CD TAO: track 1 starts at LBA 0 after the 150-block pregap; a closed data track gets 2 run-out
 *    blocks; the next track starts 150 blocks (its pregap) after the previous track's end.
 *  - CD multi-session: the next session's first track starts lead-out (6750 after session 1, 2250
 *    after later ones) + lead-in 4500 + pregap 150 blocks after the closed session's lead-out start.
 *  - DVD±R / BD-R: sessions follow each other with no gap (real media need border/closure zones the
 *    host never addresses; the NWA the drive reports is what matters).
 *  - DVD+RW / BD-RE: formatted, one complete session and track over the whole capacity; unwritten
 *    blocks read as zeros.
 */
import * as fs from 'node:fs';
import { CheckCondition, Sense } from '@openimapi/sdk';
import { MEDIA, type MediaKind, type MediaProfile } from './catalog.js';
import type {
  Atip, CueSheetEntry, DiscInformation, DiscState, EraseResult, FormattedToc, FullToc, Medium, ReadCdSelection,
  SessionInfo, SessionToc, TrackInfo, WriteContext,
} from './medium.js';
import { planBlank } from './blank.js';
import { FileStore, MemoryStore, type SectorStore } from './store.js';
import { readDiscJson, writeJsonAtomic, type DiscJson, type TrackRec } from './state.js';
import { FIRST_LEAD_OUT, LEAD_IN, NEXT_LEAD_OUT, PREGAP, formattedToc, generatedFullToc, sessionToc } from './toc.js';
import { sectorMode, userDataSpan } from './sector.js';
import { lbaToMsf } from '@openimapi/sdk';
import * as cd from './cd-write.js';
import { readCdSectors, cdRawSector } from './read-cd.js';

export const CD_STORE_SECTOR = 2448;

export function freshState(kind: MediaKind): DiscJson {
  const p = MEDIA[kind];
  if (p.recording === 'overwrite') {
    return {
      version: 1, kind, finalized: true, tocReadable: true,
      sessions: [{ number: 1, closed: true, leadOut: p.capacity, format: 0 }],
      tracks: [{ number: 1, session: 1, pregapStart: 0, start: 0, recorded: p.capacity, closed: true, control: 4, mode: 1 }],
    };
  }
  const cdFamily = p.family === 'cd';
  return {
    version: 1, kind, finalized: false, tocReadable: true,
    sessions: [{ number: 1, closed: false, format: 0, ...(cdFamily ? { leadIn: p.leadInStart! } : {}) }],
    tracks: [{ number: 1, session: 1, pregapStart: cdFamily ? -PREGAP : 0, start: 0, recorded: 0, closed: false, control: 4, mode: 1 }],
  };
}

export class Disc implements Medium {
  readonly kind: MediaKind;
  readonly profile: number;
  readonly info: MediaProfile;
  readonly imagePath: string | undefined;
  readonly statePath: string | undefined;
  st: DiscJson;
  readonly store: SectorStore;

  constructor(st: DiscJson, store: SectorStore, files?: { image: string; state: string }) {
    this.st = st;
    this.kind = st.kind;
    this.info = MEDIA[st.kind];
    this.profile = this.info.profile;
    this.store = store;
    this.imagePath = files?.image;
    this.statePath = files?.state;
    this.recoverFromImage();
  }

  /** Opens (or creates) the disc whose files are `<base>.img` / `<base>.json`. */
  static open(base: string, kind?: MediaKind): Disc {
    const stateFile = base + '.json';
    let st: DiscJson;
    let fresh = false;
    try {
      st = readDiscJson(stateFile);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || kind === undefined) throw e;
      st = freshState(kind);
      fresh = true;
    }
    const p = MEDIA[st.kind];
    if (!fresh && !fs.existsSync(base + '.img')) throw new Error(`${base}.img is missing: the disc in ${stateFile} cannot be loaded`);
    const store = p.family === 'cd' ? new FileStore(base + '.img', CD_STORE_SECTOR, cd.storeOrigin(p)) : new FileStore(base + '.img', 2048, 0);
    const d = new Disc(st, store, { image: base + '.img', state: stateFile });
    if (fresh) d.save();
    return d;
  }

  static inMemory(kind: MediaKind): Disc {
    const p = MEDIA[kind];
    const store = p.family === 'cd' ? new MemoryStore(CD_STORE_SECTOR, cd.storeOrigin(p)) : new MemoryStore(2048, 0);
    return new Disc(freshState(kind), store);
  }

  get isCd(): boolean { return this.info.family === 'cd'; }

  /** The open track that grows at the end of the disc (last track, not closed, not reserved). */
  openTracks(): TrackRec[] { return this.st.tracks.filter((t) => !t.closed); }

  /** A crash may have left more of the open tracks in the image than the JSON says: take the image's word. */
  private recoverFromImage(): void {
    const dao = this.st.dao;
    if (dao) {
      // A disc-at-once stream cut off by a crash: it stays where the image says it got to (the
      // session reads as incomplete; the host may go on writing at `next`, or the disc is blanked).
      const extent = this.store.extent();
      if (extent > dao.next && (dao.end === undefined || extent <= dao.end + FIRST_LEAD_OUT)) {
        dao.next = extent;
        for (const t of this.openTracks()) if (t.reservedSize !== undefined) t.recorded = Math.max(t.recorded, Math.min(t.reservedSize, extent - t.start));
      }
      return;
    }
    if (this.st.finalized) return;
    const open = this.openTracks();
    const last = open[open.length - 1];
    if (!last) return;
    const extent = this.store.extent();
    if (extent > last.start + last.recorded) {
      const cap = last.reservedSize ?? this.lastLba() - last.start;
      last.recorded = Math.min(cap, extent - last.start);
      if (this.isCd) cd.adoptTrackModeFromImage(this, last);
    }
  }

  /** Last possible lead-out start (CD) / capacity (DVD/BD). */
  lastLba(): number { return this.info.capacity - (this.st.spareBlocks ?? 0); }

  get capacityBlocks(): number { return this.lastLba(); }

  get state(): DiscState {
    if (this.st.finalized) return 'complete';
    const anything = this.st.tracks.some((t) => t.recorded > 0 || t.reservedSize !== undefined) || this.st.sessions.some((s) => s.closed) || this.st.dao !== undefined;
    return anything ? 'appendable' : 'blank';
  }

  get tocReadable(): boolean { return this.st.tocReadable; }

  get mcn(): string | undefined { return this.st.mcn; }

  sessions(): readonly SessionInfo[] {
    return this.st.sessions.map((s) => {
      const tr = this.st.tracks.filter((t) => t.session === s.number);
      const recorded = tr.some((t) => t.recorded > 0) || (this.st.dao !== undefined && !s.closed);
      return {
        number: s.number,
        state: s.closed ? 'complete' : tr.some((t) => t.reservedSize !== undefined) && !recorded ? 'reserved' : recorded ? 'incomplete' : 'empty',
        leadIn: s.leadIn, leadOut: s.leadOut,
        firstTrack: tr[0]?.number ?? 0, lastTrack: tr[tr.length - 1]?.number ?? 0, format: s.format,
      };
    });
  }

  private trackInfo(t: TrackRec): TrackInfo {
    const invisible = !t.closed && t.reservedSize === undefined;
    const size = t.closed ? t.recorded : t.reservedSize ?? this.lastLba() - t.start;
    const writable = !t.closed && !this.st.dao && this.st.tocReadable && t.recorded < size;
    const mode = t.mode;
    return {
      number: t.number, session: t.session, start: t.start, size, control: t.control, adr: 1, mode,
      ...(t.isrc !== undefined ? { isrc: t.isrc } : {}),
      blank: t.recorded === 0, reserved: t.reservedSize !== undefined, invisible, incomplete: !t.closed && t.recorded > 0,
      nextWritable: writable ? t.start + t.recorded : undefined,
      freeBlocks: t.closed ? 0 : Math.max(0, size - t.recorded),
      lastRecorded: t.recorded > 0 ? t.start + t.recorded - 1 : undefined,
      packet: false, fixedPacketSize: 0,
      dataMode: t.recorded === 0 && !t.closed ? 0x0f : mode === 2 ? 2 : 1,
    };
  }

  tracks(): readonly TrackInfo[] { return this.st.tracks.map((t) => this.trackInfo(t)); }

  discInformation(): DiscInformation {
    const sess = this.sessions();
    const last = sess[sess.length - 1]!;
    const lastTracks = this.st.tracks.filter((t) => t.session === last.number);
    const overwrite = this.info.recording === 'overwrite';
    const nwaSession = this.st.finalized ? undefined : this.st.sessions[this.st.sessions.length - 1];
    return {
      erasable: this.info.erasable,
      lastSessionState: last.state,
      discStatus: overwrite ? 'random-access' : this.st.finalized ? 'finalized' : this.state === 'blank' ? 'empty' : 'incomplete',
      firstTrack: this.st.tracks[0]?.number ?? 1,
      sessions: sess.length,
      firstTrackInLastSession: lastTracks[0]?.number ?? 1,
      lastTrackInLastSession: lastTracks[lastTracks.length - 1]?.number ?? 1,
      unrestrictedUse: true,
      bgFormatStatus: overwrite ? 3 : 0,
      discType: this.isCd ? (this.st.sessions[0]?.format ?? 0) : 0,
      lastSessionLeadIn: nwaSession?.leadIn,
      lastPossibleLeadOut: this.st.finalized ? undefined : this.lastLba(),
    };
  }

  trackInformation(type: 0 | 1 | 2, value: number): TrackInfo {
    const tracks = this.st.tracks;
    let t: TrackRec | undefined;
    if (type === 0) t = tracks.find((x) => value >= x.pregapStart && value < x.start + (x.closed ? x.recorded : x.reservedSize ?? this.lastLba() - x.start)) ?? tracks.find((x) => value >= x.pregapStart && value < x.start);
    // FFh: the invisible track, or — while a cue sheet's layout is being recorded (SAO), when every
    // open track is one the cue reserved — the first of those, incomplete or not yet started.
    else if (type === 1) t = value === 0xff ? tracks.find((x) => !x.closed && x.reservedSize === undefined) ?? (this.st.dao?.type === 'sao' ? tracks.find((x) => !x.closed) : undefined) : tracks.find((x) => x.number === value);
    else t = tracks.find((x) => x.session === value);
    if (!t) throw new CheckCondition(Sense.INVALID_FIELD_IN_CDB, `no track for address type ${type} value ${value}`, { fieldPointer: { cd: true, byte: 2 } });
    return this.trackInfo(t);
  }

  nextWritableAddress(): number | undefined {
    const inv = this.st.tracks.find((t) => !t.closed && t.reservedSize === undefined);
    return inv ? this.trackInfo(inv).nextWritable : undefined;
  }

  freeBlocks(): number {
    if (this.st.finalized) return 0;
    const inv = this.st.tracks.find((t) => !t.closed && t.reservedSize === undefined);
    return inv ? this.trackInfo(inv).freeBlocks : 0;
  }

  capacity(): { lastLba: number; blockLength: number } {
    if (this.info.recording === 'overwrite') return { lastLba: this.info.capacity - 1, blockLength: 2048 };
    let end = 0;
    for (const t of this.st.tracks) if (t.recorded > 0) end = Math.max(end, t.start + t.recorded);
    return { lastLba: end - 1, blockLength: 2048 };
  }

  private requireToc(): void {
    if (!this.st.tocReadable) throw new CheckCondition(Sense.UNABLE_TO_RECOVER_TABLE_OF_CONTENTS);
  }

  private noToc(what: string): CheckCondition {
    return new CheckCondition(Sense.INVALID_FIELD_IN_CDB, `${what}: no complete session on the disc`, { fieldPointer: { cd: true, byte: 2 } });
  }

  toc(): FormattedToc {
    this.requireToc();
    return formattedToc(this.st) ?? (() => { throw this.noToc('READ TOC'); })();
  }

  sessionToc(): SessionToc {
    this.requireToc();
    return sessionToc(this.st) ?? (() => { throw this.noToc('READ TOC format 1'); })();
  }

  fullToc(): FullToc {
    if (!this.isCd) throw new CheckCondition(Sense.INVALID_FIELD_IN_CDB, 'full TOC is CD only', { fieldPointer: { cd: true, byte: 2 } });
    this.requireToc();
    const closed = this.st.sessions.filter((s) => s.closed);
    if (closed.length === 0) throw this.noToc('READ TOC format 2');
    const entries = closed.flatMap((s, i) => {
      if (s.rawToc) return s.rawToc;
      const following = this.st.sessions[i + 1];
      const nextTrack = following ? this.st.tracks.find((t) => t.session === following.number) : undefined;
      return generatedFullToc(this.st, s, nextTrack?.start, this.lastLba(), this.info.leadInStart);
    });
    return { firstSession: closed[0]!.number, lastSession: closed[closed.length - 1]!.number, entries };
  }

  atip(): Atip {
    if (!this.isCd || this.info.leadInStart === undefined) throw new CheckCondition(Sense.INVALID_FIELD_IN_CDB, 'ATIP is CD-R/RW only', { fieldPointer: { cd: true, byte: 2 } });
    return {
      writingPower: 5, referenceSpeed: this.info.atipCdrw ? 1 : 0, unrestrictedUse: true,
      cdrw: this.info.atipCdrw ?? false, discSubType: this.info.atipSubType ?? 0,
      leadInStart: lbaToMsf(this.info.leadInStart), lastPossibleLeadOutStart: lbaToMsf(this.info.capacity),
    };
  }

  /** Track whose recorded data (pregap included) holds `lba`. */
  trackAt(lba: number): TrackRec | undefined {
    return this.st.tracks.find((t) => lba >= t.pregapStart && lba < t.start + t.recorded);
  }

  /** Validates a read range: out of range → 05/21/00; unrecorded → 08/00/00 with the LBA. */
  checkReadable(lba: number, count: number): void {
    this.requireToc();
    const limit = this.isCd ? this.lastLba() + FIRST_LEAD_OUT : this.info.capacity;
    if (!Number.isInteger(lba) || lba < (this.isCd ? -PREGAP : 0) || count < 0 || lba + count > limit) {
      throw new CheckCondition(Sense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE, `read of ${count} at ${lba}`, { information: lba >>> 0 });
    }
    // Every block must lie in a track: walk the range a track at a time.
    for (let at = lba; at < lba + count; ) {
      const t = this.trackAt(at);
      if (!t) throw new CheckCondition(Sense.BLANK_CHECK, `LBA ${at} is not recorded`, { information: at >>> 0 });
      at = t.start + t.recorded;
    }
  }

  read(lba: number, count: number, into?: Buffer): Buffer {
    this.checkReadable(lba, count);
    if (into && into.length !== count * 2048) throw new RangeError(`read into ${into.length} bytes: ${count} blocks need ${count * 2048}`);
    if (!this.isCd) return this.store.read(lba, count, into);
    if (this.store.readUserData) return this.store.readUserData(lba, count, into);
    const out = into ?? Buffer.alloc(count * 2048);
    const raw = this.store.read(lba, count);
    for (let i = 0; i < count; i++) {
      const t = this.trackAt(lba + i)!;
      const main = raw.subarray(i * CD_STORE_SECTOR, i * CD_STORE_SECTOR + 2352);
      const span = userDataSpan(sectorMode(main, t.mode === 'audio'));
      if (!span) throw new CheckCondition(Sense.INVALID_MODE_FOR_THIS_TRACK, `LBA ${lba + i} is not a 2048-byte data sector`, { information: (lba + i) >>> 0 });
      main.copy(out, i * 2048, span.off, span.off + span.len);
    }
    return out;
  }

  readCd(lba: number, count: number, sel: ReadCdSelection): Buffer {
    if (!this.isCd) throw new CheckCondition(Sense.CANNOT_READ_MEDIUM_INCOMPATIBLE_FORMAT, 'READ CD on a non-CD medium');
    this.checkReadable(lba, count);
    return readCdSectors(this, lba, count, sel);
  }

  readRawSector(lba: number): { main: Buffer; subchannel: Buffer } {
    if (!this.isCd) throw new CheckCondition(Sense.CANNOT_READ_MEDIUM_INCOMPATIBLE_FORMAT, 'raw sectors are CD only');
    const origin = this.store.origin;
    if (lba < origin || lba >= this.lastLba() + FIRST_LEAD_OUT) throw new CheckCondition(Sense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE, `LBA ${lba}`, { information: lba >>> 0 });
    return cdRawSector(this, lba);
  }

  // ---- recording -------------------------------------------------------------------------------

  /** Common preconditions of every recording command. */
  checkRecordable(): void {
    if (this.info.recording === 'read-only') throw new CheckCondition(Sense.WRITE_PROTECTED);
    if (!this.st.tocReadable) throw new CheckCondition(Sense.CANNOT_WRITE_MEDIUM_INCOMPATIBLE_FORMAT, 'disc has an unreadable TOC');
  }

  write(lba: number, data: Uint8Array, ctx: WriteContext, blocks?: number): void {
    this.checkRecordable();
    if (this.isCd) return cd.write(this, lba, data, ctx, blocks);
    if (data.length % 2048 !== 0) throw new CheckCondition(Sense.INVALID_FIELD_IN_CDB, `${data.length} bytes is not whole 2048-byte blocks`);
    const n = data.length / 2048;
    if (this.info.recording === 'overwrite') {
      if (lba < 0 || lba + n > this.info.capacity) throw new CheckCondition(Sense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE, `write of ${n} at ${lba}`, { information: lba >>> 0 });
      if (!ctx.testWrite) this.store.write(lba, data);
      return;
    }
    if ((this.kind === 'dvd-r' || this.kind === 'dvd-rw') && ctx.writeType !== 0 && ctx.writeType !== 2) throw new CheckCondition(Sense.CANNOT_WRITE_MEDIUM_INCOMPATIBLE_FORMAT, `write type ${ctx.writeType} on ${this.kind.toUpperCase()}`);
    const t = this.sequentialTarget(lba, n);
    if (ctx.testWrite) return;
    this.store.write(lba, data);
    t.recorded += n;
  }

  /** The open track whose NWA is `lba` and that has room for `n` blocks (05/21/02, 05/63/00 otherwise). */
  sequentialTarget(lba: number, n: number): TrackRec {
    if (this.st.finalized || this.st.dao) throw new CheckCondition(Sense.INVALID_ADDRESS_FOR_WRITE, `LBA ${lba}: disc is not appendable here`, { information: lba >>> 0 });
    const t = this.openTracks().find((x) => x.start + x.recorded === lba);
    if (!t) throw new CheckCondition(Sense.INVALID_ADDRESS_FOR_WRITE, `LBA ${lba} is not a next writable address`, { information: lba >>> 0 });
    const size = t.reservedSize ?? this.lastLba() - t.start;
    if (t.recorded + n > size) {
      throw new CheckCondition(t.reservedSize !== undefined ? Sense.END_OF_USER_AREA_ENCOUNTERED_ON_THIS_TRACK : Sense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE, `write of ${n} at ${lba} passes the end of track ${t.number}`, { information: lba >>> 0 });
    }
    return t;
  }

  sendCueSheet(entries: readonly CueSheetEntry[], ctx: WriteContext): void {
    this.checkRecordable();
    if (!this.isCd) throw new CheckCondition(Sense.CANNOT_WRITE_MEDIUM_INCOMPATIBLE_FORMAT, 'cue sheets are CD only');
    cd.sendCueSheet(this, entries, ctx);
    this.save();
  }

  reserveTrack(size: number): TrackInfo {
    this.checkRecordable();
    if (this.info.recording === 'overwrite') throw new CheckCondition(Sense.CANNOT_WRITE_MEDIUM_INCOMPATIBLE_FORMAT, 'RESERVE TRACK on overwrite media');
    if (!Number.isInteger(size) || size <= 0) throw new CheckCondition(Sense.INVALID_FIELD_IN_CDB, `reservation size ${size}`, { fieldPointer: { cd: true, byte: 5 } });
    const inv = this.st.finalized || this.st.dao ? undefined : this.st.tracks.find((t) => !t.closed && t.reservedSize === undefined);
    if (!inv || inv.recorded > 0) throw new CheckCondition(Sense.NO_MORE_TRACK_RESERVATIONS_ALLOWED, 'the invisible track is not blank');
    const gap = this.isCd ? PREGAP : 0;
    if (inv.start + size + gap > this.lastLba()) throw new CheckCondition(Sense.INVALID_FIELD_IN_CDB, `reservation of ${size} blocks does not fit`, { fieldPointer: { cd: true, byte: 5 } });
    inv.reservedSize = size;
    this.st.tracks.push({ number: inv.number + 1, session: inv.session, pregapStart: inv.start + size, start: inv.start + size + gap, recorded: 0, closed: false, control: 4, mode: 1 });
    this.save();
    return this.trackInfo(inv);
  }

  closeTrack(track: number): void {
    this.checkRecordable();
    const t = track === 0xff ? this.st.tracks.find((x) => !x.closed && x.reservedSize === undefined) : this.st.tracks.find((x) => x.number === track);
    if (!t) throw new CheckCondition(Sense.INVALID_FIELD_IN_CDB, `no track ${track}`, { fieldPointer: { cd: true, byte: 5 } });
    if (t.closed) return; // closing a closed track is a no-op, as drives do
    if (this.st.dao) throw new CheckCondition(Sense.COMMAND_SEQUENCE_ERROR, 'a disc-at-once recording is in progress');
    if (t.reservedSize !== undefined && t.recorded < t.reservedSize) throw new CheckCondition(Sense.EMPTY_OR_PARTIALLY_WRITTEN_RESERVED_TRACK, `track ${t.number}: ${t.recorded} of ${t.reservedSize} blocks written`);
    if (t.reservedSize === undefined && t.recorded === 0) return; // empty invisible track: nothing to close
    this.finishTrack(t);
    this.store.sync();
    this.save();
  }

  /** Closes a written track; the invisible one gets its final size and a new invisible track follows. */
  finishTrack(t: TrackRec): void {
    const runOut = this.isCd && t.reservedSize === undefined && t.mode !== 'audio' ? 2 : 0;
    if (t.reservedSize === undefined) {
      t.recorded += runOut;
      const gap = this.isCd ? PREGAP : 0;
      const start = t.start + t.recorded + gap;
      this.st.tracks.push({ number: t.number + 1, session: t.session, pregapStart: start - gap, start, recorded: 0, closed: false, control: 4, mode: 1 });
    }
    t.closed = true;
  }

  closeSession(nextSessionAllowed: boolean): void {
    this.checkRecordable();
    if (this.info.recording === 'overwrite') return; // DVD+RW/BD-RE: nothing to close (the drive may still stop background format)
    if (this.st.finalized) throw new CheckCondition(Sense.INVALID_ADDRESS_FOR_WRITE, 'disc is already closed');
    if (this.st.dao) { cd.finishDao(this, true); this.store.sync(); this.save(); return; }
    const s = this.st.sessions[this.st.sessions.length - 1]!;
    const mine = this.st.tracks.filter((t) => t.session === s.number);
    if (mine.some((t) => t.reservedSize !== undefined && t.recorded < t.reservedSize)) throw new CheckCondition(Sense.SESSION_FIXATION_ERROR_INCOMPLETE_TRACK_IN_SESSION);
    if (!mine.some((t) => t.recorded > 0)) throw new CheckCondition(Sense.COMMAND_SEQUENCE_ERROR, 'nothing recorded in the session');
    for (const t of mine) if (!t.closed && t.recorded > 0) this.finishTrack(t);
    // Drop the invisible track of this session; the next session gets its own.
    this.st.tracks = this.st.tracks.filter((t) => t.closed);
    this.sealSession(nextSessionAllowed);
    this.store.sync();
    this.save();
  }

  /** Marks the open session closed at the end of its last track and opens the next one or finalizes. */
  sealSession(nextSessionAllowed: boolean): void {
    const s = this.st.sessions[this.st.sessions.length - 1]!;
    const mine = this.st.tracks.filter((t) => t.session === s.number);
    const last = mine[mine.length - 1]!;
    s.leadOut = last.start + last.recorded;
    s.closed = true;
    const leadOutLen = this.isCd ? (s.number === 1 ? FIRST_LEAD_OUT : NEXT_LEAD_OUT) : 0;
    const nextLeadIn = s.leadOut + leadOutLen;
    const nextStart = this.isCd ? nextLeadIn + LEAD_IN + PREGAP : nextLeadIn;
    if (!nextSessionAllowed || nextStart >= this.lastLba()) {
      this.st.finalized = true;
      return;
    }
    const n = s.number + 1;
    this.st.sessions.push({ number: n, closed: false, format: s.format, ...(this.isCd ? { leadIn: nextLeadIn } : {}) });
    this.st.tracks.push({ number: last.number + 1, session: n, pregapStart: this.isCd ? nextStart - PREGAP : nextStart, start: nextStart, recorded: 0, closed: false, control: 4, mode: 1 });
  }

  eraseExtent(type: number): EraseResult {
    return { blocks: planBlank(this, type).blocks };
  }

  blank(type: number): EraseResult {
    const plan = planBlank(this, type);
    plan.apply();
    this.store.sync();
    this.save();
    return { blocks: plan.blocks };
  }

  format(opts: { spareBlocks?: number } = {}): EraseResult {
    if (this.kind === 'bd-r' && this.state === 'blank') {
      const spare = opts.spareBlocks ?? 0;
      if (!Number.isInteger(spare) || spare < 0 || spare >= this.info.capacity) throw new CheckCondition(Sense.INVALID_FIELD_IN_PARAMETER_LIST, `spare area of ${spare} blocks`);
      if (spare > 0) this.st.spareBlocks = spare;
      else delete this.st.spareBlocks;
      this.save();
      return { blocks: 0 };
    }
    if (this.info.recording !== 'overwrite') throw new CheckCondition(Sense.CANNOT_FORMAT_MEDIUM_INCOMPATIBLE_MEDIUM, `FORMAT UNIT on ${this.kind}${this.kind === 'bd-r' ? ' with data on it' : ''}`);
    return { blocks: this.info.capacity };
  }

  synchronizeCache(opts: { endTrack?: boolean; discAtOnce?: boolean } = {}): void {
    if (this.st.dao) cd.finishDao(this, false);
    else if (opts.endTrack && this.isCd && !this.st.finalized) {
      const inv = this.st.tracks.find((t) => !t.closed && t.reservedSize === undefined);
      if (inv && inv.recorded > 0) this.finishTrack(inv);
    } else if (opts.discAtOnce && (this.kind === 'dvd-r' || this.kind === 'dvd-rw') && !this.st.finalized) {
      const reserved = this.openTracks().find((t) => t.reservedSize !== undefined);
      if (reserved && reserved.recorded === reserved.reservedSize) return this.closeSession(false);
    }
    this.store.sync();
    this.save();
  }

  save(): void {
    if (!this.statePath) return;
    this.store.sync();
    writeJsonAtomic(this.statePath, this.st);
  }

  close(): void {
    this.save();
    this.store.close();
  }
}
