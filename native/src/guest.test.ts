// The SG_IO backend on a real Linux SCSI stack: guest/run.sh boots Debian's kernel under QEMU (TCG)
// with the emulator as a virtio-scsi passthrough CD drive (and its control API forwarded in), and
// runs inside it against /dev/sg0:
//   1. guest-smoke and the real-device tests (addon-linux, addon-eacces);
//   2. guest-unplug: the drive hot-unplugged under open transports (ENODEV, ENOENT);
//   3. the Gherkin conformance suite through the sg: target (scripts/conformance.mjs --target sg:/dev/sg0).
// Needs qemu-system-x86_64 (guest/prepare.sh installs it, with the kernel and busybox, when run as
// root). Skipped visibly without QEMU unless CI is set; in CI it runs. The guest is slow (TCG): the
// timeouts are generous and no assertion depends on wall time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { nativeAvailability } from './addon.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runScript = join(root, 'guest', 'run.sh');
const haveQemu = spawnSync('sh', ['-c', 'command -v qemu-system-x86_64'], { stdio: 'ignore' }).status === 0;
const inCi = !!process.env.CI;
const avail = nativeAvailability();

function skipReason(): string | false {
  if (process.platform !== 'linux') return `the QEMU guest run needs a Linux host (this is ${process.platform})`;
  if (inCi) return false;
  if (!haveQemu) return 'qemu-system-x86_64 not installed (CI installs it through guest/prepare.sh; run guest/run.sh as root to set it up)';
  if (!avail.available) return `native addon unavailable: ${avail.reason}`;
  if (!existsSync(join(root, 'emulator', 'dist', 'cli.js'))) return 'emulator not built (npx tsc -b)';
  return false;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  diag: string;
}

function runGuest(command: string, timeoutS: number): Promise<Run> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(runScript, ['--timeout', String(timeoutS), '--', 'sh', '-c', command], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, seconds: (performance.now() - t0) / 1000, diag: `exit ${code}\n--- stdout\n${stdout}\n--- stderr\n${stderr}` }));
  });
}

function report(t: { diagnostic(m: string): void }, run: Run): void {
  t.diagnostic(`guest run: ${run.seconds.toFixed(1)} s wall (prepare + boot + commands)`);
  for (const l of run.stderr.split('\n').filter((l) => /guest run took|emulator saw/.test(l))) t.diagnostic(l.slice(0, 400));
}

