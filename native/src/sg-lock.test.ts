// The O_EXCL lock of SgTransport (transport.lock), against a fake addon that keeps the sg driver's
// open rules (O_EXCL needs the node closed everywhere; an O_EXCL open refuses every other open).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HResult, ImapiError } from '@openimapi/sdk';
import { SgTransport } from './sg-transport.js';
import { FakeAddon, flush } from './fake-addon.test.helpers.js';

const TUR = Buffer.from([0x00, 0, 0, 0, 0, 0]);
const NODE = '/dev/sg7';
const tur = { cdb: TUR, direction: 'none' as const, timeoutMs: 1000 };

function isHr(name: keyof typeof HResult, message?: RegExp) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof ImapiError, `expected ImapiError, got ${String(e)}`);
    assert.equal(e.hresultName, name, e.message);
    assert.equal(e.hresult, HResult[name]);
    if (message) assert.match(e.message, message);
    return true;
  };
}

const elsewhere = async () => [{ pid: 4242, comm: 'cdrecord' }];

async function pair(fake = new FakeAddon(), lockRetryMs = 200) {
  const opts = { addon: fake, lock: 'acquire' as const, lockRetryMs, findHolders: elsewhere };
  return { fake, a: await SgTransport.open(NODE, opts), b: await SgTransport.open(NODE, opts) };
}

test("lock 'acquire': open checks the node and keeps no fd; each command opens and closes it without O_EXCL", async () => {
  const { fake, a } = await pair();
  assert.deepEqual(fake.opens, [`${NODE} plain`, `${NODE} plain`]);
  assert.equal(fake.openCount(NODE), 0);
  const p = a.execute(tur);
  const call = await fake.waitForCalls(1);
  assert.equal(fake.openCount(NODE), 1);
  call.complete({});
  assert.equal((await p).status, 0);
  assert.equal(fake.openCount(NODE), 0);
  assert.deepEqual(fake.opens.slice(2), [`${NODE} plain`]);
});

test("lock 'acquire': the holder runs every command on its O_EXCL fd; the other client's commands and acquire are E_IMAPI_RECORDER_LOCKED, nothing sent", async () => {
  const { fake, a, b } = await pair();
  assert.equal(await b.lock!.owner(), '');
  await a.lock!.acquire('Burner A');
  assert.equal(a.holdsLock, true);
  assert.equal(fake.openCount(NODE), 1);
  assert.equal(fake.opens.at(-1), `${NODE} excl`);
  // In this process the owner is the holder's client name.
  assert.equal(await b.lock!.owner(), 'Burner A');
  assert.equal(await a.lock!.owner(), 'Burner A');

  await assert.rejects(b.execute(tur), isHr('E_IMAPI_RECORDER_LOCKED', /held exclusively by "Burner A" in this process; command 00h not sent/));
  await assert.rejects(b.lock!.acquire('Burner B'), isHr('E_IMAPI_RECORDER_LOCKED'));
  assert.equal(fake.calls.length, 0);
  assert.equal(b.closed, false, 'a refused command leaves the transport usable');

  const p = a.execute(tur);
  const call = await fake.waitForCalls(1);
  assert.equal(fake.openCount(NODE), 1, 'the holder opens nothing more');
  call.complete({});
  await p;

  await a.lock!.release();
  assert.equal(a.holdsLock, false);
  assert.equal(fake.openCount(NODE), 0);
  assert.equal(await b.lock!.owner(), '');
  await b.lock!.acquire('Burner B');
  assert.equal(await a.lock!.owner(), 'Burner B');
  await b.close();
  assert.equal(fake.openCount(NODE), 0, 'close releases the lock');
  assert.equal(await a.lock!.owner(), '');
});

