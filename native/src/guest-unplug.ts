#!/usr/bin/env node
/**
 * The lost-device path on a real kernel (run inside the QEMU guest by guest.test.ts; needs
 * guest/run.sh's host hook, OPENIMAPI_GUEST_HOOK=HOST:PORT):
 *
 *   node native/dist/guest-unplug.js
 *
 * Opens the first CD/DVD sg node twice — lock 'acquire' (a fresh open per command) and lock 'open'
 * (an O_EXCL fd held throughout) — checks both work and that the O_EXCL fd shuts the other out, asks
 * the host to hot-unplug the drive (QEMU device_del: the guest kernel sees the SCSI device removed),
 * then sends a command on each and opens the node again. Prints one line `GUEST-UNPLUG {json}` (HRESULT names, the errno behind each,
 * what sysfs lists afterwards) and leaves judging to the caller; exits non-zero only when it could
 * not run at all. The drive is gone afterwards: run it last in a guest.
 */
import { connect } from 'node:net';
import { ImapiError, encodeTestUnitReadyCdb } from '@openimapi/sdk';
import { listDevices } from './devices.js';
import { errnoName } from './errors.js';
import { SgTransport } from './sg-transport.js';

const TUR = { cdb: encodeTestUnitReadyCdb(), direction: 'none' as const, timeoutMs: 10_000 };

function outcome(e: unknown): Record<string, unknown> {
  if (!(e instanceof ImapiError)) return { error: `${(e as Error).name}: ${(e as Error).message}` };
  const errno = (e.cause as { errno?: unknown } | undefined)?.errno;
  return { hresult: e.hresultName, disconnected: e.disconnected, ...(typeof errno === 'number' ? { errno: errnoName(errno) } : {}), message: e.message };
}

async function ask(hook: string, line: string): Promise<string> {
  const i = hook.lastIndexOf(':');
  return new Promise((resolve, reject) => {
    const s = connect({ host: hook.slice(0, i), port: Number(hook.slice(i + 1)) });
    let buf = '';
    s.on('error', reject);
    s.on('data', (d) => (buf += d.toString()));
    s.on('end', () => resolve(buf.trim()));
    s.write(`${line}\n`);
  });
}

async function main(): Promise<void> {
  const hook = process.env.OPENIMAPI_GUEST_HOOK;
  if (!hook) throw new Error('OPENIMAPI_GUEST_HOOK is not set (run through guest/run.sh with its control forward)');
  const [dev] = await listDevices();
  if (dev === undefined) throw new Error('no CD/DVD SCSI generic device found');
  const perCommand = await SgTransport.open(dev.path, { lock: 'acquire' });
  const out: Record<string, unknown> = { path: dev.path };
  out.perCommandBefore = (await perCommand.execute(TUR)).status;
  const held = await SgTransport.open(dev.path);
  out.heldBefore = (await held.execute(TUR)).status;
  // While `held` has its O_EXCL fd, the per-command open is refused: the kernel's lock at work.
  out.perCommandWhileHeld = await perCommand.execute(TUR).then((r) => ({ status: r.status }), outcome);
  out.hook = await ask(hook, 'unplug');
  out.heldAfter = await held.execute(TUR).then((r) => ({ status: r.status }), outcome);
  out.heldClosed = held.closed;
  out.perCommandAfter = await perCommand.execute(TUR).then((r) => ({ status: r.status }), outcome);
  out.perCommandClosed = perCommand.closed;
  out.openAfter = await SgTransport.open(dev.path).then(async (t) => (await t.close(), 'opened'), outcome);
  out.listedAfter = (await listDevices()).map((d) => d.path);
  await held.close();
  await perCommand.close();
  process.stdout.write(`GUEST-UNPLUG ${JSON.stringify(out)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`guest-unplug: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
