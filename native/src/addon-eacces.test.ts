// EACCES from the real kernel: a node this user may not open → E_FAIL naming EACCES. Run as root
// (CI, the QEMU guest) this file drops to nobody first — in its own process, as node:test runs each
// file — since root opens anything. In the guest it also tries the real /dev/sgN (mode 0600 root).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HResult, ImapiError } from '@openimapi/sdk';
import { loadAddon, nativeAvailability } from './addon.js';
import { listDevices } from './devices.js';
import { SgTransport } from './sg-transport.js';

const avail = nativeAvailability();
const NOBODY = 65534;
const devices = process.platform === 'linux' ? await listDevices() : [];
const dir = mkdtempSync(join(tmpdir(), 'openimapi-eacces-'));
const node = join(dir, 'no-access');
writeFileSync(node, '');
chmodSync(node, 0o000);
chmodSync(dir, 0o755);
let dropped = false;
if (avail.available && process.getuid?.() === 0) {
  loadAddon();
  chownSync(dir, NOBODY, NOBODY); // so that nobody can remove it afterwards
  process.setgid!(NOBODY);
  process.setuid!(NOBODY);
  dropped = true;
}
test.after(() => rmSync(dir, { recursive: true, force: true }));

const isEacces = (e: unknown) => e instanceof ImapiError && e.hresult === HResult.E_FAIL && /EACCES/.test(e.message) && !e.disconnected;

test('real addon: EACCES at open → E_FAIL naming EACCES, in both lock modes', { skip: avail.available ? false : `native addon unavailable: ${avail.reason}` }, async () => {
  await assert.rejects(SgTransport.open(node), isEacces);
  await assert.rejects(SgTransport.open(node, { lock: 'acquire' }), isEacces);
});

test('real device: an unprivileged user opening /dev/sgN → E_FAIL naming EACCES', { skip: !avail.available ? `native addon unavailable: ${avail.reason}` : !dropped ? 'needs root (to drop to an unprivileged user)' : devices.length === 0 ? 'no CD/DVD SCSI generic device on this machine (the QEMU guest run has one)' : false }, async () => {
  await assert.rejects(SgTransport.open(devices[0]!.path), isEacces);
});
