#!/usr/bin/env node
// Runs the Gherkin conformance suite (features/) against one or more drives and reports it:
//   - a method × HRESULT table on stdout, a column per target (passed / failed / skipped),
//   - reports/conformance.html (the matrix and every scenario) and cucumber's own HTML report, and
//   - a closing line "cucumber: N passed, N failed, N skipped" over all targets.
// Each target runs in its own cucumber process, all at once: a drive gets one worker; `emulator` and
// `container` get --parallel workers, each with its own emulator process or container.
// `openimapi conformance` runs this script; `npm start` and `npm test` too.
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const HELP = `usage: openimapi conformance [--target T]... [--compare] [--allow-erase] [--parallel N] [--tags EXPR] [--ci] [--reports DIR]

Runs the IMAPI2 conformance suite (features/) through the SDK against each target, prints a
method × HRESULT table with a column per target, and writes reports/conformance.html and cucumber's
HTML report (reports/cucumber.html; with several targets reports/cucumber-<target>.html each).

  --target T    the drive under test (default: emulator); repeat it to validate a bench of drives at
                once: every target runs at the same time, one cucumber worker per drive.
                  emulator        a local openimapi-emulator process per worker, on free loopback ports
                  container       the emulator image (emulator/Dockerfile), built once and started with
                                  testcontainers per worker on host networking; needs a local Docker
                                  engine (DOCKER_HOST); OPENIMAPI_DOCKER_BASE sets the image's base
                  iscsi://host[:port]/iqn/lun   any iSCSI target: no control plane, so the disc
                                  in it is used as it is (see --allow-erase) and @fault is skipped;
                                  OPENIMAPI_FIXTURE=/dev/ttyUSB0 names a lab fixture that swaps discs
                  sg:/dev/sgN     a local drive through the native SG_IO backend; when it is the
                                  emulator (the QEMU guest run), OPENIMAPI_CONTROL=http://HOST:PORT
                                  names its control API for media loads and faults
                  usb:VID:PID     a USB burner through Bulk-Only Transport
  --compare     exactly two targets: also list the rows and scenarios where their results differ
  --allow-erase a drive nothing can load (no control plane, no OPENIMAPI_FIXTURE) is used with the
                disc in it: a scenario runs when that is the disc it needs and is skipped, with what
                it needs and what the drive holds, when not. With this option (or
                OPENIMAPI_ALLOW_ERASE=1) a rewritable disc (CD-RW, DVD-RW, DVD+RW, BD-RE) that is not
                blank is quick-erased when a scenario needs it blank; off by default on real drives
  --parallel N  workers for each emulator or container target (default 2); a drive always gets one
  --tags EXPR   a cucumber tag expression, e.g. '@method:IDiscRecorder2.ReleaseExclusiveAccess'
  --ci          leave out @wip scenarios (work in progress)
  --reports DIR where the HTML reports go (default: reports/ of the checkout)

Scenarios a drive cannot run are skipped, with the reason printed (grouped by reason).
reports/conformance.json holds every scenario's result, error and skip reason per target.
Exit code 0 when no scenario failed and at least one passed.`;