test("lock 'acquire': a holder in another process is named from /proc; commands are refused until it closes", async () => {
  const { fake, a } = await pair();
  const release = fake.openElsewhere(NODE, true);
  assert.equal(await a.lock!.owner(), 'process 4242 (cdrecord)');
  await assert.rejects(a.lock!.acquire('Burner A'), isHr('E_IMAPI_RECORDER_LOCKED', /held exclusively by process 4242 \(cdrecord\)/));
  await assert.rejects(a.execute(tur), isHr('E_IMAPI_RECORDER_LOCKED', /process 4242/));
  release(); // the process exits: the kernel closes its fd
  assert.equal(await a.lock!.owner(), '');
  await a.lock!.acquire('Burner A');
  assert.equal(a.holdsLock, true);
});

test("lock 'acquire': acquire waits out other clients' commands in flight (plain opens), in the command queue", async () => {
  const { fake, a, b } = await pair(new FakeAddon(), 5000);
  const running = b.execute(tur);
  const call = await fake.waitForCalls(1);
  const acquiring = a.lock!.acquire('Burner A');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(a.holdsLock, false, 'O_EXCL cannot succeed while b has the node open');
  call.complete({});
  await running;
  await acquiring;
  assert.equal(a.holdsLock, true);
  // A plain open that stays (not a command: another program) makes acquire give up after lockRetryMs.
  await a.lock!.release();
  const release = fake.openElsewhere(NODE, false);
  const t = await SgTransport.open(NODE, { addon: fake, lock: 'acquire', lockRetryMs: 30, findHolders: elsewhere });
  await assert.rejects(t.lock!.acquire('Burner T'), isHr('E_IMAPI_RECORDER_LOCKED', /stayed open elsewhere for 30 ms/));
  release();
});

test("lock 'acquire': the lock waits for this transport's own queued commands, which then run on the O_EXCL fd", async () => {
  const { fake, a } = await pair();
  const first = a.execute(tur);
  const acquiring = a.lock!.acquire('Burner A');
  const second = a.execute(tur);
  (await fake.waitForCalls(1)).complete({});
  await first;
  await acquiring;
  (await fake.waitForCalls(2)).complete({});
  await second;
  assert.equal(fake.calls[0]!.fd === fake.calls[1]!.fd, false, 'first on its own plain fd, second on the exclusive one');
  assert.deepEqual(fake.opens.slice(2), [`${NODE} plain`, `${NODE} excl`]);
});

test("lock 'acquire': the node vanishing (ENOENT at a command's open) is a lost device", async () => {
  const { fake, a } = await pair();
  fake.openErrno = 'ENOENT';
  await assert.rejects(a.execute(tur), (e) => isHr('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)')(e) && (e as ImapiError).disconnected);
  assert.equal(a.closed, true);
  await assert.rejects(a.lock!.acquire('x'), isHr('HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)'));
  await a.close();
  await assert.rejects(a.lock!.owner(), isHr('HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)'));
});

test("lock 'open' (default): the O_EXCL open is the lock; acquire records the name, release keeps the fd", async () => {
  const fake = new FakeAddon();
  const a = await SgTransport.open(NODE, { addon: fake, findHolders: elsewhere });
  assert.deepEqual(fake.opens, [`${NODE} excl`]);
  await assert.rejects(SgTransport.open(NODE, { addon: fake }), isHr('E_IMAPI_RECORDER_LOCKED'));
  await assert.rejects(SgTransport.open(NODE, { addon: fake, lock: 'acquire' }), isHr('E_IMAPI_RECORDER_LOCKED'));
  assert.equal(await a.lock!.owner(), `process ${process.pid} (${process.title})`);
  await a.lock!.acquire('Burner A');
  assert.equal(await a.lock!.owner(), 'Burner A');
  await a.lock!.release();
  assert.equal(a.holdsLock, true);
  assert.equal(fake.openCount(NODE), 1);
  await a.close();
  assert.equal(fake.openCount(NODE), 0);
  await flush();
});

test('open: the lock option is checked', async () => {
  const fake = new FakeAddon();
  await assert.rejects(SgTransport.open(NODE, { addon: fake, lock: 'never' as never }), { name: 'TypeError', message: /lock/ });
  await assert.rejects(SgTransport.open(NODE, { addon: fake, lock: 'acquire', lockRetryMs: -1 }), { name: 'TypeError', message: /lockRetryMs/ });
  assert.equal(fake.opens.length, 0);
});
