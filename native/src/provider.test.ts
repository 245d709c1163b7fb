import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiscMaster2 } from '@openimapi/sdk';
import { nativeAvailability } from './addon.js';
import { sgProvider } from './provider.js';
import { SgTransport } from './sg-transport.js';
import { FakeAddon } from './fake-addon.test.helpers.js';

async function sysfsWithOneDrive(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'sysfs-'));
  const devDir = join(root, 'devices', 'host', '0:0:0:0');
  await mkdir(join(devDir, 'block', 'sr0'), { recursive: true });
  for (const [k, v] of Object.entries({ type: '5\n', vendor: 'OPENIMAP\n', model: 'EMU-BURNER\n', rev: '1.0\n' })) await writeFile(join(devDir, k), v);
  await mkdir(join(root, 'class', 'scsi_generic', 'sg2'), { recursive: true });
  await symlink(devDir, join(root, 'class', 'scsi_generic', 'sg2', 'device'));
  return root;
}

test('sgProvider: lists sg: ids from sysfs and opens them in lock mode acquire (no fd kept until the lock is taken)', async () => {
  const root = await sysfsWithOneDrive();
  try {
    const fake = new FakeAddon();
    const master = new DiscMaster2({ providers: [sgProvider({ sysfsRoot: root, addon: fake })] });
    assert.equal(master.isSupportedEnvironment, true);
    assert.deepEqual(await master.recorders(), ['sg:/dev/sg2']);
    const t = await master.open('sg:/dev/sg2');
    assert.ok(t instanceof SgTransport);
    assert.equal(t.id, 'sg:/dev/sg2');
    assert.deepEqual(fake.opens, ['/dev/sg2 plain']);
    assert.equal(fake.openCount('/dev/sg2'), 0);
    assert.ok(t.lock, 'the transport brings its own lock');
    // Any sg: id opens, listed or not (the block node too).
    await master.open('sg:/dev/sr0');
    assert.equal(fake.opens.at(-1), '/dev/sr0 plain');
    await assert.rejects(master.open('sg:'), TypeError);
    await t.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('sgProvider: availability is the addon\'s; where it cannot load, it says why and lists nothing', async () => {
  const p = sgProvider();
  const a = nativeAvailability();
  assert.equal(p.availability().available, a.available);
  if (!a.available) {
    assert.equal(p.availability().reason, a.reason);
    assert.deepEqual(await p.list(), []);
  }
  assert.equal(p.owns('sg:/dev/sg0'), true);
  assert.equal(p.owns('iscsi://127.0.0.1/iqn.x/0'), false);
});
