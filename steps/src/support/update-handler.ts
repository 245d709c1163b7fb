/**
 * Long operations of the format objects (writeMedia, addAudioTrack, write, eraseMedia) and calls made
 * from inside their Update handler, the only place IMAPI2 allows CancelWrite / CancelAddTrack. The
 * handler runs synchronously inside the SDK, so a call it makes lands between two commands of the
 * operation, never racing it.
 */
import assert from 'node:assert/strict';
import { DiscFormat2Data, DiscFormat2Erase, DataWriteAction, RawCdWriteAction } from '@openimapi/sdk';
import type { ConformanceWorld, Outcome } from './world.js';
import { audio } from './images.js';

/** One long operation: its method name and how to (re)start it with the scenario's data. */
export interface Operation {
  readonly method: string;
  start(): Promise<unknown>;
}

/** The operation a step names: "call writeMedia with the image", "add an audio track of 4 seconds", ... */
export function operation(world: ConformanceWorld, phrase: string): Operation {
  const f = world.format;
  let m: RegExpExecArray | null;
  if (phrase === 'call writeMedia with the image') return { method: 'writeMedia', start: () => f.writeMedia(world.image!.path) };
  if ((m = /^call writeMedia2 with the image and (-?\d+) lead-in sectors$/.exec(phrase))) {
    const n = Number(m[1]);
    return { method: 'writeMedia2', start: () => f.writeMedia2(world.image!.path, n) };
  }
  if ((m = /^add an audio track of (\d+) seconds$/.exec(phrase))) {
    const seconds = Number(m[1]);
    return {
      method: 'addAudioTrack',
      start: () => {
        const data = audio(seconds, world.tracks.length + 1);
        world.tracks.push(data);
        return f.addAudioTrack(data);
      },
    };
  }
  if ((m = /^write a data image of (\d+) sectors$/.exec(phrase))) {
    const sectors = Number(m[1]);
    return {
      method: 'write',
      start: () => {
        world.dataImage = dataImage(sectors, 1);
        return f.write(world.dataImage);
      },
    };
  }
  if (phrase === 'erase the media') return { method: 'eraseMedia', start: () => f.eraseMedia() };
  throw new Error(`no operation "${phrase}"`);
}

/** A 2048-byte-sector data image with a pattern that differs per sector and per seed. */
export function dataImage(sectors: number, seed: number): Buffer {
  const b = Buffer.alloc(sectors * 2048);
  for (let i = 0; i < b.length; i += 4) b.writeUInt32LE(((i * 2246822519) ^ (seed * 0x85ebca6b)) >>> 0, i);
  return b;
}

/** When the handler acts: once sectors reached the drive, or once the object is finishing. */
function trigger(world: ConformanceWorld, when: 'writing' | 'finishing'): (u: any) => boolean {
  const f = world.format;
  if (f instanceof DiscFormat2Erase) return () => true;
  if (f instanceof DiscFormat2Data) {
    return when === 'finishing'
      ? (u) => u.currentAction === DataWriteAction.FINALIZATION
      : (u) => u.currentAction === DataWriteAction.WRITING_DATA && u.lastWrittenLba >= u.startLba;
  }
  // DiscFormat2RawCD and DiscFormat2TrackAtOnce: the same write actions (PREPARING 1, WRITING 2, FINISHING 3).
  return when === 'finishing'
    ? (u) => u.currentAction === RawCdWriteAction.FINISHING
    : (u) => u.currentAction === RawCdWriteAction.WRITING && u.lastWrittenLba >= u.startLba;
}

/**
 * What the handler does: "call X" (X again = the operation itself), "set P to V", "read P", or a
 * function of the world (arming a fault, ...). Outcomes go to `world.inner` under the method or
 * property name.
 */
export type HandlerAction = string | ((world: ConformanceWorld) => void);

function act(world: ConformanceWorld, op: Operation, action: HandlerAction): void {
  if (typeof action === 'function') return action(world);
  const f = world.format;
  let m: RegExpExecArray | null;
  let key: string;
  let call: () => unknown;
  if ((m = /^call (\w+)(?: again)?$/.exec(action))) {
    key = m[1]!;
    call = key === op.method ? () => op.start() : () => f[key]();
  } else if ((m = /^set (\w+) to (.+)$/.exec(action))) {
    const [, prop, value] = m as unknown as [string, string, string];
    key = prop;
    call = () => {
      f[prop] = JSON.parse(value);
    };
  } else if ((m = /^read (\w+)$/.exec(action))) {
    const prop = m[1]!;
    key = prop;
    call = () => (typeof f[prop] === 'function' ? f[prop]() : f[prop]);
  } else {
    throw new Error(`no handler action "${action}"`);
  }
  try {
    const r = call();
    if (r && typeof (r as Promise<unknown>).then === 'function') {
      // An async call reports through its promise: record how it settles.
      world.inner.set(key, { ok: true });
      world.pending.push(
        (r as Promise<unknown>).then(
          (value) => void world.inner.set(key, { ok: true, value }),
          (error: unknown) => void world.inner.set(key, { ok: false, error }),
        ),
      );
      return;
    }
    world.inner.set(key, { ok: true, value: r });
  } catch (error) {
    world.inner.set(key, { ok: false, error } satisfies Outcome);
  }
}

/** Runs the operation; its Update handler performs `action` once, at the first update `when` holds. */
export async function runWithHandler(world: ConformanceWorld, phrase: string, action: HandlerAction, when: 'writing' | 'finishing' = 'writing'): Promise<void> {
  const op = operation(world, phrase);
  const ready = trigger(world, when);
  let done = false;
  const handler = (u: unknown) => {
    if (done || !ready(u)) return;
    done = true;
    act(world, op, action);
  };
  world.format.on('update', handler);
  try {
    await world.attempt(() => op.start());
    await Promise.all(world.pending.splice(0));
  } finally {
    world.format.off('update', handler);
  }
  assert.ok(done, `the Update handler never got to act (${typeof action === 'string' ? action : 'a step'}) during ${op.method}`);
}
