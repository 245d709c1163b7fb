/**
 * Test fixtures for the target's tests: a RAM logical unit with test opcodes, CDB builders and a
 * polling wait. C0h never completes (until aborted), C1h answers after 50 ms, C2h returns 10000
 * bytes, C3h returns `bigRead` bytes (default 4 MiB) and counts `release` calls.
 */
import type { ItNexus, LogicalUnit, LunCommand, LunResponse } from '../lun.js';
import { ScsiStatus } from '@openimapi/sdk/wire';
import { startTarget, type StartedTarget } from './target.js';

export class MemLun implements LogicalUnit {
  readonly store = Buffer.alloc(512 * 256);
  readonly commands: Array<{ nexus: string; op: number }> = [];
  readonly lost: string[] = [];
  readonly resets: string[] = [];
  aborted = 0;
  /** Size of the C3h read, and how many of its buffers the target handed back. */
  bigRead = 4 * 1024 * 1024;
  released = 0;
  constructor() {
    for (let i = 0; i < this.store.length; i++) this.store.writeUInt8((i * 7 + (i >> 9)) & 0xff, i);
  }
  execute(cmd: LunCommand): LunResponse | Promise<LunResponse> {
    const op = cmd.cdb[0]!;
    this.commands.push({ nexus: cmd.nexus.id, op });
    switch (op) {
      case 0x00:
        return { status: ScsiStatus.GOOD };
      case 0x28: {
        const lba = cmd.cdb.readUInt32BE(2);
        const n = cmd.cdb.readUInt16BE(7);
        return { status: ScsiStatus.GOOD, dataIn: this.store.subarray(lba * 512, (lba + n) * 512) };
      }
      case 0x2a: {
        const lba = cmd.cdb.readUInt32BE(2);
        const want = cmd.cdb.readUInt16BE(7) * 512;
        cmd.dataOut?.copy(this.store, lba * 512, 0, Math.min(want, cmd.dataOut.length));
        return { status: ScsiStatus.GOOD, dataOutLength: want };
      }
      case 0xc0:
        return new Promise((resolve) => {
          cmd.signal.addEventListener('abort', () => {
            this.aborted++;
            resolve({ status: ScsiStatus.TASK_ABORTED });
          });
        });
      case 0xc1:
        return new Promise((resolve) => setTimeout(() => resolve({ status: ScsiStatus.GOOD }), 50));
      case 0xc2:
        return { status: ScsiStatus.GOOD, dataIn: Buffer.alloc(10000, 0x11) };
      case 0xc3:
        return { status: ScsiStatus.GOOD, dataIn: Buffer.alloc(this.bigRead, 0x22), release: () => void this.released++ };
      default:
        return { status: ScsiStatus.CHECK_CONDITION, sense: Buffer.from('700005000000000a000000002000000000000', 'hex').subarray(0, 18) };
    }
  }
  nexusLost(n: ItNexus): void {
    this.lost.push(n.id);
  }
  reset(kind: string, by: ItNexus): void {
    this.resets.push(`${kind} ${by.id}`);
  }
}

export const read10 = (lba: number, blocks: number) => {
  const b = Buffer.alloc(10);
  b[0] = 0x28;
  b.writeUInt32BE(lba, 2);
  b.writeUInt16BE(blocks, 7);
  return b;
};
export const write10 = (lba: number, blocks: number) => {
  const b = read10(lba, blocks);
  b[0] = 0x2a;
  return b;
};
export const waitFor = async (cond: () => boolean, ms = 10000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** A target on a free port serving one MemLun (queue depth 8), with its log lines kept. */
export async function startMemTarget(): Promise<{ lun: MemLun; target: StartedTarget; logs: string[] }> {
  const lun = new MemLun();
  const logs: string[] = [];
  const target = await startTarget({ port: 0, luns: [lun], queueDepth: 8, logger: (l, m) => logs.push(`${l} ${m}`) });
  return { lun, target, logs };
}
