/**
 * GET CONFIGURATION (46h) — MMC-6 (T10/1836-D r2g) §6.6; features and profiles from MMC-6 clause 5.
 *
 * CDB (MMC-6 table "GET CONFIGURATION CDB"):
 *   byte 0     OPERATION CODE (46h)
 *   byte 1     Reserved (7..2) | RT (1..0): 00b all features ≥ start, 01b current features ≥ start,
 *              10b the one feature numbered start, 11b reserved
 *   bytes 2-3  STARTING FEATURE NUMBER
 *   bytes 4-6  Reserved
 *   bytes 7-8  ALLOCATION LENGTH
 *   byte 9     CONTROL
 *
 * Reply (MMC-6 table "Feature Header"):
 *   bytes 0-3  DATA LENGTH (bytes that follow this field: reply length − 4)
 *   bytes 4-5  Reserved
 *   bytes 6-7  CURRENT PROFILE
 *   bytes 8..  Feature descriptors, in increasing feature-code order
 * Feature descriptor (MMC-6 table "Feature Descriptor generic format"):
 *   bytes 0-1  FEATURE CODE
 *   byte 2     Reserved (7..6) | VERSION (5..2) | PERSISTENT (1) | CURRENT (0)
 *   byte 3     ADDITIONAL LENGTH (n − 3)
 *   bytes 4..n Feature dependent data
 *
 * Typed feature bodies (offsets are from the descriptor's byte 0; MMC-6 §5.3.x tables):
 *   0000h Profile List      4.. profile descriptors: 0-1 PROFILE NUMBER, 2 CurrentP (0), 3 reserved
 *   0001h Core              4-7 PHYSICAL INTERFACE STANDARD; 8 INQ2 (1) DBE (0)
 *   0002h Morphing          4 OCEvent (1) ASYNC (0)
 *   0003h Removable Medium  4 LOADING MECHANISM TYPE (7..5) Load (4) Eject (3) Pvnt Jmpr (2) DBML (1) Lock (0)
 *   0010h Random Readable   4-7 LOGICAL BLOCK SIZE; 8-9 BLOCKING; 10 PP (0)
 *   001Dh Multi-Read        (no data)
 *   001Eh CD Read           4 DAP (7) C2 Flags (1) CD-Text (0)
 *   001Fh DVD Read          4 MULTI110 (0); 6 DualRW (1) DualR (0)
 *   0021h Incremental Streaming Writable
 *                           4-5 DATA BLOCK TYPES SUPPORTED; 6 TRIO (2) ARSV (1) BUF (0);
 *                           7 NUMBER OF LINK SIZES; 8.. LINK SIZE bytes, padded to a multiple of 4
 *   0023h Formattable       4 RENoSA (3) Expand (2) QCert (1) Cert (0); 8 RRM (0)
 *   002Ah DVD+RW            4 Write (0); 5 Quick Start (1) Close Only (0)
 *   002Bh DVD+R             4 Write (0)
 *   002Dh CD Track at Once  4 BUF (6) R-W Raw (4) R-W Pack (3) Test Write (2) CD-RW (1) R-W Sub-code (0);
 *                           6-7 DATA TYPE SUPPORTED
 *   002Eh CD Mastering      4 BUF (6) SAO (5) Raw MS (4) Raw (3) Test Write (2) CD-RW (1) R-W (0);
 *                           5-7 MAXIMUM CUE SHEET LENGTH
 *   002Fh DVD-R/-RW Write   4 BUF (6) RDL (3) Test Write (2) DVD-RW SL (1)
 *   0040h BD Read           8-15 BD-RE class 0..3 read bitmaps; 16-23 BD-R; 24-31 BD-ROM (2 bytes each)
 *   0041h BD Write          4 SVNR (0); 8-15 BD-RE class 0..3 write bitmaps; 16-23 BD-R
 *   0100h Power Management  (no data)
 *   0107h Real Time Streaming
 *                           4 RBCB (4) SCS (3) MP2A (2) WSPD (1) SW (0)
 * Any other feature code decodes as `kind: 'raw'` with its data bytes; a short typed body reads the
 * missing fields as zero (older feature versions are shorter). Decoding a feature never throws.
 */
import { ByteReader, ByteWriter } from '../../wire/bytes.js';
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidCdbField, invalidReply, replyReader, type CdbCommon } from '../codec.js';
import { expectOpcode, readControl, rejectBits, rejectBytes, uint, writeControl } from './cdb-fields.js';

