#!/usr/bin/env node
// The main job (`npm start`): runs the IMAPI2 conformance suite against the embedded emulator — a local
// openimapi-emulator process per cucumber worker, over real TCP iSCSI — prints the method × HRESULT
// table and writes reports/conformance.html and reports/cucumber.html.
// Extra arguments go to the conformance runner, e.g. `npm start -- --target iscsi://host/iqn/0`.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const child = spawn(process.execPath, [join(root, 'scripts', 'conformance.mjs'), ...args], { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : code ?? 1));
