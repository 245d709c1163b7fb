#!/usr/bin/env node
// Runs every test layer and closes with one line "N passed, N failed" over all of them.
//  1. unit and integration tests: node's test runner over the compiled *.test.js of every workspace;
//  2. the Gherkin conformance suite (cucumber-js), when features/ holds any: the emulator target, and the
//     container target when a Docker engine answers (skipped with the reason otherwise; required in CI).
// A layer that ran no test counts as a failure: a suite that ran nothing has not passed.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const totals = { passed: 0, failed: 0 };

function run(cmd, args, onLine) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let rest = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      rest += chunk.toString();
      const lines = rest.split('\n');
      rest = lines.pop();
      for (const l of lines) onLine(l);
    });
    child.on('close', (code) => {
      if (rest) onLine(rest);
      resolve(code ?? 1);
    });
  });
}

// 1. node:test
const dirs = ['sdk/dist', 'emulator/dist', 'native/dist', 'steps/dist'].filter((d) => existsSync(join(root, d)));
const unit = { pass: undefined, fail: undefined };
const extra = process.argv.slice(2);
const unitCode = await run(process.execPath, ['--test', '--test-reporter=spec', ...extra, ...dirs], (l) => {
  const m = /^\S*\s*(pass|fail) (\d+)$/.exec(l.replace(/\x1b\[[0-9;]*m/g, '').trim());
  if (m) unit[m[1]] = Number(m[2]);
});
if (unit.pass === undefined) {
  console.error('node:test printed no summary');
  totals.failed += 1;
} else {
  totals.passed += unit.pass;
  totals.failed += unit.fail ?? 0;
  if (unit.pass + (unit.fail ?? 0) === 0) {
    console.error('node:test ran no test');
    totals.failed += 1;
  }
}
if (unitCode !== 0 && (unit.fail ?? 0) === 0) totals.failed += 1;

// 2. cucumber (when the conformance suite exists): against the emulator, and against the emulator image
// in containers when a Docker engine answers (in CI it must: there a missing engine is a failure).
const features = join(root, 'features');
const hasFeatures = existsSync(features) && readdirSync(features).some((f) => f.endsWith('.feature'));
let containerSkipped;
if (hasFeatures) {
  const targets = ['--target', 'emulator'];
  const { dockerUnavailable } = await import('../steps/dist/support/container.js');
  const why = await dockerUnavailable();
  if (!why) targets.push('--target', 'container');
  else if (process.env.CI === 'true') {
    console.error(`the container target must run in CI, but ${why}`);
    totals.failed += 1;
  } else {
    containerSkipped = `container target skipped: ${why}`;
    console.log(containerSkipped);
  }
  const c = { passed: 0, failed: 0, seen: false };
  const code = await run(process.execPath, [join(root, 'scripts/conformance.mjs'), '--ci', ...targets], (l) => {
    const m = /^cucumber: (\d+) passed, (\d+) failed/.exec(l.trim());
    if (m) Object.assign(c, { passed: Number(m[1]), failed: Number(m[2]), seen: true });
  });
  if (!c.seen || c.passed + c.failed === 0) {
    console.error('the cucumber run reported no scenario');
    totals.failed += 1;
  }
  totals.passed += c.passed;
  totals.failed += c.failed + (code !== 0 && c.failed === 0 ? 1 : 0);
}

if (containerSkipped) console.log(containerSkipped);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
// Exit once stdout has drained (process.exit() could cut off output still queued for a pipe).
process.stdout.write('', () => process.exit(totals.failed === 0 ? 0 : 1));
