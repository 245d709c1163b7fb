import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HResult, ImapiError } from '@openimapi/sdk';
import { SgTransport } from './sg-transport.js';
import { FakeAddon, flush } from './fake-addon.test.helpers.js';
import { DriverStatus, HostStatus } from './errors.js';

const TUR = Buffer.from([0x00, 0, 0, 0, 0, 0]);
const INQUIRY_255 = Buffer.from([0x12, 0, 0, 0, 0xff, 0]);
// Fixed-format sense, SPC-4 4.5.3 table 48: 70h, key at byte 2, additional length 0Ah, ASC/ASCQ at 12/13.
// ILLEGAL REQUEST / INVALID FIELD IN CDB (05/24/00).
const SENSE_05_24_00 = Buffer.from([0x70, 0, 0x05, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x24, 0x00, 0, 0, 0, 0]);

async function open(fake = new FakeAddon(), opts: { senseLength?: number } = {}): Promise<{ fake: FakeAddon; sg: SgTransport }> {
  return { fake, sg: await SgTransport.open('/dev/sg0', { addon: fake, ...opts }) };
}

function isHr(name: keyof typeof HResult, extra: Partial<ImapiError> = {}) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof ImapiError, `expected ImapiError, got ${String(e)}`);
    assert.equal(e.hresult, HResult[name], e.message);
    for (const [k, v] of Object.entries(extra)) assert.equal((e as unknown as Record<string, unknown>)[k], v, k);
    return true;
  };
}

test('open: argument errors are TypeErrors naming the parameter', async () => {
  const fake = new FakeAddon();
  await assert.rejects(SgTransport.open('', { addon: fake }), { name: 'TypeError', message: /path/ });
  await assert.rejects(SgTransport.open('/dev/sg0', { addon: fake, senseLength: 31 }), { name: 'TypeError', message: /senseLength/ });
  await assert.rejects(SgTransport.open('/dev/sg0', { addon: fake, senseLength: 253 }), { name: 'TypeError', message: /senseLength/ });
  assert.equal(fake.openFds.size, 0);
});

test('open: errno → HRESULT (EBUSY locked, ENOENT/ENODEV/ENXIO gone, EACCES E_FAIL naming it)', async () => {
  const fake = new FakeAddon();
  const cases = [
    ['EBUSY', 'E_IMAPI_RECORDER_LOCKED'],
    ['ENOENT', 'HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)'],
    ['ENODEV', 'HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)'],
    ['ENXIO', 'HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)'],
    ['EACCES', 'E_FAIL'],
    ['ENOTTY', 'E_INVALIDARG'],
  ] as const;
  for (const [errno, hr] of cases) {
    fake.openErrno = errno;
    await assert.rejects(SgTransport.open('/dev/sg3', { addon: fake }), (e) => isHr(hr)(e) && (e as Error).message.includes('/dev/sg3'));
  }
  fake.openErrno = 'EACCES';
  await assert.rejects(SgTransport.open('/dev/sg3', { addon: fake }), /EACCES/);
});

test('execute: malformed requests are TypeErrors and nothing is sent', async () => {
  const { fake, sg } = await open();
  await assert.rejects(sg.execute({ cdb: Buffer.alloc(5), direction: 'none', timeoutMs: 1000 }), { name: 'TypeError', message: /cdb/ });
  await assert.rejects(sg.execute({ cdb: Buffer.alloc(17), direction: 'none', timeoutMs: 1000 }), { name: 'TypeError', message: /cdb/ });
  await assert.rejects(sg.execute({ cdb: TUR, direction: 'in', dataOut: Buffer.alloc(1), dataInLength: 1, timeoutMs: 1000 }), /dataOut/);
  await assert.rejects(sg.execute({ cdb: TUR, direction: 'in', dataInLength: -1, timeoutMs: 1000 }), /dataInLength/);
  await assert.rejects(sg.execute({ cdb: TUR, direction: 'none', timeoutMs: 0 }), /timeoutMs/);
  await flush();
  assert.equal(fake.calls.length, 0);
});