/** The `emulator saw N CDBs: OP xK, ...` line of guest/run.sh, as a map. */
function cdbsSeen(run: Run): Map<string, number> {
  const line = run.stderr.split('\n').find((l) => l.includes('emulator saw')) ?? '';
  return new Map([...line.matchAll(/\b([A-Z][A-Z0-9_]+) x(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
}

function jsonLine(run: Run, prefix: string): Record<string, any> {
  const line = run.stdout.split('\n').find((l) => l.startsWith(`${prefix} `));
  assert.ok(line, run.diag);
  return JSON.parse(line.slice(prefix.length + 1)) as Record<string, any>;
}

test('guest: SgTransport on the guest kernel\'s /dev/sg0, backed by the emulator over iSCSI', { skip: skipReason(), timeout: 330_000 }, async (t) => {
  const run = await runGuest('node native/dist/guest-smoke.js; echo "SMOKE-EXIT=$?"; node --test --test-reporter=tap native/dist/addon-linux.test.js native/dist/addon-eacces.test.js', 300);
  report(t, run);
  assert.match(run.stdout, /^SMOKE-EXIT=0$/m, run.diag);

  const r = jsonLine(run, 'GUEST-SMOKE');
  // sysfs saw the emulated drive as an MMC device (peripheral type 05h) with the sr driver bound.
  assert.equal(r.device?.type, 5);
  assert.match(r.device?.blockPath ?? '', /^\/dev\/sr\d+$/);
  // INQUIRY through SG_IO agrees with what the guest kernel cached in sysfs.
  assert.equal(r.inquiry.status, 0);
  assert.equal(r.inquiry.peripheralDeviceType, 5);
  assert.equal(r.inquiry.vendor, r.device.vendor);
  assert.equal(r.inquiry.product, r.device.model);
  assert.equal(r.testUnitReady.status, 0);
  // The emulator's default disc is a blank CD-R: current profile 0009h (MMC-6 table 89).
  assert.equal(r.getConfiguration.status, 0);
  assert.equal(r.getConfiguration.currentProfile, 0x0009);
  assert.equal(r.readCapacity.status, 0);
  assert.equal(r.readCapacity.blockLength, 2048);
  // A CHECK CONDITION arrives as a result with sense: MMC drives reject MODE SENSE(6) as ILLEGAL REQUEST.
  assert.equal(r.modeSense6.status, 2);
  assert.match(r.modeSense6.sense, /^05\//);
  assert.ok(r.readToc.status === 0 || (r.readToc.status === 2 && typeof r.readToc.sense === 'string'), JSON.stringify(r.readToc));
  // SG_IO on the block node (/dev/srN) reaches the same drive.
  assert.equal(r.blockInquiry?.status, 0, JSON.stringify(r.blockInquiry));
  assert.equal(r.blockInquiry.vendor, r.inquiry.vendor);
  // Not asserted: residuals. QEMU's iSCSI backend answers the guest's SG_IO with resid 0 whatever the
  // target transferred (block/iscsi.c, iscsi_aio_ioctl_cb), so underflow cannot be seen through it;
  // sg-transport.test covers the resid → residual mapping.
  // O_EXCL is the lock: a second exclusive open is E_IMAPI_RECORDER_LOCKED; after close it opens again.
  assert.equal(r.secondExclusiveOpen, 'E_IMAPI_RECORDER_LOCKED');
  assert.equal(r.afterClose, 'HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)');
  assert.equal(r.reopenAfterClose, 'opened');

  // The real-device tests ran (not skipped) inside the guest and passed: addon-linux 4, addon-eacces 2.
  assert.match(run.stdout, /^# pass 6$/m, run.diag);
  assert.match(run.stdout, /^# fail 0$/m, run.diag);
  assert.match(run.stdout, /^# skipped 0$/m, run.diag);
  // Every command the smoke test sent reached the emulator.
  const seen = cdbsSeen(run);
  for (const op of ['INQUIRY', 'TEST_UNIT_READY', 'GET_CONFIGURATION', 'READ_CAPACITY_10', 'READ_TOC_PMA_ATIP', 'MODE_SENSE_6']) assert.ok(seen.get(op), `${op} did not reach the emulator: ${[...seen]}`);
});

test('guest: the drive hot-unplugged under open transports → ERROR_DEV_NOT_EXIST from the real kernel (ENODEV, ENOENT)', { skip: skipReason(), timeout: 330_000 }, async (t) => {
  const run = await runGuest('node native/dist/guest-unplug.js', 300);
  report(t, run);
  assert.equal(run.code, 0, run.diag);
  const r = jsonLine(run, 'GUEST-UNPLUG');
  assert.equal(r.perCommandBefore, 0);
  assert.equal(r.heldBefore, 0);
  // The O_EXCL fd shuts the per-command client out, without sending anything.
  assert.equal(r.perCommandWhileHeld.hresult, 'E_IMAPI_RECORDER_LOCKED', JSON.stringify(r.perCommandWhileHeld));
  assert.equal(r.perCommandWhileHeld.errno, 'EBUSY');
  assert.equal(r.hook, 'unplugged', run.diag);
  // SG_IO on the fd held across the removal: ENODEV → lost.
  assert.equal(r.heldAfter.hresult, 'HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)', JSON.stringify(r.heldAfter));
  assert.equal(r.heldAfter.disconnected, true);
  assert.equal(r.heldAfter.errno, 'ENODEV');
  assert.equal(r.heldClosed, true);
  // The per-command client's next open finds no node: ENOENT (or ENODEV/ENXIO while detaching) → lost.
  assert.equal(r.perCommandAfter.hresult, 'HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)', JSON.stringify(r.perCommandAfter));
  assert.equal(r.perCommandAfter.disconnected, true);
  assert.match(r.perCommandAfter.errno, /^(ENOENT|ENODEV|ENXIO)$/);
  assert.equal(r.perCommandClosed, true);
  assert.equal(r.openAfter.hresult, 'HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)', JSON.stringify(r.openAfter));
  assert.deepEqual(r.listedAfter, []);
});

test('guest: the conformance suite through the guest kernel\'s /dev/sg0 (sg: target, O_EXCL lock, control plane forwarded)', { skip: skipReason(), timeout: 1_300_000 }, async (t) => {
  const run = await runGuest('node scripts/conformance.mjs --ci --target sg:/dev/sg0', 1200);
  report(t, run);
  const m = /^cucumber: (\d+) passed, (\d+) failed, (\d+) skipped$/m.exec(run.stdout);
  assert.ok(m, `the in-guest suite printed no summary\n${run.diag}`);
  const [passed, failed, skipped] = [Number(m[1]), Number(m[2]), Number(m[3])];
  t.diagnostic(`in-guest cucumber: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  assert.equal(failed, 0, run.diag);
  assert.ok(passed > 0, run.diag);
  assert.equal(run.code, 0, run.diag);
  // No silent skips: the run's summary counts every skipped scenario by the kind of its reason, and each
  // kind is a row that cannot be driven at all or one a local drive cannot show (its sg reason).
  const summary = /^sg:\/dev\/sg0: (\d+) skipped \(each reason in the HTML report\):\n((?: +\d+ × .+\n)+)/m.exec(run.stdout);
  assert.ok(summary, run.diag);
  const kinds = [...summary[2]!.matchAll(/^ +(\d+) × (.+)$/gm)].map((k) => ({ n: Number(k[1]), kind: k[2]! }));
  assert.equal(Number(summary[1]), skipped, run.diag);
  assert.equal(kinds.reduce((a, k) => a + k.n, 0), skipped, run.diag);
  for (const { kind } of kinds) assert.match(kind, /^(cannot happen in this API|not returned by the SDK|cannot be caused by the emulator|not possible on sg:\/dev\/sg0)( \(|$)/, run.diag);
  assert.ok(kinds.some((k) => k.kind.startsWith('not possible on sg:/dev/sg0')), run.diag);
  // The lock was the kernel's O_EXCL, not a SCSI reservation: none reached the emulator, though the
  // lock scenarios ran; the burns did reach it.
  const seen = cdbsSeen(run);
  assert.equal(seen.get('PERSISTENT_RESERVE_OUT'), undefined, `a reservation reached the emulator: ${[...seen]}`);
  assert.equal(seen.get('RESERVE_6'), undefined);
  assert.ok((seen.get('WRITE_10') ?? 0) > 0, `no WRITE reached the emulator: ${[...seen]}`);
});
