#!/usr/bin/env node
// READ(10) throughput of the emulator's iSCSI target, measured with a neutral libiscsi initiator
// (bench/libiscsi-read.c, compiled into a temp dir at run time; needs cc and Debian's libiscsi-dev),
// side by side with tgt's CD LUN serving the same image when tgtd is installed and we are root.
//
//   node bench/iscsi-read.mjs [--seconds 4] [--rounds 3] [--pin none|same|split] [--image FILE]
//                             [--drive rom|burner] [--no-tgt] [--initiator FILE.c]
//
// --pin: CPU placement (Linux taskset): `same` puts targets and initiator on CPU 0, `split` the targets on
// CPU 0 and the initiator on CPU 1, `none` leaves it to the scheduler. On small VMs a cross-CPU wakeup
// costs ~100 us, which dominates QD1 latency; both targets are always measured with the same placement.
// Each figure is measured `rounds` times alternating tgt and emulator; the median round is printed.
// --image: the disc image (default: a fresh 256 MB random file); --drive: the emulator's ROM drive
// (default) or its MMC burner with the image loaded as a closed disc; --initiator: another load
// generator source with the same command line (URL BLOCKS QD SECONDS) to use instead.
// Figures: 4 KiB reads with 1 command in flight, 64 KiB with 8 in flight. Nothing here asserts a speed.
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
    drive: { type: 'string', default: 'rom' },
    'no-tgt': { type: 'boolean', default: false },
    initiator: { type: 'string' },
    pin: { type: 'string', default: 'none' },
    rounds: { type: 'string', default: '3' },
  },
});
const seconds = Number(opt.seconds);
const rounds = Math.max(1, Number(opt.rounds));
const pin = opt.pin;
if (!['none', 'same', 'split'].includes(pin)) throw new Error(`--pin ${pin}: none, same or split`);
const canPin = pin !== 'none' && spawnSync('sh', ['-c', 'command -v taskset']).status === 0;
/** [cmd, args] run on `cpu` when pinning. */
const onCpu = (cpu, cmd, args) => (canPin ? ['taskset', ['-c', String(cpu), cmd, ...args]] : [cmd, args]);
const targetCpu = 0;
const initiatorCpu = pin === 'split' ? 1 : 0;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'iscsi-read-bench-'));
const children = [];
const cleanups = [];
const cleanup = () => {
  for (const f of cleanups.reverse()) {
    try {
      f();
    } catch {}
  }
  for (const c of children) c.kill('SIGTERM');
  fs.rmSync(work, { recursive: true, force: true });
};
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

// 1. The initiator.
if (spawnSync('sh', ['-c', 'command -v cc']).status !== 0 || !fs.existsSync('/usr/include/iscsi/iscsi.h')) {
  console.error('needs a C compiler and libiscsi headers (Debian: apt-get install -y gcc libiscsi-dev)');
  process.exit(2);
}
const src = opt.initiator ?? path.join(root, 'bench/libiscsi-read.c');
const exe = path.join(work, 'initiator');
const cc = spawnSync('cc', ['-O2', '-o', exe, src, '-liscsi'], { stdio: 'inherit' });
if (cc.status !== 0) process.exit(2);

// 2. The image.
let image = opt.image;
if (!image) {
  image = path.join(work, 'disc.iso');
  const fd = fs.openSync(image, 'w');
  const chunk = Buffer.allocUnsafe(16 * 1024 * 1024);
  for (let i = 0; i < 16; i++) fs.writeSync(fd, randomFillSync(chunk));
  fs.closeSync(fd);
}

// 3. The emulator.
const cli = path.join(root, 'emulator/dist/cli.js');
const emuArgs = [cli, '--port', '0', '--load', image, ...(opt.drive === 'rom' ? ['--media', 'rom'] : [])];
const emu = spawn(...onCpu(targetCpu, process.execPath, emuArgs), { stdio: ['ignore', 'pipe', 'pipe'] });
children.push(emu);
emu.stderr.resume();
const emuUrl = await new Promise((resolve, reject) => {
  let out = '';
  const t = setTimeout(() => reject(new Error(`the emulator printed no URL: ${out}`)), 15000);
  emu.stdout.on('data', (c) => {
    out += c;
    const m = /^(iscsi:\/\/\S+)$/m.exec(out);
    if (m) {
      clearTimeout(t);
      resolve(m[1]);
    }
  });
  emu.once('exit', (code) => reject(new Error(`the emulator exited (${code})`)));
});

