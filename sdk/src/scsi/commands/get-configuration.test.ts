import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeGetConfigurationCdb,
  decodeGetConfigurationReply,
  encodeFeatureDescriptor,
  encodeGetConfigurationCdb,
  encodeGetConfigurationReply,
  Feature,
  findFeature,
  Profile,
  selectFeatures,
  type FeatureDescriptor,
} from './get-configuration.js';
import { assertInvalidCdbField, assertInvalidReply, hexBytes } from './command-asserts.test.helpers.js';

// MMC-6 §6.6 table "GET CONFIGURATION CDB": 46h, RT in byte 1 bits 1-0, starting feature 2-3,
// allocation length 7-8.
test('GET CONFIGURATION CDB bytes per MMC-6 table', () => {
  assert.deepEqual(encodeGetConfigurationCdb({ rt: 2, startingFeature: 0x002e, allocationLength: 16 }), hexBytes('46 02 00 2e 00 00 00 00 10 00'));
  assert.deepEqual(encodeGetConfigurationCdb({ rt: 0, startingFeature: 0, allocationLength: 0xfff8 }), hexBytes('46 00 00 00 00 00 00 ff f8 00'));
});

test('GET CONFIGURATION CDB round trip', () => {
  for (const p of [
    { rt: 0, startingFeature: 0, allocationLength: 8 },
    { rt: 1, startingFeature: 0x0107, allocationLength: 0xffff, control: 0x40 },
    { rt: 2, startingFeature: 0xffff, allocationLength: 0 },
  ]) {
    assert.deepEqual(decodeGetConfigurationCdb(encodeGetConfigurationCdb(p)), p);
  }
});

test('GET CONFIGURATION CDB: RT 11b, reserved bits, short CDB are INVALID FIELD IN CDB', () => {
  assertInvalidCdbField(() => decodeGetConfigurationCdb(hexBytes('46 03 00 00 00 00 00 00 08 00')), 1, 1);
  assertInvalidCdbField(() => decodeGetConfigurationCdb(hexBytes('46 80 00 00 00 00 00 00 08 00')), 1, 7);
  assertInvalidCdbField(() => decodeGetConfigurationCdb(hexBytes('46 00 00 00 00 01 00 00 08 00')), 5, 0);
  assertInvalidCdbField(() => decodeGetConfigurationCdb(hexBytes('46 00 00 00 00 00 00 00 08')), 0);
  assert.throws(() => encodeGetConfigurationCdb({ rt: 3, startingFeature: 0, allocationLength: 8 }), TypeError);
});

// The profile list below is the one a PLEXTOR DVDR PX-806SA reported, as wodim printed it with a
// CD-R loaded (Ubuntu forums "Brasero does not seem to get along with the burner", 2010-03-04):
// 002B 001B 001A 0018 0016 0015 0014 0013 0012 0011 0010 000A 0009(current) 0008 0002, current
// profile 0009h. Written out per MMC-6 §5.3.1 (Profile List: version 0, persistent, current; 4-byte
// profile descriptors with CurrentP in byte 2 bit 0). The other descriptors are from MMC-6 §5.3.2
// (Core), §5.3.3 (Removable Medium), §5.3.11 (CD Read), §5.3.27 (CD Mastering) with hand-picked
// values; 0108h (Drive Serial Number) is a feature this codec keeps raw.
const reply = hexBytes(`
  00 00 00 74  00 00 00 09
  00 00 03 3c
     00 2b 00 00  00 1b 00 00  00 1a 00 00  00 18 00 00  00 16 00 00
     00 15 00 00  00 14 00 00  00 13 00 00  00 12 00 00  00 11 00 00
     00 10 00 00  00 0a 00 00  00 09 01 00  00 08 00 00  00 02 00 00
  00 01 0b 08  00 00 00 02  01 00 00 00
  00 03 0b 04  29 00 00 00
  00 1e 09 04  83 00 00 00
  00 2e 05 04  66 00 ff ff
  01 08 03 08  53 4e 30 31  32 33 34 35`);

