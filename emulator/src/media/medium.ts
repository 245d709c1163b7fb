/**
 * The medium model the emulated drive calls: what is on the disc, how it is written, how it persists.
 *
 * One `Medium` per inserted disc. The drive's command handlers decode CDBs, check drive-level
 * conditions (tray, reservations, unit attentions), then call these methods; every method validates
 * all of its arguments against the disc's state BEFORE it changes anything, and reports a failure by
 * throwing `CheckCondition` with the exact MMC sense (MMC-6 Annex F), which the handler returns as is.
 *
 * Addresses are LBAs (MMC-6 §4.2.3.5): on CD, LBA 0 is MSF 00:02:00 and the lead-in lies at negative
 * LBAs (ATIP lead-in start, e.g. 97:26:66 = LBA −11634). DVD/BD LBAs start at 0.
 *
 * All methods are synchronous: a disc is a file written through with positioned writes, so a
 * command's effect is on disk (page cache) when the call returns; `synchronizeCache`, `closeTrack`
 * and `closeSession` fsync. The caller owns timing (speed model: see `write-buffer.ts`).
 *
 * This file is the contract the drive codes against: it only grows (new members), never changes.
 */
import type { Msf } from '@openimapi/sdk';
import type { MediaKind, MediaProfile } from './catalog.js';

export type { MediaKind, MediaProfile } from './catalog.js';

/** Recording state of the disc (READ DISC INFORMATION "disc status"). */
export type DiscState = 'blank' | 'appendable' | 'complete';

/** READ DISC INFORMATION "state of last session". */
export type SessionState = 'empty' | 'incomplete' | 'reserved' | 'complete';

/**
 * Page 05h WRITE TYPE / DATA BLOCK TYPE (with the block size the host sends for each) and the BLANK
 * types are the sdk's codec constants, re-exported so the medium and the drive share one definition:
 * `WriteType` (TRACK_AT_ONCE, SESSION_AT_ONCE, RAW, ...), `DataBlockType` (RAW_PQ, MODE_1, ...),
 * `dataBlockSize`, `BlankingType` (FULL, MINIMAL, ..., LAST_SESSION).
 */
export { BlankingType, DataBlockType, WriteType, dataBlockSize } from '@openimapi/sdk';

/**
 * The write parameters page (05h) values that shape a WRITE, as the drive holds them when the WRITE
 * arrives. DVD/BD writes ignore the CD-only fields.
 */
export interface WriteContext {
  /** WriteType.* (page 05h byte 2 bits 3..0). */
  readonly writeType: number;
  /** DataBlockType.* (page 05h byte 4 bits 3..0). CD only; DVD/BD data is always 2048. */
  readonly dataBlockType: number;
  /** TRACK MODE: the Q control nibble (page 05h byte 3 bits 3..0): bit 2 data, bit 0 pre-emphasis / incremental, bit 1 copy permitted, bit 3 four-channel. */
  readonly trackMode: number;
  /** MULTI-SESSION (page 05h byte 3 bits 7..6): 00b next session not allowed (finalize), 01b B0 = FF:FF:FF, 11b next session allowed. */
  readonly multiSession: number;
  /** SESSION FORMAT (page 05h byte 8): 00h CD-DA/CD-ROM, 10h CD-I, 20h CD-ROM XA. */
  readonly sessionFormat: number;
  /** TEST WRITE: nothing is recorded, the disc does not change (page 05h byte 2 bit 4). */
  readonly testWrite: boolean;
  /** BUFE: buffer underrun free recording (page 05h byte 2 bit 6). */
  readonly bufe: boolean;
  /** FP / packet size for packet writing (ignored unless writeType is PACKET_INCREMENTAL on CD). */
  readonly fixedPacket?: boolean;
  readonly packetSize?: number;
  /** Media catalog number (13 digits) from page 05h bytes 16-31, when MCVAL. */
  readonly mcn?: string;
  /** ISRC (12 characters) from page 05h bytes 32-47, when TCVAL. */
  readonly isrc?: string;
  /** Mode 2 subheader (4 bytes, repeated) for data block types 10 and 12. */
  readonly subheader?: Uint8Array;
}