const HR = /(HRESULT_FROM_WIN32\([A-Z_]+\)|\b[ES]_[A-Z0-9_]+\b)/;
const order = ['FAILED', 'UNKNOWN', 'AMBIGUOUS', 'UNDEFINED', 'PENDING', 'SKIPPED', 'PASSED'];
const worst = (a, b) => (order.indexOf(a) <= order.indexOf(b) ? a : b);
const firstLine = (s) => s.split('\n')[0];
/** A skipped row's reason as { kind, detail } ("skipped (KIND): DETAIL"; older forms: the text before ': '). */
function skipKind(x) {
  if (!x.reason) return { kind: 'no reason given', detail: '' };
  const line = firstLine(x.reason);
  const m = /^skipped \(([^)]+)\): (.*)$/.exec(line);
  return m ? { kind: m[1], detail: m[2] } : { kind: line.split(': ')[0], detail: line.split(': ').slice(1).join(': ') };
}
const groupBy = (xs, key) => xs.reduce((m, x) => m.set(key(x), [...(m.get(key(x)) ?? []), x]), new Map());
const slug = (t) => t.replace(/^[a-z]+:\/\//i, '').replace(/[^A-Za-z0-9.-]+/g, '_').slice(0, 80);

/** Runs cucumber for one target in this process; returns one row per scenario that ran. */
async function runTarget({ target, workers, tags, html, reports, stdoutFormat, erase }) {
  process.env.OPENIMAPI_TARGET = target;
  const t0 = performance.now();
  const { runConfiguration } = await loadConfiguration(
    {
      provided: {
        worldParameters: { target, ...(erase ? { erase: true } : {}) },
        parallel: workers > 1 ? workers : 0,
        ...(tags ? { tags } : {}),
        format: [stdoutFormat, `html:${join(reports, html)}`],
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
      notes.set(pickleId, [...(notes.get(pickleId) ?? []), m.attachment.body]);
    }
    else if (m.testStepFinished) {
      const pickleId = testCases.get(started.get(m.testStepFinished.testCaseStartedId));
      const r = m.testStepFinished.testStepResult;
      status.set(pickleId, worst(status.get(pickleId) ?? 'PASSED', r.status));
      // The error's own message (cucumber's formatted one can drop it and leaves only the diff and stack).
      const error = r.exception ? `${r.exception.type}: ${r.exception.message}` : r.message;
      if (r.status === 'FAILED' && error && !errors.has(pickleId)) errors.set(pickleId, error);
    }
  };
  const { success } = await runCucumber(runConfiguration, { cwd: root, stdout: process.stdout, stderr: process.stderr }, onMessage);
  const rows = [];
  const run = new Set(testCases.values());
  for (const [id, p] of pickles) {
    if (!run.has(id)) continue;
    const method = (p.tags.find((t) => t.name.startsWith('@method:'))?.name ?? '@method:?').slice(8);
    const hr = HR.exec(p.name)?.[1] ?? 'S_OK';
    const st = status.get(id) ?? 'UNKNOWN';
    const log = notes.get(id) ?? [];
    // A skipped scenario's reason: its last "skipped (KIND): DETAIL" line (support/skip.ts).
    const reason = st === 'SKIPPED' ? [...log].reverse().find((n) => n.startsWith('skipped')) : undefined;
    rows.push({ method, hresult: hr, scenario: p.name, uri: p.uri, status: st, error: errors.get(id), reason, notes: log });
  }
  return { target, success, rows, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Exits once stdout and stderr have taken everything written to them: on a pipe whose reader is slow
 * (npm test, a test reading this output) process.exit() alone drops what is still queued, the closing
 * totals line included.
 */
function exitFlushed(code) {
  let left = 2;
  const done = () => --left === 0 && process.exit(code);
  process.stdout.write('', done);
  process.stderr.write('', done);
  // Keeps the process alive until then (a reader that never reads gets its 30 s).
  setTimeout(() => process.exit(code), 30_000);
  return new Promise(() => {});
}

// One target, in a child process (the parent sets this variable): runs cucumber, writes the rows.
if (process.env.OPENIMAPI_CONFORMANCE_RUN) {
  const job = JSON.parse(process.env.OPENIMAPI_CONFORMANCE_RUN);
  writeFileSync(job.out, JSON.stringify(await runTarget(job)));
  await exitFlushed(0);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      target: { type: 'string', multiple: true },
      compare: { type: 'boolean', default: false },
      'allow-erase': { type: 'boolean', default: false },
      parallel: { type: 'string' },
      tags: { type: 'string' },
      ci: { type: 'boolean', default: false },
      reports: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (e) {
  console.error(`openimapi conformance: ${e.message}\n\n${HELP}`);
  process.exit(2);
}
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const usage = (msg) => {
  console.error(`openimapi conformance: ${msg}`);
  process.exit(2);
};
const targets = values.target?.length ? values.target : ['emulator'];
if (values.compare && targets.length !== 2) usage('--compare needs exactly two --target values');
const dup = targets.find((t, i) => targets.indexOf(t) !== i);
if (dup) usage(`--target ${dup} is given twice`);
const parallel = values.parallel === undefined ? 2 : Number(values.parallel);
if (!Number.isInteger(parallel) || parallel < 1) usage(`--parallel ${values.parallel} is not a positive integer`);

/** A target that produced no scenario results: counted as one failure. */
const noResults = (target) => ({ target, success: false, rows: [], seconds: 0, crashed: true });

/** Runs one target in a child process; with several targets its output lines carry a [target] prefix. */
function spawnTarget(job, prefixed) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
      cwd: root,
      stdio: ['ignore', prefixed ? 'pipe' : 'inherit', prefixed ? 'pipe' : 'inherit'],
      env: { ...process.env, OPENIMAPI_CONFORMANCE_RUN: JSON.stringify(job) },
    });
    if (prefixed) {
      for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
        let rest = '';
        from.on('data', (d) => {
          const lines = (rest + d.toString()).split('\n');
          rest = lines.pop();
          for (const l of lines) to.write(`[${job.target}] ${l}\n`);
        });
        from.on('end', () => rest && to.write(`[${job.target}] ${rest}\n`));
      }
    }
    child.on('close', (code, signal) => {
      try {
        resolve(JSON.parse(readFileSync(job.out, 'utf8')));
      } catch {
        console.error(`${job.target}: the cucumber run ended (${signal ?? `exit ${code}`}) without results`);
        resolve(noResults(job.target));
      }
    });
  });
}

