#!/usr/bin/env node
/**
 * openimapi: burn, erase and list drives from the command line with the IMAPI2 format objects.
 *
 * Exit codes: 0 success; 1 the operation failed (the message names the HRESULT); 2 bad usage or input
 * (e.g. a WAV file that is not CD audio); 130 cancelled by Ctrl-C (the write is cancelled, the media
 * released and the tray unlocked first).
 */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiscMaster2 } from '../recorder/disc-master2.js';
import { DiscRecorder2Ex } from '../recorder/disc-recorder2-ex.js';
import type { ScsiTransport } from '../transport/scsi-transport.js';
import { ImapiError } from '../errors/imapi-error.js';
import { describeError } from './describe.js';
import { DiscFormat2RawCD, RawCdSectorType, RawCdWriteAction } from '../format/raw-cd.js';
import { DiscFormat2TrackAtOnce } from '../format/track-at-once.js';
import { DiscFormat2Data, DataWriteAction } from '../format/data.js';
import type { WriteEngineProgress } from '../format/track-writer.js';
import type { SourceInput } from '../format/source.js';
import { RawCDImageCreator } from '../raw-image/raw-cd-image-creator.js';
import { CdSectorType, type RawImageTypeValue } from '../raw-image/types.js';
import { DiscFormat2Erase } from '../format/erase.js';
import { speedMediaOf } from '../format/write-speed.js';
import { IMAPI_SECTORS_PER_SECOND_AT_1X } from '../scsi/commands/speed.js';
import { ProgressLine } from './progress.js';
import { parseWav, wavSectorStream, wavTrackSource, WavError, type WavAudio } from '../format/wav.js';
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
  burn: `Usage: openimapi burn --target T (--raw IMAGE | --audio A.wav B.wav ... [--dao] | --data IMAGE)
                     [--sector-type raw|cooked|pq] [--speed N] [--no-finalize] [--verify]

  --target T          the drive: iscsi://host[:port]/iqn/lun, or a local device sg:/dev/sgN,
                      /dev/sgN or /dev/srN (needs the @openimapi/native package)
  --raw IMAGE         DAO-96 raw image whose first sector is MSF 95:00:00 (DiscFormat2RawCD)
  --sector-type T     sectors of the raw image: raw (2448, raw P-W; default), cooked (2448,
                      de-interleaved P-W), pq (2368, P-Q only); with --dao, the image to build
  --audio FILES...    one audio track per WAV file: PCM 16-bit 44.1 kHz stereo, written track at
                      once with 2-second gaps (DiscFormat2TrackAtOnce)
  --dao               with --audio: one gapless disc-at-once session, built on the fly with
                      RawCDImageCreator and written raw (DiscFormat2RawCD); always finalized
  --data IMAGE        an image of 2048-byte sectors, e.g. ISO 9660 (DiscFormat2Data)
  --speed N           write at N× (default: the drive's fastest)
  --no-finalize       leave the disc open for another session (--audio, --data)
  --verify            read the disc back and compare it with the input
The progress line shows the write speed, the drive's buffer level and the time left.
Ctrl-C cancels the write, releases the media and unlocks the tray (exit code 130).
Exit codes: 0 done; 1 failed (the message names the HRESULT, e.g. E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK
(0xC0AA0606)); 2 bad usage or input; 130 cancelled.
`,
  erase: `Usage: openimapi erase --target T [--full]

  --target T     the drive: iscsi://host[:port]/iqn/lun, or sg:/dev/sgN, /dev/sgN, /dev/srN
  --full         full erase (default: quick)
An erase cannot be cancelled once the drive started it: Ctrl-C waits for it to end.
`,
  list: `Usage: openimapi list [--portal iscsi://host[:port]]

Lists the CD/DVD drives behind the portal (default iscsi://127.0.0.1:3260).
`,
};

class UsageError extends Error {}

