/**
 * Interop with libiscsi's tools (Debian libiscsi-bin): iscsi-ls, iscsi-inq and iscsi-test-cu against the
 * openimapi-emulator CLI, with both logical units it serves: the MMC burner (the default drive, here
 * with the image loaded as a closed disc) and the plain ROM drive (`--media rom`). On the same machine
 * the same iscsi-test-cu families run against tgt's MMC LUN (Debian tgt, when installed and root) serving
 * the same image, and the counts are printed side by side. Skipped, visibly, when the tools are missing.
 *
 * Every family runs against a fresh emulator process, so one family's ejects and resets never meet the
 * next. iscsi-test-cu runs with --dataloss so that the iSCSI CmdSN/DataSN tests really send their
 * WRITEs (without it they report "[SKIPPED]" and count as passed). Tests that libiscsi itself skips
 * for a non-SBC device (write residuals, TMF, most of PreventAllow) still count as passed in its
 * summary; the last test runs the iSCSI family against an SBC RAM disk so that all 15 run for real.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTarget } from './target.js';
import { RamDisk } from './disk-lun.test.helpers.js';
import { startTgt, type Tgt } from './tgt.test.helpers.js';

const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const tools = have('iscsi-test-cu') && have('iscsi-ls') && have('iscsi-inq');
// In CI (.ci/run installs libiscsi-bin) a missing tool fails these tests instead of skipping them.
const skip = !tools && !process.env.CI && 'libiscsi-bin not installed';
const cli = fileURLToPath(new URL('../cli.js', import.meta.url));
const IQN = 'iqn.2026-11.org.openimapi:emulator';

let dir = '';
let image = '';
let tgt: Tgt | string = 'not started';

before(async () => {
  if (!tools) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iscsi-interop-'));
  image = path.join(dir, 'disc.iso');
  fs.writeFileSync(image, Buffer.alloc(2048 * 1024, 0x5a));
  tgt = await startTgt(image);
});

after(() => {
  if (typeof tgt !== 'string') tgt.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface Emulator {
  urls: string[];
  port: number;
  stop(): void;
}

/** Starts the CLI on a free port and waits for its URL lines. */
function emulator(args: string[], lines = 1): Promise<Emulator> {
  const p = spawn(process.execPath, [cli, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  p.stderr!.resume();
  return new Promise((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`emulator printed no URL: ${out}`)), 20000);
    p.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const urls = out.split('\n').filter((l) => l.startsWith('iscsi://'));
      if (urls.length === lines) {
        clearTimeout(t);
        resolve({ urls, port: Number(/:(\d+)\//.exec(urls[0]!)![1]), stop: () => p.kill('SIGTERM') });
      }
    });
    p.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
}

function run(cmd: string, args: string[], timeoutMs = 180000): Promise<{ code: number | null; out: string }> {
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

interface Counts {
  total: number;
  ran: number;
  passed: number;
  failed: number;
  out: string;
  code: number | null;
}

/** One iscsi-test-cu family; its CUnit "tests" summary line. */
async function cunit(url: string, family: string): Promise<Counts> {
  const r = await run('iscsi-test-cu', ['-n', '--dataloss', '-i', 'iqn.2026-11.org.openimapi:interop-1', '-I', 'iqn.2026-11.org.openimapi:interop-2', '-t', family, url]);
  const m = /^\s*tests\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(r.out);
  assert.ok(m, `no CUnit summary from iscsi-test-cu -t ${family}:\n${r.out}`);
  const [total, ran, passed, failed] = m.slice(1, 5).map(Number) as [number, number, number, number];
  return { total, ran, passed, failed, out: r.out, code: r.code };
}

// What the issue asks: every test of each family passes (tgt's MMC LUN: 7/7, 1/1, 8/8, 3/3, 12/15).
const families: Array<[string, number]> = [
  ['SCSI.Inquiry', 7],
  ['SCSI.TestUnitReady', 1],
  ['SCSI.PreventAllow', 8],
  ['SCSI.StartStopUnit', 3],
  ['iSCSI', 15],
];

const subjects = {
  'MMC burner': ['--load'],
  'ROM drive': ['--media', 'rom', '--load'],
} as const;
const results = new Map<string, Counts>();

test('the CLI prints exactly one iscsi:// URL per drive', { skip }, async () => {
  const e = await emulator(['--drives', '2', '--load', image], 2);
  try {
    assert.deepEqual(e.urls, [0, 1].map((n) => `iscsi://127.0.0.1:${e.port}/${IQN}/${n}`));
  } finally {
    e.stop();
  }
});

for (const [name, args] of Object.entries(subjects)) {
  test(`iscsi-ls -s lists the target with the ${name} as an MMC LUN; iscsi-inq identifies it`, { skip }, async () => {
    const e = await emulator([...args, image]);
    try {
      const ls = await run('iscsi-ls', ['-s', `iscsi://127.0.0.1:${e.port}`]);
      assert.equal(ls.code, 0, ls.out);
      assert.match(ls.out, new RegExp(`Target:${IQN.replace(/\./g, '\\.')} Portal:127\\.0\\.0\\.1:${e.port},1`));
      assert.match(ls.out, /Lun:0\s+Type:MMC/);
      const inq = await run('iscsi-inq', [e.urls[0]!]);
      assert.equal(inq.code, 0, inq.out);
      assert.match(inq.out, /Peripheral Device Type:MMC/);
      assert.match(inq.out, /Removable:1/);
      assert.match(inq.out, /Vendor:OPENIMAP/);
      assert.match(inq.out, name === 'MMC burner' ? /Product:EMU-BURNER/ : /Product:ROM DISC/);
    } finally {
      e.stop();
    }
  });

  for (const [family, count] of families) {
    const key = `${name} ${family}`;
    test(`iscsi-test-cu ${family} against the ${name}: ${count}/${count} passed`, { skip }, async () => {
      const e = await emulator([...args, image]);
      try {
        const r = await cunit(e.urls[0]!, family);
        results.set(key, r);
        const why = `iscsi-test-cu -t ${family} ${e.urls[0]}:\n${r.out.slice(-4000)}`;
        assert.deepEqual({ total: r.total, ran: r.ran, passed: r.passed, failed: r.failed }, { total: count, ran: count, passed: count, failed: 0 }, why);
        assert.equal(r.code, 0, why);
      } finally {
        e.stop();
      }
    });
  }
}

for (const [family] of families) {
  test(`iscsi-test-cu ${family} against tgt's MMC LUN (for comparison; not asserted)`, { skip }, async (t) => {
    if (typeof tgt === 'string') {
      t.skip(tgt);
      return;
    }
    const r = await cunit(tgt.url, family);
    results.set(`tgt ${family}`, r);
    assert.equal(r.total, families.find(([f]) => f === family)![1], 'the family has the expected number of tests');
  });
}

test('side by side: iscsi-test-cu passed/total per family, emulator and tgt on this machine', { skip }, (t) => {
  const cell = (k: string) => {
    const r = results.get(k);
    return r ? `${r.passed}/${r.total}` : '-';
  };
  const lines = [`${'family'.padEnd(20)}${'MMC burner'.padEnd(12)}${'ROM drive'.padEnd(12)}tgt MMC LUN`];
  for (const [family] of families) lines.push(`${family.padEnd(20)}${cell(`MMC burner ${family}`).padEnd(12)}${cell(`ROM drive ${family}`).padEnd(12)}${cell(`tgt ${family}`)}`);
  for (const l of lines) t.diagnostic(l);
  // The emulator is never behind tgt.
  for (const [family] of families) {
    const theirs = results.get(`tgt ${family}`);
    for (const name of Object.keys(subjects)) {
      const ours = results.get(`${name} ${family}`);
      if (!theirs || !ours) continue;
      assert.ok(ours.passed >= theirs.passed, `${name} ${family}: ${ours.passed} passed, tgt ${theirs.passed}`);
    }
  }
});

test('CHAP and mutual CHAP with libiscsi: right secrets log in, a wrong one is refused', { skip }, async () => {
  const e = await emulator(['--media', 'rom', '--load', image, '--chap-user', 'alice', '--chap-secret', 'alice-secret-1',
    '--mutual-chap-user', 'emulator', '--mutual-chap-secret', 'target-secret-1']);
  try {
    const u = e.urls[0]!.slice('iscsi://'.length);
    const ok = await run('iscsi-inq', [`iscsi://alice%alice-secret-1@${u}?target_user=emulator&target_password=target-secret-1`]);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /Peripheral Device Type:MMC/);
    const badInitiator = await run('iscsi-inq', [`iscsi://alice%not-the-secret@${u}`]);
    assert.notEqual(badInitiator.code, 0);
    assert.match(badInitiator.out, /Authentication failure/);
    const badTarget = await run('iscsi-inq', [`iscsi://alice%alice-secret-1@${u}?target_user=emulator&target_password=other-secret-1`]);
    assert.notEqual(badTarget.code, 0, 'libiscsi refuses a target that cannot prove the mutual secret');
  } finally {
    e.stop();
  }
});

// libiscsi runs its write-residual and task-management tests only against SBC devices; against a RAM
// disk behind the same target every one of the 15 runs for real. The WRITEs are slowed down so that
// ABORT TASK and LUN RESET meet a command still in flight.
test('iscsi-test-cu iSCSI family against an SBC RAM disk: 15/15 passed with every test active', { skip }, async () => {
  const disk = new RamDisk();
  disk.writeDelay = 100;
  const t = await startTarget({ port: 0, luns: [disk] });
  try {
    const r = await cunit(t.urls[0]!, 'iSCSI');
    assert.deepEqual([r.total, r.ran, r.passed, r.failed], [15, 15, 15, 0], r.out);
    assert.doesNotMatch(r.out, /Not SBC device|\[SKIPPED\] (WRITE|READ)\d+ is not implemented/, 'no test skipped itself');
  } finally {
    await t.close();
  }
});
