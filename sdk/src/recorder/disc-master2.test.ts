import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiscMaster2, nativeProvider, type NativeBackend, type RecorderProvider } from './disc-master2.js';
import type { ScsiTransport } from '../transport/scsi-transport.js';

function fakeNative(paths: string[], availability: { available: true } | { available: false; reason: string } = { available: true }) {
  const opened: string[] = [];
  let loads = 0;
  const backend: NativeBackend = {
    nativeAvailability: () => availability,
    sgProvider: () => ({
      name: 'sg',
      availability: () => availability,
      owns: (id) => id.startsWith('sg:'),
      list: async () => paths.map((path) => `sg:${path}`),
      async open(id) {
        opened.push(id);
        return { id, closed: false, execute: () => Promise.reject(new Error('not used')), close: async () => undefined } satisfies ScsiTransport;
      },
    }),
  };
  return { opened, load: async () => (loads++, backend), loads: () => loads };
}

test('native source: lists and opens through the package\'s sgProvider, loads the package once and lazily', async () => {
  const f = fakeNative(['/dev/sg0', '/dev/sg3']);
  const p = nativeProvider({ load: f.load });
  assert.equal(f.loads(), 0, 'nothing loaded before the first listing');
  assert.deepEqual(await p.list(), ['sg:/dev/sg0', 'sg:/dev/sg3']);
  assert.deepEqual(await p.list(), ['sg:/dev/sg0', 'sg:/dev/sg3']);
  assert.equal(f.loads(), 1);
  assert.equal(p.owns('sg:/dev/sg3'), true);
  assert.equal(p.owns('iscsi://h:3260/iqn.2001-04.com.example:x/0'), false);
  const t = await p.open('sg:/dev/sg3');
  assert.equal(t.id, 'sg:/dev/sg3');
  assert.deepEqual(f.opened, ['sg:/dev/sg3']);
});

test('native source: an addon that cannot load here makes the source unavailable, with the reason, and lists nothing', async () => {
  const f = fakeNative(['/dev/sg0'], { available: false, reason: 'SG_IO needs Linux' });
  const p = nativeProvider({ load: f.load });
  assert.deepEqual(await p.list(), []);
  assert.deepEqual(p.availability(), { available: false, reason: 'SG_IO needs Linux' });
  await assert.rejects(p.open('sg:/dev/sg0'), /SG_IO needs Linux/);
  const broken = nativeProvider({ load: () => Promise.reject(new Error('bad ELF')) });
  assert.deepEqual(await broken.list(), []);
  assert.match(broken.availability().reason!, /failed to load: bad ELF/);
  const master = new DiscMaster2({ local: false, providers: [broken] });
  assert.equal(master.isSupportedEnvironment, false);
});

test('the real @openimapi/native is found in this workspace; without portals, urls or providers DiscMaster2 includes it and the USB source', async () => {
  const master = new DiscMaster2();
  assert.deepEqual(master.providers.map((p) => p.name), ['native', 'usb']);
  assert.equal(master.isSupportedEnvironment, true);
  assert.ok(Array.isArray(await master.recorders()));
  assert.deepEqual(new DiscMaster2({ urls: ['iscsi://h/iqn.2001-04.com.example:x/0'] }).providers.map((p) => p.name), ['iscsi-url']);
  assert.deepEqual(new DiscMaster2({ portals: ['iscsi://h'], local: true }).providers.map((p) => p.name), ['iscsi-portal iscsi://h:3260', 'native', 'usb']);
});

test('refresh emits deviceAdded / deviceRemoved against the previous listing; a source that fails lists nothing', async () => {
  let now: string[] = ['usb:1', 'usb:2'];
  let fail = false;
  const usb: RecorderProvider = {
    name: 'usb (test)',
    availability: () => ({ available: true }),
    list: async () => {
      if (fail) throw new Error('bus gone');
      return now;
    },
    owns: (id) => id.startsWith('usb:'),
    open: () => Promise.reject(new Error('not used')),
  };
  const master = new DiscMaster2({ local: false, providers: [usb] });
  const events: string[] = [];
  master.on('deviceAdded', (id) => events.push(`+${id}`));
  master.on('deviceRemoved', (id) => events.push(`-${id}`));
  assert.deepEqual(await master.recorders(), ['usb:1', 'usb:2']);
  assert.deepEqual(events, [], 'the first listing is not a change');
  now = ['usb:2', 'usb:3'];
  assert.deepEqual(await master.refresh(), ['usb:2', 'usb:3']);
  assert.deepEqual(events, ['+usb:3', '-usb:1']);
  fail = true;
  assert.deepEqual(await master.refresh(), []);
  assert.deepEqual(events.slice(2), ['-usb:2', '-usb:3']);
  await assert.rejects(master.open('tape:0'), TypeError);
});
