/**
 * GET CONFIGURATION (MMC-6 §6.6): the profile list (every profile the drive supports, CurrentP on the
 * loaded medium's) and the features, each Current when the loaded medium makes it so. RT 00b / 01b /
 * 10b and the STARTING FEATURE NUMBER select as MMC-6 Table 88 says (sdk `selectFeatures`).
 *
 * The feature table is kept in increasing feature-code order — the reply must list them so.
 */
import { Feature, Profile, decodeGetConfigurationCdb, encodeGetConfigurationReply, selectFeatures, type FeatureDescriptor } from '@openimapi/sdk';
import type { Medium } from '../media/medium.js';
import { upTo, type CommandContext } from './types.js';
import { defaultCapabilities, recordableBlockTypes, type DriveCapabilities } from './capabilities.js';

/** Profiles this drive supports, highest first (the order drives usually list them in). */
export const SUPPORTED_PROFILES: readonly number[] = [
  Profile.BD_RE,
  Profile.BD_R_SRM,
  Profile.BD_ROM,
  Profile.DVD_PLUS_R,
  Profile.DVD_PLUS_RW,
  Profile.DVD_RW_SEQUENTIAL,
  Profile.DVD_R_SEQUENTIAL,
  Profile.DVD_ROM,
  Profile.CD_RW,
  Profile.CD_R,
  Profile.CD_ROM,
];

/** Mode page 05h data block types the drive writes on CD (bit n = type n): 0-3 raw, 8-13 data. */
const CD_DATA_BLOCK_TYPES = 0b0011_1111_0000_1111;

/**
 * The features for a medium (or none), in feature-code order, with Current set as the medium makes it
 * and the recording bits as `caps` says (capabilities.ts; without SAO and Raw, no CD Mastering).
 */
