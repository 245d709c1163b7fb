/**
 * The same interop run against two real iSCSI targets — the openimapi emulator and tgt (Debian `tgt`,
 * a `--device-type cd` LUN over an empty file) — each over TCP: DiscMaster2 lists the drive from the
 * portal (SendTargets + REPORT LUNS + INQUIRY), the recorder reads INQUIRY, profiles and features,
 * DiscFormat2Data writes a blank DVD+R, READ(10) reads it back byte for byte. Against tgt also: CHAP,
 * the write path under InitialR2T=Yes, and exclusive access between two processes on a drive that has
 * no reservation commands (the host lock).
 *
 * tgt needs root: without it the tgt tests are skipped with the reason, except in CI (CI=true),
 * where .ci/run installs tgt and a missing or broken tgt fails them.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiscMaster2, DiscFormat2Data, IscsiSession, encodeRead10Cdb, type DiscRecorder2Ex } from '@openimapi/sdk';
import { RESERVED_TAG, type DataOut, type ScsiCommand } from '@openimapi/sdk/iscsi';
import { createDrives } from '../drive/index.js';
import { startTarget } from '../iscsi/target.js';
import { startTgt, tgtRequired, type Tgt } from './tgt.test.helpers.js';
import { startPduTap } from './pdu-tap.test.helpers.js';
import { LockClient, LOCKED, acquireOnceFreed } from './lock-client.test.helpers.js';

const SECTORS = 700;

function image(sectors: number): Buffer {
  const b = Buffer.alloc(sectors * 2048);
  for (let i = 0; i < b.length; i++) b[i] = (i * 13 + (i >> 11) * 7) & 0xff;
  return b;
}

/** READ(10) of `sectors` from LBA 0, 32 sectors per command, all commands in flight at once. */
async function readBack(rec: DiscRecorder2Ex, sectors: number): Promise<Buffer> {
  const chunks: Promise<Buffer>[] = [];
  for (let lba = 0; lba < sectors; lba += 32) {
    const n = Math.min(32, sectors - lba);
    chunks.push(rec.device.run({ cdb: encodeRead10Cdb({ lba, transferLength: n }), direction: 'in', dataInLength: n * 2048 }).then((r) => r.dataIn));
  }
  return Buffer.concat(await Promise.all(chunks));
}

interface Expect {
  readonly vendor: string;
  readonly product: string;
  /** Profiles the drive must list (it may list more). */
  readonly profiles: readonly number[];
}

/** The interop run on one portal; returns the recorder (open) for target-specific checks. */
async function listIdentifyBurnReadBack(portal: string, id: string, expect: Expect): Promise<DiscRecorder2Ex> {
  const master = new DiscMaster2({ portals: [portal], recorder: { mcnPollMs: 0 } });
  assert.deepEqual(await master.recorders(), [id], 'the one CD/DVD LUN behind the portal');
  const rec = await master.openRecorder(id);
  assert.deepEqual([rec.vendorId, rec.productId], [expect.vendor, expect.product]);
  const dev = await rec.getDeviceDescriptor();
  assert.deepEqual([dev.deviceType, dev.removableMedia, dev.rawDeviceProperties[0]! & 0x1f], [5, true, 5], 'INQUIRY: a removable CD/DVD device');
  const profiles = await rec.getSupportedProfiles();
  for (const p of expect.profiles) assert.ok(profiles.includes(p), `profile ${p.toString(16)} in ${profiles.map((x) => x.toString(16))}`);
  assert.deepEqual(await rec.getCurrentProfiles(), [0x1b], 'a DVD+R is loaded');
  const features = await rec.getSupportedFeaturePages();
  for (const f of [0x0000, 0x0001, 0x0003, 0x002b]) assert.ok(features.includes(f), `feature ${f.toString(16)}`);
  assert.equal((await rec.getFeaturePage(0x002b, true)).current, true, 'DVD+R feature current');
  assert.equal((await rec.getDiscInformation()).discStatus, 0, 'blank');

  const data = new DiscFormat2Data();
  data.recorder = rec;
  data.clientName = 'interop';
  assert.equal(await data.isRecorderSupported(rec), true);
  const img = image(SECTORS);
  await data.write(img);
  assert.notEqual((await rec.getDiscInformation()).discStatus, 0, 'no longer blank');
  assert.ok((await readBack(rec, SECTORS)).equals(img), 'read back byte for byte');
  return rec;
}

async function withTgt(t: TestContext, f: (tgt: Tgt) => Promise<void>): Promise<void> {
  const tgt = await startTgt();
  if (typeof tgt === 'string') {
    if (tgtRequired()) assert.fail(`tgt is required in CI (.ci/run installs it): ${tgt}`);
    t.skip(tgt);
    return;
  }
  try {
    await f(tgt);
  } finally {
    await tgt.stop();
  }
}

