/**
 * Polling (`pollMicros` / `--poll-us`): bounds; the window on a virtual clock (N µs after the last
 * input, then it stops by itself); a target with polling on serves commands over TCP, polls between
 * them and goes back to sleeping when idle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Poller, MAX_POLL_MICROS } from './poll.js';
import { startTarget } from './target.js';
import { TestInitiator } from './initiator.test.helpers.js';
import { MemLun, read10 } from './mem-lun.test.helpers.js';
import { ScsiStatus } from '@openimapi/sdk/wire';

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 1));
  }
}
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

test('pollMicros must be an integer in 0..100000', async () => {
  for (const bad of [-1, 0.5, MAX_POLL_MICROS + 1, Number.NaN]) assert.throws(() => new Poller(bad), TypeError, String(bad));
  assert.equal(new Poller(0).enabled, false);
  assert.equal(new Poller(MAX_POLL_MICROS).enabled, true);
  await assert.rejects(startTarget({ port: 0, luns: [], pollMicros: -5 }), /pollMicros -5/);
});

test('the loop polls for N µs after the last input, turning all the while, then stops by itself', async () => {
  let t = 1000;
  const p = new Poller(50, () => t);
  p.touch();
  assert.equal(p.polling, true);
  let turns = 0;
  const count = (): void => {
    turns++;
    if (p.polling) setImmediate(count);
  };
  setImmediate(count);
  t += 0.04; // 40 µs: still inside
  for (let i = 0; i < 3; i++) await turn();
  assert.equal(p.polling, true, 'inside the window');
  p.touch(); // more input: the window now ends 50 µs from here
  t += 0.049;
  for (let i = 0; i < 3; i++) await turn();
  assert.equal(p.polling, true, '49 µs after the last input');
  t += 0.002;
  await turn();
  await turn();
  assert.equal(p.polling, false, 'past the window: sleeping');
  assert.ok(turns >= 6, `the loop kept turning while polling (${turns})`);

  const off = new Poller(0, () => t);
  off.touch();
  assert.equal(off.polling, false, 'N = 0: off');
});

test('a target with pollMicros serves commands over TCP, polls, and sleeps once idle', async () => {
  const lun = new MemLun();
  const t = await startTarget({ port: 0, luns: [lun], pollMicros: 20_000 });
  // What the logical unit sees when a command reaches it: whether the loop was polling for it.
  const seen: boolean[] = [];
  const execute = lun.execute.bind(lun);
  lun.execute = (cmd) => (seen.push(t.target.poller.polling), execute(cmd));
  try {
    const c = await TestInitiator.connect(t.port);
    await c.login();
    for (let i = 0; i < 20; i++) {
      const r = await c.command(read10(i, 2), { read: 1024 });
      assert.equal(r.status, ScsiStatus.GOOD);
      assert.deepEqual(r.data, lun.store.subarray(i * 512, i * 512 + 1024));
    }
    assert.equal(seen.length, 20);
    assert.deepEqual(seen, Array(20).fill(true), 'every command arrived with the loop polling (its own input started it)');
    await until(() => !t.target.poller.polling);
    c.destroy();
  } finally {
    await t.close();
  }
});
