#!/usr/bin/env node
/**
 * openimapi: burn, erase and list drives from the command line with the IMAPI2 format objects.
 *
 * Exit codes: 0 success; 1 the operation failed (the message names the HRESULT); 2 bad usage;
 * 130 cancelled by Ctrl-C (the write is cancelled, the media released and the tray unlocked first).
 */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiscMaster2 } from '../recorder/disc-master2.js';
import type { DiscRecorder2Ex } from '../recorder/disc-recorder2-ex.js';
import { ImapiError } from '../errors/imapi-error.js';
import { formatHResult } from '../errors/hresult.js';
import { DiscFormat2RawCD, RawCdSectorType } from '../format/raw-cd.js';
import { DiscFormat2TrackAtOnce } from '../format/track-at-once.js';
import { DiscFormat2Data } from '../format/data.js';
import { DiscFormat2Erase } from '../format/erase.js';
import { speedMediaOf } from '../format/write-speed.js';
import { IMAPI_SECTORS_PER_SECOND_AT_1X } from '../scsi/commands/speed.js';
import { ProgressLine } from './progress.js';
import { parseWav, wavSectorStream, WavError, type WavAudio } from '../format/wav.js';
import { verifyAudio, verifyData, verifyRaw } from './verify.js';

const CLIENT = 'openimapi';

const HELP: Record<string, string> = {
  main: `Usage: openimapi <command> [options]

Commands:
  burn         write a raw DAO-96 image, audio tracks or a data image
  erase        erase rewritable media
  list         list the drives behind an iSCSI portal
  conformance  run the Gherkin conformance suite (needs the repository checkout)

openimapi <command> --help shows each command's options.
`,
  burn: `Usage: openimapi burn --target URL (--raw IMAGE [--sector-type raw|cooked|pq] | --audio A.wav B.wav ... | --data IMAGE)
                     [--speed N] [--no-finalize] [--verify]

  --target URL        the drive: iscsi://host[:port]/iqn/lun
  --raw IMAGE         DAO-96 raw image whose first sector is MSF 95:00:00 (DiscFormat2RawCD)
  --sector-type T     raw (2448, raw P-W; default), cooked (2448, de-interleaved P-W), pq (2368)
  --audio FILES...    one audio track per WAV file: PCM 16-bit 44.1 kHz stereo (DiscFormat2TrackAtOnce)
  --data IMAGE        an image of 2048-byte sectors, e.g. ISO 9660 (DiscFormat2Data)
  --speed N           write at N× (default: the drive's fastest)
  --no-finalize       leave the disc open for another session (audio, data)
  --verify            read the disc back and compare it with the input
Ctrl-C cancels the write, releases the media and unlocks the tray (exit code 130).
`,
  erase: `Usage: openimapi erase --target URL [--full]

  --target URL   the drive: iscsi://host[:port]/iqn/lun
  --full         full erase (default: quick)
`,
  list: `Usage: openimapi list [--portal iscsi://host[:port]]

Lists the CD/DVD drives behind the portal (default iscsi://127.0.0.1:3260).
`,
  conformance: `Usage: openimapi conformance [args...]

Runs scripts/conformance.mjs of the repository checkout with the same arguments.
`,
};

class UsageError extends Error {}

/** "E_IMAPI_... (0x...): message" for an ImapiError, the message otherwise. */
export function describeError(e: unknown): string {
  if (e instanceof ImapiError) {
    const head = `${e.hresultName} (${formatHResult(e.hresult)})`;
    return e.message.startsWith(e.hresultName) ? `${head}${e.message.slice(e.hresultName.length).replace(/^ \(0x[0-9A-Fa-f]+\)/, '')}` : `${head}: ${e.message}`;
  }
  return e instanceof Error ? e.message : String(e);
}

let interrupted = false;
let onInterrupt: (() => void) | undefined;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(HELP.main!);
    return cmd ? 0 : 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    if (!HELP[cmd]) throw new UsageError(`unknown command ${cmd}`);
    process.stdout.write(HELP[cmd]!);
    return 0;
  }
  switch (cmd) {
    case 'burn':
      return burn(rest);
    case 'erase':
      return erase(rest);
    case 'list':
      return list(rest);
    case 'conformance':
      return conformance(rest);
    default:
      throw new UsageError(`unknown command ${cmd}`);
  }
}

async function openTarget(target: string | undefined): Promise<DiscRecorder2Ex> {
  if (!target) throw new UsageError('--target is required');
  const master = new DiscMaster2({ urls: [target] });
  return master.openRecorder(target);
}