let interrupted = false;
let onInterrupt: (() => void) | undefined;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(HELP.main!);
    return cmd ? 0 : 2;
  }
  // conformance: scripts/conformance.mjs prints its own options.
  if (cmd !== 'conformance' && (rest.includes('--help') || rest.includes('-h'))) {
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

/** The native backend, loaded only for a device target (a separate package that depends on this one). */
async function nativeTransport(path: string): Promise<ScsiTransport> {
  const name = '@openimapi/native';
  let native: { SgTransport: { open(path: string): Promise<ScsiTransport> } };
  try {
    native = (await import(name)) as typeof native;
  } catch (e) {
    throw new ImapiError('E_FAIL', `E_FAIL: a device target needs the @openimapi/native package (${(e as Error).message})`);
  }
  return native.SgTransport.open(path);
}

async function openTarget(target: string | undefined): Promise<DiscRecorder2Ex> {
  if (!target) throw new UsageError('--target is required');
  if (target.startsWith('iscsi://')) return new DiscMaster2({ urls: [target] }).openRecorder(target);
  const path = target.startsWith('sg:') ? target.slice(3) : target;
  if (!path.startsWith('/dev/')) throw new UsageError(`--target must be an iscsi:// URL or a device (sg:/dev/sgN, /dev/sgN, /dev/srN), got ${target}`);
  const rec = new DiscRecorder2Ex({ open: () => nativeTransport(path) });
  await rec.initializeDiscRecorder(`sg:${path}`);
  return rec;
}

const SECTOR_TYPES: Record<string, number> = { raw: RawCdSectorType.SUBCODE_IS_RAW, cooked: RawCdSectorType.SUBCODE_IS_COOKED, pq: RawCdSectorType.SUBCODE_PQ_ONLY };

/** Feeds write-engine updates to the progress line: `before`/`totalBytes` span several tracks. */
function progressOf(bar: ProgressLine, sectorBytes: number, totalBytes?: () => number | undefined) {
  return (label: string, u: WriteEngineProgress, before = 0) => {
    const done = before + Math.max(0, u.lastWrittenLba - u.startLba + 1) * sectorBytes;
    const total = totalBytes?.() ?? (u.sectorCount ? u.sectorCount * sectorBytes : undefined);
    bar.update({ label, fraction: total ? done / total : undefined, bytesDone: done, deviceBuffer: u.totalDeviceBuffer ? u.usedDeviceBuffer / u.totalDeviceBuffer : undefined, remainingSeconds: u.remainingTime });
  };
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
      dao: { type: 'boolean', default: false },
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
  if (values.dao && !values.audio) throw new UsageError('--dao goes with --audio');
  if (values.dao && values['no-finalize']) throw new UsageError('--dao writes a finalized disc: --no-finalize does not apply');
  const sectorType = SECTOR_TYPES[values['sector-type']!];
  if (sectorType === undefined) throw new UsageError(`--sector-type must be raw, cooked or pq, got ${values['sector-type']}`);
  const speedX = values.speed === undefined ? -1 : Number(values.speed);
  if (values.speed !== undefined && !(speedX > 0)) throw new UsageError(`--speed must be a positive number, got ${values.speed}`);
  const cdSpeed = speedX > 0 ? Math.round(speedX * IMAPI_SECTORS_PER_SECOND_AT_1X.cd) : -1;
  const wavs: WavAudio[] = values.audio ? await Promise.all(positionals.map((p) => parseWav(p))) : [];

  const rec = await openTarget(values.target);
  const bar = new ProgressLine();
  try {
    if (values.raw !== undefined || values.dao) {
      const raw = new DiscFormat2RawCD();
      raw.recorder = rec;
      raw.clientName = CLIENT;
      const sectorBytes = sectorType === RawCdSectorType.SUBCODE_PQ_ONLY ? 2368 : 2448;
      const show = progressOf(bar, sectorBytes);
      raw.on('update', (u) => show(u.currentAction === RawCdWriteAction.FINISHING ? 'finishing' : 'raw', u));
      let image: SourceInput = values.raw ?? '';
      if (values.dao) {
        // WAV files → a DAO-96 image streamed straight into the write (never on disk, never whole in memory).
        const creator = new RawCDImageCreator();
        creator.resultingImageType = sectorType as RawImageTypeValue;
        for (const w of wavs) creator.addTrack(CdSectorType.AUDIO, wavTrackSource(w));
        image = { size: creator.imageSectorCount * sectorBytes, stream: creator.createResultImage() };
      }
      await raw.prepareMedia();
      onInterrupt = () => tryCancel(() => raw.cancelWrite());
      try {
        raw.requestedSectorType = sectorType;
        if (cdSpeed > 0) await raw.setWriteSpeed(cdSpeed);
        if (interrupted) throw new ImapiError('E_IMAPI_REQUEST_CANCELLED', undefined, { canceled: true });
        await raw.writeMedia(image);
      } finally {
        onInterrupt = undefined;
        bar.finish();
        await raw.releaseMedia();
      }
      if (values.verify) await (values.dao ? verifyAudio(rec, wavs, 1) : verifyRaw(rec, values.raw!, sectorBytes));
    } else if (values.audio) {
      const tao = new DiscFormat2TrackAtOnce();
      tao.recorder = rec;
      tao.clientName = CLIENT;
      tao.doNotFinalizeMedia = values['no-finalize']!;
      const totalBytes = wavs.reduce((n, w) => n + w.paddedBytes, 0);
      let before = 0;
      const show = progressOf(bar, 2352, () => totalBytes);
      tao.on('update', (u) => show(`track ${u.currentTrackNumber}`, u, before));
      await tao.prepareMedia();
      const first = tao.numberOfExistingTracks + 1;
      onInterrupt = () => tryCancel(() => tao.cancelAddTrack());
      try {
        if (cdSpeed > 0) await tao.setWriteSpeed(cdSpeed);
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
      if (speedX > 0) await data.setWriteSpeed(Math.round(speedX * IMAPI_SECTORS_PER_SECOND_AT_1X[speedMediaOf(info.physicalType)]));
      const show = progressOf(bar, 2048);
      data.on('update', (u) => {
        if (u.currentAction === DataWriteAction.WRITING_DATA) show('data', u);
      });
      const start = info.recording === 'overwrite' ? 0 : info.nextWritableAddress;
      onInterrupt = () => tryCancel(() => data.cancelWrite());
      try {
        if (interrupted) throw new ImapiError('E_IMAPI_REQUEST_CANCELLED', undefined, { canceled: true });
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
