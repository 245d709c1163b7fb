/**
 * Interop with libiscsi's tools (Debian libiscsi-bin): iscsi-ls, iscsi-inq and iscsi-test-cu against the
 * openimapi-emulator CLI serving a ROM image with the plain ROM drive (`--media rom`). Skipped, visibly, when the tools are not installed.
 *
 * iscsi-test-cu runs with --dataloss so that the iSCSI CmdSN/DataSN tests really send their WRITEs
 * (without it they report "[SKIPPED]" and count as passed). Tests that libiscsi itself skips for a
 * non-SBC device (write residuals, TMF, most of PreventAllow) still count as passed in its summary.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTarget } from './target.js';
import { RamDisk } from './disk-lun.test.helpers.js';

const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const tools = have('iscsi-test-cu') && have('iscsi-ls') && have('iscsi-inq');
const cli = fileURLToPath(new URL('../cli.js', import.meta.url));
const IQN = 'iqn.2026-11.org.openimapi:emulator';

let child: ChildProcess | undefined;
let url = '';
let port = 0;
let dir = '';

before(async () => {
  if (!tools) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iscsi-interop-'));
  const image = path.join(dir, 'disc.iso');
  fs.writeFileSync(image, Buffer.alloc(2048 * 1024, 0x5a));
  // `--media rom`: the plain ROM drive (rom-lun.ts), so this exercises the target itself; the MMC burner has its own tests.
  child = spawn(process.execPath, [cli, '--media', 'rom', '--port', '0', '--load', image], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.resume();
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`emulator printed no URL: ${out}`)), 10000);
    child!.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /^(iscsi:\/\/\S+)$/m.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m[1]!);
      }
    });
    child!.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  port = Number(/:(\d+)\//.exec(url)![1]);
});

after(() => {
  child?.kill('SIGTERM');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function run(cmd: string, args: string[], timeoutMs = 120000): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, out });
    });
  });
}

test('the CLI prints exactly one iscsi:// URL per drive', { skip: !tools && 'libiscsi-bin not installed' }, () => {
  assert.equal(url, `iscsi://127.0.0.1:${port}/${IQN}/0`);
});

test('iscsi-ls -s lists the target and its MMC LUN', { skip: !tools && 'libiscsi-bin not installed' }, async () => {
  const r = await run('iscsi-ls', ['-s', `iscsi://127.0.0.1:${port}`]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, new RegExp(`Target:${IQN.replace(/\./g, '\\.')} Portal:127\\.0\\.0\\.1:${port},1`));
  assert.match(r.out, /Lun:0\s+Type:MMC/);
});

test('iscsi-inq reads the standard INQUIRY data', { skip: !tools && 'libiscsi-bin not installed' }, async () => {
  const r = await run('iscsi-inq', [url]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /Peripheral Device Type:MMC/);
  assert.match(r.out, /Removable:1/);
  assert.match(r.out, /Vendor:OPENIMAP/);
});

// Expected counts: every test of each family passes (tgt's MMC LUN: 7/7, 1/1, 8/8, 3/3, 12/15).
const families: Array<[string, number]> = [
  ['SCSI.Inquiry', 7],
  ['SCSI.TestUnitReady', 1],
  ['SCSI.PreventAllow', 8],
  ['SCSI.StartStopUnit', 3],
  ['iSCSI', 15],
];

for (const [family, count] of families) {
  test(`iscsi-test-cu ${family}: ${count}/${count} passed`, { skip: !tools && 'libiscsi-bin not installed' }, async () => {
    const r = await run('iscsi-test-cu', [
      '-n', '--dataloss', '-i', 'iqn.2026-11.org.openimapi:interop-1', '-I', 'iqn.2026-11.org.openimapi:interop-2', '-t', family, url,
    ]);
    const m = /^\s*tests\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(r.out);
    assert.ok(m, `no CUnit summary:\n${r.out}`);
    const [total, ran, passed, failed] = m.slice(1, 5).map(Number);
    assert.deepEqual({ total, ran, passed, failed }, { total: count, ran: count, passed: count, failed: 0 }, r.out);
    assert.equal(r.code, 0, r.out);
  });
}

test('CHAP and mutual CHAP with libiscsi: right secrets log in, a wrong one is refused', { skip: !tools && 'libiscsi-bin not installed' }, async () => {
  const image = path.join(dir, 'disc.iso');
  const p = spawn(process.execPath, [cli, '--media', 'rom', '--port', '0', '--load', image, '--chap-user', 'alice', '--chap-secret', 'alice-secret-1',
    '--mutual-chap-user', 'emulator', '--mutual-chap-secret', 'target-secret-1'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const u = await new Promise<string>((resolve, reject) => {
      let out = '';
      p.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /^iscsi:\/\/(\S+)$/m.exec(out);
        if (m) resolve(m[1]!);
      });
      p.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const ok = await run('iscsi-inq', [`iscsi://alice%alice-secret-1@${u}?target_user=emulator&target_password=target-secret-1`]);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /Peripheral Device Type:MMC/);
    const badInitiator = await run('iscsi-inq', [`iscsi://alice%not-the-secret@${u}`]);
    assert.notEqual(badInitiator.code, 0);
    assert.match(badInitiator.out, /Authentication failure/);
    const badTarget = await run('iscsi-inq', [`iscsi://alice%alice-secret-1@${u}?target_user=emulator&target_password=other-secret-1`]);
    assert.notEqual(badTarget.code, 0, 'libiscsi refuses a target that cannot prove the mutual secret');
  } finally {
    p.kill('SIGTERM');
  }
});

// libiscsi runs its write-residual and task-management tests only against SBC devices; against a RAM
// disk behind the same target every one of the 15 runs for real. The WRITEs are slowed down so that
// ABORT TASK and LUN RESET meet a command still in flight.
test('iscsi-test-cu iSCSI family against an SBC RAM disk: 15/15 passed with every test active', { skip: !tools && 'libiscsi-bin not installed' }, async () => {
  const disk = new RamDisk();
  disk.writeDelay = 100;
  const t = await startTarget({ port: 0, luns: [disk] });
  try {
    const r = await run('iscsi-test-cu', ['-n', '--dataloss', '-t', 'iSCSI', t.urls[0]!]);
    const m = /^\s*tests\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(r.out);
    assert.ok(m, r.out);
    assert.deepEqual(m.slice(1, 5).map(Number), [15, 15, 15, 0], r.out);
    assert.doesNotMatch(r.out, /Not SBC device|\[SKIPPED\] (WRITE|READ)\d+ is not implemented/, 'no test skipped itself');
  } finally {
    await t.close();
  }
});