export function featuresFor(m: Medium | undefined, caps: DriveCapabilities = defaultCapabilities): FeatureDescriptor[] {
  const fam = m?.info.family;
  const rec = m?.info.recording;
  const kind = m?.kind;
  const cd = fam === 'cd';
  const dvd = fam === 'dvd';
  const bd = fam === 'bd';
  const cdWritable = kind === 'cd-r' || kind === 'cd-rw';
  const dashWritable = kind === 'dvd-r' || kind === 'dvd-rw';
  const readable = m !== undefined && m.state !== 'blank';
  const f = (code: number, version: number, persistent: boolean, current: boolean) => ({ code, version, persistent, current });
  const bdBits: [number, number, number, number] = [0x0006, 0, 0, 0];
  const cdBlockTypes = recordableBlockTypes(CD_DATA_BLOCK_TYPES, caps);
  const rw = caps.rwSubcode;
  const features: FeatureDescriptor[] = [
    {
      kind: 'profileList',
      ...f(Feature.PROFILE_LIST, 0, true, true),
      profiles: SUPPORTED_PROFILES.map((p) => ({ profile: p, currentP: m?.profile === p })),
    },
    { kind: 'core', ...f(Feature.CORE, 2, true, true), physicalInterfaceStandard: 1, inq2: true, dbe: true },
    { kind: 'morphing', ...f(Feature.MORPHING, 1, true, true), ocEvent: true, async: false },
    { kind: 'removableMedium', ...f(Feature.REMOVABLE_MEDIUM, 2, true, true), loadingMechanismType: 1, load: true, eject: true, pvntJmpr: false, dbml: false, lock: true },
    { kind: 'randomReadable', ...f(Feature.RANDOM_READABLE, 0, false, readable), logicalBlockSize: 2048, blocking: bd ? 32 : dvd ? 16 : 1, pp: true },
    { kind: 'multiRead', ...f(Feature.MULTI_READ, 0, false, cd) },
    { kind: 'raw', ...f(Feature.RANDOM_WRITABLE, 1, false, rec === 'overwrite'), data: randomWritable(m) },
    { kind: 'cdRead', ...f(Feature.CD_READ, 2, false, cd), dap: false, c2Flags: true, cdText: true },
    { kind: 'dvdRead', ...f(Feature.DVD_READ, 1, false, dvd), multi110: true, dualRw: false, dualR: false },
    {
      kind: 'incrementalStreamingWritable',
      ...f(Feature.INCREMENTAL_STREAMING_WRITABLE, 1, false, cdWritable || dashWritable),
      dataBlockTypesSupported: dashWritable ? 1 << 8 : cdBlockTypes,
      trio: true,
      arsv: false,
      buf: true,
      linkSizes: dashWritable ? [16] : [7],
    },
    { kind: 'formattable', ...f(Feature.FORMATTABLE, 0, false, rec === 'overwrite'), reNoSa: false, expand: false, qCert: false, cert: false, rrm: false },
    { kind: 'dvdPlusRw', ...f(Feature.DVD_PLUS_RW, 0, false, kind === 'dvd+rw'), write: true, quickStart: false, closeOnly: false },
    { kind: 'dvdPlusR', ...f(Feature.DVD_PLUS_R, 0, false, kind === 'dvd+r'), write: true },
    { kind: 'cdTrackAtOnce', ...f(Feature.CD_TRACK_AT_ONCE, 2, false, cdWritable), buf: true, rwRaw: rw, rwPack: rw, testWrite: caps.testWrite, cdRw: true, rwSubcode: rw, dataTypeSupported: cdBlockTypes },
    {
      kind: 'cdMastering',
      ...f(Feature.CD_MASTERING, 1, false, cdWritable),
      buf: true,
      sao: caps.sao,
      rawMs: caps.raw && caps.rawMultiSession,
      raw: caps.raw,
      testWrite: caps.testWrite,
      cdRw: true,
      rw,
      maximumCueSheetLength: caps.sao ? 0xffff : 0,
    },
    { kind: 'dvdRRwWrite', ...f(Feature.DVD_R_RW_WRITE, 1, false, dashWritable), buf: true, rdl: false, testWrite: caps.testWrite, dvdRwSl: true },
    { kind: 'bdRead', ...f(Feature.BD_READ, 1, false, bd), bdReReadSupport: bdBits, bdRReadSupport: bdBits, bdRomReadSupport: bdBits },
    { kind: 'bdWrite', ...f(Feature.BD_WRITE, 1, false, kind === 'bd-r' || kind === 'bd-re'), svnr: false, bdReWriteSupport: bdBits, bdRWriteSupport: bdBits },
    { kind: 'powerManagement', ...f(Feature.POWER_MANAGEMENT, 0, true, true) },
    { kind: 'realTimeStreaming', ...f(Feature.REAL_TIME_STREAMING, 5, false, m !== undefined), rbcb: true, scs: true, mp2a: true, wspd: true, sw: true },
  ];
  return caps.sao || caps.raw ? features : features.filter((x) => x.kind !== 'cdMastering');
}

/**
 * Random Writable (0020h, MMC-6 "Random Writable Feature Descriptor"), current on DVD+RW and BD-RE:
 * LAST LBA (4), LOGICAL BLOCK SIZE (4), BLOCKING (2: 16 sectors per DVD ECC block, 32 per BD
 * cluster), PP (bit 0 of byte 10), reserved byte.
 */
function randomWritable(m: Medium | undefined): Buffer {
  const b = Buffer.alloc(12);
  const overwrite = m?.info.recording === 'overwrite';
  b.writeUInt32BE(overwrite ? m.capacityBlocks - 1 : 0, 0);
  b.writeUInt32BE(2048, 4);
  b.writeUInt16BE(m?.info.family === 'bd' ? 32 : 16, 8);
  b[10] = 1;
  return b;
}

export function getConfiguration(ctx: CommandContext): Buffer {
  const p = decodeGetConfigurationCdb(ctx.cdb);
  // A medium counts once the tray is closed with a disc in it (during becoming-ready too).
  const m = ctx.state.loadedMedium;
  const features = selectFeatures(featuresFor(m, ctx.drive.capabilities), p.rt, p.startingFeature);
  ctx.note({ rt: p.rt, start: p.startingFeature });
  return upTo(encodeGetConfigurationReply({ currentProfile: m?.profile ?? Profile.NONE, features }), p.allocationLength);
}
