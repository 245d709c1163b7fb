import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RomLun } from './rom-lun.js';
import type { ItNexus, LunCommand, LunResponse } from './lun.js';
import { parseSense, ScsiStatus } from '@openimapi/sdk/wire';

const nexus = (n: number): ItNexus => ({ id: `iqn.2026-11.org.example:h${n},i,0x00000000000${n}`, initiatorName: `iqn.2026-11.org.example:h${n}`, isid: `00000000000${n}`, tpgt: 1, transport: 'test' });
const A = nexus(1);
const B = nexus(2);

async function run(lu: RomLun, who: ItNexus, cdbHex: string, alloc = 255): Promise<LunResponse> {
  const cmd: LunCommand = { nexus: who, cdb: Buffer.from(cdbHex, 'hex'), expectedDataInLength: alloc, taskAttribute: 1, signal: new AbortController().signal };
  return lu.execute(cmd);
}
const senseOf = (r: LunResponse) => {
  const s = parseSense(r.sense)!;
  return [s.key, s.asc, s.ascq];
};

function image(blocks: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rom-lun-'));
  const f = path.join(dir, 'disc.iso');
  const b = Buffer.alloc(blocks * 2048);
  for (let i = 0; i < blocks; i++) b.fill(i & 0xff, i * 2048, (i + 1) * 2048);
  fs.writeFileSync(f, b);
  return f;
}

test('ROM LUN: INQUIRY says CD/DVD (05h), removable; VPD 00h lists 00h/80h/83h', async () => {
  const lu = new RomLun({ image: image(8) });
  const inq = await run(lu, A, '120000002400');
  assert.equal(inq.dataIn![0], 0x05);
  assert.equal(inq.dataIn![1]! & 0x80, 0x80);
  const vpd = await run(lu, A, '120100000400'.slice(0, 6) + '00ff00');
  assert.deepEqual([...vpd.dataIn!.subarray(4)], [0x00, 0x80, 0x83]);
  const bad = await run(lu, A, '1201b000ff00');
  assert.deepEqual(senseOf(bad), [5, 0x24, 0]);
  lu.close();
});

test('ROM LUN: READ CAPACITY(10) and READ(10)/(12) from the image; out of range is 05/21/00', async () => {
  const lu = new RomLun({ image: image(8) });
  const cap = await run(lu, A, '25000000000000000000');
  assert.equal(cap.dataIn!.toString('hex'), '0000000700000800');
  const r10 = await run(lu, A, '28000000000300000200');
  assert.equal(r10.dataIn!.length, 4096);
  assert.equal(r10.dataIn![0], 3);
  assert.equal(r10.dataIn![2048], 4);
  r10.release?.();
  const r12 = await run(lu, A, 'a8000000000700000001' + '0000');
  assert.equal(r12.dataIn![0], 7);
  const out = await run(lu, A, '28000000000700000200');
  assert.deepEqual(senseOf(out), [5, 0x21, 0]);
  lu.close();
});

test('ROM LUN: eject → MEDIUM NOT PRESENT (tray open), load → ready; PREVENT per nexus blocks eject', async () => {
  const lu = new RomLun({ image: image(4) });
  assert.equal((await run(lu, A, '1e0000000100')).status, ScsiStatus.GOOD, 'A prevents');
  assert.deepEqual(senseOf(await run(lu, B, '1b0000000200')), [5, 0x53, 0x02], 'B cannot eject while A prevents');
  lu.nexusLost(A);
  assert.equal((await run(lu, B, '1b0000000200')).status, ScsiStatus.GOOD, 'A gone: eject allowed');
  assert.deepEqual(senseOf(await run(lu, A, '000000000000')), [2, 0x3a, 0x02]);
  const rs = await run(lu, A, '030000001200');
  assert.equal(rs.status, ScsiStatus.GOOD);
  assert.deepEqual([rs.dataIn![2]! & 0xf, rs.dataIn![12], rs.dataIn![13]], [2, 0x3a, 0x02], 'REQUEST SENSE reports the state');
  assert.equal((await run(lu, A, '1b0000000300')).status, ScsiStatus.GOOD, 'load');
  assert.equal((await run(lu, A, '000000000000')).status, ScsiStatus.GOOD);
  lu.close();
});

test('ROM LUN: LUN reset clears prevent and raises 06/29/00 once per known nexus; without an image there is no medium', async () => {
  const lu = new RomLun({ image: image(4) });
  await run(lu, A, '1e0000000100');
  await run(lu, B, '000000000000');
  lu.reset('lun-reset', A);
  assert.deepEqual(senseOf(await run(lu, A, '000000000000')), [6, 0x29, 0]);
  assert.equal((await run(lu, A, '000000000000')).status, ScsiStatus.GOOD, 'reported once');
  assert.deepEqual(senseOf(await run(lu, B, '1b0000000200')), [6, 0x29, 0]);
  assert.equal((await run(lu, B, '1b0000000200')).status, ScsiStatus.GOOD, 'prevent was cleared by the reset');
  lu.close();
  const empty = new RomLun();
  assert.deepEqual(senseOf(await run(empty, A, '000000000000')), [2, 0x3a, 0x01]);
  assert.deepEqual(senseOf(await run(empty, A, 'ff0000000000')), [5, 0x20, 0]);
  const ms = await run(empty, A, '1a003f00ff00');
  assert.equal(ms.status, ScsiStatus.GOOD);
  assert.equal(ms.dataIn![0], ms.dataIn!.length - 1, 'MODE DATA LENGTH');
  assert.equal(ms.dataIn![4], 0x2a);
});
