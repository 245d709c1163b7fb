/**
 * The control plane over real HTTP on 127.0.0.1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeSense, encodeTestUnitReadyCdb, Sense } from '@openimapi/sdk';
import { startControlServer } from './control-server.js';
import { A, assertSense, drainUnitAttentions, newDrive, run } from './drive.test-helpers.js';

async function call(url: string, method: string, body?: string) {
  const res = await fetch(url, { method, ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}) });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

test('control server: state, faults, eject/close-tray/load, errors as JSON', async (t) => {
  const drives = [newDrive({ medium: 'cd-r' }), newDrive()];
  const srv = await startControlServer(drives);
  t.after(() => srv.close());
  assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+$/);

  const st = await call(`${srv.url}/state`, 'GET');
  assert.equal(st.status, 200);
  assert.equal(st.json.drives.length, 2);
  assert.equal(st.json.drives[0].medium.kind, 'cd-r');
  assert.equal(st.json.drives[0].medium.state, 'blank');
  assert.equal(st.json.drives[1].medium, null);

  const armed = await call(`${srv.url}/drives/0/faults`, 'POST', JSON.stringify({ kind: 'becoming-ready', count: 2 }));
  assert.equal(armed.status, 201);
  assert.equal(armed.json.faults[0].remaining, 2);
  await drainUnitAttentions(drives[0]!, A, encodeTestUnitReadyCdb());
  // drainUnitAttentions used one TUR that met the fault; the second meets it too.
  assertSense(await run(drives[0]!, A, encodeTestUnitReadyCdb()), Sense.LOGICAL_UNIT_IS_IN_PROCESS_OF_BECOMING_READY);
  assert.equal((await call(`${srv.url}/drives/0/faults`, 'POST', JSON.stringify([{ kind: 'no-media' }, { kind: 'bogus' }]))).status, 400);
  assert.equal(drives[0]!.faults.list().length, 0, 'a list with a bad spec arms nothing');
  await call(`${srv.url}/drives/0/faults`, 'POST', '{"kind":"timeout","count":0}');
  assert.equal((await call(`${srv.url}/drives/0/faults`, 'DELETE')).json.removed, 1);

  const ej = await call(`${srv.url}/drives/0/eject`, 'POST');
  assert.equal(ej.status, 200);
  assert.equal(ej.json.tray, 'open');
  assert.equal(ej.json.medium.kind, 'cd-r', 'eject leaves the disc on the tray');
  assert.equal(ej.json.notReady, describeSense(Sense.MEDIUM_NOT_PRESENT_TRAY_OPEN));
  const closed = (await call(`${srv.url}/drives/0/close-tray`, 'POST')).json;
  assert.equal(closed.tray, 'closed');
  assert.equal(closed.medium.kind, 'cd-r', 'closing the tray loads the same disc again');
  assert.equal(closed.ready, true);
  const removed = (await call(`${srv.url}/drives/0/remove`, 'POST')).json;
  assert.deepEqual([removed.tray, removed.medium], ['open', null], 'remove ejects and takes the disc off');
  const empty = (await call(`${srv.url}/drives/0/close-tray`, 'POST')).json;
  assert.deepEqual([empty.tray, empty.medium, empty.notReady], ['closed', null, describeSense(Sense.MEDIUM_NOT_PRESENT_TRAY_CLOSED)]);
  const ld = await call(`${srv.url}/drives/1/load`, 'POST', '{"media":"dvd+r"}');
  assert.equal(ld.status, 200);
  assert.equal(ld.json.medium.kind, 'dvd+r');

  const bad = await call(`${srv.url}/drives/1/load`, 'POST', '{"media":');
  assert.equal(bad.status, 400);
  assert.match(bad.json.error, /bad JSON/);
  assert.equal((await call(`${srv.url}/drives/1/load`, 'POST', '{"media":"floppy"}')).status, 400);
  assert.equal((await call(`${srv.url}/drives/7/eject`, 'POST')).status, 404);
  assert.equal((await call(`${srv.url}/nope`, 'GET')).status, 404);
  assert.equal((await call(`${srv.url}/state`, 'GET')).status, 200, 'still serving after the errors');
});

test('control server: eject while prevented is 409 with the sense; force ejects', async (t) => {
  const d = newDrive({ medium: 'cd-r' });
  d.state.setPrevent(A.id, true);
  const srv = await startControlServer([d]);
  t.after(() => srv.close());
  const r = await call(`${srv.url}/drives/0/eject`, 'POST');
  assert.equal(r.status, 409);
  assert.match(r.json.sense, /05\/53\/02/);
  assert.equal((await call(`${srv.url}/drives/0/remove`, 'POST')).status, 409, 'remove honours PREVENT as eject does');
  assert.equal(d.describe().medium?.kind, 'cd-r');
  assert.equal((await call(`${srv.url}/drives/0/eject`, 'POST', '{"force":true}')).json.tray, 'open');
});