async function burn(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      raw: { type: 'string' },
      'sector-type': { type: 'string', default: 'raw' },
      audio: { type: 'boolean', default: false },
      data: { type: 'string' },
      speed: { type: 'string' },
      'no-finalize': { type: 'boolean', default: false },
      verify: { type: 'boolean', default: false },
    },
  });
  const modes = [values.raw !== undefined, values.audio, values.data !== undefined].filter(Boolean).length;
  if (modes !== 1) throw new UsageError('give exactly one of --raw IMAGE, --audio FILES..., --data IMAGE');
  if (!values.audio && positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (values.audio && positionals.length === 0) throw new UsageError('--audio needs at least one WAV file');
  const sectorType = { raw: RawCdSectorType.SUBCODE_IS_RAW, cooked: RawCdSectorType.SUBCODE_IS_COOKED, pq: RawCdSectorType.SUBCODE_PQ_ONLY }[values['sector-type']!];
  if (sectorType === undefined) throw new UsageError(`--sector-type must be raw, cooked or pq, got ${values['sector-type']}`);
  const speedX = values.speed === undefined ? -1 : Number(values.speed);
  if (values.speed !== undefined && !(speedX > 0)) throw new UsageError(`--speed must be a positive number, got ${values.speed}`);
  let wavs: WavAudio[] = [];
  if (values.audio) wavs = await Promise.all(positionals.map((p) => parseWav(p)));

  const rec = await openTarget(values.target);
  const bar = new ProgressLine();
  try {
    if (values.raw !== undefined) {
      const raw = new DiscFormat2RawCD();
      raw.recorder = rec;
      raw.clientName = CLIENT;
      raw.requestedSectorType = sectorType;
      if (speedX > 0) raw.setWriteSpeed(Math.round(speedX * IMAPI_SECTORS_PER_SECOND_AT_1X.cd));
      const sectorBytes = sectorType === RawCdSectorType.SUBCODE_PQ_ONLY ? 2368 : 2448;
      raw.on('update', (u) => bar.update({ label: 'raw', fraction: u.sectorCount ? (u.lastWrittenLba - u.startLba + 1) / u.sectorCount : undefined, bytesDone: Math.max(0, u.lastWrittenLba - u.startLba + 1) * sectorBytes, deviceBuffer: undefined, remainingSeconds: u.remainingTime }));
      await raw.prepareMedia();
      onInterrupt = () => tryCancel(() => raw.cancelWrite());
      try {
        await raw.writeMedia(values.raw);
      } finally {
        onInterrupt = undefined;
        bar.finish();
        await raw.releaseMedia();
      }
      if (values.verify) await verifyRaw(rec, values.raw, sectorBytes);
    } else if (values.audio) {
      const tao = new DiscFormat2TrackAtOnce();
      tao.recorder = rec;
      tao.clientName = CLIENT;
      tao.doNotFinalizeMedia = values['no-finalize']!;
      if (speedX > 0) tao.setWriteSpeed(Math.round(speedX * IMAPI_SECTORS_PER_SECOND_AT_1X.cd));
      const totalBytes = wavs.reduce((n, w) => n + w.paddedBytes, 0);
      let before = 0;
      tao.on('update', (u) => {
        const done = before + Math.max(0, u.lastWrittenLba - u.startLba + 1) * 2352;
        bar.update({ label: `track ${u.currentTrackNumber}`, fraction: done / totalBytes, bytesDone: done, deviceBuffer: u.totalDeviceBuffer ? u.usedDeviceBuffer / u.totalDeviceBuffer : undefined, remainingSeconds: u.remainingTime });
      });
      await tao.prepareMedia();
      const first = tao.numberOfExistingTracks + 1;
      onInterrupt = () => tryCancel(() => tao.cancelAddTrack());
      try {
        for (const w of wavs) {
          if (interrupted) throw new ImapiError('E_IMAPI_REQUEST_CANCELLED', undefined, { canceled: true });
          await tao.addAudioTrack(wavSectorStream(w));
          before += w.paddedBytes;
        }
      } finally {
        onInterrupt = undefined;
        bar.finish();
        await tao.releaseMedia();
      }
      if (values.verify) await verifyAudio(rec, wavs, first);
    } else {
      const data = new DiscFormat2Data();
      data.recorder = rec;
      data.clientName = CLIENT;
      data.forceMediaToBeClosed = !values['no-finalize'];
      const info = await data.getMediaInfo();
      if (speedX > 0) data.setWriteSpeed(Math.round(speedX * IMAPI_SECTORS_PER_SECOND_AT_1X[speedMediaOf(info.physicalType)]));
      data.on('update', (u) => {
        if (u.currentAction !== 4) return;
        const done = Math.max(0, u.lastWrittenLba - u.startLba + 1);
        bar.update({ label: 'data', fraction: u.sectorCount ? done / u.sectorCount : undefined, bytesDone: done * 2048, deviceBuffer: u.totalDeviceBuffer ? u.usedDeviceBuffer / u.totalDeviceBuffer : undefined, remainingSeconds: u.remainingTime });
      });
      const start = info.recording === 'overwrite' ? 0 : info.nextWritableAddress;
      onInterrupt = () => tryCancel(() => data.cancelWrite());
      try {
        await data.write(values.data!);
      } finally {
        onInterrupt = undefined;
        bar.finish();
      }
      if (values.verify) await verifyData(rec, values.data!, start);
    }
    if (values.verify) process.stderr.write('verify: the disc matches the input\n');
    return 0;
  } finally {
    await rec.close();
  }
}

