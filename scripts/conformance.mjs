#!/usr/bin/env node
// Runs the Gherkin conformance suite (features/) against one or more drives and reports it:
//   - a method × HRESULT table on stdout (passed / failed / skipped per target),
//   - reports/cucumber.html (cucumber's own) and reports/conformance.html (the matrix), and
//   - a closing line "cucumber: N passed, N failed, N skipped".
//
// usage: node scripts/conformance.mjs [--target T]... [--compare] [--parallel N] [--tags EXPR] [--ci]
//   T: emulator (default: a local emulator per worker) | container | iscsi://host[:port]/iqn/lun |
//      sg:/dev/sgN | usb:VID:PID
//   --compare  run exactly two targets and list the rows where they differ
//   --ci       exclude @wip scenarios (work in progress, listed in the report) and write reports too
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    target: { type: 'string', multiple: true },
    compare: { type: 'boolean', default: false },
    parallel: { type: 'string' },
    tags: { type: 'string' },
    ci: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(`usage: openimapi conformance [--target T]... [--compare] [--parallel N] [--tags EXPR]
  T: emulator (default) | container | iscsi://host[:port]/iqn/lun | sg:/dev/sgN | usb:VID:PID
  --target may be repeated: one run per drive, a column per drive in the report.
  --compare runs two targets and lists the rows where they differ.
  sg:/dev/sgN is a local drive through the native SG_IO backend; when it is the emulator (the QEMU
  guest run), OPENIMAPI_CONTROL=http://HOST:PORT names its control API for media loads and faults.
  Scenarios a drive cannot run are skipped with the reason printed.`);
  process.exit(0);
}
const targets = values.target?.length ? values.target : ['emulator'];
if (values.compare && targets.length !== 2) {
  console.error('--compare needs exactly two --target values');
  process.exit(2);
}

const HR = /(HRESULT_FROM_WIN32\([A-Z_]+\)|\b[ES]_[A-Z0-9_]+\b)/;
const order = ['FAILED', 'UNKNOWN', 'AMBIGUOUS', 'UNDEFINED', 'PENDING', 'SKIPPED', 'PASSED'];
const worst = (a, b) => (order.indexOf(a) <= order.indexOf(b) ? a : b);

async function runTarget(target) {
  process.env.OPENIMAPI_TARGET = target;
  const tagExpr = [values.tags, values.ci ? 'not @wip' : undefined].filter(Boolean).map((t) => `(${t})`).join(' and ');
  const { runConfiguration } = await loadConfiguration(
    {
      provided: {
        worldParameters: { target },
        parallel: Number(values.parallel ?? (target === 'emulator' ? 2 : 0)),
        ...(tagExpr ? { tags: tagExpr } : {}),
        format: ['progress', 'html:reports/cucumber.html'],
      },
    },
    { cwd: root },
  );
  const pickles = new Map();
  const testCases = new Map();
  const started = new Map();
  const status = new Map();
  const errors = new Map();
  const notes = new Map();
  const onMessage = (m) => {
    if (m.pickle) pickles.set(m.pickle.id, m.pickle);
    else if (m.testCase) testCases.set(m.testCase.id, m.testCase.pickleId);
    else if (m.testCaseStarted) started.set(m.testCaseStarted.id, m.testCaseStarted.testCaseId);
    else if (m.attachment?.testCaseStartedId && m.attachment.mediaType === 'text/x.cucumber.log+plain') {
      const pickleId = testCases.get(started.get(m.attachment.testCaseStartedId));
      if (!notes.has(pickleId)) notes.set(pickleId, m.attachment.body);
    }
    else if (m.testStepFinished) {
      const pickleId = testCases.get(started.get(m.testStepFinished.testCaseStartedId));
      const r = m.testStepFinished.testStepResult;
      status.set(pickleId, worst(status.get(pickleId) ?? 'PASSED', r.status));
      if (r.status === 'FAILED' && r.message && !errors.has(pickleId)) errors.set(pickleId, r.message.split('\n')[0]);
    }
  };
  const { success } = await runCucumber(runConfiguration, { cwd: root, stdout: process.stdout, stderr: process.stderr }, onMessage);
  const rows = [];
  const run = new Set(testCases.values());
  for (const [id, p] of pickles) {
    if (!run.has(id)) continue;
    const method = (p.tags.find((t) => t.name.startsWith('@method:'))?.name ?? '@method:?').slice(8);
    const hr = HR.exec(p.name)?.[1] ?? 'S_OK';
    rows.push({ method, hresult: hr, scenario: p.name, uri: p.uri, status: status.get(id) ?? 'UNKNOWN', error: errors.get(id), note: notes.get(id) });
  }
  return { target, success, rows };
}