const tags = [values.tags, values.ci ? 'not @wip' : undefined].filter(Boolean).map((t) => `(${t})`).join(' and ');
const reports = resolve(values.reports ?? join(root, 'reports'));
mkdirSync(reports, { recursive: true });
// cucumber's reports of an earlier run with other targets would sit beside this run's unlinked.
for (const f of readdirSync(reports)) if (/^cucumber(-.+)?\.html$/.test(f)) rmSync(join(reports, f));
const scratch = mkdtempSync(join(tmpdir(), 'openimapi-conformance-run-'));
const single = targets.length === 1;
const jobs = targets.map((target, i) => ({
  target,
  workers: target === 'emulator' || target === 'container' ? parallel : 1,
  tags,
  reports,
  html: single ? 'cucumber.html' : `cucumber-${slug(target)}.html`,
  stdoutFormat: single ? 'progress' : 'summary',
  erase: values['allow-erase'],
  out: join(scratch, `${i}.json`),
}));

// The container target: one image build for all its workers (the other targets start meanwhile); every
// container of this run is swept after.
let container;
let imageReady = Promise.resolve(true);
if (targets.includes('container')) {
  container = await import(join(root, 'steps', 'dist', 'support', 'container.js'));
  const why = await container.dockerUnavailable();
  if (why) {
    console.error(`container target: ${why}`);
    process.exit(2);
  }
  process.env[container.RUN_ENV] = randomUUID();
  imageReady = container.buildEmulatorImage().then(
    ({ image, seconds }) => {
      process.env[container.IMAGE_ENV] = image;
      console.log(`container: built ${image} from emulator/Dockerfile${process.env[container.BASE_ENV] ? ` (base ${process.env[container.BASE_ENV]})` : ''} in ${seconds.toFixed(1)} s`);
      return true;
    },
    (e) => {
      console.error(`container target: ${e.message}`);
      return false;
    },
  );
}

let runs;
try {
  runs = await Promise.all(jobs.map(async (j) => (j.target !== 'container' || (await imageReady) ? spawnTarget(j, !single) : noResults(j.target))));
} finally {
  rmSync(scratch, { recursive: true, force: true });
  if (container) {
    const left = await container.removeContainers(process.env[container.RUN_ENV]).catch(() => 0);
    if (left) console.error(`container: removed ${left} container(s) a worker left behind`);
  }
}

