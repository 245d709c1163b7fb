// The conformance World with a lab fixture: the scenarios that need a physical act (no media, device
// gone, a blank disc of a kind) run through the emulator's fixture on a pty — the way a bench runs
// them through its fixture's serial port — instead of the HTTP control plane; the rest are skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
