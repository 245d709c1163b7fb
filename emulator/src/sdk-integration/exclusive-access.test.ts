/**
 * Issue 5 "must show": two real clients — two processes, two iSCSI sessions over real TCP — on one
 * emulated drive. Lock counts, release order, the other client's E_IMAPI_RECORDER_LOCKED and the
 * owner's name (read back from the device), force, close, and the lock freed when the holder's
 * process is SIGKILLed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExclusiveAccess, IscsiSession, ScsiDevice, encodePersistentReserveInCdb, decodePrReadFullStatusReply, PrInServiceAction, ownerTagName, type PrFullStatusDescriptor, type ScsiTransport } from '@openimapi/sdk';
import { startTarget, type StartedTarget } from '../iscsi/target.js';
import { MmcDrive } from '../drive/mmc-drive.js';
import { LockClient, LOCKED, acquireOnceFreed } from './lock-client.test.helpers.js';

const A = 'iqn.2026-11.org.openimapi:test.client-a';
const B = 'iqn.2026-11.org.openimapi:test.client-b';

async function withTarget(f: (url: string, drive: MmcDrive) => Promise<void>): Promise<void> {
  const drive = new MmcDrive();
  const target: StartedTarget = await startTarget({ port: 0, luns: [drive] });
  try {
    await f(`iscsi://${target.host}:${target.port}/${target.iqn}/0`, drive);
  } finally {
    await target.close();
  }
}

/** What the device itself says about the reservation, asked over a third session. */
async function fullStatus(url: string): Promise<PrFullStatusDescriptor[]> {
  const s = await IscsiSession.connect(url, { initiatorName: 'iqn.2026-11.org.openimapi:test.observer', keepaliveMs: 0 });
  try {
    const st = await new ScsiDevice(s).read({ cdb: (n) => encodePersistentReserveInCdb({ serviceAction: PrInServiceAction.READ_FULL_STATUS, allocationLength: n }), allocationLength: 1024, decode: decodePrReadFullStatusReply });
    return st.descriptors;
  } finally {
    await s.close();
  }
}

async function holderAtDevice(url: string): Promise<{ name: string; isid: string | undefined } | undefined> {
  const h = (await fullStatus(url)).find((d) => d.reservationHolder);
  return h && h.transportId.protocol === 'iscsi' ? { name: h.transportId.name, isid: h.transportId.isid } : undefined;
}

/** The registrations at the device as `InitiatorName key`, the holder marked with '*'. */
async function registrations(url: string): Promise<string[]> {
  return (await fullStatus(url)).map((d) => `${d.reservationHolder ? '*' : ''}${d.transportId.protocol === 'iscsi' ? d.transportId.name : '?'} ${d.key.toString(16)}`).sort();
}