// method × HRESULT table, a column per target
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

// --compare: the rows whose cells differ, and under them the scenarios whose status differs
let differences = [];
if (values.compare) {
  const [a, b] = runs;
  const byName = (r) => new Map(r.rows.map((x) => [`${x.uri}\t${x.scenario}`, x]));
  const sa = byName(a);
  const sb = byName(b);
  const names = [...new Set([...sa.keys(), ...sb.keys()])];
  differences = table.filter((row) => row[2] !== row[3]).map((row) => ({
    row,
    scenarios: names
      .map((n) => [sa.get(n), sb.get(n)])
      .filter(([x, y]) => (x ?? y).method === row[0] && (x ?? y).hresult === row[1] && x?.status !== y?.status)
      .map(([x, y]) => ({ scenario: (x ?? y).scenario, a: x?.status ?? 'not run', b: y?.status ?? 'not run', error: x?.error ?? y?.error, why: [x, y].map((z) => (z?.status === 'SKIPPED' ? skipKind(z).kind : undefined)).find(Boolean) })),
  }));
  console.log(`\n${differences.length} row(s) differ between ${a.target} and ${b.target}`);
  for (const d of differences) {
    console.log('  ' + line(d.row));
    for (const s of d.scenarios) console.log(`      ${s.a} / ${s.b}: ${s.scenario}${s.error ? `\n          ${firstLine(s.error)}` : s.why ? ` (${s.why})` : ''}`);
  }
}

// Skipped scenarios, counted by the kind of reason their step or hook gave ("skipped (KIND): DETAIL",
// steps/src/support/skip.ts: a disc the drive does not hold, no control plane, an unreachable row, ...),
// with the detail when every scenario of the kind met the same; each whole reason is in the HTML report.
for (const r of runs) {
  const skipped = r.rows.filter((x) => x.status === 'SKIPPED');
  if (skipped.length) console.log(`\n${r.target}: ${skipped.length} skipped (each reason in the HTML report):`);
  for (const [kind, xs] of [...groupBy(skipped, (x) => skipKind(x).kind)].sort((a, b) => b[1].length - a[1].length)) {
    const details = new Set(xs.map((x) => skipKind(x).detail));
    const [only] = details;
    console.log(`  ${String(xs.length).padStart(4)} × ${kind}${details.size === 1 && only ? ` (${only})` : ''}`);
  }
}

for (const r of runs) {
  for (const x of r.rows.filter((x) => x.status !== 'PASSED' && x.status !== 'SKIPPED')) {
    console.log(`\n${r.target}: ${x.status} ${x.uri}: ${x.scenario}${x.error ? '\n    ' + firstLine(x.error) : ''}`);
  }
}

