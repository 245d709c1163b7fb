// ExclusiveAccess over a transport with its own lock (ScsiTransport.lock, as the SG_IO backend's
// O_EXCL): the lock count is kept here, the device lock is the transport's, and no CDB is sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScsiDevice } from '../device/scsi-device.js';
import { ImapiError } from '../errors/imapi-error.js';
import { HResult } from '../errors/hresult.js';
import type { ScsiRequest, ScsiResult, ScsiTransport, TransportLock } from '../transport/scsi-transport.js';
import { ExclusiveAccess } from './exclusive-access.js';

/** One device-wide lock shared by several transports, the way O_EXCL is shared by open files. */
class SharedLock {
  holder: string | undefined;
  forTransport(id: string): TransportLock & { calls: string[] } {
    const calls: string[] = [];
    return {
      calls,
      acquire: async (clientName) => {
        calls.push(`acquire ${clientName}`);
        if (this.holder !== undefined) throw new ImapiError('E_IMAPI_RECORDER_LOCKED');
        this.holder = `${clientName} via ${id}`;
      },
      release: async () => {
        calls.push('release');
        if (this.holder?.endsWith(`via ${id}`)) this.holder = undefined;
      },
      owner: async () => this.holder ?? '',
    };
  }
}

function transport(id: string, lock: TransportLock): ScsiTransport & { cdbs: number } {
  const t = {
    id,
    closed: false,
    lock,
    cdbs: 0,
    execute(_req: ScsiRequest): Promise<ScsiResult> {
      t.cdbs++;
      return Promise.reject(new Error('no CDB may be sent for a transport-locked device'));
    },
    close: async () => undefined,
  };
  return t;
}

test('ExclusiveAccess with a transport lock: counts here, locks through the transport, sends no CDB', async () => {
  const shared = new SharedLock();
  const la = shared.forTransport('a');
  const lb = shared.forTransport('b');
  const ta = transport('a', la);
  const tb = transport('b', lb);
  const a = new ExclusiveAccess(new ScsiDevice(ta));
  const b = new ExclusiveAccess(new ScsiDevice(tb));

  assert.equal(await b.owner(), '');
  await a.acquire(false, 'Burner A');
  await a.acquire(false, 'Burner A');
  assert.equal(a.count, 2);
  assert.equal(a.method, 'transport');
  assert.deepEqual(la.calls, ['acquire Burner A'], 'only the first acquire takes the device lock');
  assert.equal(await b.owner(), 'Burner A via a');

  await assert.rejects(b.acquire(false, 'Burner B'), (e) => e instanceof ImapiError && e.hresult === HResult.E_IMAPI_RECORDER_LOCKED);
  assert.equal(b.count, 0);
  // Release with nothing held while another holds the device: E_IMAPI_RECORDER_LOCKED, the lock stays.
  await assert.rejects(b.release(), (e) => e instanceof ImapiError && e.hresult === HResult.E_IMAPI_RECORDER_LOCKED);
  assert.equal(await b.owner(), 'Burner A via a');

  await a.release();
  assert.equal(await b.owner(), 'Burner A via a', 'count 2 → 1 keeps the device locked');
  await a.release();
  assert.deepEqual(la.calls, ['acquire Burner A', 'release']);
  assert.equal(a.method, undefined);
  assert.equal(await b.owner(), '');
  await b.release(); // nothing held, nobody holds: no effect
  await b.acquire(false, 'Burner B');
  assert.equal(await a.owner(), 'Burner B via b');
  await b.releaseAll();
  assert.equal(await a.owner(), '');
  assert.equal(ta.cdbs + tb.cdbs, 0);
});

test('ExclusiveAccess with a transport lock: an invalid client name is refused before the lock is touched', async () => {
  const l = new SharedLock().forTransport('a');
  const x = new ExclusiveAccess(new ScsiDevice(transport('a', l)));
  await assert.rejects(x.acquire(false, ''), (e) => e instanceof ImapiError && e.hresultName === 'E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID');
  assert.deepEqual(l.calls, []);
});
