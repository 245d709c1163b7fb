#!/usr/bin/env node
// One guest TCP connection ↔ the emulator's control port on the host's loopback. QEMU's user-mode
// network (guestfwd=...-cmd:) starts this once per connection the guest opens to the forwarded
// address, with that connection as stdin and stdout; it writes nothing else (stderr is the same socket).
//
//   node guest/control-bridge.mjs PORT      (always 127.0.0.1)
import { connect } from 'node:net';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0 || port > 65535) process.exit(2);
const up = connect({ host: '127.0.0.1', port });
process.stdin.pipe(up);
up.pipe(process.stdout);
const done = () => process.exit(0);
up.on('error', done);
up.on('close', done);
process.stdin.on('error', done);
process.stdout.on('error', done);