function tryCancel(cancel: () => void): void {
  try {
    cancel();
  } catch {
    /* not writing yet or any more: the loop checks `interrupted` between steps */
  }
}

async function erase(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { target: { type: 'string' }, full: { type: 'boolean', default: false } } });
  const rec = await openTarget(values.target);
  const bar = new ProgressLine();
  try {
    const e = new DiscFormat2Erase();
    e.recorder = rec;
    e.clientName = CLIENT;
    e.fullErase = values.full!;
    e.on('update', (u) => bar.update({ label: values.full ? 'full erase' : 'quick erase', fraction: u.estimatedTotalSeconds > 0 ? Math.min(1, u.elapsedSeconds / u.estimatedTotalSeconds) : undefined, bytesDone: 0, deviceBuffer: undefined, remainingSeconds: Math.max(0, u.estimatedTotalSeconds - u.elapsedSeconds) }));
    onInterrupt = () => process.stderr.write('\nan erase cannot be cancelled once the drive started it; waiting for it to end\n');
    try {
      await e.eraseMedia();
    } finally {
      onInterrupt = undefined;
      bar.finish();
    }
    return 0;
  } finally {
    await rec.close();
  }
}

async function list(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { portal: { type: 'string', default: 'iscsi://127.0.0.1:3260' } } });
  const master = new DiscMaster2({ portals: [values.portal!] });
  const ids = await master.recorders();
  if (ids.length === 0) process.stderr.write(`no CD/DVD drives behind ${values.portal}\n`);
  for (const id of ids) {
    const rec = await master.openRecorder(id);
    try {
      const profile = await rec.getCurrentProfile().catch(() => 0);
      process.stdout.write(`${id}\t${rec.vendorId.trim()} ${rec.productId.trim()} ${rec.productRevision.trim()}\tmedia profile 0x${profile.toString(16).padStart(4, '0')}\n`);
    } finally {
      await rec.close();
    }
  }
  return 0;
}

async function conformance(args: string[]): Promise<number> {
  // dist/cli/openimapi.js → the package root → the repository root.
  const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'scripts', 'conformance.mjs');
  if (!existsSync(script)) {
    process.stderr.write('openimapi conformance needs the repository checkout (scripts/conformance.mjs next to the sdk package); it is not part of the published package\n');
    return 2;
  }
  const child = spawn(process.execPath, [script, ...args], { stdio: 'inherit' });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + 2 : 1))));
}

process.on('SIGINT', () => {
  if (interrupted) {
    process.stderr.write('\ninterrupted again: exiting without cleaning up\n');
    process.exit(130);
  }
  interrupted = true;
  process.stderr.write('\ncancelling…\n');
  onInterrupt?.();
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = interrupted && code === 0 ? 130 : code;
  },
  (e: unknown) => {
    if (e instanceof UsageError || (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`openimapi: ${e.message}\n`);
      process.exitCode = 2;
    } else if (interrupted && e instanceof ImapiError && e.hresultName === 'E_IMAPI_REQUEST_CANCELLED') {
      process.stderr.write(`openimapi: cancelled: ${describeError(e)}; the media was released and the tray unlocked\n`);
      process.exitCode = 130;
    } else if (e instanceof WavError) {
      process.stderr.write(`openimapi: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`openimapi: ${describeError(e)}\n`);
      process.exitCode = 1;
    }
  },
);
