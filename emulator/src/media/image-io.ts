/**
 * Getting discs in and out: blank media, saved discs, ROM images, .bin/.cue export.
 *
 * `loadMedium(path)` accepts:
 *  - a saved disc: `<base>.json` (or `<base>.img` / `<base>` with a `<base>.json` beside it);
 *  - `<x>.iso` (2048-byte sectors): a closed single-track mode-1 ROM disc. Rule: CD-ROM when it fits an
 *    80-minute CD (≤ 359 849 blocks), DVD-ROM when it fits a single-layer DVD (≤ 2 295 104 blocks),
 *    anything larger is refused;
 *  - `<x>.bin` (2352-byte sectors) or `<x>.cue` naming one BINARY file: always a CD-ROM (refused when
 *    it does not fit 80 minutes). Without a .cue a .bin is one track: mode 1/2 if its first sector
 *    carries the sync pattern, audio otherwise.
 * ROM images are read in place, never modified.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CheckCondition, Sense, formatMsf, lbaToMsf } from '@openimapi/sdk';
import { MEDIA, mediaProfile, type MediaKind } from './catalog.js';
import type { CreateMediumOptions, Medium } from './medium.js';
import { CD_STORE_SECTOR, Disc } from './disc.js';
import { readFully, type SectorStore } from './store.js';
import type { DiscJson, TrackRec } from './state.js';
import { CD_SECTOR, mode1Sector, sectorMode } from './sector.js';

let created = 0;

export function createMedium(kind: MediaKind, opts: CreateMediumOptions = {}): Medium {
  const p = mediaProfile(kind);
  if (p.recording === 'read-only') return pressedDisc(kind);
  if (opts.dataDir === undefined) return Disc.inMemory(kind);
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const name = opts.name ?? `${kind}-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${++created}`;
  if (!/^[\w.+-]+$/.test(name)) throw new TypeError(`name: "${name}" is not a plain file name`);
  const base = path.join(opts.dataDir, name);
  if (fs.existsSync(base + '.json')) throw new TypeError(`name: a disc "${name}" already exists in ${opts.dataDir}`);
  return Disc.open(base, kind);
}

/** Read-only store over an image file: 2048-byte ISO sectors or 2352-byte BIN sectors. */
class ImageStore implements SectorStore {
  readonly sectorSize: number;
  readonly origin = 0;
  private fd: number | undefined;
  constructor(readonly file: string, private readonly fileSector: 2048 | 2352, cd: boolean, readonly blocks: number) {
    this.sectorSize = cd ? CD_STORE_SECTOR : 2048;
    this.fd = fs.openSync(file, 'r');
    // An ISO image holds exactly the user data of its mode-1 sectors (a BIN's raw sectors do not).
    if (cd && fileSector === 2048) this.readUserData = (lba, count, into) => this.image(lba, count, into);
  }
  readonly readUserData: ((lba: number, count: number, into?: Buffer) => Buffer) | undefined;
  write(): void {
    throw new CheckCondition(Sense.WRITE_PROTECTED);
  }
  private image(lba: number, count: number, into?: Buffer): Buffer {
    if (this.fd === undefined) throw new Error(`image ${this.file} is closed`);
    return readFully(this.fd, into ?? Buffer.allocUnsafe(count * this.fileSector), lba * this.fileSector);
  }
  read(lba: number, count: number, into?: Buffer): Buffer {
    if (this.sectorSize === this.fileSector) return this.image(lba, count, into);
    const raw = this.image(lba, count);
    const out = into ? into.fill(0) : Buffer.alloc(count * CD_STORE_SECTOR);
    for (let i = 0; i < count; i++) {
      const s = raw.subarray(i * this.fileSector, (i + 1) * this.fileSector);
      (this.fileSector === 2048 ? mode1Sector(lba + i, s) : s).copy(out, i * CD_STORE_SECTOR);
    }
    return out;
  }
  extent(): number { return this.blocks; }
  written(lba: number): boolean { return lba >= 0 && lba < this.blocks; }
  truncate(): void { throw new CheckCondition(Sense.WRITE_PROTECTED); }
  sync(): void {}
  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * User data of block `lba` of a pressed disc made without an image (`createMedium('cd-rom' | 'dvd-rom')`):
 * 512 big-endian 32-bit words, word i = (lba × 2654435761 + i × 40503) mod 2³², with the LBA itself in
 * word 0 — a known, different pattern in every block, so a reader can check what it got.
 */
export function pressedBlock(lba: number): Buffer {
  const b = Buffer.alloc(2048);
  for (let i = 0; i < 512; i++) b.writeUInt32BE(i === 0 ? lba >>> 0 : (Math.imul(lba, 2654435761) + i * 40503) >>> 0, i * 4);
  return b;
}

/** Read-only store that computes every block (`pressedBlock`) instead of reading a file. */
class PressedStore implements SectorStore {
  readonly sectorSize: number;
  readonly origin = 0;
  constructor(private readonly cd: boolean, readonly blocks: number) {
    this.sectorSize = cd ? CD_STORE_SECTOR : 2048;
  }
  write(): void {
    throw new CheckCondition(Sense.WRITE_PROTECTED);
  }
  read(lba: number, count: number, into?: Buffer): Buffer {
    const out = into ? into.fill(0) : Buffer.alloc(count * this.sectorSize);
    for (let i = 0; i < count; i++) {
      if (lba + i < 0 || lba + i >= this.blocks) continue;
      const user = pressedBlock(lba + i);
      (this.cd ? mode1Sector(lba + i, user) : user).copy(out, i * this.sectorSize);
    }
    return out;
  }
  readUserData(lba: number, count: number, into?: Buffer): Buffer {
    const out = into ? into.fill(0) : Buffer.alloc(count * 2048);
    for (let i = 0; i < count; i++) if (lba + i >= 0 && lba + i < this.blocks) pressedBlock(lba + i).copy(out, i * 2048);
    return out;
  }
  extent(): number { return this.blocks; }
  written(lba: number): boolean { return lba >= 0 && lba < this.blocks; }
  truncate(): void { throw new CheckCondition(Sense.WRITE_PROTECTED); }
  sync(): void {}
  close(): void {}
}

/**
 * A pressed CD-ROM / DVD-ROM without an image: one closed mode-1 data track filling the format (CD-ROM
 * 79:59:74 = 359 849 blocks, DVD-ROM single layer 2 295 104 blocks), block N holding `pressedBlock(N)`.
 */
function pressedDisc(kind: MediaKind): Medium {
  const n = MEDIA[kind].capacity;
  const cd = MEDIA[kind].family === 'cd';
  return new Disc(romState(kind, [{ number: 1, pregapStart: 0, start: 0, recorded: n, control: 4, mode: 1 }], n), new PressedStore(cd, n));
}

function romState(kind: MediaKind, tracks: Omit<TrackRec, 'session' | 'closed'>[], leadOut: number): DiscJson {
  return {
    version: 1, kind, finalized: true, tocReadable: true,
    sessions: [{ number: 1, closed: true, leadOut, format: tracks.some((t) => t.mode === 2) ? 0x20 : 0 }],
    tracks: tracks.map((t) => ({ ...t, session: 1, closed: true })),
  };
}

interface CueTrack { number: number; mode: 'audio' | 1 | 2; index0?: number; index1?: number }

/** Parses the subset of CDRWIN cue sheets a single-file disc needs (FILE, TRACK, INDEX). */
export function parseCueFile(text: string, cueDir: string): { bin: string; tracks: CueTrack[] } {
  let bin: string | undefined;
  const tracks: CueTrack[] = [];
  for (const line of text.split(/\r?\n/)) {
    const f = /^\s*FILE\s+"?(.+?)"?\s+BINARY\s*$/i.exec(line);
    if (f) {
      if (bin !== undefined) throw new Error('cue: only single-FILE cue sheets are supported');
      bin = path.resolve(cueDir, f[1]!);
      continue;
    }
    const t = /^\s*TRACK\s+(\d+)\s+(AUDIO|MODE1\/2352|MODE2\/2352)\s*$/i.exec(line);
    if (t) {
      const m = t[2]!.toUpperCase();
      tracks.push({ number: Number(t[1]), mode: m === 'AUDIO' ? 'audio' : m.startsWith('MODE1') ? 1 : 2 });
      continue;
    }
    const ix = /^\s*INDEX\s+(\d+)\s+(\d+):(\d+):(\d+)\s*$/.exec(line);
    if (ix) {
      const cur = tracks[tracks.length - 1];
      if (!cur) throw new Error('cue: INDEX before TRACK');
      const frames = (Number(ix[2]) * 60 + Number(ix[3])) * 75 + Number(ix[4]);
      if (Number(ix[1]) === 0) cur.index0 = frames;
      else if (Number(ix[1]) === 1) cur.index1 = frames;
    }
  }
  if (bin === undefined || tracks.length === 0) throw new Error('cue: needs a FILE and at least one TRACK');
  for (const t of tracks) if (t.index1 === undefined) throw new Error(`cue: track ${t.number} has no INDEX 01`);
  return { bin, tracks };
}

export function loadMedium(file: string): Medium {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.iso') {
    const size = fs.statSync(file).size;
    if (size % 2048 !== 0 || size === 0) throw new TypeError(`path: ${file} is not whole 2048-byte sectors`);
    const n = size / 2048;
    const kind: MediaKind = n <= MEDIA['cd-rom'].capacity ? 'cd-rom' : 'dvd-rom';
    if (n > MEDIA['dvd-rom'].capacity) throw new TypeError(`path: ${file} (${n} blocks) is larger than a DVD-ROM`);
    const st = romState(kind, [{ number: 1, pregapStart: 0, start: 0, recorded: n, control: 4, mode: 1 }], n);
    return new Disc(st, new ImageStore(file, 2048, kind === 'cd-rom', n));
  }
  if (ext === '.bin' || ext === '.cue') {
    let bin = file;
    let cueTracks: CueTrack[] | undefined;
    if (ext === '.cue') ({ bin, tracks: cueTracks } = parseCueFile(fs.readFileSync(file, 'utf8'), path.dirname(file)));
    const size = fs.statSync(bin).size;
    if (size % CD_SECTOR !== 0 || size === 0) throw new TypeError(`path: ${bin} is not whole 2352-byte sectors`);
    const n = size / CD_SECTOR;
    if (n > MEDIA['cd-rom'].capacity) throw new TypeError(`path: ${bin} does not fit an 80-minute CD`);
    const store = new ImageStore(bin, 2352, true, n);
    if (!cueTracks) {
      const mode = sectorMode(store.read(0, 1).subarray(0, CD_SECTOR), false);
      cueTracks = [{ number: 1, mode: mode === 'audio' ? 'audio' : mode === 'mode1' ? 1 : 2, index1: 0 }];
    }
    const tracks = cueTracks.map((t, i) => {
      const next = cueTracks![i + 1];
      const end = next ? next.index0 ?? next.index1! : n;
      return { number: t.number, pregapStart: t.index0 ?? t.index1!, start: t.index1!, recorded: end - t.index1!, control: t.mode === 'audio' ? 0 : 4, mode: t.mode };
    });
    return new Disc(romState('cd-rom', tracks, n), store);
  }
  const base = ext === '.json' || ext === '.img' ? file.slice(0, -ext.length) : file;
  if (!fs.existsSync(base + '.json')) throw new TypeError(`path: ${file} is neither a saved disc nor an .iso/.bin/.cue image`);
  return Disc.open(base);
}