/** Feature numbers (MMC-6 table "Feature Codes"), in numeric order — keep them so. */
export const Feature = {
  PROFILE_LIST: 0x0000,
  CORE: 0x0001,
  MORPHING: 0x0002,
  REMOVABLE_MEDIUM: 0x0003,
  WRITE_PROTECT: 0x0004,
  RANDOM_READABLE: 0x0010,
  MULTI_READ: 0x001d,
  CD_READ: 0x001e,
  DVD_READ: 0x001f,
  RANDOM_WRITABLE: 0x0020,
  INCREMENTAL_STREAMING_WRITABLE: 0x0021,
  FORMATTABLE: 0x0023,
  HARDWARE_DEFECT_MANAGEMENT: 0x0024,
  WRITE_ONCE: 0x0025,
  RESTRICTED_OVERWRITE: 0x0026,
  CD_RW_CAV_WRITE: 0x0027,
  MRW: 0x0028,
  ENHANCED_DEFECT_REPORTING: 0x0029,
  DVD_PLUS_RW: 0x002a,
  DVD_PLUS_R: 0x002b,
  RIGID_RESTRICTED_OVERWRITE: 0x002c,
  CD_TRACK_AT_ONCE: 0x002d,
  CD_MASTERING: 0x002e,
  DVD_R_RW_WRITE: 0x002f,
  LAYER_JUMP_RECORDING: 0x0033,
  LJ_RIGID_RESTRICTED_OVERWRITE: 0x0034,
  STOP_LONG_OPERATION: 0x0035,
  CD_RW_MEDIA_WRITE_SUPPORT: 0x0037,
  BD_R_POW: 0x0038,
  DVD_PLUS_RW_DUAL_LAYER: 0x003a,
  DVD_PLUS_R_DUAL_LAYER: 0x003b,
  BD_READ: 0x0040,
  BD_WRITE: 0x0041,
  TSR: 0x0042,
  HD_DVD_READ: 0x0050,
  HD_DVD_WRITE: 0x0051,
  HYBRID_DISC: 0x0080,
  POWER_MANAGEMENT: 0x0100,
  SMART: 0x0101,
  EMBEDDED_CHANGER: 0x0102,
  MICROCODE_UPGRADE: 0x0104,
  TIMEOUT: 0x0105,
  DVD_CSS: 0x0106,
  REAL_TIME_STREAMING: 0x0107,
  DRIVE_SERIAL_NUMBER: 0x0108,
  MEDIA_SERIAL_NUMBER: 0x0109,
  DISC_CONTROL_BLOCKS: 0x010a,
  DVD_CPRM: 0x010b,
  FIRMWARE_INFORMATION: 0x010c,
  AACS: 0x010d,
  VCPS: 0x0110,
} as const;

/** Profile numbers (MMC-6 table "Profile List"), in numeric order — keep them so. */
export const Profile = {
  NONE: 0x0000,
  NON_REMOVABLE_DISK: 0x0001,
  REMOVABLE_DISK: 0x0002,
  MO_ERASABLE: 0x0003,
  OPTICAL_WRITE_ONCE: 0x0004,
  AS_MO: 0x0005,
  CD_ROM: 0x0008,
  CD_R: 0x0009,
  CD_RW: 0x000a,
  DVD_ROM: 0x0010,
  DVD_R_SEQUENTIAL: 0x0011,
  DVD_RAM: 0x0012,
  DVD_RW_RESTRICTED_OVERWRITE: 0x0013,
  DVD_RW_SEQUENTIAL: 0x0014,
  DVD_R_DL_SEQUENTIAL: 0x0015,
  DVD_R_DL_LAYER_JUMP: 0x0016,
  DVD_RW_DL: 0x0017,
  DVD_DOWNLOAD: 0x0018,
  DVD_PLUS_RW: 0x001a,
  DVD_PLUS_R: 0x001b,
  DVD_PLUS_RW_DL: 0x002a,
  DVD_PLUS_R_DL: 0x002b,
  BD_ROM: 0x0040,
  BD_R_SRM: 0x0041,
  BD_R_RRM: 0x0042,
  BD_RE: 0x0043,
  HD_DVD_ROM: 0x0050,
  HD_DVD_R: 0x0051,
  HD_DVD_RAM: 0x0052,
  HD_DVD_RW: 0x0053,
  HD_DVD_R_DL: 0x0058,
  HD_DVD_RW_DL: 0x005a,
  NON_STANDARD: 0xffff,
} as const;

