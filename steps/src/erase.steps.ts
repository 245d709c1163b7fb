// Steps for DiscFormat2Erase: conditions met while the erase runs, and its progress events.
import { Then, When } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { EraseUpdate } from '@openimapi/sdk';
import type { ConformanceWorld } from './support/world.js';
import { faultSpec } from './common.steps.js';
import { skipNoControlPlane } from './support/skip.js';
import { runWithHandler } from './support/update-handler.js';

// The first Update of an erase is raised before BLANK is sent: a fault armed from it (synchronously)
// meets exactly the commands of the erase itself, never those that identified the media.
When(/^I call eraseMedia while the drive reports "([^"]+)" on the next (?:(\d+) )?(.+?) commands? once the erase has begun$/, async function (this: ConformanceWorld, condition: string, count: string | undefined, command: string) {
  const c = this.drive.control;
  if (!c) return skipNoControlPlane(this, `"${condition}" once the erase has begun`);
  const spec = faultSpec(condition, command, Number(count ?? 1));
  await runWithHandler(this, 'erase the media', () => c.armSync(spec));
  return undefined;
});

Then('the erase reported progress from 0 seconds, never going back, ending with elapsed equal to the estimate', function (this: ConformanceWorld) {
  const us = this.updates as EraseUpdate[];
  assert.ok(us.length >= 2, `${us.length} Update events`);
  assert.equal(us[0]!.elapsedSeconds, 0, 'the first update is at 0 s');
  for (let i = 1; i < us.length; i++) assert.ok(us[i]!.elapsedSeconds >= us[i - 1]!.elapsedSeconds, 'elapsed seconds never go back');
  for (const u of us) assert.ok(u.estimatedTotalSeconds >= u.elapsedSeconds, 'the estimate is never below the elapsed time');
  const last = us[us.length - 1]!;
  assert.equal(last.estimatedTotalSeconds, last.elapsedSeconds, 'the last update says the erase is done');
});

Then('the erase raised at least {int} Update events', function (this: ConformanceWorld, n: number) {
  assert.ok(this.updates.length >= n, `${this.updates.length} Update events`);
});
