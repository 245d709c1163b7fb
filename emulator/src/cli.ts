#!/usr/bin/env node
/**
 * openimapi-emulator: serves emulated drives over iSCSI. Prints one `iscsi://HOST:PORT/IQN/LUN` line per
 * drive on stdout and nothing else; logs go to stderr (`--verbose` adds every CDB).
 */
import { parseArgs } from 'node:util';
import { startTarget } from './iscsi/target.js';
import { DEFAULT_HOST, DEFAULT_IQN, DEFAULT_PORT, type ChapConfig, type Logger } from './iscsi/types.js';
import { RomLun } from './rom-lun.js';
import type { LogicalUnit } from './lun.js';
import { createDrives as createMmcDrives, startControlServer, type DriveLogger, type MmcDrive } from './drive/index.js';
import { FixtureServer } from './fixture/server.js';
import { openPty, type Pty } from './fixture/pty.js';
import { isMediaKind } from './media/index.js';

const HELP = `Usage: openimapi-emulator [options]

Serves emulated optical drives as LUNs of one iSCSI target (RFC 7143).

Options:
  --host ADDR                 listen address (default ${DEFAULT_HOST})
  --port N                    TCP port (default ${DEFAULT_PORT}; 0 picks a free port)
  --iqn NAME                  target name (default ${DEFAULT_IQN})
  --drives N                  number of drives / LUNs (default 1)
  --media KIND                disc each burner starts with: cd-r (default), cd-rw, dvd-r, dvd+r,
                              dvd+rw, bd-r, bd-re, none; 'rom' serves read-only ROM drives instead
  --load FILE                 saved disc (.json) or ISO/BIN image put in drive 0 (ROM drives: in every drive)
  --data-dir DIR              directory where burned discs are kept (in memory when absent)
  --control-port N            serve the HTTP/JSON control API on --host:N (0 picks a free port)
  --fixture-pty               serve the lab fixture protocol (power, eject, load, swap; see
                              docs/lab-fixture.md) on a new pseudo-terminal; its path is logged on
                              stderr as "lab fixture on /dev/pts/N" (needs python3)
  --fixture-slots LIST        the fixture's autoloader slots, comma-separated media kinds or disc
                              image files (default cd-r,cd-rw,dvd+r,dvd+rw,bd-r,bd-re)
  --speed-model MODEL         unlimited (default) or realistic
  --time-scale X              realistic model runs X times faster than a real drive (default 1)
  --chap-user NAME            require CHAP with this user name ...
  --chap-secret SECRET        ... and secret
  --mutual-chap-user NAME     mutual CHAP: the target's name ...
  --mutual-chap-secret SECRET ... and secret
  --verbose                   log every CDB (LUN, opcode name, LBA, blocks, length) to stderr
  --help                      print this help

On start, prints one iscsi://HOST:PORT/IQN/LUN line per drive on stdout and nothing else there;
sessions, warnings (bad PDUs, dropped connections) and --verbose lines go to stderr.
`;

/** Builds the drives. Swap this for the MMC burner's factory; the target only needs LogicalUnits. */
export function createDrives(count: number, image: string | undefined): LogicalUnit[] {
  return Array.from({ length: count }, (_, i) => new RomLun({ ...(image !== undefined ? { image } : {}), serial: `ROM${String(i).padStart(7, '0')}` }));
}

async function main(): Promise<void> {
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
        media: { type: 'string', default: 'cd-r' },
        'control-port': { type: 'string' },
        'fixture-pty': { type: 'boolean', default: false },
        'fixture-slots': { type: 'string' },
        'speed-model': { type: 'string', default: 'unlimited' },
        'time-scale': { type: 'string', default: '1' },
        'chap-user': { type: 'string' },
        'chap-secret': { type: 'string' },
        'mutual-chap-user': { type: 'string' },
        'mutual-chap-secret': { type: 'string' },
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
  };
  let luns: LogicalUnit[];
  let burners: MmcDrive[] = [];
  try {
    if (values.media === 'rom') luns = createDrives(drives, values.load);
    else {
      burners = createMmcDrives({
        count: drives, media: values.media!, ...(values.load !== undefined ? { load: values.load } : {}),
        ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}), speedModel, timeScale, logger: driveLogger,
      });
      luns = burners;
    }
  } catch (e) {
    process.stderr.write(`openimapi-emulator: ${(e as Error).message}\n`);
    process.exit(1);
  }
  const t = await startTarget({
    host: values.host!, port, iqn: values.iqn!, luns, ...(chap ? { chap } : {}), logger, logCdbs: verbose,
  });
  // The device-gone fault: the drive asks the target to drop the connection(s).
  for (const b of burners) b.on('disconnect', () => t.target.dropAll('device gone (fault injected)'));
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

function usage(msg: string): void {
  process.stderr.write(`openimapi-emulator: ${msg}\n\n${HELP}`);
  process.exit(2);
}

main().catch((e: Error) => {
  process.stderr.write(`openimapi-emulator: ${e.message}\n`);
  process.exit(1);
});
