#!/usr/bin/env node
/**
 * openimapi-emulator: serves emulated drives over iSCSI. Prints one `iscsi://HOST:PORT/IQN/LUN` line per
 * drive on stdout and nothing else; logs go to stderr (`--verbose` adds every CDB).
 */
import { parseArgs } from 'node:util';
import { startTarget } from './iscsi/target.js';
import { CLI_POLL_MICROS, MAX_POLL_MICROS } from './iscsi/poll.js';
import { DEFAULT_HOST, DEFAULT_IQN, DEFAULT_PORT, type ChapConfig, type Logger } from './iscsi/types.js';
import { RomLun } from './rom-lun.js';
import type { LogicalUnit } from './lun.js';
import { createDrives as createMmcDrives, dropSessionsWhenGone, startControlServer, type DriveLogger, type MmcDrive } from './drive/index.js';
import { FixtureServer } from './fixture/server.js';
import { openPty, type Pty } from './fixture/pty.js';
import { exportBinCue, isMediaKind, loadMedium, type Medium } from './media/index.js';

const HELP = `Usage: openimapi-emulator [options]
       openimapi-emulator export DISC [--out DIR] [--name NAME]

Serves emulated optical drives as LUNs of one iSCSI target (RFC 7143).

Options:
  --host ADDR                 listen address (default ${DEFAULT_HOST})
  --port N                    TCP port (default ${DEFAULT_PORT}; 0 picks a free port)
  --iqn NAME                  target name (default ${DEFAULT_IQN})
  --drives N                  number of drives / LUNs (default 1)
  --media KIND[,KIND...]      disc each burner starts with: cd-r (default), cd-rw, dvd-r, dvd+r,
                              dvd+rw, bd-r, bd-re, cd-rom, dvd-rom (a pressed disc of known content
                              filling the format), none (empty tray); one kind for every drive or one
                              per drive; 'rom' serves plain read-only ROM drives instead of burners
  --load FILE                 saved disc (.json) or ISO/BIN/CUE image (a closed ROM disc) put in
                              drive 0 (ROM drives: in every drive)
  --data-dir DIR              where discs are kept, each drive in DIR/drive<n>/ (image + JSON per disc,
                              written through, fsynced when a track or session closes); without
                              --media or --load every drive starts with the disc it held when the
                              emulator stopped. Absent: discs live in memory
  --control-port N            serve the HTTP/JSON control API on --host:N (0 picks a free port):
                              GET /state; /drives/N/ faults, load, eject, close-tray, remove,
                              export, capabilities (GET/POST {"rwSubcode":false}/DELETE: what the
                              drive records); see README.md
  --fixture-pty               serve the lab fixture protocol (power, eject, load, swap; see
                              docs/lab-fixture.md) on a new pseudo-terminal; its path is logged on
                              stderr as "lab fixture on /dev/pts/N" (needs python3)
  --fixture-slots LIST        the fixture's autoloader slots, comma-separated media kinds or disc
                              image files (default cd-r,cd-rw,dvd+r,dvd+rw,bd-r,bd-re)
  --vendor V --product P      INQUIRY identity of the burners (default OPENIMAP / EMU-BURNER / 1.0;
  --revision R --serial S     the serial gets the drive number appended: EMU0000000, EMU0000001, ...)
  --speed-model MODEL         unlimited (default: as fast as the host feeds) or realistic (writes take
                              the time the drive's speed needs; its buffer drains, an underrun without
                              BUFE is LOSS OF STREAMING; a loaded disc is becoming ready for 2 s)
  --time-scale X              realistic model runs X times faster than a real drive (default 1)
  --chap-user NAME            require CHAP with this user name ...
  --chap-secret SECRET        ... and secret
  --mutual-chap-user NAME     mutual CHAP: the target's name ...
  --mutual-chap-secret SECRET ... and secret
  --poll-us N                 after input, keep polling the sockets for N µs instead of sleeping
                              (0..100000, default ${CLI_POLL_MICROS}; 0 = off): halves the round trip of one command
                              in flight when the initiator runs on another CPU, for at most N µs
                              of CPU per pause
  --verbose                   log every CDB (LUN, opcode name, LBA, blocks, length) to stderr
  --help                      print this help

On start, prints one iscsi://HOST:PORT/IQN/LUN line per drive on stdout and nothing else there;
sessions, warnings (bad PDUs, dropped connections), "control API on URL" (with --control-port) and
--verbose lines go to stderr.

export DISC: writes the CD in a saved disc (its .json or .img) as NAME.bin + NAME.cue (default
"disc") in DIR (default: the current directory) and prints their paths.
`;