test('two processes: counts, release order, LOCKED and the owner name for the other client', async () => {
  await withTarget(async (url) => {
    const a = new LockClient(url, A);
    const b = new LockClient(url, B);
    try {
      await Promise.all([a.ready(), b.ready()]);
      assert.deepEqual(await a.do('owner'), { ok: true, value: '' });
      assert.deepEqual(await a.do('acquire Burner A'), { ok: true, value: null });
      assert.deepEqual(await a.do('acquire Burner A'), { ok: true, value: null });
      assert.deepEqual(await a.do('count'), { ok: true, value: 2 });
      assert.deepEqual(await a.do('method'), { ok: true, value: 'pr' }, 'a persistent reservation at the device');
      assert.equal((await holderAtDevice(url))?.name, A, 'the device names A as the holder');
      const regs = await registrations(url);
      assert.equal(regs.length, 2, regs.join(', '));
      const key = regs[0]!.split(' ')[1];
      assert.deepEqual(regs, [`*${A} ${key}`, `${ownerTagName('Burner A')} ${key}`], "A's client name is a second registration with A's key");
      // B is refused while A holds any lock — with force too — and learns who holds it.
      assert.deepEqual(await b.do('acquire Burner B'), { ok: false, hresult: LOCKED, name: 'E_IMAPI_RECORDER_LOCKED' });
      assert.equal((await b.do('acquire-force Burner B')).hresult, LOCKED, 'force never takes the drive from another client');
      assert.deepEqual(await b.do('owner'), { ok: true, value: 'Burner A' });
      assert.deepEqual(await b.do('count'), { ok: true, value: 0 });
      assert.equal((await b.do('release')).hresult, LOCKED, "B's release frees nothing: A holds the drive");
      // One release of two: still held.
      assert.deepEqual(await a.do('release'), { ok: true, value: null });
      assert.deepEqual(await a.do('count'), { ok: true, value: 1 });
      assert.equal((await b.do('acquire Burner B')).hresult, LOCKED);
      assert.deepEqual(await b.do('owner'), { ok: true, value: 'Burner A' });
      // The last release frees the device.
      assert.deepEqual(await a.do('release'), { ok: true, value: null });
      assert.deepEqual(await a.do('count'), { ok: true, value: 0 });
      assert.equal(await holderAtDevice(url), undefined);
      assert.deepEqual(await registrations(url), [], 'the last release leaves nothing registered');
      assert.deepEqual(await a.do('release'), { ok: true, value: null }, 'release with nothing held, drive free: no effect');
      assert.deepEqual(await a.do('count'), { ok: true, value: 0 }, 'the count does not go below 0');
      assert.deepEqual(await b.do('acquire Burner B'), { ok: true, value: null });
      assert.deepEqual(await a.do('owner'), { ok: true, value: 'Burner B' });
      assert.equal((await a.do('acquire Burner A')).hresult, LOCKED);
      assert.equal((await a.do('acquire ')).hresult, '0xC0AA0211', 'empty client name');
      assert.deepEqual(await a.do('count'), { ok: true, value: 0 });
      assert.deepEqual(await b.do('release'), { ok: true, value: null });
      assert.deepEqual(await a.do('owner'), { ok: true, value: '' });
      // close() gives back every lock it holds, whatever the count.
      assert.deepEqual(await a.do('acquire Burner A'), { ok: true, value: null });
      assert.deepEqual(await a.do('acquire Burner A'), { ok: true, value: null });
      assert.deepEqual(await a.do('close'), { ok: true, value: 'closed' });
      assert.deepEqual(await b.do('acquire Burner B'), { ok: true, value: null });
      assert.deepEqual(await b.do('owner'), { ok: true, value: 'Burner B' });
      assert.deepEqual(await b.do('close'), { ok: true, value: 'closed' });
    } finally {
      await a.kill();
      await b.kill();
    }
  });
});

test('the holder process is SIGKILLed while holding two locks: its session ends and the lock is freed', async () => {
  await withTarget(async (url) => {
    const a = new LockClient(url, 'iqn.2026-11.org.openimapi:test.killed');
    const b = new LockClient(url, 'iqn.2026-11.org.openimapi:test.survivor');
    try {
      await Promise.all([a.ready(), b.ready()]);
      assert.deepEqual(await a.do('acquire Doomed'), { ok: true, value: null });
      assert.deepEqual(await a.do('acquire Doomed'), { ok: true, value: null });
      assert.equal((await b.do('acquire Survivor')).hresult, LOCKED);
      assert.deepEqual(await b.do('owner'), { ok: true, value: 'Doomed' });
      await a.kill();
      // The target notices the dropped TCP connection and drops the nexus's reservation.
      assert.deepEqual(await acquireOnceFreed(b, 'Survivor'), { ok: true, value: null });
      assert.deepEqual(await b.do('owner'), { ok: true, value: 'Survivor' });
      assert.equal((await holderAtDevice(url))?.name, 'iqn.2026-11.org.openimapi:test.survivor');
      assert.deepEqual(await b.do('close'), { ok: true, value: 'closed' });
    } finally {
      await a.kill();
      await b.kill();
    }
  });
});

test('a transport that cannot open a second session (no connectAs): the owner is the holder\'s InitiatorName', async () => {
  await withTarget(async (url) => {
    const session = await IscsiSession.connect(url, { initiatorName: A, keepaliveMs: 0 });
    const plain: ScsiTransport = {
      id: session.id,
      get closed() {
        return session.closed;
      },
      execute: (r) => session.execute(r),
      close: () => session.close(),
    };
    const lock = new ExclusiveAccess(new ScsiDevice(plain));
    try {
      await lock.acquire(false, 'Burner A');
      assert.equal(lock.method, 'pr');
      assert.equal(await lock.owner(), A);
      assert.equal((await registrations(url)).length, 1, 'no second registration');
      await lock.release();
      assert.equal(await lock.owner(), '');
    } finally {
      await session.close();
    }
  });
});
