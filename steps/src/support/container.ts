/**
 * The `container` target: the emulator image built from emulator/Dockerfile, started with testcontainers,
 * one container per cucumber worker. Containers run on the host's network, so iSCSI and the control API
 * stay on loopback; since that network is shared with every other process, each container's emulator
 * listens on free ports picked here, not on the image's default 3260/3262.
 *
 * Environment:
 *   OPENIMAPI_CONTAINER_IMAGE  an image already built (the conformance runner builds once and sets it);
 *                              unset: startContainer() builds the image itself
 *   OPENIMAPI_DOCKER_BASE      the Dockerfile's BASE build arg (default: the Dockerfile's node image);
 *                              scripts/docker-local-base.sh makes one where no registry is reachable
 *   OPENIMAPI_RUN_ID           label value that removeContainers() sweeps after a run
 *   DOCKER_HOST                the engine, as testcontainers finds it; it must run on this machine,
 *                              since the tests reach the containers' ports on 127.0.0.1
 * Ryuk, testcontainers' reaper, is off unless TESTCONTAINERS_RYUK_DISABLED says otherwise: its image
 * comes from a registry, and every container here is stopped by stop() or swept by removeContainers().
 */
import { randomUUID } from 'node:crypto';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import type { DriveUnderTest } from './target.js';
import { freePort } from './emulator-process.js';
import { ControlClient } from './control.js';
import * as tc from 'testcontainers';

// Read when the first container starts, not at import. The containers use the host's network, so their
// ports are on this machine's loopback: no gateway look-up (testcontainers does one where /.dockerenv
// exists, and it fails on an engine without a bridge network).
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';

export const IMAGE_ENV = 'OPENIMAPI_CONTAINER_IMAGE';
export const BASE_ENV = 'OPENIMAPI_DOCKER_BASE';
export const RUN_ENV = 'OPENIMAPI_RUN_ID';
export const RUN_LABEL = 'org.openimapi.conformance.run';
const BUILD_LABEL = 'org.openimapi.build';
const DEFAULT_TAG = 'openimapi-emulator:conformance';
/** The repository root (steps/dist/support → ../../..): the Dockerfile's build context. */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Why no container engine can be used here, or undefined when one answers. */
export async function dockerUnavailable(): Promise<string | undefined> {
  try {
    const client = await tc.getContainerRuntimeClient();
    return client.info.containerRuntime.host ? undefined : 'the container engine reports no host';
  } catch (e) {
    return `no container engine answers (${(e as Error).message.split('\n')[0]}; DOCKER_HOST=${process.env.DOCKER_HOST ?? 'unset'})`;
  }
}

/**
 * Builds emulator/Dockerfile (context: the repository root, .dockerignore applies). RUN steps use the
 * host's network: an engine without a bridge (dockerd --bridge=none) gives them no other.
 */
export async function buildEmulatorImage(tag = DEFAULT_TAG, base = process.env[BASE_ENV]): Promise<{ image: string; seconds: number }> {
  const client = await tc.getContainerRuntimeClient();
  const buildId = randomUUID();
  const t0 = performance.now();
  await client.image.build(ROOT, {
    t: tag,
    dockerfile: 'emulator/Dockerfile',
    buildargs: base ? { BASE: base } : {},
    networkmode: 'host',
    forcerm: true,
    labels: { [BUILD_LABEL]: buildId },
  });
  const seconds = (performance.now() - t0) / 1000;
  // testcontainers resolves the build even when a step failed: a fresh label proves this build made the tag.
  const made = await client.image.inspect(tc.ImageName.fromString(tag)).then((i) => i.Config?.Labels?.[BUILD_LABEL], () => undefined);
  if (made !== buildId) {
    throw new Error(
      `building emulator/Dockerfile as ${tag}${base ? ` from ${base}` : ''} failed; its log: DEBUG=testcontainers:build, ` +
        `or docker build --network host${base ? ` --build-arg BASE=${base}` : ''} -f emulator/Dockerfile .`,
    );
  }
  return { image: tag, seconds };
}

export async function startContainer(): Promise<DriveUnderTest> {
  const image = process.env[IMAGE_ENV] ?? (await buildEmulatorImage()).image;
  const port = await freePort();
  const controlPort = await freePort();
  let logs = '';
  const container = await new tc.GenericContainer(image)
    .withNetworkMode('host')
    .withCommand(['--host', '127.0.0.1', '--port', String(port), '--control-port', String(controlPort)])
    .withLabels({ [RUN_LABEL]: process.env[RUN_ENV] ?? 'manual' })
    .withLogConsumer((s: Readable) => s.on('data', (d: Buffer) => (logs = (logs + d.toString()).slice(-8000))))
    .withWaitStrategy(tc.Wait.forLogMessage(/iscsi:\/\/\S+/))
    .withStartupTimeout(60_000)
    .start();
  const url = await new Promise<string>((resolve, reject) => {
    const t0 = Date.now();
    const poll = setInterval(() => {
      const m = /iscsi:\/\/\S+/.exec(logs);
      if (m) {
        clearInterval(poll);
        resolve(m[0]);
      } else if (Date.now() - t0 > 10_000) {
        clearInterval(poll);
        reject(new Error(`container ${container.getId().slice(0, 12)} printed no iSCSI URL; its log: ${logs}`));
      }
    }, 20);
  }).catch(async (e: unknown) => {
    await container.stop({ remove: true, removeVolumes: true }).catch(() => undefined);
    throw e;
  });
  return {
    target: 'container',
    uniqueId: url,
    control: new ControlClient(`http://127.0.0.1:${controlPort}`),
    limits: undefined,
    async stop() {
      await container.stop({ remove: true, removeVolumes: true, timeout: 5_000 });
    },
  };
}

/** Removes every container (and its volumes) labelled with this run id; returns how many. */
export async function removeContainers(runId: string): Promise<number> {
  const docker = (await tc.getContainerRuntimeClient()).container.dockerode;
  const found = await docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${runId}`] } });
  await Promise.all(found.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  return found.length;
}