/** The common name of a profile ("DVD+R", "BD-RE", ...); unknown ones as `profile 0xNNNN`. */
export function profileName(profile: number): string {
  return PROFILE_NAMES[profile] ?? `profile 0x${profile.toString(16).padStart(4, '0')}`;
}

const PROFILE_NAMES: Record<number, string> = {
  [Profile.NON_REMOVABLE_DISK]: 'non-removable disk', [Profile.REMOVABLE_DISK]: 'removable disk',
  [Profile.MO_ERASABLE]: 'MO erasable', [Profile.OPTICAL_WRITE_ONCE]: 'optical write once', [Profile.AS_MO]: 'AS-MO',
  [Profile.CD_ROM]: 'CD-ROM', [Profile.CD_R]: 'CD-R', [Profile.CD_RW]: 'CD-RW',
  [Profile.DVD_ROM]: 'DVD-ROM', [Profile.DVD_R_SEQUENTIAL]: 'DVD-R', [Profile.DVD_RAM]: 'DVD-RAM',
  [Profile.DVD_RW_RESTRICTED_OVERWRITE]: 'DVD-RW (restricted overwrite)', [Profile.DVD_RW_SEQUENTIAL]: 'DVD-RW',
  [Profile.DVD_R_DL_SEQUENTIAL]: 'DVD-R DL', [Profile.DVD_R_DL_LAYER_JUMP]: 'DVD-R DL (layer jump)', [Profile.DVD_RW_DL]: 'DVD-RW DL',
  [Profile.DVD_DOWNLOAD]: 'DVD-Download', [Profile.DVD_PLUS_RW]: 'DVD+RW', [Profile.DVD_PLUS_R]: 'DVD+R',
  [Profile.DVD_PLUS_RW_DL]: 'DVD+RW DL', [Profile.DVD_PLUS_R_DL]: 'DVD+R DL',
  [Profile.BD_ROM]: 'BD-ROM', [Profile.BD_R_SRM]: 'BD-R', [Profile.BD_R_RRM]: 'BD-R (random recording)', [Profile.BD_RE]: 'BD-RE',
  [Profile.HD_DVD_ROM]: 'HD DVD-ROM', [Profile.HD_DVD_R]: 'HD DVD-R', [Profile.HD_DVD_RAM]: 'HD DVD-RAM', [Profile.HD_DVD_RW]: 'HD DVD-RW',
  [Profile.HD_DVD_R_DL]: 'HD DVD-R DL', [Profile.HD_DVD_RW_DL]: 'HD DVD-RW DL',
};

/** RT field of the CDB. */
export const GetConfigurationRt = {
  ALL: 0,
  CURRENT: 1,
  ONE: 2,
} as const;

/** Loading mechanism types of the Removable Medium feature (byte 4 bits 7..5). */
export const LoadingMechanism = {
  CADDY_SLOT: 0,
  TRAY: 1,
  POP_UP: 2,
  CHANGER_INDIVIDUAL_DISCS: 4,
  CHANGER_MAGAZINE: 5,
} as const;

// ---------------------------------------------------------------------------------------------
// CDB

export interface GetConfigurationCdb extends CdbCommon {
  /** 0 all, 1 current, 2 one (GetConfigurationRt). */
  rt: number;
  startingFeature: number;
  allocationLength: number;
}

export function encodeGetConfigurationCdb(p: GetConfigurationCdb): Buffer {
  uint('rt', p.rt, 2);
  uint('startingFeature', p.startingFeature, 0xffff);
  uint('allocationLength', p.allocationLength, 0xffff);
  const w = new ByteWriter(10);
  w.u8(0, Opcode.GET_CONFIGURATION);
  w.u8(1, p.rt);
  w.u16(2, p.startingFeature);
  w.u16(7, p.allocationLength);
  writeControl(w, 9, p.control);
  return w.buffer;
}