// HTML matrix
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const color = (c) => (c.startsWith('pass') ? '#c8f7c5' : c.startsWith('skip') ? '#eee' : c === '-' ? '#fff' : '#f7c5c5');
const statusCell = (s) => `<td style="background:${color(s === 'PASSED' ? 'pass' : s === 'SKIPPED' ? 'skip' : s === 'not run' ? '-' : 'FAIL')}">${esc(s)}</td>`;
const counts = (r) => {
  const p = r.rows.filter((x) => x.status === 'PASSED').length;
  const s = r.rows.filter((x) => x.status === 'SKIPPED').length;
  return { passed: p, skipped: s, failed: r.rows.length - p - s + (r.crashed ? 1 : 0) };
};
const html = `<!doctype html><meta charset="utf-8"><title>openimapi conformance</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #ccc;padding:4px 8px;font-size:13px}th{background:#f4f4f4;text-align:left}code{font-size:12px}</style>
<h1>openimapi conformance</h1><p>${new Date().toISOString()}</p>
<table><tr><th>target</th><th>passed</th><th>failed</th><th>skipped</th><th>time</th><th>cucumber report</th></tr>
${runs.map((r, i) => { const c = counts(r); return `<tr><td>${esc(r.target)}</td><td>${c.passed}</td><td>${c.failed}</td><td>${c.skipped}</td><td>${r.seconds.toFixed(1)} s</td><td><a href="${esc(jobs[i].html)}">${esc(jobs[i].html)}</a></td></tr>`; }).join('\n')}</table>
<table><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>
${table.map((row) => `<tr><td>${esc(row[0])}</td><td><code>${esc(row[1])}</code></td>${row.slice(2).map((c) => `<td style="background:${color(c)}">${esc(c)}</td>`).join('')}</tr>`).join('\n')}
</table>
${values.compare ? `<h2>Where ${esc(runs[0].target)} and ${esc(runs[1].target)} differ</h2>${differences.length === 0 ? '<p>nowhere</p>' : `<table><tr><th>method</th><th>HRESULT</th><th>scenario</th><th>${esc(runs[0].target)}</th><th>${esc(runs[1].target)}</th></tr>${differences.flatMap((d) => (d.scenarios.length ? d.scenarios : [{ scenario: '', a: d.row[2], b: d.row[3] }]).map((s) => `<tr><td>${esc(d.row[0])}</td><td><code>${esc(d.row[1])}</code></td><td>${esc(s.scenario)}${s.error ? `<br><code>${esc(firstLine(s.error))}</code>` : s.why ? `<br><small>skipped: ${esc(s.why)}</small>` : ''}</td>${statusCell(s.a)}${statusCell(s.b)}</tr>`)).join('')}</table>`}` : ''}
${runs.map((r) => { const kinds = [...groupBy(r.rows.filter((x) => x.status === 'SKIPPED'), (x) => skipKind(x).kind)].sort((a, b) => b[1].length - a[1].length); return kinds.length ? `<h2>Skipped on ${esc(r.target)}, by reason</h2><table><tr><th>scenarios</th><th>reason</th></tr>${kinds.map(([k, xs]) => `<tr><td>${xs.length}</td><td>${esc(k)}</td></tr>`).join('')}</table>` : ''; }).join('')}
<h2>Scenarios</h2>${runs.map((r) => `<h3>${esc(r.target)}</h3><table><tr><th>status</th><th>scenario</th><th>feature</th></tr>${r.rows.map((x) => `<tr>${statusCell(x.status)}<td>${esc(x.scenario)}${x.error ? `<pre style="white-space:pre-wrap;margin:4px 0">${esc(x.error.split('\n').slice(0, 40).join('\n'))}</pre>` : ''}${x.status === 'SKIPPED' ? `<br><b>${esc(x.reason ?? 'skipped, no reason given')}</b>` : ''}${x.notes.filter((n) => n !== x.reason).map((n) => `<br><small>${esc(n)}</small>`).join('')}</td><td>${esc(x.uri)}</td></tr>`).join('')}</table>`).join('')}`;
writeFileSync(join(reports, 'conformance.html'), html);
// The same results for scripts and labs' own tooling: per target its counts and every scenario's row.
writeFileSync(join(reports, 'conformance.json'), JSON.stringify({ generated: new Date().toISOString(), targets: runs.map((r) => ({ target: r.target, seconds: r.seconds, ...counts(r), crashed: r.crashed === true, scenarios: r.rows })) }, null, 1));
const shown = relative(process.cwd(), join(reports, 'conformance.html'));
console.log(`\nreport: ${shown.startsWith('..') ? join(reports, 'conformance.html') : shown}`);

const totals = runs.map(counts).reduce((a, c) => ({ passed: a.passed + c.passed, failed: a.failed + c.failed, skipped: a.skipped + c.skipped }), { passed: 0, failed: 0, skipped: 0 });
for (const [i, r] of runs.entries()) {
  const c = counts(r);
  console.log(`${r.target}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped in ${r.seconds.toFixed(1)} s (${jobs[i].workers} worker${jobs[i].workers > 1 ? 's' : ''})${r.crashed ? ', no results' : ''}`);
}
console.log(`cucumber: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
await exitFlushed(totals.failed === 0 && totals.passed > 0 ? 0 : 1);
