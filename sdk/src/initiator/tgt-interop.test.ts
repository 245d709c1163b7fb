/**
 * Interop with tgt (the Linux SCSI target framework, Debian package `tgt`): a `--device-type cd` LUN
 * backed by an empty temp file (tgt's MMC emulation presents it as a blank DVD+R). The test starts
 * `tgtd -f` on a free port with its own control port, creates the target with `tgtadm`, and stops
 * it after. Skipped, visibly, when tgtd is not installed or cannot start (it needs root).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiscMaster2 } from '../recorder/disc-master2.js';

const IQN = 'iqn.2026-11.org.openimapi.test:tgt-cd';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

interface Tgt {
  port: number;
  stop(): void;
}

async function startTgt(): Promise<Tgt | string> {
  if (spawnSync('tgtd', ['--version']).error) return 'tgtd is not installed (apt-get install -y tgt)';
  const port = await freePort();
  const control = 1000 + (port % 5000);
  const dir = mkdtempSync(join(tmpdir(), 'tgt-'));
  const backing = join(dir, 'dvd.img');
  writeFileSync(backing, '');
  const proc: ChildProcess = spawn('tgtd', ['-f', '-C', String(control), '--iscsi', `portal=127.0.0.1:${port}`], { stdio: 'ignore' });
  const stop = () => {
    proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const adm = (...args: string[]) => spawnSync('tgtadm', ['-C', String(control), '--lld', 'iscsi', ...args], { encoding: 'utf8' });
  for (let i = 0; i < 40; i++) {
    if (adm('--mode', 'target', '--op', 'show').status === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const steps = [
    ['--mode', 'target', '--op', 'new', '--tid', '1', '--targetname', IQN],
    ['--mode', 'logicalunit', '--op', 'new', '--tid', '1', '--lun', '1', '--device-type', 'cd', '--backing-store', backing],
    ['--mode', 'target', '--op', 'bind', '--tid', '1', '--initiator-address', 'ALL'],
  ];
  for (const s of steps) {
    const r = adm(...s);
    if (r.status !== 0) {
      stop();
      return `tgtadm ${s.join(' ')} failed: ${r.stderr || r.error?.message}`;
    }
  }
  return { port, stop };
}

test('tgt: DiscMaster2 lists the cd LUN; INQUIRY, profiles, features, disc information', async (t) => {
  const tgt = await startTgt();
  if (typeof tgt === 'string') {
    t.skip(tgt);
    return;
  }
  try {
    const master = new DiscMaster2({ portals: [`iscsi://127.0.0.1:${tgt.port}`] });
    const ids = await master.recorders();
    // LUN 0 is tgt's controller LUN (type 0Ch), not a recorder.
    assert.deepEqual(ids, [`iscsi://127.0.0.1:${tgt.port}/${IQN}/1`]);
    const rec = await master.openRecorder(ids[0]!);
    try {
      // tgt's INQUIRY: vendor "IET", product "VIRTUAL-CDROM" (usr/spc.c defaults).
      assert.equal(rec.vendorId, 'IET');
      assert.equal(rec.productId, 'VIRTUAL-CDROM');
      // tgt's mmc.c profile list: DVD+R (1Bh) and DVD-ROM (10h); an empty backing file is a blank DVD+R.
      assert.deepEqual((await rec.getSupportedProfiles()).sort((a, b) => a - b), [0x10, 0x1b]);
      assert.deepEqual(await rec.getCurrentProfiles(), [0x1b]);
      const features = await rec.getSupportedFeaturePages();
      for (const f of [0x0000, 0x0001, 0x0003, 0x002b]) assert.ok(features.includes(f), `feature ${f.toString(16)}`);
      const dvdPlusR = await rec.getFeaturePage(0x002b);
      assert.equal(dvdPlusR.current, true);
      const disc = await rec.getDiscInformation();
      assert.equal(disc.discStatus, 0, 'blank');
    } finally {
      await rec.close();
    }
  } finally {
    tgt.stop();
  }
});
