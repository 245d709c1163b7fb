/**
 * The openimapi-emulator command line, run as a child process: exactly one iscsi:// line per drive on
 * stdout and nothing else, --host/--port/--iqn/--drives, --verbose CDB lines on stderr, bad options.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestInitiator } from './iscsi/initiator.test.helpers.js';
import { read10, waitFor } from './iscsi/mem-lun.test.helpers.js';
import { DEFAULT_HOST, DEFAULT_IQN, DEFAULT_PORT } from './iscsi/types.js';
import { ScsiStatus } from '@openimapi/sdk/wire';

const cli = fileURLToPath(new URL('./cli.js', import.meta.url));

interface Run {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

function start(args: string[]): Run {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

async function urls(r: Run, n: number): Promise<string[]> {
  await waitFor(() => r.out().split('\n').filter(Boolean).length >= n || r.child.exitCode !== null, 20000);
  return r.out().split('\n').filter(Boolean);
}

test('defaults: 127.0.0.1:3260 and the IQN iqn.2026-11.org.openimapi:emulator, stated in --help', async () => {
  assert.deepEqual([DEFAULT_HOST, DEFAULT_PORT, DEFAULT_IQN], ['127.0.0.1', 3260, 'iqn.2026-11.org.openimapi:emulator']);
  const r = start(['--help']);
  assert.equal(await r.exited, 0);
  assert.match(r.out(), /--host ADDR\s+listen address \(default 127\.0\.0\.1\)/);
  assert.match(r.out(), /--port N\s+TCP port \(default 3260;/);
  assert.match(r.out(), /--iqn NAME\s+target name \(default iqn\.2026-11\.org\.openimapi:emulator\)/);
  assert.match(r.out(), /--verbose/);
});

test('--drives 3 --host --iqn: three URL lines on stdout, nothing more while sessions come and go; SIGTERM exits 0', async () => {
  const iqn = 'iqn.2026-11.org.example:cli-test';
  const r = start(['--host', '127.0.0.1', '--port', '0', '--iqn', iqn, '--drives', '3']);
  try {
    const lines = await urls(r, 3);
    assert.equal(lines.length, 3, r.err());
    const port = Number(/^iscsi:\/\/127\.0\.0\.1:(\d+)\//.exec(lines[0]!)?.[1]);
    assert.deepEqual(lines, [0, 1, 2].map((n) => `iscsi://127.0.0.1:${port}/${iqn}/${n}`));
    const c = await TestInitiator.connect(port);
    await c.login({ target: iqn });
    for (const lun of [0, 1, 2]) {
      const inq = await c.command(Buffer.from([0x12, 0, 0, 0, 36, 0]), { lun, read: 36 });
      assert.equal(inq.status, ScsiStatus.GOOD);
      assert.equal(inq.data[0]! & 0x1f, 0x05, `LUN ${lun} is an MMC device`);
    }
    await c.logout();
    await c.whenClosed();
    await waitFor(() => /closing: logged out/.test(r.err()), 10000);
    assert.equal(r.out(), lines.map((l) => l + '\n').join(''), 'stdout holds the URLs and nothing else');
  } finally {
    r.child.kill('SIGTERM');
  }
  assert.equal(await r.exited, 0);
});

test('--verbose logs each CDB with its opcode name, LBA, blocks and length on stderr; stdout stays the URL', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-verbose-'));
  const image = path.join(dir, 'disc.iso');
  fs.writeFileSync(image, Buffer.alloc(2048 * 16, 0x33));
  const r = start(['--port', '0', '--media', 'rom', '--load', image, '--verbose']);
  try {
    const [url] = await urls(r, 1);
    const port = Number(/:(\d+)\//.exec(url!)?.[1]);
    assert.equal(url, `iscsi://127.0.0.1:${port}/${DEFAULT_IQN}/0`);
    const c = await TestInitiator.connect(port);
    await c.login();
    const rd = await c.command(read10(5, 2), { read: 4096 });
    assert.equal(rd.status, ScsiStatus.GOOD);
    await c.command(Buffer.from([0x12, 0, 0, 0, 36, 0]), { read: 36 });
    c.destroy();
    await waitFor(() => /INQUIRY length 36/.test(r.err()), 10000);
    assert.match(r.err(), /CDB LUN 0 ITT \d+ READ_10 LBA 5 blocks 2 length 4096 R \[28000000000500000200/);
    assert.equal(r.out(), url + '\n');
  } finally {
    r.child.kill('SIGTERM');
    await r.exited;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('bad options exit 2 with the reason and the usage on stderr, nothing on stdout', async () => {
  for (const [args, why] of [
    [['--drives', '0'], /--drives 0 is not 1\.\.256/],
    [['--port', '70000'], /--port 70000 is not a TCP port/],
    [['--chap-user', 'alice'], /--chap-user and --chap-secret go together/],
    [['--mutual-chap-user', 'x', '--mutual-chap-secret', 'y'], /mutual CHAP needs --chap-user\/--chap-secret/],
    [['--chap-user', 'a', '--chap-secret', 'same-secret-1', '--mutual-chap-user', 't', '--mutual-chap-secret', 'same-secret-1'], /mutual CHAP secret must differ/],
    [['--poll-us', '100001'], /--poll-us 100001 is not an integer in 0\.\.100000/],
    [['--poll-us', '2.5'], /--poll-us 2\.5 is not an integer/],
    [['--no-such-flag'], /Unknown option '--no-such-flag'/],
  ] as const) {
    const r = start([...args]);
    assert.equal(await r.exited, 2, args.join(' '));
    assert.match(r.err(), why);
    assert.match(r.err(), /Usage: openimapi-emulator/);
    assert.equal(r.out(), '');
  }
});

test('the package bin is a committed shim (not dist/, which npm ci finds missing on a fresh clone) that runs the CLI', async () => {
  const pkgDir = fileURLToPath(new URL('../', import.meta.url));
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
  const bin = pkg.bin['openimapi-emulator']!;
  assert.match(bin, /^\.\/bin\//, 'outside dist/');
  assert.ok(pkg.files.includes('bin'), 'published with the package');
  const shim = path.join(pkgDir, bin);
  assert.ok((fs.statSync(shim).mode & 0o111) !== 0, 'executable');
  const child = spawn(process.execPath, [shim, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 0);
  assert.match(out, /^Usage: openimapi-emulator /m);
});