test('GET CONFIGURATION reply: decode profile list, Core, Removable Medium, CD Read, CD Mastering, raw', () => {
  const d = decodeGetConfigurationReply(reply);
  assert.equal(d.truncated, false);
  assert.equal(d.fullLength, reply.length);
  assert.equal(d.currentProfile, Profile.CD_R);
  assert.equal(d.features.length, 6);

  const pl = findFeature(d.features, Feature.PROFILE_LIST, 'profileList');
  assert.ok(pl);
  assert.deepEqual([pl.version, pl.persistent, pl.current], [0, true, true]);
  assert.deepEqual(
    pl.profiles.map((p) => p.profile),
    [0x2b, 0x1b, 0x1a, 0x18, 0x16, 0x15, 0x14, 0x13, 0x12, 0x11, 0x10, 0x0a, 0x09, 0x08, 0x02],
  );
  assert.deepEqual(pl.profiles.filter((p) => p.currentP).map((p) => p.profile), [Profile.CD_R]);

  const core = findFeature(d.features, Feature.CORE, 'core');
  assert.ok(core);
  assert.deepEqual([core.version, core.physicalInterfaceStandard, core.dbe, core.inq2], [2, 2, true, false]);

  const rm = findFeature(d.features, Feature.REMOVABLE_MEDIUM, 'removableMedium');
  assert.ok(rm);
  assert.deepEqual([rm.loadingMechanismType, rm.eject, rm.lock, rm.pvntJmpr, rm.load, rm.dbml], [1, true, true, false, false, false]);

  const cdRead = findFeature(d.features, Feature.CD_READ, 'cdRead');
  assert.ok(cdRead);
  assert.deepEqual([cdRead.version, cdRead.dap, cdRead.c2Flags, cdRead.cdText], [2, true, true, true]);

  const m = findFeature(d.features, Feature.CD_MASTERING, 'cdMastering');
  assert.ok(m);
  assert.deepEqual([m.buf, m.sao, m.rawMs, m.raw, m.testWrite, m.cdRw, m.rw], [true, true, false, false, true, true, false]);
  assert.equal(m.maximumCueSheetLength, 0xffff);

  const raw = d.features[5]!;
  assert.equal(raw.kind, 'raw');
  assert.equal(raw.code, Feature.DRIVE_SERIAL_NUMBER);
  assert.ok(raw.kind === 'raw' && Buffer.from(raw.data).toString('latin1') === 'SN012345');
});

test('GET CONFIGURATION reply round trip: encode(decode(bytes)) is the same bytes', () => {
  const d = decodeGetConfigurationReply(reply);
  assert.deepEqual(encodeGetConfigurationReply({ currentProfile: d.currentProfile, features: d.features }), reply);
});

