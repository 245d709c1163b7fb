#!/usr/bin/env node
// `npm run bench`: every benchmark in this folder, one after the other, with their own defaults.
// Each prints its figures; none asserts a speed. Run one alone for its options (node bench/iscsi-read.mjs --help).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
let failed = 0;
for (const bench of ['iscsi-read.mjs', 'burn.mjs']) {
  console.log(`== ${bench}`);
  const r = spawnSync(process.execPath, [path.join(here, bench)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