test('execute: data in with underflow → dataIn is the transferred prefix, residual from resid', async () => {
  const { fake, sg } = await open();
  const p = sg.execute({ cdb: INQUIRY_255, direction: 'in', dataInLength: 255, timeoutMs: 5000 });
  const call = await fake.waitForCalls(1);
  assert.equal(call.direction, 1);
  assert.equal(call.data?.length, 255);
  assert.equal(call.timeoutMs, 5000);
  assert.deepEqual(call.cdb, INQUIRY_255);
  call.complete({ resid: 255 - 96 }, (data) => data!.fill(0xab, 0, 96));
  const r = await p;
  assert.equal(r.status, 0);
  assert.equal(r.dataIn.length, 96);
  assert.ok(r.dataIn.every((b) => b === 0xab));
  assert.equal(r.residual, 159);
  assert.equal(r.overflow, 0);
  assert.equal(r.sense.length, 0);
});

test('execute: data out passes the caller bytes with direction 2; residual counts untaken bytes', async () => {
  const { fake, sg } = await open();
  const payload = Buffer.from('0123456789');
  const p = sg.execute({ cdb: Buffer.from([0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0]), direction: 'out', dataOut: payload.subarray(2, 8), timeoutMs: 1000 });
  const call = await fake.waitForCalls(1);
  assert.equal(call.direction, 2);
  assert.equal(call.data?.toString(), '234567');
  call.complete({ resid: 2 });
  const r = await p;
  assert.equal(r.residual, 2);
  assert.equal(r.dataIn.length, 0);
});

test('execute: CHECK CONDITION resolves with the sense bytes written (sb_len_wr), not a rejection', async () => {
  const { fake, sg } = await open(new FakeAddon(), { senseLength: 64 });
  const p = sg.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 });
  const call = await fake.waitForCalls(1);
  assert.equal(call.sense.length, 64);
  assert.equal(call.direction, 0);
  assert.equal(call.data, null);
  call.complete({ status: 0x02, driverStatus: DriverStatus.DRIVER_SENSE, info: 1, senseLength: SENSE_05_24_00.length }, (_d, sense) => SENSE_05_24_00.copy(sense));
  const r = await p;
  assert.equal(r.status, 0x02);
  assert.deepEqual(r.sense, SENSE_05_24_00);
  assert.equal(sg.closed, false);
});

test('execute: other statuses resolve too (RESERVATION CONFLICT 18h, BUSY 08h) with empty sense', async () => {
  const { fake, sg } = await open();
  for (const [i, status] of [0x18, 0x08].entries()) {
    const p = sg.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 });
    (await fake.waitForCalls(i + 1)).complete({ status, info: 1 });
    const r = await p;
    assert.equal(r.status, status);
    assert.equal(r.sense.length, 0);
  }
});

test('execute: kernel timeout (DID_TIME_OUT or DRIVER_TIMEOUT) → COMMAND_TIMEOUT, transport stays usable', async () => {
  const { fake, sg } = await open();
  const a = sg.execute({ cdb: TUR, direction: 'none', timeoutMs: 1500.2 });
  const call = await fake.waitForCalls(1);
  assert.equal(call.timeoutMs, 1501);
  call.complete({ hostStatus: HostStatus.DID_TIME_OUT, info: 1 });
  await assert.rejects(a, isHr('E_IMAPI_RECORDER_COMMAND_TIMEOUT'));
  const b = sg.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 });
  (await fake.waitForCalls(2)).complete({ driverStatus: DriverStatus.DRIVER_TIMEOUT, info: 1 });
  await assert.rejects(b, isHr('E_IMAPI_RECORDER_COMMAND_TIMEOUT'));
  assert.equal(sg.closed, false);
  const c = sg.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 });
  (await fake.waitForCalls(3)).complete({});
  assert.equal((await c).status, 0);
});

test('execute: ENODEV mid-flight → this, queued and later commands reject ERROR_DEV_NOT_EXIST disconnected; fd released', async () => {
  const { fake, sg } = await open();
  const a = sg.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 });
  const queued = sg.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 });
  (await fake.waitForCalls(1)).fail('ENODEV');
  await assert.rejects(a, isHr('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)', { disconnected: true }));
  await assert.rejects(queued, isHr('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)', { disconnected: true }));
  assert.equal(sg.closed, true);
  await assert.rejects(sg.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 }), isHr('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)', { disconnected: true }));
  assert.equal(fake.calls.length, 1);
  assert.deepEqual(fake.closedFds, [10]);
  await sg.close();
  assert.deepEqual(fake.closedFds, [10]);
});