export function decodeGetConfigurationCdb(cdb: Uint8Array): GetConfigurationCdb {
  const what = 'GET CONFIGURATION CDB';
  const r = cdbReader(cdb, 10, what);
  expectOpcode(r, Opcode.GET_CONFIGURATION, what);
  rejectBits(r, 1, 0xfc, what);
  const rt = r.bits(1, 0, 2);
  if (rt === 3) throw invalidCdbField(1, 'GET CONFIGURATION: RT 11b is reserved', 1);
  rejectBytes(r, 4, 6, what);
  return { rt, startingFeature: r.u16(2), allocationLength: r.u16(7), ...readControl(r, 9, what) };
}

// ---------------------------------------------------------------------------------------------
// Feature descriptors

interface FeatureHeader {
  /** Feature code; must match `kind` for typed features. */
  code: number;
  version: number;
  persistent: boolean;
  current: boolean;
}

export interface ProfileDescriptor {
  profile: number;
  currentP: boolean;
}

export interface ProfileListFeature extends FeatureHeader {
  kind: 'profileList';
  profiles: ProfileDescriptor[];
}
export interface CoreFeature extends FeatureHeader {
  kind: 'core';
  /** 1 SCSI, 2 ATAPI, 3 IEEE 1394-1995, 4 IEEE 1394A, 5 Fibre Channel, 6 IEEE 1394B, 7 Serial ATAPI, 8 USB. */
  physicalInterfaceStandard: number;
  inq2: boolean;
  dbe: boolean;
}
export interface MorphingFeature extends FeatureHeader {
  kind: 'morphing';
  ocEvent: boolean;
  async: boolean;
}
export interface RemovableMediumFeature extends FeatureHeader {
  kind: 'removableMedium';
  /** LoadingMechanism. */
  loadingMechanismType: number;
  load: boolean;
  eject: boolean;
  pvntJmpr: boolean;
  dbml: boolean;
  lock: boolean;
}
export interface RandomReadableFeature extends FeatureHeader {
  kind: 'randomReadable';
  logicalBlockSize: number;
  blocking: number;
  pp: boolean;
}
export interface MultiReadFeature extends FeatureHeader {
  kind: 'multiRead';
}
export interface CdReadFeature extends FeatureHeader {
  kind: 'cdRead';
  dap: boolean;
  c2Flags: boolean;
  cdText: boolean;
}
export interface DvdReadFeature extends FeatureHeader {
  kind: 'dvdRead';
  multi110: boolean;
  dualRw: boolean;
  dualR: boolean;
}
export interface IncrementalStreamingWritableFeature extends FeatureHeader {
  kind: 'incrementalStreamingWritable';
  /** Bit n set: data block type n supported (mode page 05h encoding). */
  dataBlockTypesSupported: number;
  trio: boolean;
  arsv: boolean;
  buf: boolean;
  linkSizes: number[];
}
export interface FormattableFeature extends FeatureHeader {
  kind: 'formattable';
  reNoSa: boolean;
  expand: boolean;
  qCert: boolean;
  cert: boolean;
  rrm: boolean;
}
export interface DvdPlusRwFeature extends FeatureHeader {
  kind: 'dvdPlusRw';
  write: boolean;
  quickStart: boolean;
  closeOnly: boolean;
}
export interface DvdPlusRFeature extends FeatureHeader {
  kind: 'dvdPlusR';
  write: boolean;
}
export interface CdTrackAtOnceFeature extends FeatureHeader {
  kind: 'cdTrackAtOnce';
  buf: boolean;
  rwRaw: boolean;
  rwPack: boolean;
  testWrite: boolean;
  cdRw: boolean;
  rwSubcode: boolean;
  /** Bit n set: data block type n supported (mode page 05h encoding). */
  dataTypeSupported: number;
}
export interface CdMasteringFeature extends FeatureHeader {
  kind: 'cdMastering';
  buf: boolean;
  sao: boolean;
  rawMs: boolean;
  raw: boolean;
  testWrite: boolean;
  cdRw: boolean;
  rw: boolean;
  maximumCueSheetLength: number;
}
export interface DvdRRwWriteFeature extends FeatureHeader {
  kind: 'dvdRRwWrite';
  buf: boolean;
  rdl: boolean;
  testWrite: boolean;
  dvdRwSl: boolean;
}
export interface BdReadFeature extends FeatureHeader {
  kind: 'bdRead';
  /** Class 0..3 bitmaps (16 bits each) for BD-RE, BD-R, BD-ROM. */
  bdReReadSupport: [number, number, number, number];
  bdRReadSupport: [number, number, number, number];
  bdRomReadSupport: [number, number, number, number];
}
export interface BdWriteFeature extends FeatureHeader {
  kind: 'bdWrite';
  svnr: boolean;
  bdReWriteSupport: [number, number, number, number];
  bdRWriteSupport: [number, number, number, number];
}
export interface PowerManagementFeature extends FeatureHeader {
  kind: 'powerManagement';
}
export interface RealTimeStreamingFeature extends FeatureHeader {
  kind: 'realTimeStreaming';
  rbcb: boolean;
  scs: boolean;
  mp2a: boolean;
  wspd: boolean;
  sw: boolean;
}
/** A feature this codec does not type: its data bytes as they are. */
export interface RawFeature extends FeatureHeader {
  kind: 'raw';
  data: Uint8Array;
}