/**
 * Writes the program area of a CD as `<name>.bin` (2352-byte sectors from LBA 0 to the last lead-out)
 * and `<name>.cue`; returns their paths. Gaps between sessions are exported as the zero sectors they
 * read as. DVD/BD or an unreadable disc → TypeError.
 */
export function exportBinCue(medium: Medium, dir: string, name = 'disc'): { bin: string; cue: string } {
  if (!(medium instanceof Disc) || !medium.isCd) throw new TypeError('medium: only CDs export as .bin/.cue');
  const toc = medium.toc();
  const leadOut = toc.descriptors[toc.descriptors.length - 1]!.lba;
  fs.mkdirSync(dir, { recursive: true });
  const bin = path.join(dir, name + '.bin');
  const cue = path.join(dir, name + '.cue');
  const fd = fs.openSync(bin, 'w');
  try {
    for (let lba = 0; lba < leadOut; lba += 256) {
      const n = Math.min(256, leadOut - lba);
      const raw = medium.store.read(lba, n);
      const out = Buffer.alloc(n * CD_SECTOR);
      for (let i = 0; i < n; i++) raw.copy(out, i * CD_SECTOR, i * CD_STORE_SECTOR, i * CD_STORE_SECTOR + CD_SECTOR);
      fs.writeSync(fd, out);
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  const msf = (lba: number) => formatMsf(lbaToMsf(lba - 150));
  const lines = [`FILE "${name}.bin" BINARY`];
  for (const t of medium.st.tracks.filter((x) => x.closed)) {
    lines.push(`  TRACK ${String(t.number).padStart(2, '0')} ${t.mode === 'audio' ? 'AUDIO' : t.mode === 1 ? 'MODE1/2352' : 'MODE2/2352'}`);
    if (t.pregapStart < t.start && t.pregapStart >= 0) lines.push(`    INDEX 00 ${msf(t.pregapStart)}`);
    lines.push(`    INDEX 01 ${msf(t.start)}`);
  }
  fs.writeFileSync(cue, lines.join('\n') + '\n');
  return { bin, cue };
}
