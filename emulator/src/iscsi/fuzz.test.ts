/**
 * Fuzz: random bytes and mutated PDUs against a live target over TCP, behind it a ROM LUN and the MMC
 * burner. Proves that bad input never crashes the target or leaks: afterwards no connection, session,
 * task or held command remains, every session opened was reported lost to the LUNs, the heap stays
 * flat from round to round, and a well-formed session is still served.
 *
 * Bounded: `FUZZ_ROUNDS` rounds (default 4) of `FUZZ_ITERATIONS` mutated PDUs (default 800), a couple
 * of seconds in `npm test`. Longer manual runs: FUZZ_SECONDS=120 keeps going round after round until
 * that much time has passed; FUZZ_SEED replays a run (each round uses seed + round).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTarget } from './target.js';
import { TestInitiator, type LoginOptions } from './initiator.test.helpers.js';
import { RomLun } from '../rom-lun.js';
import { createDrives } from '../drive/index.js';
import type { ItNexus, LogicalUnit, LunCommand } from '../lun.js';
import { encodePdu, framePdu, RESERVED_TAG, type Pdu } from '@openimapi/sdk/iscsi';
import { ScsiStatus } from '@openimapi/sdk/wire';

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
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 4);
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 800);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 0);

/** Counts nexus losses on the way to the real logical unit. */
class Counting implements LogicalUnit {
  lost = 0;
  constructor(private readonly inner: LogicalUnit) {}
  execute(cmd: LunCommand) {
    return this.inner.execute(cmd);
  }
  nexusLost(n: ItNexus): void {
    this.lost++;
    this.inner.nexusLost(n);
  }
  reset(kind: 'lun-reset' | 'target-warm-reset', by: ItNexus): void {
    this.inner.reset(kind, by);
  }
  close() {
    return this.inner.close?.();
  }
}

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heapUsed = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const SESSION_KINDS: LoginOptions[] = [
  {},
  { keys: [['InitialR2T', 'No'], ['FirstBurstLength', '4096'], ['MaxBurstLength', '8192'], ['MaxOutstandingR2T', '2']] },
  { keys: [['HeaderDigest', 'CRC32C'], ['DataDigest', 'CRC32C']] },
  { keys: [['DataDigest', 'CRC32C'], ['MaxRecvDataSegmentLength', '512']] },
];

