// The compiled addon on this machine: what can be checked without a SCSI device, then a real /dev/sg
// when one exists. Skipped visibly (with the reason) where the addon is not built or not Linux.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HResult, ImapiError } from '@openimapi/sdk';
import { nativeAvailability, loadAddon } from './addon.js';
import { listDevices } from './devices.js';
import { SgTransport } from './sg-transport.js';

const avail = nativeAvailability();
const skipNoAddon = avail.available ? false : `native addon unavailable: ${avail.reason}`;

test('real addon: open errors map to HRESULTs (ENOENT, ENOTTY for a non-SG node)', { skip: skipNoAddon }, async () => {
  await assert.rejects(SgTransport.open('/dev/openimapi-no-such-node'), (e) => e instanceof ImapiError && e.hresult === HResult['HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)'] && /ENOENT/.test(e.message));
  await assert.rejects(SgTransport.open('/dev/null', { lock: 'acquire' }), (e) => e instanceof ImapiError && e.hresult === HResult.E_INVALIDARG && /ENOTTY/.test(e.message));
});

test('real addon: execute checks its arguments (memory safety on the C++ side)', { skip: skipNoAddon }, () => {
  const a = loadAddon();
  assert.throws(() => a.execute(0, Buffer.alloc(17), 0, null, 1000, Buffer.alloc(32)), { name: 'TypeError', message: /cdb/ });
  assert.throws(() => a.execute(0, Buffer.alloc(6), 3, null, 1000, Buffer.alloc(32)), { name: 'TypeError', message: /direction/ });
  assert.throws(() => a.execute(0, Buffer.alloc(6), 0, null, 1000, Buffer.alloc(253)), { name: 'TypeError', message: /sense/ });
  assert.throws(() => a.execute(0, Buffer.alloc(6), 0, null, 0, Buffer.alloc(32)), { name: 'TypeError', message: /timeoutMs/ });
  assert.throws(() => a.execute(0, Buffer.alloc(6), 0, Buffer.alloc(4), 1000, Buffer.alloc(32)), { name: 'TypeError', message: /data/ });
});

test('real addon: SG_IO on a closed fd rejects EBADF on the threadpool (the event loop keeps running)', { skip: skipNoAddon }, async () => {
  const a = loadAddon();
  await assert.rejects(a.execute(987654, Buffer.alloc(6), 0, null, 1000, Buffer.alloc(32)), (e) => (e as { errno?: number; syscall?: string }).syscall === 'ioctl' && typeof (e as { errno?: number }).errno === 'number');
});

const devices = process.platform === 'linux' ? await listDevices() : [];
const skipNoDevice = skipNoAddon || (devices.length === 0 ? 'no CD/DVD SCSI generic device on this machine (see guest.test for the QEMU guest run)' : false);

test('real device: INQUIRY and TEST UNIT READY through SG_IO, O_EXCL lock', { skip: skipNoDevice }, async () => {
  const dev = devices[0]!;
  const sg = await SgTransport.open(dev.path);
  try {
    const inq = await sg.execute({ cdb: Buffer.from([0x12, 0, 0, 0, 36, 0]), direction: 'in', dataInLength: 36, timeoutMs: 10_000 });
    assert.equal(inq.status, 0);
    assert.equal(inq.dataIn[0]! & 0x1f, 5);
    assert.equal(inq.dataIn.subarray(8, 16).toString('latin1').trim(), dev.vendor);
    const tur = await sg.execute({ cdb: Buffer.alloc(6), direction: 'none', timeoutMs: 10_000 });
    assert.ok(tur.status === 0 || (tur.status === 2 && tur.sense.length > 0));
    await assert.rejects(SgTransport.open(dev.path), (e) => e instanceof ImapiError && e.hresult === HResult.E_IMAPI_RECORDER_LOCKED);
  } finally {
    await sg.close();
  }
});
