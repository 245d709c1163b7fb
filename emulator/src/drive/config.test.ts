/**
 * GET CONFIGURATION: profile list, current profile, Current features per medium, RT 00b/01b/10b.
 * Feature and profile numbers: MMC-6 Table 89 (feature list) and Table 91 (profile list).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Feature, Profile, decodeGetConfigurationReply, encodeGetConfigurationCdb, findFeature } from '@openimapi/sdk';
import { A, assertGood, newDrive, run } from './drive.test-helpers.js';
import type { MmcDrive } from './mmc-drive.js';

async function config(d: MmcDrive, rt: number, startingFeature = 0, allocationLength = 0xffff) {
  const r = await run(d, A, encodeGetConfigurationCdb({ rt, startingFeature, allocationLength }));
  assertGood(r, 'GET CONFIGURATION runs despite the power-on unit attention');
  return { raw: r.dataIn!, reply: decodeGetConfigurationReply(r.dataIn!) };
}

const currentCodes = async (d: MmcDrive) => (await config(d, 1)).reply.features.map((f) => f.code);

test('no disc: current profile 0000h, profile list with every profile and none current', async () => {
  const d = newDrive();
  const { reply } = await config(d, 0);
  assert.equal(reply.currentProfile, Profile.NONE);
  const pl = findFeature(reply.features, Feature.PROFILE_LIST, 'profileList');
  assert.ok(pl);
  assert.deepEqual(pl.profiles.map((p) => p.profile), [0x43, 0x41, 0x40, 0x1b, 0x1a, 0x14, 0x11, 0x10, 0x0a, 0x09, 0x08]);
  assert.ok(pl.profiles.every((p) => !p.currentP));
  assert.deepEqual(await currentCodes(d), [Feature.PROFILE_LIST, Feature.CORE, Feature.MORPHING, Feature.REMOVABLE_MEDIUM, Feature.POWER_MANAGEMENT]);
});

test('blank CD-R: profile 0009h current; CD read, TAO, mastering and incremental writing are current', async () => {
  const d = newDrive({ medium: 'cd-r' });
  const { reply } = await config(d, 0);
  assert.equal(reply.currentProfile, Profile.CD_R);
  assert.ok(findFeature(reply.features, Feature.PROFILE_LIST, 'profileList')!.profiles.find((p) => p.profile === Profile.CD_R)!.currentP);
  assert.deepEqual(await currentCodes(d), [
    Feature.PROFILE_LIST, Feature.CORE, Feature.MORPHING, Feature.REMOVABLE_MEDIUM,
    Feature.MULTI_READ, Feature.CD_READ, Feature.INCREMENTAL_STREAMING_WRITABLE,
    Feature.CD_TRACK_AT_ONCE, Feature.CD_MASTERING, Feature.POWER_MANAGEMENT, Feature.REAL_TIME_STREAMING,
  ]);
  const m = findFeature(reply.features, Feature.CD_MASTERING, 'cdMastering')!;
  assert.deepEqual([m.sao, m.raw, m.rawMs, m.rw], [true, true, true, true]);
});

test('DVD+RW: DVD read, DVD+RW, formattable, random readable current; no CD writing', async () => {
  const d = newDrive({ medium: 'dvd+rw' });
  const codes = await currentCodes(d);
  for (const f of [Feature.DVD_READ, Feature.DVD_PLUS_RW, Feature.FORMATTABLE, Feature.RANDOM_READABLE, Feature.RANDOM_WRITABLE]) assert.ok(codes.includes(f), `feature ${f.toString(16)}`);
  for (const f of [Feature.CD_READ, Feature.CD_TRACK_AT_ONCE, Feature.DVD_PLUS_R, Feature.BD_READ]) assert.ok(!codes.includes(f), `feature ${f.toString(16)}`);
  // Random Writable: last LBA, 2048-byte blocks, blocking 16 (one ECC block), PP.
  const rw = (await config(d, 2, Feature.RANDOM_WRITABLE)).raw;
  assert.deepEqual([...rw.subarray(8)], [0x00, 0x20, 0x05, 0x0c, 0x00, 0x23, 0x05, 0x3f, 0x00, 0x00, 0x08, 0x00, 0x00, 0x10, 0x01, 0x00]);
  assert.ok(!(await currentCodes(newDrive({ medium: 'dvd+r' }))).includes(Feature.RANDOM_WRITABLE), 'not on write-once media');
});

test('BD-R and DVD-R current features', async () => {
  const bd = await currentCodes(newDrive({ medium: 'bd-r' }));
  assert.ok(bd.includes(Feature.BD_READ) && bd.includes(Feature.BD_WRITE) && !bd.includes(Feature.DVD_READ));
  for (const kind of ['dvd-r', 'dvd-rw']) {
    const dvdr = await currentCodes(newDrive({ medium: kind }));
    assert.ok(dvdr.includes(Feature.DVD_R_RW_WRITE) && dvdr.includes(Feature.INCREMENTAL_STREAMING_WRITABLE) && !dvdr.includes(Feature.DVD_PLUS_R), kind);
  }
});

test('RT 10b returns exactly the starting feature (header only when absent); RT 00b starts at the number', async () => {
  const d = newDrive({ medium: 'cd-r' });
  const one = await config(d, 2, Feature.CD_MASTERING);
  assert.deepEqual(one.reply.features.map((f) => f.code), [Feature.CD_MASTERING]);
  const none = await config(d, 2, 0x0005);
  assert.equal(none.raw.length, 8, 'feature header only');
  assert.equal(none.raw.readUInt32BE(0), 4, 'DATA LENGTH counts the 4 bytes after it');
  const from = await config(d, 0, Feature.BD_READ);
  assert.deepEqual(from.reply.features.map((f) => f.code), [Feature.BD_READ, Feature.BD_WRITE, Feature.POWER_MANAGEMENT, Feature.REAL_TIME_STREAMING]);
  const cut = await config(d, 0, 0, 8);
  assert.equal(cut.raw.length, 8, 'cut to the allocation length');
  assert.equal(cut.reply.truncated, true);
});
