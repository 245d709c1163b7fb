// The conformance World with a lab fixture: the scenarios that need a physical act (no media, device
// gone, a blank disc of a kind) run through the emulator's fixture on a pty — the way a bench runs
// them through its fixture's serial port — instead of the HTTP control plane; the rest are skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from './emulator-process.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cucumber = join(dirname(createRequire(import.meta.url).resolve('@cucumber/cucumber/package.json')), 'bin', 'cucumber.js');

test('conformance World with fixture=emulator: the @fault scenarios a fixture can cause pass, the others are skipped', { timeout: 300_000 }, async () => {
  const args = [cucumber, '--tags', '@fault', '--format', 'summary', '--world-parameters', JSON.stringify({ target: 'emulator', fixture: 'emulator' })];
  const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const p = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OPENIMAPI_FIXTURE: '' } });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', (c) => resolve({ code: c, out }));
  });
  assert.equal(code, 0, out);
  const m = /(\d+) scenarios? \(([^)]*)\)/.exec(out);
  assert.ok(m, out);
  const counts = Object.fromEntries([...m[2]!.matchAll(/(\d+) (passed|failed|skipped)/g)].map((x) => [x[2], Number(x[1])]));
  assert.equal(counts.failed ?? 0, 0, out);
  // One "device gone" and one "no media" row per feature that has them, at least.
  assert.ok((counts.passed ?? 0) >= 2, out);
  assert.ok((counts.skipped ?? 0) >= 1, 'conditions beyond a fixture (hardware error, timeout, ...) are skipped');
});

// A lab's own setup: `openimapi conformance --target iscsi://...` with OPENIMAPI_FIXTURE naming the
// fixture's serial port. The media steps swap discs through the fixture (the drive is not used as it
// is), the physical faults go through it, and what a fixture cannot cause is skipped with that reason.
test('conformance runner: --target iscsi://... with OPENIMAPI_FIXTURE swaps discs and causes physical faults through the fixture', { timeout: 300_000 }, async () => {
  const emu = await startEmulator({ extraArgs: ['--fixture-pty'] });
  const reports = mkdtempSync(join(tmpdir(), 'openimapi-fixture-target-'));
  try {
    const tags = '@method:IDiscFormat2Data.CurrentMediaStatus or @method:IDiscRecorder2.EjectMedia';
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const p = spawn(process.execPath, [join(root, 'scripts', 'conformance.mjs'), '--ci', '--target', emu.urls[0]!, '--tags', tags, '--reports', reports], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OPENIMAPI_FIXTURE: emu.fixturePath! } });
      let out = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      p.stderr.on('data', (d: Buffer) => (out += d.toString()));
      p.on('close', (c) => resolve({ code: c, out }));
    });
    assert.equal(code, 0, out);
    const [t] = (JSON.parse(readFileSync(join(reports, 'conformance.json'), 'utf8')) as { targets: Array<{ failed: number; scenarios: Array<{ scenario: string; status: string; reason?: string }> }> }).targets;
    assert.equal(t!.failed, 0, out);
    const passed = new Set(t!.scenarios.filter((s) => s.status === 'PASSED').map((s) => s.scenario));
    // SWAP dvd+rw, SWAP cd-rom, EJECT FORCE for "no media", POWER CYCLE for "device gone".
    for (const s of [
      'S_OK — a blank DVD+RW is OVERWRITE_ONLY and BLANK',
      'S_OK — a pressed CD-ROM is WRITE_PROTECTED and UNSUPPORTED_MEDIA',
      'E_IMAPI_RECORDER_MEDIA_NO_MEDIA (0xC0AA0202) — the drive reports "no media" to TEST UNIT READY',
      'HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST) (0x80070037) — the drive reports "device gone" to READ DISC INFORMATION',
    ]) assert.ok(passed.has(s), `${s} did not pass:\n${out}`);
    const beyond = t!.scenarios.filter((s) => s.reason?.startsWith('skipped (beyond a lab fixture): '));
    assert.ok(beyond.some((s) => s.scenario.includes('"hardware error"')), 'a hardware error is beyond a fixture');
    assert.match(out, /^ +\d+ × beyond a lab fixture \(an iSCSI target with a lab fixture: physical acts only/m);
  } finally {
    await emu.stop();
    rmSync(reports, { recursive: true, force: true });
  }
});
