/**
 * Adaptive polling (`pollMicros` / `--poll-us`): bounds, a poller that stops by itself after its window,
 * and a target with polling on that serves commands over TCP and goes back to sleeping when idle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdaptivePoller, MAX_POLL_MICROS } from './poll.js';
import { startTarget } from './target.js';
import { TestInitiator } from './initiator.test.helpers.js';
import { MemLun, read10 } from './mem-lun.test.helpers.js';
import { ScsiStatus } from '@openimapi/sdk/wire';

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 1));
  }
}

test('pollMicros must be an integer in 0..100000', async () => {
  for (const bad of [-1, 0.5, MAX_POLL_MICROS + 1, Number.NaN]) assert.throws(() => new AdaptivePoller(bad), TypeError, String(bad));
  assert.equal(new AdaptivePoller(0).enabled, false);
  assert.equal(new AdaptivePoller(MAX_POLL_MICROS).enabled, true);
  await assert.rejects(startTarget({ port: 0, luns: [], pollMicros: -5 }), /pollMicros -5/);
});

test('off: touching does nothing; on: the loop polls for the window after the last touch, then stops by itself', async () => {
  const off = new AdaptivePoller(0);
  off.touch();
  assert.equal(off.polling, false);

  const p = new AdaptivePoller(20_000);
  const t0 = performance.now();
  p.touch();
  assert.equal(p.polling, true);
  // A later touch moves the end of the window; the loop never sleeps meanwhile, so immediates run.
  let spins = 0;
  const count = (): void => {
    spins++;
    if (p.polling) setImmediate(count);
  };
  setImmediate(count);
  await new Promise((r) => setTimeout(r, 10));
  const t1 = performance.now();
  p.touch();
  await until(() => !p.polling);
  assert.ok(performance.now() - t1 >= 20, 'not before 20 ms after the last touch');
  assert.ok(performance.now() - t0 >= 30);
  assert.ok(spins > 1, `the loop kept turning (${spins} turns)`);
});

test('a target with pollMicros serves commands over TCP and goes back to sleep once idle', async () => {
  const lun = new MemLun();
  const t = await startTarget({ port: 0, luns: [lun], pollMicros: 2000 });
  // What the logical unit sees when a command reaches it: the input that carried it started polling.
  const seen: boolean[] = [];
  const execute = lun.execute.bind(lun);
  lun.execute = (cmd) => (seen.push(t.target.poller.polling), execute(cmd));
  try {
    assert.equal(t.target.poller.enabled, true);
    const c = await TestInitiator.connect(t.port);
    await c.login();
    for (let i = 0; i < 20; i++) {
      const r = await c.command(read10(i, 2), { read: 1024 });
      assert.equal(r.status, ScsiStatus.GOOD);
      assert.deepEqual(r.data, lun.store.subarray(i * 512, i * 512 + 1024));
    }
    assert.deepEqual(seen, Array(20).fill(true), 'every command arrived with the loop polling');
    await until(() => !t.target.poller.polling);
    c.destroy();
  } finally {
    await t.close();
  }
});
