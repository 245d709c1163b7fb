import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTarget } from './target.js';
import { TestInitiator } from './initiator.test.helpers.js';
import { RomLun } from '../rom-lun.js';
import { encodePdu, framePdu, type Pdu } from '@openimapi/sdk/iscsi';
import { ScsiStatus } from '@openimapi/sdk/wire';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Deterministic PRNG (mulberry32) so a failure can be replayed with the printed seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.FUZZ_SEED ?? 0x15c51);

test(`fuzz: random and mutated PDUs against a live target (seed ${SEED}); no crash, no leaked sockets, good clients still served`, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iscsi-fuzz-'));
  const image = path.join(dir, 'disc.iso');
  const content = Buffer.alloc(2048 * 64);
  for (let i = 0; i < content.length; i++) content.writeUInt8((i * 31 + 7) & 0xff, i);
  fs.writeFileSync(image, content);
  const rom = new RomLun({ image });
  const warnings: string[] = [];
  const t = await startTarget({ port: 0, luns: [rom], loginTimeout: 2000, logger: (l, m) => { if (l === 'warn') warnings.push(m); } });
  const rand = rng(SEED);
  const int = (n: number) => Math.floor(rand() * n);
  let sent = 0;
  try {
    // 1. Random bytes on fresh connections (login phase).
    for (let i = 0; i < 150; i++) {
      const c = await TestInitiator.connect(t.port);
      const n = 1 + int(3);
      for (let k = 0; k < n; k++) {
        const b = Buffer.alloc(1 + int(160));
        for (let j = 0; j < b.length; j++) b.writeUInt8(int(256), j);
        if (rand() < 0.5) b.writeUInt8(0x43, 0); // looks like a Login Request
        c.writeRaw(b);
        sent++;
      }
      await new Promise((r) => setTimeout(r, 1));
      c.destroy();
    }

    // 2. Mutated valid PDUs in full feature phase.
    const templates = (c: TestInitiator): Pdu[] => [
      { kind: 'nop-out', itt: c.itt(), cmdSN: c.cmdSN, data: Buffer.from('abcd') },
      { kind: 'scsi-command', read: true, itt: c.itt(), cmdSN: c.cmdSN, expectedDataTransferLength: 4096, cdb: Buffer.from('28000000000000000200', 'hex') },
      { kind: 'scsi-command', write: true, itt: c.itt(), cmdSN: c.cmdSN, expectedDataTransferLength: 2048, cdb: Buffer.from('2a000000000000000100', 'hex'), data: Buffer.alloc(512) },
      { kind: 'data-out', final: true, itt: c.itt(), ttt: 1, dataSN: 0, data: Buffer.alloc(100) },
      { kind: 'task-mgmt-request', function: 1 + int(8), itt: c.itt(), cmdSN: c.cmdSN, referencedTaskTag: int(10) },
      { kind: 'text-request', itt: c.itt(), cmdSN: c.cmdSN, data: Buffer.from('SendTargets=All\0') },
      { kind: 'snack-request', type: 0, itt: c.itt() },
      { kind: 'login-request', csg: 1, nsg: 3, transit: true, isid: '400000000001', itt: c.itt() },
      { kind: 'scsi-command', itt: c.itt(), cmdSN: c.cmdSN, cdb: Buffer.from([int(256), int(256), 0, 0, 0, int(256), 0, 0, int(4), 0]) },
    ];
    let c = await TestInitiator.connect(t.port);
    await c.login();
    c.answerPings = false;
    for (let i = 0; i < 3000; i++) {
      if (c.closed) {
        c = await TestInitiator.connect(t.port);
        await c.login();
      }
      const list = templates(c);
      const p = list[int(list.length)]!;
      const { header, data } = encodePdu(p);
      let wire = Buffer.concat(framePdu(header, data, { headerDigest: false, dataDigest: false }));
      const mode = int(5);
      if (mode === 1) {
        for (let k = 1 + int(4); k > 0; k--) wire.writeUInt8(int(256), int(wire.length)); // flip bytes
      } else if (mode === 2) {
        wire = wire.subarray(0, int(wire.length)); // truncated
      } else if (mode === 3) {
        wire.writeUInt8(int(64), 0); // any opcode, I bit clear
      } else if (mode === 4) {
        wire.writeUIntBE(int(1 << 24), 5, 3); // DataSegmentLength up to 16 MiB
      }
      if (mode !== 0) c.cmdSN = (c.cmdSN + 1) >>> 0;
      c.writeRaw(wire);
      sent++;
      if (mode === 2 || mode === 4) {
        c.destroy(); // the rest of the PDU never comes: vanish mid-PDU
        await c.whenClosed();
      } else if (i % 50 === 0) {
        await new Promise((r) => setTimeout(r, 1));
      }
    }
    c.destroy();
    await c.whenClosed();

    // 3. A good client still logs in and reads.
    const good = await TestInitiator.connect(t.port);
    await good.login();
    const r = await good.command(Buffer.from('28000000000500000200', 'hex'), { read: 4096 });
    assert.equal(r.status, ScsiStatus.GOOD);
    assert.deepEqual(r.data, content.subarray(5 * 2048, 7 * 2048));
    await good.logout();
    await good.whenClosed();

    // 4. No leaked connections.
    const end = Date.now() + 3000;
    while (t.target.connectionCount > 0 && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
    assert.equal(t.target.connectionCount, 0, 'every connection was cleaned up');
    assert.ok(sent >= 3000);
    assert.ok(warnings.length > 100, 'bad input is logged');
  } finally {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
