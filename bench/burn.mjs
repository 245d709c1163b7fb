#!/usr/bin/env node
// Burn throughput of the SDK: a raw DAO-96 image (default 700 MB, generated to a temp file and deleted
// afterwards) written with DiscFormat2RawCD to the emulator's MMC burner at its unlimited speed, over
// iSCSI on loopback. The emulator runs in its own process, so the peak RSS printed is the SDK's alone.
//
//   node bench/burn.mjs [--mb 700] [--image FILE] [--keep] [--profile DIR] [--target URL]
//
// --target URL burns to a drive already served there (a blank CD-R) instead of starting an emulator.
//
// --profile DIR writes CPU profiles (.cpuprofile, open in Chrome DevTools) of both processes to DIR:
// the emulator is started with --cpu-prof, this process records itself with the inspector's profiler
// around writeMedia.
//
// Prints the image size, the write time (writeMedia only), MB/s, ×CD speed, the SDK process's peak
// RSS and the CPU time both processes spent during the write (a figure load on the machine disturbs
// far less than MB/s). The issue's targets are ≥ 300 MB/s and < 200 MB RSS; nothing here asserts them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DiscMaster2, DiscFormat2RawCD, RawCdSectorType, RAW_IMAGE_START_LBA } from '@openimapi/sdk';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({ options: { mb: { type: 'string', default: '700' }, image: { type: 'string' }, keep: { type: 'boolean', default: false }, profile: { type: 'string' }, target: { type: 'string' } } });

async function makeImage(file, mb) {
  const { generateDao96 } = await import(path.join(root, 'emulator/dist/media/testing/dao96.js'));
  const sectors = Math.floor((Number(mb) * 1e6) / 2448);
  const leadIn = -RAW_IMAGE_START_LBA;
  const trackSectors = sectors - leadIn - 150;
  // Three tracks, as an album would have; 2-second pregaps come from the generator.
  const a = Math.floor(trackSectors / 3);
  const gen = generateDao96({ leadInStart: RAW_IMAGE_START_LBA, tracks: [{ control: 0, sectors: a }, { control: 0, sectors: a - 150 }, { control: 0, sectors: trackSectors - 2 * a - 150 }], sub: 'raw', leadOutSectors: 150 });
  const fd = fs.openSync(file, 'w');
  for (let i = 0; i < gen.sectors; i += 512) {
    const n = Math.min(512, gen.sectors - i);
    fs.writeSync(fd, Buffer.concat(Array.from({ length: n }, (_, k) => gen.block(i + k))));
  }
  fs.closeSync(fd);
  return gen.sectors;
}

function startEmulator() {
  const prof = opt.profile ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(opt.profile), '--cpu-prof-name', 'emulator.cpuprofile'] : [];
  const child = spawn(process.execPath, [...prof, path.join(root, 'emulator/dist/cli.js'), '--port', '0', '--media', 'cd-r'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const line = out.split('\n').find((l) => l.startsWith('iscsi://'));
      if (line) resolve({ child, url: line.trim() });
    });
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
}

/** User + system CPU seconds of a process (Linux /proc); undefined elsewhere. */
function cpuSecondsOf(pid) {
  if (pid === undefined) return undefined;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return undefined;
  }
}

async function startProfile() {
  const { Session } = await import('node:inspector');
  const session = new Session();
  session.connect();
  const post = (method, params) => new Promise((res, rej) => session.post(method, params, (e, r) => (e ? rej(e) : res(r))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return { session, post };
}

async function stopProfile({ session, post }, file) {
  const { profile } = await post('Profiler.stop');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(profile));
  session.disconnect();
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openimapi-burn-'));
const image = opt.image ?? path.join(dir, 'image.bin');
let emu;
try {
  if (!opt.image) {
    process.stderr.write(`generating a ${opt.mb} MB DAO-96 image…\n`);
    await makeImage(image, opt.mb);
  }
  const bytes = fs.statSync(image).size;
  if (!opt.target) emu = await startEmulator();
  const url = opt.target ?? emu.url;
  const rec = await new DiscMaster2({ urls: [url], recorder: { mcnPollMs: 0 } }).openRecorder(url);
  const raw = new DiscFormat2RawCD();
  raw.recorder = rec;
  raw.clientName = 'bench';
  await raw.prepareMedia();
  raw.requestedSectorType = RawCdSectorType.SUBCODE_IS_RAW; // the image carries raw (interleaved) P-W
  const skipped = (raw.startOfNextSession - RAW_IMAGE_START_LBA) * 2448;
  const rssBefore = process.resourceUsage().maxRSS;
  const session = opt.profile ? await startProfile() : undefined;
  const emuCpu0 = cpuSecondsOf(emu?.child.pid);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await raw.writeMedia(image);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const emuCpu = emuCpu0 === undefined ? undefined : cpuSecondsOf(emu.child.pid) - emuCpu0;
  if (session) await stopProfile(session, path.join(path.resolve(opt.profile), 'sdk.cpuprofile'));
  await raw.releaseMedia();
  await rec.close();
  const written = bytes - skipped;
  const mbps = written / 1e6 / seconds;
  console.log(`image ${(bytes / 1e6).toFixed(0)} MB (${(written / 1e6).toFixed(0)} MB written from the lead-in start) in ${seconds.toFixed(2)} s`);
  console.log(`throughput ${mbps.toFixed(0)} MB/s (${(mbps * 1e6 / 176400).toFixed(0)}× CD)`);
  console.log(`SDK peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (before the write ${(rssBefore / 1024).toFixed(0)} MB)`);
  // CPU time (user + system) spent during writeMedia: what the write costs whatever else the machine runs.
  const sdkCpu = (cpu.user + cpu.system) / 1e6;
  console.log(`CPU during the write: SDK ${sdkCpu.toFixed(2)} s${emuCpu === undefined ? '' : `, emulator ${emuCpu.toFixed(2)} s`} (${((written / 1e6) / (sdkCpu + (emuCpu ?? 0))).toFixed(0)} MB per CPU second)`);
} finally {
  if (emu) {
    const exited = new Promise((res) => emu.child.once('exit', res));
    emu.child.kill('SIGTERM');
    await exited; // (a profile is written as the emulator exits)
  }
  if (!opt.keep) fs.rmSync(dir, { recursive: true, force: true });
  else if (!opt.image) console.log(`image kept at ${image}`);
}
