#!/usr/bin/env node
// Install step for @openimapi/native: builds the SG_IO addon with node-gyp on Linux. It never fails the
// install: without a compiler, Python or headers the package still installs, the SDK still works over
// iSCSI, and loading the native backend reports why it is unavailable.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

if (process.platform !== 'linux') {
  console.warn(`@openimapi/native: SG_IO passthrough is not supported on ${process.platform}; addon not built`);
  process.exit(0);
}
let gyp;
try {
  gyp = require.resolve('node-gyp/bin/node-gyp.js');
} catch {
  gyp = process.env.npm_config_node_gyp;
}
if (!gyp) {
  console.warn('@openimapi/native: node-gyp not found; addon not built (the native backend will be unavailable)');
  process.exit(0);
}
// Build against the running Node's own headers when they are installed beside it (no header download).
const args = [gyp, 'rebuild'];
const prefix = path.join(path.dirname(process.execPath), '..');
if (!process.env.npm_config_nodedir && fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}
const r = spawnSync(process.execPath, args, { cwd: path.join(__dirname, '..'), stdio: 'inherit' });
if (r.status !== 0) {
  console.warn(`@openimapi/native: node-gyp rebuild failed (${r.error ? r.error.message : `exit ${r.status}`}); ` +
    'the native backend will be unavailable, everything else works');
}
process.exit(0);