export type FeatureDescriptor =
  | ProfileListFeature
  | CoreFeature
  | MorphingFeature
  | RemovableMediumFeature
  | RandomReadableFeature
  | MultiReadFeature
  | CdReadFeature
  | DvdReadFeature
  | IncrementalStreamingWritableFeature
  | FormattableFeature
  | DvdPlusRwFeature
  | DvdPlusRFeature
  | CdTrackAtOnceFeature
  | CdMasteringFeature
  | DvdRRwWriteFeature
  | BdReadFeature
  | BdWriteFeature
  | PowerManagementFeature
  | RealTimeStreamingFeature
  | RawFeature;

type Kind = FeatureDescriptor['kind'];
const kindCode: Record<Exclude<Kind, 'raw'>, number> = {
  profileList: Feature.PROFILE_LIST,
  core: Feature.CORE,
  morphing: Feature.MORPHING,
  removableMedium: Feature.REMOVABLE_MEDIUM,
  randomReadable: Feature.RANDOM_READABLE,
  multiRead: Feature.MULTI_READ,
  cdRead: Feature.CD_READ,
  dvdRead: Feature.DVD_READ,
  incrementalStreamingWritable: Feature.INCREMENTAL_STREAMING_WRITABLE,
  formattable: Feature.FORMATTABLE,
  dvdPlusRw: Feature.DVD_PLUS_RW,
  dvdPlusR: Feature.DVD_PLUS_R,
  cdTrackAtOnce: Feature.CD_TRACK_AT_ONCE,
  cdMastering: Feature.CD_MASTERING,
  dvdRRwWrite: Feature.DVD_R_RW_WRITE,
  bdRead: Feature.BD_READ,
  bdWrite: Feature.BD_WRITE,
  powerManagement: Feature.POWER_MANAGEMENT,
  realTimeStreaming: Feature.REAL_TIME_STREAMING,
};
const codeKind = new Map<number, Exclude<Kind, 'raw'>>(
  (Object.entries(kindCode) as [Exclude<Kind, 'raw'>, number][]).map(([k, c]) => [c, k]),
);

const b = (v: boolean, bit: number): number => (v ? 1 << bit : 0);
const quad = (r: ByteReader, off: number): [number, number, number, number] => [r.u16(off), r.u16(off + 2), r.u16(off + 4), r.u16(off + 6)];