/** Builds the drives. Swap this for the MMC burner's factory; the target only needs LogicalUnits. */
export function createDrives(count: number, image: string | undefined): LogicalUnit[] {
  return Array.from({ length: count }, (_, i) => new RomLun({ ...(image !== undefined ? { image } : {}), serial: `ROM${String(i).padStart(7, '0')}` }));
}

async function main(): Promise<void> {
  if (process.argv[2] === 'export') return exportMain(process.argv.slice(3));
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        host: { type: 'string', default: DEFAULT_HOST },
        port: { type: 'string', default: String(DEFAULT_PORT) },
        iqn: { type: 'string', default: DEFAULT_IQN },
        drives: { type: 'string', default: '1' },
        load: { type: 'string' },
        'data-dir': { type: 'string' },
        media: { type: 'string' },
        'control-port': { type: 'string' },
        'fixture-pty': { type: 'boolean', default: false },
        'fixture-slots': { type: 'string' },
        vendor: { type: 'string' },
        product: { type: 'string' },
        revision: { type: 'string' },
        serial: { type: 'string' },
        'speed-model': { type: 'string', default: 'unlimited' },
        'time-scale': { type: 'string', default: '1' },
        'chap-user': { type: 'string' },
        'chap-secret': { type: 'string' },
        'mutual-chap-user': { type: 'string' },
        'mutual-chap-secret': { type: 'string' },
        'poll-us': { type: 'string', default: String(CLI_POLL_MICROS) },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`openimapi-emulator: ${(e as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const port = Number(values.port);
  const drives = Number(values.drives);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return usage(`--port ${values.port} is not a TCP port`);
  if (!Number.isInteger(drives) || drives < 1 || drives > 256) return usage(`--drives ${values.drives} is not 1..256`);
  let chap: ChapConfig | undefined;
  if (values['chap-user'] !== undefined || values['chap-secret'] !== undefined) {
    if (!values['chap-user'] || values['chap-secret'] === undefined) return usage('--chap-user and --chap-secret go together');
    chap = { user: values['chap-user'], secret: values['chap-secret'] };
    if (values['mutual-chap-user'] !== undefined || values['mutual-chap-secret'] !== undefined) {
      if (!values['mutual-chap-user'] || values['mutual-chap-secret'] === undefined) return usage('--mutual-chap-user and --mutual-chap-secret go together');
      if (values['mutual-chap-secret'] === values['chap-secret']) return usage('the mutual CHAP secret must differ from the initiator\'s (RFC 7143 §12.1.3)');
      chap.mutualUser = values['mutual-chap-user'];
      chap.mutualSecret = values['mutual-chap-secret'];
    }
  } else if (values['mutual-chap-user'] !== undefined) {
    return usage('mutual CHAP needs --chap-user/--chap-secret');
  }
  const pollMicros = Number(values['poll-us']);
  if (!(Number.isInteger(pollMicros) && pollMicros >= 0 && pollMicros <= MAX_POLL_MICROS)) return usage(`--poll-us ${values['poll-us']} is not an integer in 0..${MAX_POLL_MICROS}`);
  const verbose = values.verbose ?? false;
  const logger: Logger = (level, msg) => {
    if (level === 'debug' && !verbose) return;
    process.stderr.write(`${new Date().toISOString()} ${level} ${msg}\n`);
  };
  const speedModel = values['speed-model'];
  const timeScale = Number(values['time-scale']);
  if (speedModel !== 'unlimited' && speedModel !== 'realistic') return usage(`--speed-model ${speedModel} is not unlimited or realistic`);
  if (!(timeScale > 0)) return usage(`--time-scale ${values['time-scale']} is not a positive number`);
  const controlPort = values['control-port'] === undefined ? undefined : Number(values['control-port']);
  if (controlPort !== undefined && !(Number.isInteger(controlPort) && controlPort >= 0 && controlPort <= 65535)) return usage(`--control-port ${values['control-port']} is not a TCP port`);
  const driveLogger: DriveLogger = {
    debug: (m, f) => verbose && logger('debug', `${m} ${JSON.stringify(f ?? {})}`),
    info: (m, f) => logger('info', `${m} ${JSON.stringify(f ?? {})}`),
    warn: (m, f) => logger('warn', `${m} ${JSON.stringify(f ?? {})}`),
    debugEnabled: verbose,
  };
  let luns: LogicalUnit[];
  let burners: MmcDrive[] = [];
  const media = (values.media ?? 'cd-r').split(',').map((k) => k.trim());
  if (media.length !== 1 && media.length !== drives) return usage(`--media lists ${media.length} kinds for ${drives} drives (give one, or one per drive)`);
  try {
    if (values.media === 'rom') luns = createDrives(drives, values.load);
    else {
      burners = createMmcDrives({
        count: drives, media: media.length === 1 ? media[0]! : media, ...(values.load !== undefined ? { load: values.load } : {}),
        ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'], restore: values.media === undefined && values.load === undefined } : {}),
        speedModel, timeScale, logger: driveLogger,
        ...(values.vendor !== undefined ? { vendor: values.vendor } : {}),
        ...(values.product !== undefined ? { product: values.product } : {}),
        ...(values.revision !== undefined ? { revision: values.revision } : {}),
        ...(values.serial !== undefined ? { serial: values.serial } : {}),
      });
      luns = burners;
    }
  } catch (e) {
    process.stderr.write(`openimapi-emulator: ${(e as Error).message}\n`);
    process.exit(1);
  }
  const t = await startTarget({
    host: values.host!, port, iqn: values.iqn!, luns, ...(chap ? { chap } : {}), logger, logCdbs: verbose, pollMicros,
  });
  // The device-gone fault and a powered-off drive drop that drive's sessions, and only those.
  dropSessionsWhenGone(t.target, burners);
  const control = controlPort !== undefined && burners.length > 0 ? await startControlServer(burners, { host: values.host!, port: controlPort }) : undefined;
  if (control) logger('info', `control API on ${control.url}`);
  let pty: Pty | undefined;
  if (values['fixture-pty'] || values['fixture-slots'] !== undefined) {
    if (burners.length === 0) return usage('--fixture-pty needs burners (not --media rom)');
    const slots = values['fixture-slots']?.split(',').filter(Boolean).map((x) => (isMediaKind(x) ? { media: x } : { file: x }));
    try {
      pty = await openPty();
      new FixtureServer(burners, pty.stream, { ...(slots ? { slots } : {}), log: (m) => logger('debug', m) });
    } catch (e) {
      process.stderr.write(`openimapi-emulator: --fixture-pty: ${(e as Error).message}\n`);
      process.exit(1);
    }
    logger('info', `lab fixture on ${pty.path}`);
  }
  process.stdout.write(t.urls.join('\n') + '\n');
  const stop = () => {
    Promise.all([t.close(), control?.close(), pty?.close()]).then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** `openimapi-emulator export DISC [--out DIR] [--name NAME]`. */
function exportMain(args: string[]): void {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { out: { type: 'string', default: '.' }, name: { type: 'string', default: 'disc' }, help: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
  } catch (e) {
    return usage((e as Error).message);
  }
  if (parsed.values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (parsed.positionals.length !== 1) return usage('export needs exactly one saved disc');
  const name = parsed.values.name!;
  if (!/^[\w.+-]+$/.test(name)) return usage(`--name "${name}" is not a plain file name`);
  let medium: Medium | undefined;
  try {
    medium = loadMedium(parsed.positionals[0]!);
    const out = exportBinCue(medium, parsed.values.out!, name);
    process.stdout.write(`${out.bin}\n${out.cue}\n`);
  } catch (e) {
    process.stderr.write(`openimapi-emulator: export: ${(e as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    medium?.close();
  }
}

function usage(msg: string): void {
  process.stderr.write(`openimapi-emulator: ${msg}\n\n${HELP}`);
  process.exit(2);
}

main().catch((e: Error) => {
  process.stderr.write(`openimapi-emulator: ${e.message}\n`);
  process.exit(1);
});
