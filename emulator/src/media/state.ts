/**
 * The persisted state of a disc (the small JSON file next to its image) and its atomic save.
 *
 * Invariant: while the disc is not finalized, the last session is the open one (closed false) and its
 * last track is the open track (closed false): the invisible track (no `reservedSize`) or a reserved one.
 * The image file is the truth for how much of the open track was recorded: on load, the open track's
 * `recorded` is raised to what the file holds (a crash between a WRITE and the next save loses nothing
 * that reached the file, and the session reads back as incomplete, as on a real drive).
 *
 * Save order (write-through): fsync the image, write `<name>.json.tmp`, fsync it, rename over
 * `<name>.json`, fsync the directory. A crash at any point leaves either the old or the new JSON.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CueSheetEntry, FullTocEntry } from './medium.js';
import type { MediaKind } from './catalog.js';

export interface TrackRec {
  number: number;
  session: number;
  /** LBA of INDEX 00 (pregap start); equals `start` when there is no pregap. */
  pregapStart: number;
  /** LBA of INDEX 01. */
  start: number;
  /** Fixed size from RESERVE TRACK or a cue sheet. */
  reservedSize?: number;
  /** Blocks recorded from `start` (closed track: its size, run-out included). */
  recorded: number;
  closed: boolean;
  control: number;
  mode: 'audio' | 1 | 2;
  isrc?: string;
}

export interface SessionRec {
  number: number;
  /** CD: lead-in start LBA; DVD/BD: undefined. */
  leadIn?: number;
  /** Lead-out start (closed session). */
  leadOut?: number;
  closed: boolean;
  format: number;
  /** Full TOC entries as recovered from the lead-in (RAW recording); generated from tracks otherwise. */
  rawToc?: FullTocEntry[];
}

/** A disc-at-once recording in progress (SAO after SEND CUE SHEET, or RAW). */
export interface DaoPlan {
  type: 'sao' | 'raw';
  /** First LBA the host writes, next LBA it must write, LBA where host data ends (lead-out start for SAO). */
  start: number;
  next: number;
  end: number | undefined;
  /** RAW: data block type (1, 2, 3); SAO: the cue entries. */
  dataBlockType?: number;
  cue?: CueSheetEntry[];
  /** MULTI-SESSION field at the time the recording started. */
  multiSession: number;
}

export interface DiscJson {
  version: 1;
  kind: MediaKind;
  sessions: SessionRec[];
  tracks: TrackRec[];
  finalized: boolean;
  /** False when a RAW recording's lead-in carried no usable TOC. */
  tocReadable: boolean;
  dao?: DaoPlan;
  mcn?: string;
  /** BD-R formatted with spare areas: blocks set aside at the end of the user area. */
  spareBlocks?: number;
}

/** Writes `json` to `file` atomically (temp + fsync + rename + directory fsync). */
export function writeJsonAtomic(file: string, json: unknown): void {
  const tmp = file + '.tmp';
  const fd = fs.openSync(tmp, 'w', 0o644);
  try {
    fs.writeSync(fd, JSON.stringify(json, null, 1) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  try {
    const dfd = fs.openSync(path.dirname(file), 'r');
    try { fs.fsyncSync(dfd); } finally { fs.closeSync(dfd); }
  } catch {
    // Directories cannot be opened for fsync on some platforms (Windows); the rename is still atomic.
  }
}

/** Reads and shape-checks a disc state file; throws Error naming the file when it is not one. */
export function readDiscJson(file: string): DiscJson {
  const j = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DiscJson>;
  if (j.version !== 1 || typeof j.kind !== 'string' || !Array.isArray(j.sessions) || !Array.isArray(j.tracks)) {
    throw new Error(`${file}: not a disc state file (version 1)`);
  }
  return { tocReadable: true, finalized: false, ...j } as DiscJson;
}
