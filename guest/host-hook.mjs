#!/usr/bin/env node
// The guest's one way to ask the host for a physical act: QEMU's user-mode network (guestfwd=...-cmd:)
// starts this once per connection to the hook address, with that connection as stdin and stdout.
// The guest sends one line; the only act is `unplug`: hot-unplug the SCSI CD drive (QMP device_del
// of QEMU device `cddrive` on the monitor socket given as argv[2]), wait for QEMU's DEVICE_DELETED,
// answer `unplugged`. Anything else is answered `error: ...`. Writes nothing else (stderr is the socket).
//
//   node guest/host-hook.mjs QMP_SOCKET
import { connect } from 'node:net';
import { createInterface } from 'node:readline';

const DEVICE = 'cddrive';
const qmpPath = process.argv[2];
const reply = (line) => process.stdout.write(`${line}\n`, () => process.exit(0));

function unplug() {
  return new Promise((resolve, reject) => {
    const qmp = connect(qmpPath);
    const timer = setTimeout(() => reject(new Error('no DEVICE_DELETED within 30 s')), 30_000);
    let buf = '';
    let step = 0;
    qmp.on('error', reject);
    qmp.on('data', (d) => {
      buf += d.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const msg = JSON.parse(buf.slice(0, i));
        buf = buf.slice(i + 1);
        if (msg.QMP && step === 0) {
          step = 1;
          qmp.write('{"execute":"qmp_capabilities"}\n');
        } else if (msg.return !== undefined && step === 1) {
          step = 2;
          qmp.write(JSON.stringify({ execute: 'device_del', arguments: { id: DEVICE } }) + '\n');
        } else if (msg.error) {
          reject(new Error(`${msg.error.class}: ${msg.error.desc}`));
        } else if (msg.event === 'DEVICE_DELETED' && msg.data?.device === DEVICE) {
          clearTimeout(timer);
          qmp.end();
          resolve();
        }
      }
    });
  });
}

const rl = createInterface({ input: process.stdin });
rl.once('line', (line) => {
  if (line.trim() !== 'unplug') return reply(`error: unknown request ${JSON.stringify(line.trim())}`);
  unplug().then(() => reply('unplugged'), (e) => reply(`error: ${e.message}`));
});
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