test(`fuzz: random and mutated PDUs against a live target (seed ${SEED}); no crash, no leak, good clients still served`, { timeout: SECONDS ? SECONDS * 1000 + 120000 : 120000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iscsi-fuzz-'));
  const image = path.join(dir, 'disc.iso');
  const content = Buffer.alloc(2048 * 64);
  for (let i = 0; i < content.length; i++) content.writeUInt8((i * 31 + 7) & 0xff, i);
  fs.writeFileSync(image, content);
  const rom = new Counting(new RomLun({ image }));
  const burner = new Counting(createDrives({ count: 1, media: 'cd-rw' })[0]!);
  let warnings = 0; // counted, not kept: the heap check must see the target's memory only
  const t = await startTarget({ port: 0, luns: [rom, burner], loginTimeout: 2000, logger: (l) => { if (l === 'warn') warnings++; } });
  let sent = 0;
  const heap: number[] = [];
  const started = Date.now();

  async function round(seed: number): Promise<void> {
    const rand = rng(seed);
    const int = (n: number) => Math.floor(rand() * n);
    const bytes = (n: number) => {
      const b = Buffer.alloc(n);
      for (let j = 0; j < n; j++) b.writeUInt8(int(256), j);
      return b;
    };

    // 1. Random bytes on fresh connections (login phase).
    for (let i = 0; i < ITERATIONS / 20; i++) {
      const c = await TestInitiator.connect(t.port);
      for (let k = 1 + int(3); k > 0; k--) {
        const b = bytes(1 + int(160));
        if (rand() < 0.5) b.writeUInt8(0x43, 0); // looks like a Login Request
        c.writeRaw(b);
        sent++;
      }
      await new Promise((r) => setTimeout(r, 1));
      c.destroy();
    }

    // 2. Mutated valid PDUs in full feature phase, on sessions with and without digests.
    let kind = SESSION_KINDS[0]!;
    let c = await TestInitiator.connect(t.port);
    const open = async () => {
      kind = SESSION_KINDS[int(SESSION_KINDS.length)]!;
      c = await TestInitiator.connect(t.port);
      await c.login({ ...kind, isid: `4000${(seed & 0xffff).toString(16).padStart(4, '0')}${int(0x10000).toString(16).padStart(4, '0')}` });
      c.answerPings = false;
    };
    c.destroy();
    await open();
    let writeItt = 0;
    const templates = (): Pdu[] => {
      const lun = int(3); // 2 has no logical unit
      return [
        { kind: 'nop-out', itt: c.itt(), cmdSN: c.cmdSN, data: Buffer.from('abcd') },
        { kind: 'nop-out', immediate: true, itt: RESERVED_TAG, ttt: int(4), cmdSN: c.cmdSN },
        { kind: 'scsi-command', read: true, lun, itt: c.itt(), cmdSN: c.cmdSN, expectedDataTransferLength: 4096, cdb: Buffer.from('28000000000000000200', 'hex') },
        { kind: 'scsi-command', write: true, final: rand() < 0.5, lun, itt: (writeItt = c.itt()), cmdSN: c.cmdSN, expectedDataTransferLength: 8192, cdb: Buffer.from('2a000000000000000400', 'hex'), data: Buffer.alloc(int(3) * 512) },
        { kind: 'data-out', final: rand() < 0.5, itt: writeItt, ttt: rand() < 0.5 ? RESERVED_TAG : int(8), dataSN: int(3), bufferOffset: int(4) * 1024, data: Buffer.alloc(512 * (1 + int(4))) },
        { kind: 'task-mgmt-request', function: 1 + int(8), lun, itt: c.itt(), cmdSN: c.cmdSN, referencedTaskTag: writeItt - int(3) },
        { kind: 'text-request', itt: c.itt(), cmdSN: c.cmdSN, cont: rand() < 0.2, data: Buffer.from(rand() < 0.5 ? 'SendTargets=All\0' : 'MaxRecvDataSegmentLength=1024\0') },
        { kind: 'snack-request', type: 0, itt: c.itt() },
        { kind: 'login-request', csg: 1, nsg: 3, transit: true, isid: '400000000001', itt: c.itt() },
        { kind: 'logout-request', reason: int(3), itt: c.itt(), cmdSN: c.cmdSN },
        { kind: 'scsi-command', lun, itt: c.itt(), cmdSN: c.cmdSN, read: rand() < 0.5, expectedDataTransferLength: int(65536), cdb: bytes(rand() < 0.9 ? 16 : 32) },
      ];
    };
    for (let i = 0; i < ITERATIONS; i++) {
      if (c.closed) await open();
      const list = templates();
      const p = list[int(list.length)]!;
      const { header, data } = encodePdu(p);
      const digests = { headerDigest: c.params.HeaderDigest === 'CRC32C', dataDigest: c.params.DataDigest === 'CRC32C' };
      let wire = Buffer.concat(framePdu(header, data, digests));
      const mode = int(7);
      if (mode === 1) {
        for (let k = 1 + int(4); k > 0; k--) wire.writeUInt8(int(256), int(wire.length)); // flip bytes (digests, if any, now fail)
      } else if (mode === 2) {
        wire = wire.subarray(0, int(wire.length)); // truncated
      } else if (mode === 3) {
        wire.writeUInt8(int(64), 0); // any opcode, I bit clear
      } else if (mode === 4) {
        wire.writeUIntBE(int(1 << 24), 5, 3); // DataSegmentLength up to 16 MiB
      } else if (mode === 5) {
        wire.writeUInt32BE(int(2 ** 32), 24); // any CmdSN, in the window or far out of it
      }
      if (mode !== 0 && mode !== 5) c.cmdSN = (c.cmdSN + 1) >>> 0;
      else if ('cmdSN' in p && !('immediate' in p && p.immediate)) c.cmdSN = (c.cmdSN + 1) >>> 0;
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
  }

  try {
    for (let r = 0; r < ROUNDS || (SECONDS > 0 && Date.now() - started < SECONDS * 1000); r++) {
      await round(SEED + r);
      // Everything of this round is gone before the heap is measured.
      const end = Date.now() + 10000;
      while ((t.target.stats.connections > 0 || t.target.stats.sessionsLost < t.target.stats.sessionsOpened) && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
      heap.push(heapUsed());
    }

    // A good client still logs in and reads, from both logical units.
    const good = await TestInitiator.connect(t.port);
    await good.login();
    const r = await good.command(Buffer.from('28000000000500000200', 'hex'), { read: 4096 });
    assert.equal(r.status, ScsiStatus.GOOD);
    assert.deepEqual(r.data, content.subarray(5 * 2048, 7 * 2048));
    const inq = await good.command(Buffer.from('120000006000', 'hex'), { lun: 1, read: 96 });
    assert.equal(inq.status, ScsiStatus.GOOD);
    assert.equal(inq.data[0], 0x05, 'the MMC burner still answers');
    await good.logout();
    await good.whenClosed();

    // Nothing is left: connections, sessions, tasks, held commands; every session's loss was reported.
    const end = Date.now() + 10000;
    while (t.target.stats.connections > 0 && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
    const s = t.target.stats;
    assert.deepEqual({ connections: s.connections, sessions: s.sessions, tasks: s.tasks, held: s.held }, { connections: 0, sessions: 0, tasks: 0, held: 0 });
    assert.ok(s.sessionsOpened >= ROUNDS * 10, `sessions were opened (${s.sessionsOpened})`);
    assert.equal(s.sessionsLost, s.sessionsOpened, 'every session opened was lost');
    assert.equal(rom.lost, s.sessionsLost, 'the ROM LUN heard of every loss');
    assert.equal(burner.lost, s.sessionsLost, 'the burner heard of every loss');
    assert.ok(sent >= ROUNDS * ITERATIONS);
    assert.ok(warnings > 100, 'bad input is logged');
    // The heap does not grow from round to round (what a round leaks would add up).
    const growth = heap[heap.length - 1]! - heap[0]!;
    assert.ok(growth < 8 * 1024 * 1024, `heap grew ${(growth / 1048576).toFixed(1)} MiB over ${heap.length} rounds: ${sampled(heap).map((h) => (h / 1048576).toFixed(1)).join(', ')} MiB`);
    console.log(`# fuzz: ${sent} inputs, ${s.sessionsOpened} sessions, ${heap.length} rounds, heap ${sampled(heap).map((h) => (h / 1048576).toFixed(1)).join(' → ')} MiB, ${warnings} warnings`);
  } finally {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** At most 12 evenly spaced samples of a long run's heap figures, the first and the last among them. */
function sampled(xs: readonly number[]): number[] {
  if (xs.length <= 12) return [...xs];
  return Array.from({ length: 12 }, (_, i) => xs[Math.round((i * (xs.length - 1)) / 11)]!);
}