/** A track as the medium knows it (one entry of READ TRACK INFORMATION, plus the TOC's view). */
export interface TrackInfo {
  readonly number: number;
  readonly session: number;
  /** First user-data LBA (after the pregap on CD). */
  readonly start: number;
  /** Track size in blocks (the reserved/fixed size, or the recorded size of a closed track). */
  readonly size: number;
  /** Q control nibble: bit 2 data track, bit 1 copy permitted, bit 0 pre-emphasis (audio) / incremental (data). */
  readonly control: number;
  readonly adr: number;
  /** 'audio' for CD-DA; data tracks: 1 = mode 1 (and all DVD/BD), 2 = mode 2. */
  readonly mode: 'audio' | 1 | 2;
  readonly isrc?: string;
  /** Nothing written in it yet. */
  readonly blank: boolean;
  /** Created by RESERVE TRACK or a cue sheet (RT). */
  readonly reserved: boolean;
  /** The open track at the end of an appendable disc that grows as it is written. */
  readonly invisible: boolean;
  /** Written into but not closed. */
  readonly incomplete: boolean;
  /** Next writable address when the track can be written (NWA_V), else undefined. */
  readonly nextWritable: number | undefined;
  /** Free blocks left in the track. */
  readonly freeBlocks: number;
  /** Last recorded address (LRA_V) when anything is recorded. */
  readonly lastRecorded: number | undefined;
  /** Packet/incremental recording (PACKET/INC bit) and fixed packet size; 0 when not packet. */
  readonly packet: boolean;
  readonly fixedPacketSize: number;
  /** READ TRACK INFORMATION "data mode" (1 mode 1, 2 mode 2, 0Fh unknown/blank). */
  readonly dataMode: number;
}

export interface SessionInfo {
  readonly number: number;
  readonly state: SessionState;
  /** Lead-in start of the session (CD; LBA) and its lead-out start when the session is closed. */
  readonly leadIn: number | undefined;
  readonly leadOut: number | undefined;
  readonly firstTrack: number;
  readonly lastTrack: number;
  /** Session format (00h CD-DA/CD-ROM, 10h CD-I, 20h CD-ROM XA) as written. */
  readonly format: number;
}

/** The plain fields of READ DISC INFORMATION, data type 000b (MMC-6 Table 508). */
export interface DiscInformation {
  readonly erasable: boolean;
  readonly lastSessionState: SessionState;
  readonly discStatus: 'empty' | 'incomplete' | 'finalized' | 'random-access';
  readonly firstTrack: number;
  readonly sessions: number;
  readonly firstTrackInLastSession: number;
  readonly lastTrackInLastSession: number;
  /** Unrestricted use (URU): always true here. */
  readonly unrestrictedUse: boolean;
  /** Background format status (DVD+RW/BD-RE: 3 = complete; 0 otherwise). */
  readonly bgFormatStatus: number;
  /** Disc type byte: 00h CD-DA/CD-ROM, 10h CD-I, 20h CD-ROM XA, FFh undefined (DVD/BD: 00h). */
  readonly discType: number;
  /** Next session's lead-in start (CD) or FFFFFFFFh-equivalent `undefined` when no session can follow. */
  readonly lastSessionLeadIn: number | undefined;
  /** Last possible lead-out start (CD) / last possible address + 1 (DVD/BD); undefined when complete. */
  readonly lastPossibleLeadOut: number | undefined;
}

/** READ TOC/PMA/ATIP format 0000b (formatted TOC) / 0001b (multi-session) track descriptor. */
export interface TocTrackDescriptor {
  readonly adr: number;
  readonly control: number;
  /** Track number, AAh for the lead-out. */
  readonly track: number;
  readonly lba: number;
}

export interface FormattedToc {
  readonly firstTrack: number;
  readonly lastTrack: number;
  /** Tracks in order, then the lead-out (AAh) of the last complete session. */
  readonly descriptors: readonly TocTrackDescriptor[];
}

