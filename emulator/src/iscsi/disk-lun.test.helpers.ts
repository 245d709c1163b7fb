/**
 * A RAM block device (SBC, peripheral type 00h, 512-byte blocks) used only to run libiscsi's iSCSI
 * test family with every test active: libiscsi skips its write-residual and task-management tests on
 * anything that is not an SBC device. Enough of SBC-3 for those tests: TEST UNIT READY, REQUEST SENSE,
 * INQUIRY, READ CAPACITY(10)/(16), READ/WRITE/WRITE AND VERIFY (10/12/16), MODE SENSE(6/10) headers.
 * WRITE honours the SCSI transfer length against the iSCSI expected length and says how much data-out
 * the command called for (`dataOutLength`), so the target can report the residual.
 */
import { ByteReader, ByteWriter, CheckCondition, Sense, ScsiStatus, buildFixedSense } from '@openimapi/sdk/wire';
import type { ItNexus, LogicalUnit, LunCommand, LunResponse } from '../lun.js';

export class RamDisk implements LogicalUnit {
  readonly blocks: number;
  readonly data: Buffer;
  /** Milliseconds each WRITE takes (lets an ABORT TASK catch one in flight). */
  writeDelay = 0;
  constructor(blocks = 8192) {
    this.blocks = blocks;
    this.data = Buffer.alloc(blocks * 512);
  }

  execute(cmd: LunCommand): LunResponse | Promise<LunResponse> {
    try {
      const r = this.run(cmd);
      if (this.writeDelay && r.dataOutLength !== undefined) {
        return new Promise((resolve) => {
          const t = setTimeout(() => resolve(r), this.writeDelay);
          cmd.signal.addEventListener('abort', () => clearTimeout(t));
        });
      }
      return r;
    } catch (e) {
      if (e instanceof CheckCondition) return { status: ScsiStatus.CHECK_CONDITION, sense: e.toSense() };
      throw e;
    }
  }

  nexusLost(_n: ItNexus): void {}
  reset(): void {}

  private run(cmd: LunCommand): LunResponse {
    const r = new ByteReader(cmd.cdb, { what: 'CDB' });
    const op = r.u8(0);
    const cut = (b: Buffer, alloc: number) => ({ status: ScsiStatus.GOOD, dataIn: b.subarray(0, Math.min(alloc, b.length)) });
    switch (op) {
      case 0x00:
        return { status: ScsiStatus.GOOD };
      case 0x03:
        return cut(buildFixedSense(Sense.NO_SENSE), r.u8(4));
      case 0x12: {
        const alloc = r.u16(3);
        if (r.bit(1, 0)) {
          if (r.u8(2) !== 0) throw new CheckCondition(Sense.INVALID_FIELD_IN_CDB);
          return cut(Buffer.from([0, 0, 0, 1, 0]), alloc);
        }
        const w = new ByteWriter(36);
        w.u8(2, 0x06).u8(3, 0x02).u8(4, 31).ascii(8, 8, 'OPENIMAP').ascii(16, 16, 'RAM DISK').ascii(32, 4, '0001');
        return cut(w.buffer, alloc);
      }
      case 0x25: {
        const w = new ByteWriter(8);
        w.u32(0, this.blocks - 1).u32(4, 512);
        return { status: ScsiStatus.GOOD, dataIn: w.buffer };
      }
      case 0x9e: {
        if (r.bits(1, 0, 5) !== 0x10) throw new CheckCondition(Sense.INVALID_FIELD_IN_CDB);
        const w = new ByteWriter(32);
        w.u64(0, this.blocks - 1).u32(8, 512);
        return cut(w.buffer, r.u32(10));
      }
      case 0x1a:
        return cut(Buffer.from([3, 0, 0, 0]), r.u8(4));
      case 0x5a:
        return cut(Buffer.from([0, 6, 0, 0, 0, 0, 0, 0]), r.u16(7));
      case 0x28:
      case 0xa8:
      case 0x88: {
        const [lba, n] = this.range(r, op);
        return { status: ScsiStatus.GOOD, dataIn: this.data.subarray(lba * 512, (lba + n) * 512) };
      }
      case 0x2a:
      case 0xaa:
      case 0x8a:
      case 0x2e:
      case 0xae:
      case 0x8e: {
        const [lba, n] = this.range(r, op);
        const want = n * 512;
        const got = cmd.dataOut ?? Buffer.alloc(0);
        got.copy(this.data, lba * 512, 0, Math.min(want, got.length));
        return { status: ScsiStatus.GOOD, dataOutLength: want };
      }
      default:
        throw new CheckCondition(Sense.INVALID_COMMAND_OPERATION_CODE);
    }
  }

  private range(r: ByteReader, op: number): [number, number] {
    const group = op >> 5;
    const lba = group === 4 ? Number(r.u64(2)) : r.u32(2);
    const n = group === 1 ? r.u16(7) : group === 5 ? r.u32(6) : r.u32(10);
    if (lba + n > this.blocks) throw new CheckCondition(Sense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE);
    return [lba, n];
  }
}
