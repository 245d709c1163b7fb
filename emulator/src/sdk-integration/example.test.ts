/**
 * The README's example app (sdk/src/examples/list-drives.ts) run as a user would — a separate node
 * process — against the emulator's iSCSI target: lists the drives, shows the media, ejects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createDrives } from '../drive/index.js';
import { startTarget } from '../iscsi/target.js';
import { DiscMaster2 } from '@openimapi/sdk';

const EXAMPLE = fileURLToPath(new URL('../../../sdk/dist/examples/list-drives.js', import.meta.url));

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [EXAMPLE, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

test('example list-drives: lists both drives with identity, profiles and media; --eject opens the tray', async () => {
  const drives = createDrives({ media: 'dvd+r', count: 2, becomingReadyMs: 0 });
  drives[1]!.eject();
  drives[1]!.load('cd-r');
  const t = await startTarget({ port: 0, luns: drives });
  try {
    const portal = `iscsi://${t.host}:${t.port}`;
    const listed = await run(portal);
    assert.equal(listed.code, 0, listed.stderr);
    const lines = listed.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 8);
    assert.equal(lines[0], `${portal}/${t.iqn}/0`);
    assert.equal(lines[1], '  OPENIMAP EMU-BURNER 1.0');
    assert.equal(lines[2], '  profiles: CD-ROM, CD-R, CD-RW, DVD-ROM, DVD-R, DVD-RW, DVD+RW, DVD+R, BD-ROM, BD-R, BD-RE');
    assert.equal(lines[3], '  media: DVD+R (blank)');
    assert.equal(lines[4], `${portal}/${t.iqn}/1`);
    assert.equal(lines[7], '  media: CD-R (blank)');

    const one = await run(`${portal}/${t.iqn}/1`, '--eject');
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /media: CD-R \(blank\)\n {2}ejected\n$/);
    assert.deepEqual(drives.map((d) => d.describe().tray), ['closed', 'open']);
    const again = await run(portal);
    assert.match(again.stdout, new RegExp(`/1\\n.*\\n.*\\n {2}media: none\\n$`));
  } finally {
    await t.close();
  }
});

test('example list-drives: usage error exits 2; a portal nobody answers lists nothing', async () => {
  const usage = await run();
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /^usage: list-drives/);
  assert.equal((await run('--bogus', 'iscsi://127.0.0.1:1')).code, 2);
  const none = await run('iscsi://127.0.0.1:1');
  assert.deepEqual([none.code, none.stdout], [0, 'no recorders found\n']);
});

test('example list-drives: a drive another client holds shows its client name; --eject on it names E_IMAPI_RECORDER_LOCKED', async () => {
  const drives = createDrives({ media: 'cd-r', count: 1, becomingReadyMs: 0 });
  const t = await startTarget({ port: 0, luns: drives });
  const url = `iscsi://${t.host}:${t.port}/${t.iqn}/0`;
  const master = new DiscMaster2({ urls: [url], recorder: { mcnPollMs: 0 } });
  const holder = await master.openRecorder(url);
  try {
    await holder.acquireExclusiveAccess(false, 'Burner A');
    const listed = await run(url, '--eject');
    assert.equal(listed.code, 0, listed.stderr);
    // GET CONFIGURATION still answers under the reservation; READ DISC INFORMATION does not (no "(blank)").
    assert.match(listed.stdout, /\n {2}media: CD-R\n {2}in use by: Burner A\n {2}error: E_IMAPI_RECORDER_LOCKED — /);
    assert.equal(drives[0]!.describe().tray, 'closed', 'the held drive was not ejected');
    await holder.releaseExclusiveAccess();
    const free = await run(url);
    assert.doesNotMatch(free.stdout, /in use by/);
  } finally {
    await holder.close();
    await t.close();
  }
});