export interface SessionToc {
  readonly firstSession: number;
  /** Last COMPLETE session. */
  readonly lastSession: number;
  /** First track of the last complete session. */
  readonly firstTrackInLastSession: TocTrackDescriptor;
}

/**
 * A full TOC descriptor (format 0010b, MMC-6 Table 495): one mode-1 Q entry of a session's lead-in.
 * POINT 01h-63h tracks (PMIN/PSEC/PFRAME = start, BCD in the Q, binary here), A0h first track (PMIN),
 * A1h last track, A2h lead-out start, B0h next program area start (MIN/SEC/FRAME) and last possible
 * lead-out (PMIN/PSEC/PFRAME), C0h (ADR 5) writing power / first lead-in of the disc.
 */
export interface FullTocEntry {
  readonly session: number;
  readonly adr: number;
  readonly control: number;
  readonly tno: number;
  readonly point: number;
  readonly min: number;
  readonly sec: number;
  readonly frame: number;
  readonly zero: number;
  readonly pmin: number;
  readonly psec: number;
  readonly pframe: number;
}

export interface FullToc {
  readonly firstSession: number;
  readonly lastSession: number;
  readonly entries: readonly FullTocEntry[];
}

/** READ TOC format 0100b (ATIP, MMC-6 Table 499), CD-R/RW only. */
export interface Atip {
  /** Indicative target writing power (3 bits) and reference speed (3 bits). */
  readonly writingPower: number;
  readonly referenceSpeed: number;
  readonly unrestrictedUse: boolean;
  /** Disc type bit: true for CD-RW. */
  readonly cdrw: boolean;
  /** Disc sub-type (3 bits). */
  readonly discSubType: number;
  readonly leadInStart: Msf;
  readonly lastPossibleLeadOutStart: Msf;
  /** A1/A2/A3 values (3 bytes each) when valid. */
  readonly a1?: readonly [number, number, number];
  readonly a2?: readonly [number, number, number];
  readonly a3?: readonly [number, number, number];
}

/** One SEND CUE SHEET entry (MMC-6 Table 613), 8 bytes each, fields decoded (MSF binary). */
export interface CueSheetEntry {
  /** CTL/ADR byte split: control (high nibble) and ADR (low nibble: 1 position, 2 MCN, 3 ISRC). */
  readonly control: number;
  readonly adr: number;
  /** TNO: 00h lead-in, 01h-63h tracks, AAh lead-out. */
  readonly tno: number;
  /** INDEX: 00h pregap, 01h.. */
  readonly index: number;
  /** DATA FORM (main data form bits 5..0 plus SC/sub-channel bits 7..6). */
  readonly dataForm: number;
  /** SCMS byte. */
  readonly scms: number;
  /** Absolute time where this entry starts (MSF binary, e.g. 00:00:00 for LBA −150). */
  readonly msf: Msf;
  /** For ADR 2/3 entries: the raw 7 bytes of MCN/ISRC text after the CTL/ADR byte. */
  readonly text?: Uint8Array;
}

/** READ CD field selection (MMC-6 Table 387 bytes 1 and 9-10). */
export interface ReadCdSelection {
  /** Expected sector type: 0 any, 1 CD-DA, 2 mode 1, 3 mode 2 formless, 4 mode 2 form 1, 5 mode 2 form 2. */
  readonly sectorType: number;
  readonly sync: boolean;
  /** Header codes: 0 none, 1 header, 2 subheader, 3 both. */
  readonly headerCodes: number;
  readonly userData: boolean;
  readonly edcEcc: boolean;
  /** C2 error information: 0 none, 1 294 bytes, 2 296 bytes (block + C2). Returned as zeros: no errors. */
  readonly c2: number;
  /** Sub-channel selection: 0 none, 1 raw P-W (96), 2 formatted Q (16), 4 corrected and de-interleaved R-W (96). */
  readonly subChannel: number;
}

export interface EraseResult {
  /** How many blocks the erase covered (the drive times the operation from this). */
  readonly blocks: number;
}

