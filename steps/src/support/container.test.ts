/**
 * The container target against a real Docker engine: the image built from emulator/Dockerfile serves
 * iSCSI and the control API on the free ports given to it, stop() leaves no container or volume behind,
 * removeContainers() sweeps by run label, and the image's health check turns unhealthy when the emulator
 * stops answering. Skipped with the reason when no engine answers (CI starts one: scripts/dockerd-local.sh).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as tc from 'testcontainers';
import { DiscMaster2 } from '@openimapi/sdk';
import { buildEmulatorImage, dockerUnavailable, removeContainers, startContainer, IMAGE_ENV, RUN_ENV, RUN_LABEL } from './container.js';
import { freePort } from './emulator-process.js';
import { ControlClient } from './control.js';

const why = await dockerUnavailable();
const skip = why ? `container tests: ${why}` : false;
const TIMEOUT = 600_000; // a cold image build runs npm ci

let image: Promise<string> | undefined;
const emulatorImage = (): Promise<string> => (image ??= buildEmulatorImage().then((b) => b.image));
const docker = async () => (await tc.getContainerRuntimeClient()).container.dockerode;

async function waitFor<T>(what: string, f: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('container target: the emulator image serves iSCSI and the control API on the ports picked here; stop() removes the container and its volume', { skip, timeout: TIMEOUT }, async () => {
  const runId = `test-${randomUUID()}`;
  process.env[RUN_ENV] = runId;
  process.env[IMAGE_ENV] = await emulatorImage();
  const drive = await startContainer();
  const d = await docker();
  const [info] = await d.listContainers({ filters: { label: [`${RUN_LABEL}=${runId}`] } });
  assert.ok(info, 'the started container carries the run label');
  const inspect = await d.getContainer(info.Id).inspect();
  assert.equal(inspect.HostConfig.NetworkMode, 'host');
  const volumes = inspect.Mounts.filter((m) => m.Destination === '/data').map((m) => m.Name);
  assert.equal(volumes.length, 1, 'the image declares /data as a volume');

  assert.match(drive.uniqueId, /^iscsi:\/\/127\.0\.0\.1:\d+\/iqn\.[^/]+\/0$/);
  const master = new DiscMaster2({ urls: [drive.uniqueId], session: { initiatorName: 'iqn.2026-11.org.openimapi:container-test' } });
  const rec = await master.openRecorder(drive.uniqueId);
  try {
    assert.equal(rec.vendorId.trim(), 'OPENIMAP');
  } finally {
    await rec.close();
  }
  const control = drive.control;
  assert.ok(control instanceof ControlClient, 'the container drive has the HTTP control client');
  const state = (await (await fetch(`${control.baseUrl}/state`)).json()) as { drives: Array<{ medium: { kind: string; state: string } }> };
  assert.deepEqual([state.drives[0]!.medium.kind, state.drives[0]!.medium.state], ['cd-r', 'blank']);

  await drive.stop();
  assert.deepEqual(await d.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${runId}`] } }), []);
  const left = (await d.listVolumes()).Volumes?.map((v) => v.Name) ?? [];
  assert.ok(!left.includes(volumes[0]!), 'the /data volume went with the container');
  await assert.rejects(fetch(`${control.baseUrl}/state`), 'the control API is gone');
});

test('container target: removeContainers() removes every container of a run, running or not, and only those', { skip, timeout: TIMEOUT }, async () => {
  const img = await emulatorImage();
  const d = await docker();
  const runId = `test-${randomUUID()}`;
  const other = `test-${randomUUID()}`;
  const create = (run: string) =>
    d.createContainer({ Image: img, Cmd: ['--help'], Labels: { [RUN_LABEL]: run }, HostConfig: { NetworkMode: 'host' } });
  const [a, b, c] = await Promise.all([create(runId), create(runId), create(other)]);
  await a.start();
  assert.equal(await removeContainers(runId), 2);
  assert.deepEqual(await d.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${runId}`] } }), []);
  assert.equal((await c.inspect()).Config.Labels[RUN_LABEL], other);
  assert.equal(await removeContainers(other), 1);
  await b.remove({ force: true }).then(
    () => assert.fail('b was removed already'),
    (e: { statusCode?: number }) => assert.equal(e.statusCode, 404),
  );
});

test('emulator image health check: healthy while GET /state answers, unhealthy when the emulator stops answering, healthy again after', { skip, timeout: TIMEOUT }, async () => {
  const img = await emulatorImage();
  const d = await docker();
  const declared = (await d.getImage(img).inspect()).Config.Healthcheck?.Test;
  assert.deepEqual(declared, ['CMD', 'node', '/app/healthcheck.mjs']);
  const port = await freePort();
  const controlPort = await freePort();
  // The image's check with shorter timings (the image's interval is 10 s).
  const started = await new tc.GenericContainer(img)
    .withNetworkMode('host')
    .withCommand(['--host', '127.0.0.1', '--port', String(port), '--control-port', String(controlPort)])
    .withLabels({ [RUN_LABEL]: `test-${randomUUID()}` })
    .withHealthCheck({ test: ['CMD', ...declared!.slice(1)] as ['CMD', ...string[]], interval: 1000, timeout: 4000, retries: 2, startPeriod: 0 })
    .withWaitStrategy(tc.Wait.forHealthCheck())
    .withStartupTimeout(60_000)
    .start();
  const c = d.getContainer(started.getId());
  const health = async (want: string) => ((await c.inspect()).State.Health?.Status === want ? want : undefined);
  try {
    assert.equal(await health('healthy'), 'healthy');
    await c.kill({ signal: 'SIGSTOP' });
    await waitFor('unhealthy', () => health('unhealthy'));
    const log = (await c.inspect()).State.Health!.Log.at(-1)!;
    assert.equal(log.ExitCode, 1);
    assert.match(log.Output, new RegExp(`http://127\\.0\\.0\\.1:${controlPort}/state`));
    await c.kill({ signal: 'SIGCONT' });
    await waitFor('healthy again', () => health('healthy'));
  } finally {
    await started.stop({ remove: true, removeVolumes: true });
  }
});
