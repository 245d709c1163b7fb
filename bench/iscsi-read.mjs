#!/usr/bin/env node
// READ(10) of a closed disc through the emulator's iSCSI target, measured with a neutral libiscsi
// initiator (bench/libiscsi-read.c, compiled into a temp dir at run time; needs cc and Debian's
// libiscsi-dev), side by side with tgt's MMC LUN serving the same image when tgtd is installed and we
// are root. Run `npm run build` first.
//
//   node bench/iscsi-read.mjs [--seconds 4] [--rounds 3] [--pin none|same|split] [--image FILE]
//                             [--drive both|rom|burner] [--poll-us 0|N|none] [--no-tgt] [--initiator FILE.c]
//
// Figures: 4 KiB reads with 1 command in flight, 32 KiB with 32 and 64 KiB with 8 in flight.
// --drive: the emulator's MMC burner with the image loaded as a closed disc (`--load`), its plain ROM
// drive (`--media rom --load`), or both (default). --pin: CPU placement (Linux taskset): `same` puts
// targets and initiator on CPU 0, `split` the targets on CPU 0 and the initiator on CPU 1, `none` leaves
// it to the scheduler; every target is measured with the same placement. Each figure is measured
// `rounds` times, the targets taking turns; the median round is printed. --image: the disc (default a
// fresh 256 MB random file); --initiator: another load generator source with the same command line
// (URL BLOCKS QD SECONDS). --poll-us N (default 0; 'none' = no such row): the MMC burner is measured
// a second time, an emulator started with `--poll-us N` beside the one with the CLI's default (its
// loop polls for 50 µs after input; 0 = it sleeps at once). The load average is printed: figures taken on a busy machine say so; so is
// each target's CPU time per READ (user + system, from /proc), which other load disturbs much less.
// Nothing here asserts a speed.
import { spawn, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4' },
    image: { type: 'string' },
    drive: { type: 'string', default: 'both' },
    'no-tgt': { type: 'boolean', default: false },
    initiator: { type: 'string' },
    pin: { type: 'string', default: 'none' },
    rounds: { type: 'string', default: '3' },
    'poll-us': { type: 'string', default: '0' },
  },
});
const seconds = Number(opt.seconds);
const rounds = Math.max(1, Number(opt.rounds));
const pin = opt.pin;
if (!['none', 'same', 'split'].includes(pin)) throw new Error(`--pin ${pin}: none, same or split`);
if (!['both', 'rom', 'burner'].includes(opt.drive)) throw new Error(`--drive ${opt.drive}: both, rom or burner`);
const pollUs = opt['poll-us'] === 'none' ? undefined : Number(opt['poll-us']);
if (pollUs !== undefined && !(Number.isInteger(pollUs) && pollUs >= 0)) throw new Error(`--poll-us ${opt['poll-us']}: an integer ≥ 0 or none`);
const canPin = pin !== 'none' && spawnSync('sh', ['-c', 'command -v taskset']).status === 0;
/** [cmd, args] run on `cpu` when pinning. */
const onCpu = (cpu) => (cmd, args) => (canPin ? ['taskset', ['-c', String(cpu), cmd, ...args]] : [cmd, args]);
const onTargetCpu = onCpu(0);
const onInitiatorCpu = onCpu(pin === 'split' ? 1 : 0);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'iscsi-read-bench-'));
const children = [];
const stops = [];
process.on('exit', () => {
  for (const f of stops) f();
  for (const c of children) c.kill('SIGTERM');
  fs.rmSync(work, { recursive: true, force: true });
});
process.on('SIGINT', () => process.exit(130));
const loadavg = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const loadAtStart = loadavg();

// 1. The initiator.
if (spawnSync('sh', ['-c', 'command -v cc']).status !== 0 || !fs.existsSync('/usr/include/iscsi/iscsi.h')) {
  console.error('needs a C compiler and libiscsi headers (Debian: apt-get install -y gcc libiscsi-dev)');
  process.exit(2);
}
const src = opt.initiator ?? path.join(root, 'bench/libiscsi-read.c');
const exe = path.join(work, 'initiator');
if (spawnSync('cc', ['-O2', '-o', exe, src, '-liscsi'], { stdio: 'inherit' }).status !== 0) process.exit(2);

// 2. The image.
let image = opt.image;
if (!image) {
  image = path.join(work, 'disc.iso');
  const fd = fs.openSync(image, 'w');
  const chunk = Buffer.allocUnsafe(16 * 1024 * 1024);
  for (let i = 0; i < 16; i++) fs.writeSync(fd, randomFillSync(chunk));
  fs.closeSync(fd);
}