test('GET CONFIGURATION: every typed feature round trips', () => {
  const h = { version: 1, persistent: false, current: true };
  const features: FeatureDescriptor[] = [
    { kind: 'morphing', code: Feature.MORPHING, ...h, ocEvent: true, async: false },
    { kind: 'randomReadable', code: Feature.RANDOM_READABLE, ...h, logicalBlockSize: 2048, blocking: 16, pp: true },
    { kind: 'multiRead', code: Feature.MULTI_READ, ...h },
    { kind: 'dvdRead', code: Feature.DVD_READ, ...h, multi110: true, dualRw: false, dualR: true },
    {
      kind: 'incrementalStreamingWritable', code: Feature.INCREMENTAL_STREAMING_WRITABLE, ...h,
      dataBlockTypesSupported: 0x0101, trio: true, arsv: false, buf: true, linkSizes: [7, 16, 1, 2, 3],
    },
    { kind: 'formattable', code: Feature.FORMATTABLE, ...h, reNoSa: false, expand: true, qCert: true, cert: false, rrm: true },
    { kind: 'dvdPlusRw', code: Feature.DVD_PLUS_RW, ...h, write: true, quickStart: true, closeOnly: false },
    { kind: 'dvdPlusR', code: Feature.DVD_PLUS_R, ...h, write: true },
    {
      kind: 'cdTrackAtOnce', code: Feature.CD_TRACK_AT_ONCE, ...h,
      buf: true, rwRaw: true, rwPack: false, testWrite: true, cdRw: true, rwSubcode: true, dataTypeSupported: 0x4477,
    },
    { kind: 'dvdRRwWrite', code: Feature.DVD_R_RW_WRITE, ...h, buf: true, rdl: false, testWrite: true, dvdRwSl: true },
    {
      kind: 'bdRead', code: Feature.BD_READ, ...h,
      bdReReadSupport: [1, 2, 3, 4], bdRReadSupport: [5, 6, 7, 8], bdRomReadSupport: [9, 10, 11, 0xffff],
    },
    { kind: 'bdWrite', code: Feature.BD_WRITE, ...h, svnr: true, bdReWriteSupport: [1, 0, 0, 2], bdRWriteSupport: [3, 0, 4, 0] },
    { kind: 'powerManagement', code: Feature.POWER_MANAGEMENT, ...h },
    { kind: 'realTimeStreaming', code: Feature.REAL_TIME_STREAMING, ...h, rbcb: true, scs: false, mp2a: true, wspd: true, sw: false },
  ];
  const bytes = encodeGetConfigurationReply({ currentProfile: Profile.BD_RE, features });
  const d = decodeGetConfigurationReply(bytes);
  assert.equal(d.truncated, false);
  assert.deepEqual(d.features, features);
  // Additional lengths per MMC-6: BD Read 1Ch, BD Write 14h, Incremental Streaming 4 + link sizes padded to 4.
  assert.equal(encodeFeatureDescriptor(features[10]!)[3], 0x1c);
  assert.equal(encodeFeatureDescriptor(features[11]!)[3], 0x14);
  assert.equal(encodeFeatureDescriptor(features[4]!)[3], 12);
  assert.throws(() => encodeFeatureDescriptor({ ...features[0]!, code: 0x0003 }), TypeError);
});

test('GET CONFIGURATION reply cut by the allocation length decodes, truncated', () => {
  // Cut inside the Removable Medium descriptor: profile list and Core survive.
  const cut = reply.subarray(0, 8 + 64 + 12 + 6);
  const d = decodeGetConfigurationReply(cut);
  assert.equal(d.truncated, true);
  assert.equal(d.fullLength, reply.length);
  assert.deepEqual(d.features.map((f) => f.code), [Feature.PROFILE_LIST, Feature.CORE]);
  // Only the header (an allocation length of 8, as drivers use to learn the size).
  const h = decodeGetConfigurationReply(reply.subarray(0, 8));
  assert.deepEqual([h.truncated, h.fullLength, h.currentProfile, h.features.length], [true, reply.length, 9, 0]);
  // Less than the header.
  const tiny = decodeGetConfigurationReply(reply.subarray(0, 3));
  assert.equal(tiny.truncated, true);
});

test('GET CONFIGURATION reply that contradicts itself is an invalid response', () => {
  // DATA LENGTH smaller than the 4 header bytes it counts.
  assertInvalidReply(() => decodeGetConfigurationReply(hexBytes('00 00 00 02 00 00 00 09')));
  // A descriptor whose additional length runs past DATA LENGTH.
  assertInvalidReply(() => decodeGetConfigurationReply(hexBytes('00 00 00 0c 00 00 00 09  00 1e 09 08 83 00 00 00')));
  // Two stray bytes after the last descriptor.
  assertInvalidReply(() => decodeGetConfigurationReply(hexBytes('00 00 00 06 00 00 00 09  00 1e')));
});

test('selectFeatures follows the RT rules', () => {
  const d = decodeGetConfigurationReply(reply);
  assert.deepEqual(selectFeatures(d.features, 0, 0x0003).map((f) => f.code), [0x0003, 0x001e, 0x002e, 0x0108]);
  const notCurrent = d.features.map((f) => (f.code === 0x002e ? { ...f, current: false } : f));
  assert.deepEqual(selectFeatures(notCurrent, 1, 0x0002).map((f) => f.code), [0x0003, 0x001e, 0x0108]);
  assert.deepEqual(selectFeatures(d.features, 2, 0x001e).map((f) => f.code), [0x001e]);
  assert.deepEqual(selectFeatures(d.features, 2, 0x001d), []);
});