test('emulator: list, INQUIRY, profiles, features; DiscFormat2Data writes a blank DVD+R and READ(10) reads it back', async () => {
  const target = await startTarget({ port: 0, luns: createDrives({ media: 'dvd+r', becomingReadyMs: 0 }) });
  try {
    const portal = `iscsi://${target.host}:${target.port}`;
    const rec = await listIdentifyBurnReadBack(portal, `${portal}/${target.iqn}/0`, { vendor: 'OPENIMAP', product: 'EMU-BURNER', profiles: [0x09, 0x0a, 0x11, 0x1b, 0x1a, 0x41] });
    assert.deepEqual(await rec.getCurrentProfiles(), [0x1b]);
    await rec.close();
  } finally {
    await target.close();
  }
});

test('tgt: list, INQUIRY, profiles, features; DiscFormat2Data writes a blank DVD+R and READ(10) reads it back', async (t) => {
  await withTgt(t, async (tgt) => {
    // LUN 0 is tgt's controller (type 0Ch): not listed, and not a recorder when named directly.
    const rec = await listIdentifyBurnReadBack(tgt.portal, tgt.url, { vendor: 'IET', product: 'VIRTUAL-CDROM', profiles: [0x10, 0x1b] });
    await assert.rejects(new DiscMaster2({ urls: [tgt.url.replace(/\/1$/, '/0')] }).openRecorder(tgt.url.replace(/\/1$/, '/0')), (e: unknown) => (e as { hresult?: number }).hresult === 0xc0aa02ff && /peripheral device type 0xc/.test((e as Error).message));
    try {
      // tgt closes the DVD+R track into a DVD-ROM (usr/mmc.c) and the data is in the backing file.
      assert.deepEqual(await rec.getCurrentProfiles(), [0x10]);
      assert.equal((await rec.getDiscInformation()).discStatus, 2, 'complete');
      assert.equal(rec.exclusiveAccessMethod, undefined);
      assert.ok(readFileSync(tgt.backing).equals(image(SECTORS)), 'the backing file holds the image');
    } finally {
      await rec.close();
    }
  });
});

test("tgt: writes follow tgt's InitialR2T=Yes and 8 KiB MaxRecvDataSegmentLength — immediate data, then only R2T-solicited Data-Out", async (t) => {
  await withTgt(t, async (tgt) => {
    const tap = await startPduTap({ host: '127.0.0.1', port: tgt.port });
    try {
      const s = await IscsiSession.connect(`iscsi://127.0.0.1:${tap.port}/${tgt.iqn}/1`, { keepaliveMs: 0 });
      const p = s.negotiated.params;
      assert.deepEqual([p.initialR2T, p.immediateData, p.targetMaxRecvDataSegmentLength], [true, true, 8192]);
      const data = image(160); // 320 KiB: more than tgt's first and max burst
      const ua = await s.execute({ cdb: Buffer.alloc(6), direction: 'none', timeoutMs: 5000 });
      assert.deepEqual([ua.status, ua.sense[2]! & 0x0f, ua.sense[12]], [2, 6, 0x29], 'the power-on unit attention, first');
      const r = await s.execute({ cdb: Buffer.from([0x2a, 0, 0, 0, 0, 0, 0, 0, 160, 0]), direction: 'out', dataOut: data, timeoutMs: 30_000 });
      assert.equal(r.status, 0);
      const cmd = tap.seen.find((x) => x.dir === 'out' && x.pdu.kind === 'scsi-command' && x.pdu.cdb[0] === 0x2a)!.pdu as ScsiCommand;
      assert.equal(cmd.data?.length, Math.min(8192, p.firstBurstLength), 'immediate data');
      const outs = tap.seen.filter((x) => x.dir === 'out' && x.pdu.kind === 'data-out' && x.pdu.itt === cmd.itt).map((x) => x.pdu as DataOut);
      assert.equal(outs.filter((d) => d.ttt === RESERVED_TAG).length, 0, 'no unsolicited Data-Out under InitialR2T=Yes');
      assert.ok(outs.every((d) => (d.data?.length ?? 0) <= 8192));
      assert.equal((cmd.data?.length ?? 0) + outs.reduce((n, d) => n + (d.data?.length ?? 0), 0), data.length);
      assert.ok(readFileSync(tgt.backing).subarray(0, data.length).equals(data));
      await s.close();
    } finally {
      await tap.close();
    }
  });
});