/** Feature-dependent data bytes (descriptor bytes 4..) of one feature. */
function encodeFeatureData(f: FeatureDescriptor): Uint8Array {
  switch (f.kind) {
    case 'profileList': {
      const w = new ByteWriter(4 * f.profiles.length);
      f.profiles.forEach((p, i) => {
        w.u16(i * 4, uint('profile', p.profile, 0xffff));
        w.u8(i * 4 + 2, b(p.currentP, 0));
      });
      return w.buffer;
    }
    case 'core':
      return new ByteWriter(8).u32(0, uint('physicalInterfaceStandard', f.physicalInterfaceStandard, 0xffffffff)).u8(4, b(f.inq2, 1) | b(f.dbe, 0)).buffer;
    case 'morphing':
      return new ByteWriter(4).u8(0, b(f.ocEvent, 1) | b(f.async, 0)).buffer;
    case 'removableMedium':
      return new ByteWriter(4).u8(
        0,
        (uint('loadingMechanismType', f.loadingMechanismType, 7) << 5) | b(f.load, 4) | b(f.eject, 3) | b(f.pvntJmpr, 2) | b(f.dbml, 1) | b(f.lock, 0),
      ).buffer;
    case 'randomReadable':
      return new ByteWriter(8)
        .u32(0, uint('logicalBlockSize', f.logicalBlockSize, 0xffffffff))
        .u16(4, uint('blocking', f.blocking, 0xffff))
        .u8(6, b(f.pp, 0)).buffer;
    case 'multiRead':
    case 'powerManagement':
      return new Uint8Array(0);
    case 'cdRead':
      return new ByteWriter(4).u8(0, b(f.dap, 7) | b(f.c2Flags, 1) | b(f.cdText, 0)).buffer;
    case 'dvdRead':
      return new ByteWriter(4).u8(0, b(f.multi110, 0)).u8(2, b(f.dualRw, 1) | b(f.dualR, 0)).buffer;
    case 'incrementalStreamingWritable': {
      uint('linkSizes.length', f.linkSizes.length, 0xff);
      const len = 4 + Math.ceil(f.linkSizes.length / 4) * 4;
      const w = new ByteWriter(len)
        .u16(0, uint('dataBlockTypesSupported', f.dataBlockTypesSupported, 0xffff))
        .u8(2, b(f.trio, 2) | b(f.arsv, 1) | b(f.buf, 0))
        .u8(3, f.linkSizes.length);
      f.linkSizes.forEach((s, i) => w.u8(4 + i, uint('linkSize', s, 0xff)));
      return w.buffer;
    }
    case 'formattable':
      return new ByteWriter(8).u8(0, b(f.reNoSa, 3) | b(f.expand, 2) | b(f.qCert, 1) | b(f.cert, 0)).u8(4, b(f.rrm, 0)).buffer;
    case 'dvdPlusRw':
      return new ByteWriter(4).u8(0, b(f.write, 0)).u8(1, b(f.quickStart, 1) | b(f.closeOnly, 0)).buffer;
    case 'dvdPlusR':
      return new ByteWriter(4).u8(0, b(f.write, 0)).buffer;
    case 'cdTrackAtOnce':
      return new ByteWriter(4)
        .u8(0, b(f.buf, 6) | b(f.rwRaw, 4) | b(f.rwPack, 3) | b(f.testWrite, 2) | b(f.cdRw, 1) | b(f.rwSubcode, 0))
        .u16(2, uint('dataTypeSupported', f.dataTypeSupported, 0xffff)).buffer;
    case 'cdMastering':
      return new ByteWriter(4)
        .u8(0, b(f.buf, 6) | b(f.sao, 5) | b(f.rawMs, 4) | b(f.raw, 3) | b(f.testWrite, 2) | b(f.cdRw, 1) | b(f.rw, 0))
        .u24(1, uint('maximumCueSheetLength', f.maximumCueSheetLength, 0xffffff)).buffer;
    case 'dvdRRwWrite':
      return new ByteWriter(4).u8(0, b(f.buf, 6) | b(f.rdl, 3) | b(f.testWrite, 2) | b(f.dvdRwSl, 1)).buffer;
    case 'bdRead': {
      const w = new ByteWriter(28);
      [f.bdReReadSupport, f.bdRReadSupport, f.bdRomReadSupport].forEach((q, j) => q.forEach((v, i) => w.u16(4 + j * 8 + i * 2, uint('bd read bitmap', v, 0xffff))));
      return w.buffer;
    }
    case 'bdWrite': {
      const w = new ByteWriter(20).u8(0, b(f.svnr, 0));
      [f.bdReWriteSupport, f.bdRWriteSupport].forEach((q, j) => q.forEach((v, i) => w.u16(4 + j * 8 + i * 2, uint('bd write bitmap', v, 0xffff))));
      return w.buffer;
    }
    case 'realTimeStreaming':
      return new ByteWriter(4).u8(0, b(f.rbcb, 4) | b(f.scs, 3) | b(f.mp2a, 2) | b(f.wspd, 1) | b(f.sw, 0)).buffer;
    case 'raw':
      return f.data;
  }
}

/** One feature descriptor's bytes (header + data). */
export function encodeFeatureDescriptor(f: FeatureDescriptor): Buffer {
  if (f.kind !== 'raw' && f.code !== kindCode[f.kind]) {
    throw new TypeError(`feature kind ${f.kind} has code ${kindCode[f.kind].toString(16)}h, got ${f.code.toString(16)}h`);
  }
  uint('code', f.code, 0xffff);
  uint('version', f.version, 15);
  const data = encodeFeatureData(f);
  uint('additional length', data.length, 0xff);
  const w = new ByteWriter(4 + data.length);
  w.u16(0, f.code);
  w.u8(2, (f.version << 2) | b(f.persistent, 1) | b(f.current, 0));
  w.u8(3, data.length);
  w.bytes(4, data);
  return w.buffer;
}