const runs = [];
for (const t of targets) runs.push(await runTarget(t));

// method × HRESULT table
const cell = (rs) => {
  if (!rs.length) return '-';
  const s = rs.reduce((a, r) => worst(a, r.status), 'PASSED');
  return s === 'PASSED' ? `pass ${rs.length}` : s === 'SKIPPED' ? `skip ${rs.length}` : `FAIL ${rs.filter((r) => r.status !== 'PASSED' && r.status !== 'SKIPPED').length}/${rs.length}`;
};
const keys = [...new Set(runs.flatMap((r) => r.rows.map((x) => `${x.method}\t${x.hresult}`)))].sort();
const header = ['method', 'HRESULT', ...runs.map((r) => r.target)];
const table = keys.map((k) => {
  const [m, h] = k.split('\t');
  return [m, h, ...runs.map((r) => cell(r.rows.filter((x) => x.method === m && x.hresult === h)))];
});
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cols) => cols.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log('\n' + line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(line(row));

if (values.compare) {
  const diff = table.filter((row) => row[2] !== row[3]);
  console.log(`\n${diff.length} row(s) differ between ${targets[0]} and ${targets[1]}`);
  for (const row of diff) console.log('  ' + line(row));
}

// Skipped scenarios with the reason their step or hook gave (drive limits, unsupported rows).
for (const r of runs) {
  const skipped = r.rows.filter((x) => x.status === 'SKIPPED' && x.note);
  if (skipped.length) console.log(`\n${r.target}: ${skipped.length} skipped with a reason:`);
  for (const x of skipped) console.log(`  ${x.uri}: ${x.scenario}\n    ${x.note}`);
}

for (const r of runs) {
  for (const x of r.rows.filter((x) => x.status !== 'PASSED' && x.status !== 'SKIPPED')) {
    console.log(`\n${r.target}: ${x.status} ${x.uri}: ${x.scenario}${x.error ? '\n    ' + x.error : ''}`);
  }
}

// HTML matrix
mkdirSync(join(root, 'reports'), { recursive: true });
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const color = (c) => (c.startsWith('pass') ? '#c8f7c5' : c.startsWith('skip') ? '#eee' : c === '-' ? '#fff' : '#f7c5c5');
const html = `<!doctype html><meta charset="utf-8"><title>openimapi conformance</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;font-size:13px}th{background:#f4f4f4;text-align:left}code{font-size:12px}</style>
<h1>openimapi conformance</h1><p>${new Date().toISOString()} — ${runs.map((r) => esc(r.target)).join(', ')}</p>
<table><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>
${table.map((row) => `<tr><td>${esc(row[0])}</td><td><code>${esc(row[1])}</code></td>${row.slice(2).map((c) => `<td style="background:${color(c)}">${esc(c)}</td>`).join('')}</tr>`).join('\n')}
</table>
<h2>Scenarios</h2>${runs.map((r) => `<h3>${esc(r.target)}</h3><table><tr><th>status</th><th>scenario</th><th>feature</th></tr>${r.rows.map((x) => `<tr><td style="background:${color(x.status === 'PASSED' ? 'pass' : x.status === 'SKIPPED' ? 'skip' : 'FAIL')}">${x.status}</td><td>${esc(x.scenario)}${x.error ? `<br><code>${esc(x.error)}</code>` : ''}${x.note ? `<br><small>${esc(x.note)}</small>` : ''}</td><td>${esc(x.uri)}</td></tr>`).join('')}</table>`).join('')}`;
writeFileSync(join(root, 'reports', 'conformance.html'), html);
console.log(`\nreport: reports/conformance.html`);

const all = runs.flatMap((r) => r.rows);
const passed = all.filter((x) => x.status === 'PASSED').length;
const skipped = all.filter((x) => x.status === 'SKIPPED').length;
const failed = all.length - passed - skipped;
console.log(`cucumber: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