// 4. tgt, when available.
let tgtUrl;
const tgtadm = (...a) => spawnSync('tgtadm', ['-C', '23', ...a], { encoding: 'utf8' });
if (!opt['no-tgt'] && process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v tgtd && command -v tgtadm']).status === 0) {
  const port = 3000 + Math.floor(Math.random() * 900) + 3300;
  const tgtd = spawn(...onCpu(targetCpu, 'tgtd', ['-f', '-C', '23', '--iscsi', `portal=127.0.0.1:${port}`]), { stdio: 'ignore' });
  children.push(tgtd);
  await new Promise((r) => setTimeout(r, 1000));
  const iqn = 'iqn.2026-11.org.openimapi:bench-tgt';
  const ok = [
    tgtadm('--lld', 'iscsi', '--mode', 'target', '--op', 'new', '--tid', '1', '--targetname', iqn),
    tgtadm('--lld', 'iscsi', '--mode', 'logicalunit', '--op', 'new', '--tid', '1', '--lun', '1', '--device-type', 'cd', '-b', image),
    tgtadm('--lld', 'iscsi', '--mode', 'target', '--op', 'bind', '--tid', '1', '-I', 'ALL'),
  ].every((r) => r.status === 0);
  cleanups.push(() => {
    tgtadm('--op', 'update', '--mode', 'sys', '--name', 'State', '-v', 'offline');
    tgtadm('--lld', 'iscsi', '--mode', 'logicalunit', '--op', 'delete', '--tid', '1', '--lun', '1');
    tgtadm('--lld', 'iscsi', '--mode', 'target', '--op', 'delete', '--tid', '1');
    tgtadm('--op', 'delete', '--mode', 'system');
  });
  if (ok) tgtUrl = `iscsi://127.0.0.1:${port}/${iqn}/1`;
  else console.error('tgt setup failed; measuring the emulator only');
}

// 5. Measure.
function measure(url, blocks, qd) {
  const r = spawnSync(...onCpu(initiatorCpu, exe, [url, String(blocks), String(qd), String(seconds)]), { encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').pop();
  try {
    return JSON.parse(line);
  } catch {
    return { error: (r.stderr || r.stdout).trim() };
  }
}
const figures = [
  ['4 KiB QD1', 2, 1],
  ['64 KiB QD8', 32, 8],
];
const rows = [];
const median = (list) => {
  const ok = list.filter((m) => m && !m.error).sort((a, b) => a.iops - b.iops);
  return ok.length ? ok[Math.floor((ok.length - 1) / 2)] : list[0];
};
for (const [name, blocks, qd] of figures) {
  const t = [];
  const e = [];
  for (let i = 0; i < rounds; i++) {
    if (tgtUrl) t.push(measure(tgtUrl, blocks, qd));
    e.push(measure(emuUrl, blocks, qd));
  }
  rows.push({ name, tgt: tgtUrl ? median(t) : undefined, emulator: median(e) });
}
const fmt = (m) => (!m ? 'n/a' : m.error ? `error: ${m.error}` : `${m.iops} IOPS  ${m.mbps} MB/s  p50 ${m.p50_us} us  p99 ${m.p99_us} us`);
console.log(`READ(10), median of ${rounds} x ${seconds} s, CPU placement: ${canPin ? pin : 'none'}, image ${(fs.statSync(image).size / 1048576).toFixed(0)} MiB, emulator drive: ${opt.drive}`);
for (const r of rows) {
  console.log(`${r.name.padEnd(11)} emulator  ${fmt(r.emulator)}`);
  console.log(`${''.padEnd(11)} tgt       ${fmt(r.tgt)}`);
}
if (tgtUrl) {
  const ratio = (a, b) => (a && b && !a.error && !b.error ? (a / b).toFixed(2) : 'n/a');
  console.log(`ratios emulator/tgt: 4k-qd1-iops=${ratio(rows[0].emulator.iops, rows[0].tgt?.iops)} 64k-qd8-MBps=${ratio(rows[1].emulator.mbps, rows[1].tgt?.mbps)}`);
}
process.exit(0);