/** Decodes one feature from its code, header byte 2 and data (zero-filled where short). Never throws. */
function decodeFeature(code: number, byte2: number, data: Uint8Array): FeatureDescriptor {
  const h = { code, version: (byte2 >> 2) & 0x0f, persistent: (byte2 & 2) !== 0, current: (byte2 & 1) !== 0 };
  const kind = codeKind.get(code);
  // Offsets below are relative to the data (descriptor byte 4 = data byte 0).
  const r = new ByteReader(data, { zeroFill: true });
  switch (kind) {
    case 'profileList': {
      const profiles: ProfileDescriptor[] = [];
      for (let o = 0; o + 4 <= data.length; o += 4) profiles.push({ profile: r.u16(o), currentP: r.bit(o + 2, 0) });
      return { kind, ...h, profiles };
    }
    case 'core':
      return { kind, ...h, physicalInterfaceStandard: r.u32(0), inq2: r.bit(4, 1), dbe: r.bit(4, 0) };
    case 'morphing':
      return { kind, ...h, ocEvent: r.bit(0, 1), async: r.bit(0, 0) };
    case 'removableMedium':
      return { kind, ...h, loadingMechanismType: r.bits(0, 5, 3), load: r.bit(0, 4), eject: r.bit(0, 3), pvntJmpr: r.bit(0, 2), dbml: r.bit(0, 1), lock: r.bit(0, 0) };
    case 'randomReadable':
      return { kind, ...h, logicalBlockSize: r.u32(0), blocking: r.u16(4), pp: r.bit(6, 0) };
    case 'multiRead':
    case 'powerManagement':
      return { kind, ...h };
    case 'cdRead':
      return { kind, ...h, dap: r.bit(0, 7), c2Flags: r.bit(0, 1), cdText: r.bit(0, 0) };
    case 'dvdRead':
      return { kind, ...h, multi110: r.bit(0, 0), dualRw: r.bit(2, 1), dualR: r.bit(2, 0) };
    case 'incrementalStreamingWritable': {
      const n = Math.min(r.u8(3), Math.max(0, data.length - 4));
      const linkSizes: number[] = [];
      for (let i = 0; i < n; i++) linkSizes.push(r.u8(4 + i));
      return { kind, ...h, dataBlockTypesSupported: r.u16(0), trio: r.bit(2, 2), arsv: r.bit(2, 1), buf: r.bit(2, 0), linkSizes };
    }
    case 'formattable':
      return { kind, ...h, reNoSa: r.bit(0, 3), expand: r.bit(0, 2), qCert: r.bit(0, 1), cert: r.bit(0, 0), rrm: r.bit(4, 0) };
    case 'dvdPlusRw':
      return { kind, ...h, write: r.bit(0, 0), quickStart: r.bit(1, 1), closeOnly: r.bit(1, 0) };
    case 'dvdPlusR':
      return { kind, ...h, write: r.bit(0, 0) };
    case 'cdTrackAtOnce':
      return {
        kind, ...h,
        buf: r.bit(0, 6), rwRaw: r.bit(0, 4), rwPack: r.bit(0, 3), testWrite: r.bit(0, 2), cdRw: r.bit(0, 1), rwSubcode: r.bit(0, 0),
        dataTypeSupported: r.u16(2),
      };
    case 'cdMastering':
      return {
        kind, ...h,
        buf: r.bit(0, 6), sao: r.bit(0, 5), rawMs: r.bit(0, 4), raw: r.bit(0, 3), testWrite: r.bit(0, 2), cdRw: r.bit(0, 1), rw: r.bit(0, 0),
        maximumCueSheetLength: r.u24(1),
      };
    case 'dvdRRwWrite':
      return { kind, ...h, buf: r.bit(0, 6), rdl: r.bit(0, 3), testWrite: r.bit(0, 2), dvdRwSl: r.bit(0, 1) };
    case 'bdRead':
      return { kind, ...h, bdReReadSupport: quad(r, 4), bdRReadSupport: quad(r, 12), bdRomReadSupport: quad(r, 20) };
    case 'bdWrite':
      return { kind, ...h, svnr: r.bit(0, 0), bdReWriteSupport: quad(r, 4), bdRWriteSupport: quad(r, 12) };
    case 'realTimeStreaming':
      return { kind, ...h, rbcb: r.bit(0, 4), scs: r.bit(0, 3), mp2a: r.bit(0, 2), wspd: r.bit(0, 1), sw: r.bit(0, 0) };
    case undefined:
      return { kind: 'raw', ...h, data: Buffer.from(data) };
  }
}