export interface Medium {
  readonly kind: MediaKind;
  /** MMC profile number (GET CONFIGURATION current profile). */
  readonly profile: number;
  /** Catalog entry: family, capacity, speeds, write types, ATIP defaults. */
  readonly info: MediaProfile;
  /** Where the disc lives on disk (image path), or undefined for an in-memory disc. */
  readonly imagePath: string | undefined;

  /** blank / appendable (last session incomplete or another can be added) / complete (closed). */
  readonly state: DiscState;
  /** Media catalog number recorded with the disc (page 05h MCN or the cue sheet), if any. */
  readonly mcn: string | undefined;
  /** False when the TOC could not be recovered (a RAW image with no valid lead-in Q): READ TOC and READs of the program area fail with 03/57/00. */
  readonly tocReadable: boolean;
  /** User capacity in blocks: the catalog's (`info.capacity`) less the spare areas a BD-R format set aside. */
  readonly capacityBlocks: number;

  sessions(): readonly SessionInfo[];
  /** All tracks, including the invisible/incomplete one at the end of an appendable disc. */
  tracks(): readonly TrackInfo[];
  /** READ DISC INFORMATION. */
  discInformation(): DiscInformation;
  /**
   * READ TRACK INFORMATION. `type`: 0 LBA (the track containing it), 1 track number (FFh = invisible
   * track on CD), 2 session number (its first track). Out-of-range → 05/24/00 INVALID FIELD IN CDB.
   */
  trackInformation(type: 0 | 1 | 2, value: number): TrackInfo;
  /** Next writable address of the invisible/open track, undefined when the disc cannot be appended. */
  nextWritableAddress(): number | undefined;
  /** Free blocks left for recording (0 on a complete or ROM disc). */
  freeBlocks(): number;
  /** READ CAPACITY: last readable LBA (−1 on a blank disc... reported as 0 blocks) and block length 2048. */
  capacity(): { lastLba: number; blockLength: number };

  /** READ TOC format 0. Blank disc → 05/24/00 (as drives do); unreadable → 03/57/00. */
  toc(): FormattedToc;
  /** READ TOC format 1. */
  sessionToc(): SessionToc;
  /** READ TOC format 2 (CD only; DVD/BD → 05/24/00). */
  fullToc(): FullToc;
  /** READ TOC format 4 (CD-R/RW only; others → 05/24/00). */
  atip(): Atip;

  /**
   * READ(10/12): `count` blocks of 2048 bytes of user data starting at `lba`. Unwritten area → 08/00/00
   * BLANK CHECK (with INFORMATION = the first unwritten LBA); past the end → 05/21/00; an audio sector
   * → 05/64/00 ILLEGAL MODE FOR THIS TRACK; mode 2 form 2 → 05/64/00. `into`: a buffer of exactly
   * `count` × 2048 bytes to fill and return instead of a new one (a pooled Data-In buffer).
   */
  read(lba: number, count: number, into?: Buffer): Buffer;
  /**
   * READ CD (CD only): per block the selected fields of the 2352-byte sector, then the C2 bytes, then
   * the selected sub-channel. Expected sector type mismatch → 05/64/00.
   */
  readCd(lba: number, count: number, sel: ReadCdSelection): Buffer;
  /** The stored 2352-byte main channel + 96-byte raw P-W of one CD sector (lead-in included). */
  readRawSector(lba: number): { main: Buffer; subchannel: Buffer };

