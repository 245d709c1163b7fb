// Container health check: GET /state on the emulator's control API. It reads the listen address and
// control port from the emulator's own command line (PID 1, or the child of docker-init), so it stays
// right when `docker run IMAGE --control-port N` or compose's `command:` moves the port.
import { readFileSync, readdirSync } from 'node:fs';

function emulatorArgs() {
  for (const pid of ['1', ...readdirSync('/proc').filter((p) => /^\d+$/.test(p) && p !== '1')]) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv.some((a) => a.endsWith('emulator/dist/cli.js'))) return argv;
    } catch {
      // the process ended meanwhile
    }
  }
  return undefined;
}

const argv = emulatorArgs();
const last = (flag) => {
  const i = argv?.lastIndexOf(flag) ?? -1;
  return i >= 0 ? argv[i + 1] : undefined;
};
const port = last('--control-port');
if (!port) {
  console.error('healthcheck: no emulator process with --control-port');
  process.exit(1);
}
const host = last('--host');
const addr = !host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
try {
  const r = await fetch(`http://${addr}:${port}/state`, { signal: AbortSignal.timeout(2500) });
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  process.exit(0);
} catch (e) {
  console.error(`healthcheck: http://${addr}:${port}/state: ${e.message}`);
  process.exit(1);
}
