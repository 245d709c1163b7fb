/**
 * scripts/conformance.mjs (npm start, npm test, openimapi conformance) with several targets: the
 * emulator and a second emulator reached as a plain iSCSI target (no control plane: the disc in it is
 * used as it is), at once, a column each in the table
 * and in reports/conformance.html, --compare listing the rows where they differ; and its usage errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from './emulator-process.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const script = join(root, 'scripts', 'conformance.mjs');
const TAGS = '@method:IDiscRecorder2.ReleaseExclusiveAccess';

function runner(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

test('conformance runner: two targets at once, a column each, --compare lists where they differ', { timeout: 300_000 }, async () => {
  const second = await startEmulator();
  const reports = mkdtempSync(join(tmpdir(), 'openimapi-runner-test-'));
  try {
    const url = second.urls[0]!;
    const r = await runner(['--ci', '--tags', TAGS, '--reports', reports, '--compare', '--target', 'emulator', '--target', url]);
    assert.equal(r.code, 0, r.out + r.err);
    const lines = r.out.split('\n');
    const header = lines.find((l) => l.startsWith('method '))!;
    assert.deepEqual(header.trim().split(/\s{2,}/), ['method', 'HRESULT', 'emulator', url]);
    // With several targets every output line of a target's cucumber run carries its name.
    assert.ok(lines.some((l) => l.startsWith(`[${url}] `)), 'prefixed output of the iSCSI target');
    // The plain iSCSI target has no control plane: its @fault scenarios are skipped, with the reason, and
    // the others run on the disc in the drive (the second emulator's blank CD-R), so some rows differ.
    const rows = lines.filter((l) => l.startsWith('IDiscRecorder2.ReleaseExclusiveAccess ') && !l.startsWith('  '));
    assert.ok(rows.length >= 2, r.out);
    for (const row of rows) assert.match(row, /(pass|skip) \d+\s+(pass|skip) \d+\s*$/);
    assert.ok(rows.some((row) => /pass \d+\s+pass \d+\s*$/.test(row)), `rows that pass on both:\n${r.out}`);
    const differ = /^(\d+) row\(s\) differ between emulator and (\S+)$/m.exec(r.out);
    assert.ok(differ, r.out);
    assert.equal(differ[2], url);
    assert.ok(Number(differ[1]) >= 1 && Number(differ[1]) < rows.length);
    assert.match(r.out, /^ {6}PASSED \/ SKIPPED: .+ \(no control plane\)$/m);
    const m = /^cucumber: (\d+) passed, (\d+) failed, (\d+) skipped$/m.exec(r.out)!;
    const perTarget = [...r.out.matchAll(/^(emulator|iscsi:\S+): (\d+) passed, (\d+) failed, (\d+) skipped in [\d.]+ s \((\d) workers?\)$/gm)];
    assert.deepEqual(perTarget.map((p) => [p[1], p[5]]), [['emulator', '2'], [url, '1']]);
    assert.equal(Number(m[1]), perTarget.reduce((a, p) => a + Number(p[2]), 0));
    assert.equal(Number(m[2]), 0);
    assert.equal(Number(m[3]), perTarget.reduce((a, p) => a + Number(p[4]), 0));
    assert.ok(r.out.trimEnd().endsWith(m[0]), 'the totals line closes the output');

    const html = readFileSync(join(reports, 'conformance.html'), 'utf8');
    assert.ok(html.includes('<th>emulator</th>') && html.includes(`<th>${url}</th>`), 'a column per target in the HTML matrix');
    assert.ok(html.includes('<h2>Where emulator and'), 'the comparison section');
    for (const f of ['cucumber-emulator.html', `cucumber-${url.replace(/^iscsi:\/\//, '').replace(/[^A-Za-z0-9.-]+/g, '_')}.html`]) {
      assert.ok(existsSync(join(reports, f)), f);
      assert.ok(html.includes(`href="${f}"`), `conformance.html links ${f}`);
    }
  } finally {
    await second.stop();
    rmSync(reports, { recursive: true, force: true });
  }
});

test('conformance runner: usage errors exit 2 before running anything', async () => {
  for (const [args, msg] of [
    [['--compare', '--target', 'emulator'], /--compare needs exactly two --target values/],
    [['--target', 'emulator', '--target', 'emulator'], /--target emulator is given twice/],
    [['--parallel', '0'], /--parallel 0 is not a positive integer/],
    [['--no-such-option'], /Unknown option '--no-such-option'/],
  ] as const) {
    const r = await runner([...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.out}${r.err}`);
    assert.match(r.err, msg);
    assert.doesNotMatch(r.out, /^cucumber:/m);
  }
});