test('execute: host status DID_NO_CONNECT is lost; DID_RESET is a failure of that command only', async () => {
  const { fake, sg } = await open();
  const a = sg.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 });
  (await fake.waitForCalls(1)).complete({ hostStatus: HostStatus.DID_RESET, info: 1 });
  await assert.rejects(a, (e) => isHr('E_FAIL')(e) && /DID_RESET/.test((e as Error).message));
  assert.equal(sg.closed, false);
  const b = sg.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 });
  (await fake.waitForCalls(2)).complete({ hostStatus: HostStatus.DID_NO_CONNECT, info: 1 });
  await assert.rejects(b, isHr('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)', { disconnected: true }));
  assert.equal(sg.closed, true);
});

test('execute: other errnos (EIO, EINTR) reject E_FAIL naming the errno, transport stays open', async () => {
  const { fake, sg } = await open();
  const a = sg.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 });
  (await fake.waitForCalls(1)).fail('EIO');
  await assert.rejects(a, (e) => isHr('E_FAIL')(e) && /EIO/.test((e as Error).message));
  assert.equal(sg.closed, false);
});

test('commands run one at a time in submission order', async () => {
  const { fake, sg } = await open();
  const a = sg.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 });
  const b = sg.execute({ cdb: INQUIRY_255, direction: 'in', dataInLength: 255, timeoutMs: 1000 });
  await fake.waitForCalls(1);
  await flush();
  assert.equal(fake.calls.length, 1, 'second command must wait for the first');
  fake.calls[0]!.complete({});
  const second = await fake.waitForCalls(2);
  assert.equal(second.cdb[0], 0x12);
  second.complete({ resid: 255 });
  assert.equal((await a).status, 0);
  assert.equal((await b).dataIn.length, 0);
});

test('AbortSignal: aborted before → rejects at once, nothing sent; while queued → never sent', async () => {
  const { fake, sg } = await open();
  await assert.rejects(sg.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000, signal: AbortSignal.abort() }), isHr('E_IMAPI_REQUEST_CANCELLED', { canceled: true }));
  const first = sg.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 });
  const ac = new AbortController();
  const queued = sg.execute({ cdb: INQUIRY_255, direction: 'in', dataInLength: 255, timeoutMs: 1000, signal: ac.signal });
  await fake.waitForCalls(1);
  ac.abort();
  await assert.rejects(queued, isHr('E_IMAPI_REQUEST_CANCELLED', { canceled: true }));
  fake.calls[0]!.complete({});
  await first;
  await flush();
  assert.equal(fake.calls.length, 1, 'the cancelled command was never submitted');
});

test('AbortSignal while the ioctl runs: rejects at once, the late result is discarded, the next command waits for it', async () => {
  const { fake, sg } = await open();
  const ac = new AbortController();
  const a = sg.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000, signal: ac.signal });
  const call = await fake.waitForCalls(1);
  ac.abort();
  await assert.rejects(a, isHr('E_IMAPI_REQUEST_CANCELLED', { canceled: true }));
  const b = sg.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 });
  await flush();
  assert.equal(fake.calls.length, 1, 'SG_IO cannot be aborted: the next command waits for the running one');
  call.complete({ status: 0x02 });
  (await fake.waitForCalls(2)).complete({});
  assert.equal((await b).status, 0);
});

test('close: the running command rejects as lost, close waits for the ioctl before closing the fd; later → INVALID_HANDLE', async () => {
  const { fake, sg } = await open();
  const a = sg.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 });
  const queued = sg.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 });
  const call = await fake.waitForCalls(1);
  let closedResolved = false;
  const closing = sg.close().then(() => { closedResolved = true; });
  await assert.rejects(a, isHr('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)', { disconnected: true }));
  await assert.rejects(queued, isHr('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)', { disconnected: true }));
  assert.equal(sg.closed, true);
  await flush();
  assert.equal(closedResolved, false, 'close must wait for the running ioctl');
  assert.deepEqual(fake.closedFds, []);
  call.complete({});
  await closing;
  assert.deepEqual(fake.closedFds, [10]);
  assert.equal(fake.calls.length, 1);
  await assert.rejects(sg.execute({ cdb: TUR, direction: 'none', timeoutMs: 1000 }), isHr('HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)'));
  await sg.close();
  assert.deepEqual(fake.closedFds, [10]);
});

test('id names the device node', async () => {
  const { sg } = await open();
  assert.equal(sg.id, 'sg:/dev/sg0');
  assert.equal(sg.path, '/dev/sg0');
});