// 3. The emulator: one process per drive kind.
const cli = path.join(root, 'emulator/dist/cli.js');
async function startEmulator(extra) {
  const emu = spawn(...onTargetCpu(process.execPath, [cli, '--port', '0', ...extra, '--load', image]), { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(emu);
  emu.stderr.resume();
  return new Promise((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`the emulator printed no URL: ${out}`)), 15000);
    const pid = emu.pid;
    emu.stdout.on('data', (c) => {
      out += c;
      const m = /^(iscsi:\/\/\S+)$/m.exec(out);
      if (m) {
        clearTimeout(t);
        resolve({ url: m[1], pid });
      }
    });
    emu.once('exit', (code) => reject(new Error(`the emulator exited (${code})`)));
  });
}
const targets = [];
if (opt.drive !== 'rom') targets.push({ name: 'emulator MMC burner', ...(await startEmulator([])) });
if (opt.drive !== 'rom' && pollUs !== undefined) targets.push({ name: `emulator MMC burner --poll-us ${pollUs}`, ...(await startEmulator(['--poll-us', String(pollUs)])) });
if (opt.drive !== 'burner') targets.push({ name: 'emulator ROM drive', ...(await startEmulator(['--media', 'rom'])) });

// 4. tgt, when available (the same helper the interop test uses).
let tgt;
if (!opt['no-tgt']) {
  const { startTgt } = await import(path.join(root, 'emulator/dist/iscsi/tgt.test.helpers.js'));
  const t = await startTgt(image, onTargetCpu);
  if (typeof t === 'string') console.error(`tgt: ${t}; measuring the emulator only`);
  else {
    stops.push(t.stop);
    tgt = { name: "tgt's MMC LUN", url: t.url, pid: t.pid };
    targets.push(tgt);
  }
}

// 5. Measure.
const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
/** User + system CPU seconds of a process (all its threads), or NaN off Linux. */
function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / ticks; // fields 14 and 15 of stat(5), after pid and comm
  } catch {
    return NaN;
  }
}
function measure(target, blocks, qd) {
  const before = cpuSeconds(target.pid);
  const r = spawnSync(...onInitiatorCpu(exe, [target.url, String(blocks), String(qd), String(seconds)]), { encoding: 'utf8' });
  const cpu = cpuSeconds(target.pid) - before;
  const line = r.stdout.trim().split('\n').pop();
  try {
    const m = JSON.parse(line);
    return { ...m, cpu_us: Number.isFinite(cpu) ? Math.round((cpu * 1e6) / (m.iops * seconds)) : undefined };
  } catch {
    return { error: (r.stderr || r.stdout).trim() };
  }
}
const figures = [
  ['4 KiB QD1', 2, 1],
  ['32 KiB QD32', 16, 32],
  ['64 KiB QD8', 32, 8],
];
const median = (list) => {
  const ok = list.filter((m) => m && !m.error).sort((a, b) => a.iops - b.iops);
  return ok.length ? ok[Math.floor((ok.length - 1) / 2)] : list[0];
};
const rows = [];
for (const [name, blocks, qd] of figures) {
  const runs = targets.map(() => []);
  for (let i = 0; i < rounds; i++) targets.forEach((t, k) => runs[k].push(measure(t, blocks, qd)));
  rows.push({ name, results: runs.map(median) });
}

const fmt = (m) => (!m ? 'n/a' : m.error ? `error: ${m.error}` : `${String(m.iops).padStart(6)} IOPS ${m.mbps.toFixed(1).padStart(7)} MB/s  p50 ${m.p50_us} us  p99 ${m.p99_us} us  target CPU ${m.cpu_us ?? '?'} us/READ`);
console.log(`READ(10) of a closed ${(fs.statSync(image).size / 1048576).toFixed(0)} MiB disc, median of ${rounds} x ${seconds} s, CPU placement: ${canPin ? pin : 'none'}; load average ${loadAtStart} before, ${loadavg()} after`);
for (const r of rows) {
  r.results.forEach((m, k) => console.log(`${(k === 0 ? r.name : '').padEnd(12)} ${targets[k].name.padEnd(32)} ${fmt(m)}`));
}
if (tgt) {
  const ti = targets.indexOf(tgt);
  for (const [k, t] of targets.entries()) {
    if (t === tgt) continue;
    const ratio = (r, f) => {
      const a = r.results[k];
      const b = r.results[ti];
      return a && b && !a.error && !b.error ? (a[f] / b[f]).toFixed(2) : 'n/a';
    };
    console.log(`ratios ${t.name}/tgt: 4k-qd1-iops=${ratio(rows[0], 'iops')} 32k-qd32-MBps=${ratio(rows[1], 'mbps')} 64k-qd8-MBps=${ratio(rows[2], 'mbps')}`);
  }
}
process.exit(0);
