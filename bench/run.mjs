#!/usr/bin/env node
// `npm run bench`: every benchmark in this directory, one after the other, with its defaults.
// Each prints its own figures; nothing here asserts a speed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
let failed = 0;
for (const bench of ['burn.mjs', 'iscsi-read.mjs']) {
  process.stdout.write(`\n== ${bench}\n`);
  const r = spawnSync(process.execPath, [path.join(here, bench)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