test("tgt: CHAP and mutual CHAP from the URL's user:secret; a wrong secret is refused", async (t) => {
  await withTgt(t, async (tgt) => {
    tgt.adm('--mode', 'account', '--op', 'new', '--user', 'burner', '--password', 'secret-for-tgt1');
    tgt.adm('--mode', 'account', '--op', 'bind', '--tid', '1', '--user', 'burner');
    const withCreds = (secret: string) => tgt.url.replace('iscsi://', `iscsi://burner:${secret}@`);
    await assert.rejects(IscsiSession.connect(tgt.url, { keepaliveMs: 0 }), (e: unknown) => (e as { hresult?: number }).hresult === 0x80070037);
    await assert.rejects(IscsiSession.connect(withCreds('wrong-secret-xx'), { keepaliveMs: 0 }), /authentication failure|login failed/);
    const s = await IscsiSession.connect(withCreds('secret-for-tgt1'), { keepaliveMs: 0 });
    assert.equal((await s.execute({ cdb: Buffer.from([0x12, 0, 0, 0, 36, 0]), direction: 'in', dataInLength: 36, timeoutMs: 5000 })).dataIn.subarray(8, 11).toString(), 'IET');
    await s.close();
    tgt.adm('--mode', 'account', '--op', 'new', '--user', 'tgt-itself', '--password', 'target-proves-it');
    tgt.adm('--mode', 'account', '--op', 'bind', '--tid', '1', '--user', 'tgt-itself', '--outgoing');
    const m = await IscsiSession.connect(withCreds('secret-for-tgt1'), { keepaliveMs: 0, mutualChap: { user: 'tgt-itself', secret: 'target-proves-it' } });
    await m.close();
    await assert.rejects(IscsiSession.connect(withCreds('secret-for-tgt1'), { keepaliveMs: 0, mutualChap: { user: 'tgt-itself', secret: 'not-what-tgt-has' } }), /mutual CHAP/);
    const master = new DiscMaster2({ urls: [withCreds('secret-for-tgt1')], recorder: { mcnPollMs: 0 } });
    assert.deepEqual(await master.recorders(), [tgt.url], 'the unique id carries no credentials');
    const rec = await master.openRecorder(tgt.url);
    assert.equal(rec.productId, 'VIRTUAL-CDROM');
    await rec.close();
  });
});

test('tgt: no reservation commands, so two processes share a host lock — counts, LOCKED with the clientName, SIGKILL frees it', async (t) => {
  await withTgt(t, async (tgt) => {
    const lockDir = mkdtempSync(join(tmpdir(), 'locks-'));
    const env = { ...process.env, OPENIMAPI_LOCK_DIR: lockDir };
    const a = new LockClient(tgt.url, 'iqn.2026-11.org.openimapi:test.tgt-a', env);
    const b = new LockClient(tgt.url, 'iqn.2026-11.org.openimapi:test.tgt-b', env);
    try {
      await Promise.all([a.ready(), b.ready()]);
      assert.deepEqual(await a.do('acquire Burner A'), { ok: true, value: null });
      assert.deepEqual(await a.do('acquire Burner A'), { ok: true, value: null });
      assert.deepEqual(await a.do('method'), { ok: true, value: 'host' }, 'tgt answers 05/20/00 to PERSISTENT RESERVE OUT and RESERVE(6)');
      assert.deepEqual(await b.do('acquire Burner B'), { ok: false, hresult: LOCKED, name: 'E_IMAPI_RECORDER_LOCKED' });
      assert.deepEqual(await b.do('owner'), { ok: true, value: 'Burner A' }, 'the host lock carries the clientName');
      assert.equal((await b.do('release')).hresult, LOCKED);
      assert.deepEqual(await a.do('release'), { ok: true, value: null });
      assert.equal((await b.do('acquire Burner B')).hresult, LOCKED, 'one of two released: still held');
      assert.deepEqual(await a.do('release'), { ok: true, value: null });
      assert.deepEqual(await b.do('owner'), { ok: true, value: '' });
      assert.deepEqual(await b.do('acquire Burner B'), { ok: true, value: null });
      assert.equal((await a.do('acquire Burner A')).hresult, LOCKED);
      assert.deepEqual(await a.do('owner'), { ok: true, value: 'Burner B' });
      await b.kill();
      assert.deepEqual(await acquireOnceFreed(a, 'Burner A'), { ok: true, value: null }, "the killed holder's lock is stale");
      assert.deepEqual(await a.do('owner'), { ok: true, value: 'Burner A' });
      assert.deepEqual(await a.do('close'), { ok: true, value: 'closed' });
    } finally {
      await a.kill();
      await b.kill();
      rmSync(lockDir, { recursive: true, force: true });
    }
  });
});