  /**
   * WRITE(10/12): `data` holds whole blocks of the size the context's data block type implies (2048 on
   * DVD/BD). Validates the address against the write type: TAO/incremental/sequential only at the NWA
   * (else 05/21/02 INVALID ADDRESS FOR WRITE); SAO/RAW continuous from the cue sheet / ATIP lead-in start;
   * overwrite media anywhere in the formatted area (past it 05/21/00). ROM → 07/27/00; a write type the
   * medium cannot do → 05/30/05 (CANNOT WRITE MEDIUM, INCOMPATIBLE FORMAT) or 05/64/00 for a track-mode
   * mismatch. Data not a whole number of blocks → 05/24/00. Test write changes nothing.
   * `blocks` is the CDB's TRANSFER LENGTH: in SAO the size of each block depends on the cue sheet region
   * it falls in, so the medium splits `data` and checks that it holds exactly that many blocks.
   */
  write(lba: number, data: Uint8Array, ctx: WriteContext, blocks?: number): void;
  /** SEND CUE SHEET (SAO): lays out the session; the next WRITE starts at the first entry's address. */
  sendCueSheet(entries: readonly CueSheetEntry[], ctx: WriteContext): void;
  /** RESERVE TRACK (ARSV=0): reserves `size` blocks for the invisible track; returns the new track. */
  reserveTrack(size: number): TrackInfo;
  /**
   * CLOSE TRACK: pads nothing; a reserved track not fully written → 05/72/04; fsyncs and saves the state.
   * `track` FFh or the invisible track number: closes the open track.
   */
  closeTrack(track: number): void;
  /**
   * CLOSE SESSION: closes an open (incomplete) invisible track first, then writes the session's
   * lead-in/lead-out. `nextSessionAllowed` false finalizes the disc (state complete), true leaves it
   * appendable (CD: the next session's first track starts 6750 + 4500 + 150 blocks after the first
   * session's lead-out start, 2250 + 4500 + 150 after later ones). Errors: nothing recorded in the
   * session → 05/2C/00 COMMAND SEQUENCE ERROR; a reserved track not fully written → 05/72/03 SESSION
   * FIXATION ERROR - INCOMPLETE TRACK IN SESSION; complete disc → 05/21/02. Fsyncs, then saves.
   */
  closeSession(nextSessionAllowed: boolean): void;
  /**
   * BLANK (rewritable only; write-once/overwrite media → 05/30/05, ROM → 07/27/00). Types (BlankingType):
   * FULL and MINIMAL make the disc blank; UNRESERVE_TRACK gives back an unwritten reservation;
   * UNCLOSE_LAST_SESSION reopens the last complete session; LAST_SESSION erases the last session with
   * data; nothing to do for the type → 05/2C/00; TRACK / TRACK_TAIL → 05/24/00. Returns blocks covered.
   */
  blank(type: number, trackOrLba?: number): EraseResult;
  /** How many blocks BLANK of this type would cover, without doing it. */
  eraseExtent(type: number): EraseResult;
  /**
   * FORMAT UNIT. DVD+RW/BD-RE (full format): always formatted here, the data stays; returns the blocks
   * covered. A blank BD-R: sets `spareBlocks` aside for defect management (the user capacity shrinks
   * by that much) and stays blank, recorded sequentially; a BD-R with data → 05/30/06. Others → 05/30/06.
   */
  format(opts?: { spareBlocks?: number }): EraseResult;
  /**
   * SYNCHRONIZE CACHE: ends a DAO/RAW write if the whole layout was written; fsyncs the image.
   * `endTrack` (CD recorded Track-At-Once): the laser stops, so the track being written ends there —
   * the invisible track is closed (run-out, next track after its pregap), as CLOSE TRACK would.
   * `discAtOnce` (DVD-R/-RW recorded Disc-At-Once, write type 2): once the reserved track is written
   * to its end, the drive writes the lead-out — the track, the session and the disc are closed.
   */
  synchronizeCache(opts?: { endTrack?: boolean; discAtOnce?: boolean }): void;

  /** Writes the JSON state atomically (temp + fsync + rename) after fsyncing the image. */
  save(): void;
  /** Saves (when file-backed) and closes the image file. The medium is unusable afterwards. */
  close(): void;
}

/** Options of `createMedium(kind, opts)` (exported from `./index.js`). */
export interface CreateMediumOptions {
  /** Directory that holds the disc's files (`<name>.img` + `<name>.json`); omitted: in-memory disc. */
  readonly dataDir?: string;
  /** File base name; default `<kind>-<timestamp>`. */
  readonly name?: string;
}

