/**
 * The suite against a drive nothing can load: an emulator started with a CD-RW whose control port the
 * World is never told, reached as a plain iSCSI target, the way a lab reaches a real drive. The media
 * steps use the disc in the drive through the SDK (support/media.ts): the scenarios that need a blank
 * CD-RW, or any disc, pass; the CD-RW is quick-erased between them only when erasing is allowed; every
 * other scenario is skipped with what it needs and what the drive holds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from './emulator-process.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const script = join(root, 'scripts', 'conformance.mjs');

interface Row {
  scenario: string;
  uri: string;
  status: string;
  error?: string;
  reason?: string;
  notes: string[];
}

async function run(args: string[], reports: string): Promise<{ code: number | null; out: string; rows: Row[]; counts: { passed: number; failed: number; skipped: number } }> {
  const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
    // No fixture and no erase permission from the environment: only the arguments decide.
    const env = { ...process.env, OPENIMAPI_FIXTURE: '', OPENIMAPI_ALLOW_ERASE: '' };
    const child = spawn(process.execPath, [script, '--ci', '--reports', reports, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (c) => resolve({ code: c, out }));
  });
  const [t] = (JSON.parse(readFileSync(join(reports, 'conformance.json'), 'utf8')) as { targets: Array<{ passed: number; failed: number; skipped: number; scenarios: Row[] }> }).targets;
  assert.ok(t, out);
  return { code, out, rows: t.scenarios, counts: t };
}

const REASON = /^skipped \(([^)]+)\): \S/;

test('conformance suite on a drive without a control plane: the disc in it is used as it is', { timeout: 600_000 }, async () => {
  const emu = await startEmulator({ extraArgs: ['--media', 'cd-rw'] });
  const reports = mkdtempSync(join(tmpdir(), 'openimapi-as-is-test-'));
  try {
    const url = emu.urls[0]!;

    // 1. Erasing off: the blank CD-RW takes the one data write that needs it and stays written.
    const write = await run(['--target', url, '--tags', '@method:IDiscFormat2Data.Write'], reports);
    assert.equal(write.code, 0, write.out);
    assert.deepEqual(write.rows.filter((r) => r.status === 'PASSED').map((r) => r.scenario), ['S_OK — a blank CD-RW is written from LBA 0 and reads back'], write.out);
    const dvd = write.rows.find((r) => r.scenario === 'S_OK — a blank DVD+R is written from LBA 0 and reads back');
    assert.match(dvd?.reason ?? '', /^skipped \(needs a blank DVD\+R\): the drive holds an? (blank|appendable|finalized) CD-RW$/, write.out);

    // 2. Still off: scenarios that need the CD-RW blank are skipped, and the reason says how to allow erasing.
    const off = await run(['--target', url, '--tags', '@method:IDiscFormat2Erase.FullErase'], reports);
    assert.equal(off.code, 1, 'nothing passed, so the run fails');
    assert.equal(off.counts.passed, 0, off.out);
    assert.equal(off.counts.failed, 0, off.out);
    const needBlank = off.rows.filter((r) => !REASON.exec(r.reason ?? '')?.[1]?.startsWith('cannot happen'));
    assert.ok(needBlank.length >= 3, off.out);
    for (const r of needBlank) assert.match(r.reason ?? '', /^skipped \(needs a blank CD-RW\): the drive holds an? (appendable|finalized) CD-RW, and erasing is off \(OPENIMAPI_ALLOW_ERASE=1/, r.scenario);

    // 3. The whole suite with erasing allowed.
    const all = await run(['--allow-erase', '--target', url], reports);
    assert.equal(all.code, 0, all.out);
    assert.equal(all.counts.failed, 0, all.out);
    assert.ok(all.counts.passed >= 30, `only ${all.counts.passed} passed:\n${all.out}`);
    assert.equal(all.counts.passed + all.counts.failed + all.counts.skipped, all.rows.length);
    const passed = all.rows.filter((r) => r.status === 'PASSED');
    // Scenarios on a blank CD-RW (the disc was written by step 1: it had to be erased first) and on any disc.
    assert.ok(passed.some((r) => r.notes.some((n) => /^quick-erased an? (appendable|finalized) CD-RW to get a blank CD-RW$/.test(n))), 'the CD-RW was quick-erased for a scenario');
    assert.ok(passed.some((r) => r.uri.endsWith('IDiscFormat2Erase-EraseMedia.feature')), 'erase scenarios pass');
    assert.ok(passed.some((r) => r.uri.endsWith('IDiscRecorder2-AcquireExclusiveAccess.feature')), 'lock scenarios pass on any disc');
    // Every skipped scenario says why, in the form the summary groups by.
    const kinds = new Map<string, number>();
    for (const r of all.rows.filter((x) => x.status === 'SKIPPED')) {
      const m = REASON.exec(r.reason ?? '');
      assert.ok(m, `${r.uri}: ${r.scenario}: no reason (${JSON.stringify(r.notes)})`);
      kinds.set(m[1]!, (kinds.get(m[1]!) ?? 0) + 1);
    }
    for (const k of ['needs a blank CD-R', 'needs a blank DVD+R', 'needs a pressed CD-ROM', 'no control plane', 'cannot happen in this API']) assert.ok(kinds.has(k), `no skip of kind "${k}": ${JSON.stringify([...kinds])}`);
    assert.ok(all.rows.some((r) => /^skipped \(needs a blank DVD\+R\): the drive holds an? (blank|appendable|finalized) CD-RW$/.test(r.reason ?? '')), 'the reason names the disc in the drive');
    // The summary counts them by kind.
    const summary = all.out.slice(all.out.indexOf(`${url}: ${all.counts.skipped} skipped (each reason in the HTML report):`)).split('\n\n')[0]!;
    assert.match(summary, new RegExp(`^ +${kinds.get('needs a blank CD-R')} × needs a blank CD-R( \\(the drive holds .+\\))?$`, 'm'), summary);
    assert.match(summary, new RegExp(`^ +${kinds.get('no control plane')} × no control plane \\(the @fault condition is caused through the emulator's control plane, and this is an iSCSI target without`, 'm'), summary);
    const html = readFileSync(join(reports, 'conformance.html'), 'utf8');
    assert.ok(html.includes('<b>skipped (needs a blank CD-R): the drive holds '), 'the HTML report shows skip reasons');
    assert.match(html, /Skipped on iscsi:[^<]+, by reason<\/h2>/);
  } finally {
    await emu.stop();
    rmSync(reports, { recursive: true, force: true });
  }
});
