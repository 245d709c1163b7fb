// The openimapi-emulator CLI contract for the burners: --drives with --media per drive, the identity
// flags, --control-port, and the usage errors (exit 2) and refusals (exit 1) for bad values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), 'cli.js');

test('CLI: one medium kind per drive, the INQUIRY identity flags; GET /state shows them', { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, [cli, '--port', '0', '--control-port', '0', '--drives', '3', '--media', 'dvd-rw,cd-rom,none', '--vendor', 'PLEXTOR', '--product', 'DVDR   PX-760A', '--revision', '1.07', '--serial', 'PX760'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const urls = await new Promise<string[]>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const lines = out.split('\n').filter(Boolean);
        if (lines.length === 3) resolve(lines);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
    });
    assert.deepEqual(urls.map((u) => u.replace(/^iscsi:\/\/[^/]+\/[^/]+\//, '')), ['0', '1', '2']);
    const control = /control API on (http:\/\/\S+)/.exec(err)?.[1];
    assert.ok(control, err);
    const st = (await (await fetch(`${control}/state`)).json()) as { drives: { identity: Record<string, string>; tray: string; medium: { kind: string } | null }[] };
    assert.deepEqual(st.drives.map((d) => d.medium?.kind ?? null), ['dvd-rw', 'cd-rom', null]);
    assert.deepEqual(st.drives.map((d) => d.tray), ['closed', 'closed', 'closed']);
    assert.deepEqual(st.drives[1]!.identity, { vendor: 'PLEXTOR', product: 'DVDR   PX-760A', revision: '1.07', serial: 'PX7601' });
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
});

test('CLI: a --media list of the wrong length is a usage error (2); an unknown kind or an identity a drive cannot hold is refused (1)', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, '--port', '0', ...args], { encoding: 'utf8', timeout: 30_000 });
  const two = run('--drives', '2', '--media', 'cd-r,cd-r,cd-r');
  assert.equal(two.status, 2);
  assert.match(two.stderr, /--media lists 3 kinds for 2 drives/);
  const unknown = run('--media', 'hd-dvd');
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /unknown medium "hd-dvd"/);
  const vendor = run('--vendor', 'TOOLONGVENDOR');
  assert.equal(vendor.status, 1);
  assert.match(vendor.stderr, /vendor: "TOOLONGVENDOR" must be at most 8 printable ASCII characters/);
  const exportUsage = spawnSync(process.execPath, [cli, 'export'], { encoding: 'utf8' });
  assert.equal(exportUsage.status, 2);
  assert.match(exportUsage.stderr, /export needs exactly one saved disc/);
});