// ---------------------------------------------------------------------------------------------
// Reply

export interface GetConfigurationReply {
  currentProfile: number;
  features: FeatureDescriptor[];
}

export interface GetConfigurationReplyDecoded extends GetConfigurationReply {
  /** The reply was cut short by the allocation length: `features` stops at the last whole descriptor. */
  truncated: boolean;
  /** Length of the whole reply as the drive reports it (DATA LENGTH + 4). */
  fullLength: number;
}

/**
 * The features a drive returns for a CDB (MMC-6 RT semantics): RT 00b every feature ≥ start,
 * RT 01b those with Current set ≥ start, RT 10b only the feature numbered start. `features` must be in
 * increasing code order, as the reply lists them.
 */
export function selectFeatures(features: readonly FeatureDescriptor[], rt: number, startingFeature: number): FeatureDescriptor[] {
  switch (rt) {
    case GetConfigurationRt.ALL:
      return features.filter((f) => f.code >= startingFeature);
    case GetConfigurationRt.CURRENT:
      return features.filter((f) => f.code >= startingFeature && f.current);
    case GetConfigurationRt.ONE:
      return features.filter((f) => f.code === startingFeature);
    default:
      throw new TypeError(`rt must be 0, 1 or 2, got ${rt}`);
  }
}

/** The whole reply (the caller cuts it to the allocation length). */
export function encodeGetConfigurationReply(reply: GetConfigurationReply): Buffer {
  uint('currentProfile', reply.currentProfile, 0xffff);
  const descs = reply.features.map(encodeFeatureDescriptor);
  const body = descs.reduce((n, d) => n + d.length, 0);
  const w = new ByteWriter(8 + body);
  w.u32(0, 4 + body);
  w.u16(6, reply.currentProfile);
  let o = 8;
  for (const d of descs) {
    w.bytes(o, d);
    o += d.length;
  }
  return w.buffer;
}

export function decodeGetConfigurationReply(buf: Uint8Array): GetConfigurationReplyDecoded {
  const r = replyReader(buf, 'GET CONFIGURATION reply');
  const dataLength = r.u32(0);
  if (buf.length >= 4 && dataLength < 4) throw invalidReply(`GET CONFIGURATION: DATA LENGTH ${dataLength} is less than the 4 header bytes it must count`);
  const fullLength = buf.length >= 4 ? dataLength + 4 : 8;
  const end = Math.min(buf.length, fullLength);
  const currentProfile = r.u16(6);
  const features: FeatureDescriptor[] = [];
  let o = 8;
  let cut = buf.length < fullLength;
  while (o < fullLength) {
    if (o + 4 > fullLength) throw invalidReply(`GET CONFIGURATION: ${fullLength - o} stray byte(s) after the last feature descriptor`);
    if (o + 4 > end) break;
    const code = r.u16(o);
    const len = r.u8(o + 3);
    if (o + 4 + len > fullLength) {
      throw invalidReply(`GET CONFIGURATION: feature ${code.toString(16).padStart(4, '0')}h (${len} data bytes at offset ${o}) runs past DATA LENGTH`);
    }
    if (o + 4 + len > end) break;
    features.push(decodeFeature(code, r.u8(o + 2), r.view(o + 4, len)));
    o += 4 + len;
  }
  cut ||= r.readPastEnd;
  return { currentProfile, features, truncated: cut, fullLength };
}

/** The feature with `code` from a decoded reply, typed by its kind when given. */
export function findFeature<K extends Kind>(
  features: readonly FeatureDescriptor[],
  code: number,
  kind?: K,
): Extract<FeatureDescriptor, { kind: K }> | undefined {
  const f = features.find((x) => x.code === code);
  if (f === undefined || (kind !== undefined && f.kind !== kind)) return undefined;
  return f as Extract<FeatureDescriptor, { kind: K }>;
}
