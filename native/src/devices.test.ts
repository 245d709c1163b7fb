import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listDevices } from './devices.js';

/** A fake sysfs laid out as the kernel does it (class link → device dir named H:C:T:L). */
async function fakeSysfs(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'sysfs-'));
  const add = async (sg: string, hctl: string, attrs: Record<string, string>, block?: string) => {
    const devDir = join(root, 'devices', 'host', hctl);
    await mkdir(devDir, { recursive: true });
    for (const [k, v] of Object.entries(attrs)) await writeFile(join(devDir, k), v);
    if (block) await mkdir(join(devDir, 'block', block), { recursive: true });
    await mkdir(join(root, 'class', 'scsi_generic', sg), { recursive: true });
    await symlink(devDir, join(root, 'class', 'scsi_generic', sg, 'device'));
  };
  // sysfs pads vendor/model with spaces and ends with a newline.
  await add('sg10', '2:0:1:0', { type: '5\n', vendor: 'PLEXTOR \n', model: 'DVDR   PX-716A  \n', rev: '1.11\n' });
  await add('sg0', '0:0:0:0', { type: '0\n', vendor: 'ATA     \n', model: 'DISK\n', rev: '1\n' });
  await add('sg2', '1:0:0:0', { type: '5\n', vendor: 'OPENIMAP\n', model: 'EMU-BURNER      \n', rev: '1.0 \n' }, 'sr0');
  await mkdir(join(root, 'class', 'scsi_generic', 'sg3'), { recursive: true }); // device gone mid-scan
  return root;
}

test('listDevices: type 5 only, sorted by sg number, trimmed strings, block node and H:C:T:L', async () => {
  const root = await fakeSysfs();
  try {
    const list = await listDevices({ sysfsRoot: root });
    assert.deepEqual(list, [
      { path: '/dev/sg2', blockPath: '/dev/sr0', type: 5, vendor: 'OPENIMAP', model: 'EMU-BURNER', revision: '1.0', hctl: '1:0:0:0' },
      { path: '/dev/sg10', blockPath: undefined, type: 5, vendor: 'PLEXTOR', model: 'DVDR   PX-716A', revision: '1.11', hctl: '2:0:1:0' },
    ]);
    const all = await listDevices({ sysfsRoot: root, devRoot: '/xdev', allTypes: true });
    assert.deepEqual(all.map((d) => [d.path, d.type]), [['/xdev/sg0', 0], ['/xdev/sg2', 5], ['/xdev/sg10', 5]]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('listDevices: no scsi_generic class (no sg driver) → empty list, no throw', async () => {
  const root = await mkdtemp(join(tmpdir(), 'sysfs-'));
  try {
    assert.deepEqual(await listDevices({ sysfsRoot: root }), []);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
