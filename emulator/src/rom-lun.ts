/**
 * A plain read-only CD-ROM logical unit (peripheral device type 05h) serving an image file as a
 * closed disc of 2048-byte blocks. For exercising the iSCSI target on its own; the MMC burner is a
 * separate LogicalUnit behind the same seam.
 *
 * Commands: TEST UNIT READY, INQUIRY (standard; VPD 00h/80h/83h), REQUEST SENSE, READ CAPACITY(10),
 * READ(10)/(12), MODE SENSE(6)/(10) (page 2Ah or 3Fh, minimal), PREVENT ALLOW MEDIUM REMOVAL (prevent
 * kept per I_T nexus), START STOP UNIT (tray load/eject), REPORT LUNS is answered by the target.
 * Unit attention 29h/00h goes to every nexus after a LUN reset or target reset; I_T nexus loss, LUN
 * reset and target reset clear that nexus's (or all) prevent state (SPC-4 §6.13 / MMC-6 §6.14).
 *
 * The image is read with positioned reads straight into the Data-In buffer (no intermediate copy);
 * small reads are synchronous (page-cache hits are faster than a thread-pool round trip).
 */
import fs from 'node:fs';
import {
  Opcode, cdbReader, invalidCdbField, decodeInquiryCdb, encodeInquiryReply, mmcStandardInquiryData, encodeSupportedVpdPagesReply,
  encodeUnitSerialNumberReply, encodeDeviceIdentificationReply, t10VendorIdDesignator, decodeRequestSenseCdb, encodeRequestSenseReply,
  decodeTestUnitReadyCdb, PeripheralQualifier, PeripheralDeviceType, VpdPage, decodeReadCapacity10Cdb, encodeReadCapacity10Reply,
  decodeRead10Cdb, decodeRead12Cdb, decodePreventAllowMediumRemovalCdb, decodeStartStopUnitCdb, startStopAction,
} from '@openimapi/sdk/scsi';
import { ByteWriter, CheckCondition, Sense, ScsiStatus, type SenseCondition } from '@openimapi/sdk/wire';
import type { ItNexus, LogicalUnit, LunCommand, LunResponse } from './lun.js';
import { BufferPool, DATA_IN_HEADROOM } from './buffer-pool.js';

export interface RomLunOptions {
  /** Image file served as the disc; absent = no medium (tray closed, empty). */
  image?: string;
  /** Logical block size (2048). */
  blockSize?: number;
  vendor?: string;
  product?: string;
  revision?: string;
  serial?: string;
  /** Reads up to this size are synchronous (1 MiB). */
  syncReadLimit?: number;
}

const common = { peripheralQualifier: PeripheralQualifier.CONNECTED, peripheralDeviceType: PeripheralDeviceType.CD_DVD };

export class RomLun implements LogicalUnit {
  private fd: number | undefined;
  private blocks = 0;
  private readonly blockSize: number;
  private mediumPresent = false;
  private trayOpen = false;
  private readonly prevent = new Set<string>();
  private readonly attentions = new Map<string, SenseCondition[]>();
  private readonly known = new Set<string>();
  private readonly opts: RomLunOptions;
  /** Read buffers handed back by the transport (`release`), by size, for reuse. */
  private readonly pool = new BufferPool();

  constructor(opts: RomLunOptions = {}) {
    this.opts = opts;
    this.blockSize = opts.blockSize ?? 2048;
    if (opts.image !== undefined) {
      this.fd = fs.openSync(opts.image, 'r');
      const size = fs.fstatSync(this.fd).size;
      this.blocks = Math.floor(size / this.blockSize);
      this.mediumPresent = true;
    }
  }

  /** Number of logical blocks on the disc (0 without medium). */
  get capacity(): number {
    return this.mediumPresent ? this.blocks : 0;
  }

  execute(cmd: LunCommand): LunResponse | Promise<LunResponse> {
    try {
      return this.dispatch(cmd);
    } catch (e) {
      if (e instanceof CheckCondition) return { status: ScsiStatus.CHECK_CONDITION, sense: e.toSense() };
      throw e;
    }
  }

  nexusLost(nexus: ItNexus): void {
    this.prevent.delete(nexus.id);
    this.attentions.delete(nexus.id);
    this.known.delete(nexus.id);
  }

  reset(_kind: 'lun-reset' | 'target-warm-reset', _by: ItNexus): void {
    this.prevent.clear();
    for (const id of this.known) this.attentions.set(id, [Sense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED]);
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private dispatch(cmd: LunCommand): LunResponse | Promise<LunResponse> {
    const cdb = cmd.cdb;
    const op = cdb[0] ?? 0;
    const id = cmd.nexus.id;
    this.known.add(id);
    // Unit attention first, except for the commands SPC-4 §5.12 exempts.
    if (op !== Opcode.INQUIRY && op !== Opcode.REQUEST_SENSE && op !== Opcode.REPORT_LUNS) {
      const ua = this.popAttention(id);
      if (ua) throw new CheckCondition(ua);
    }
    switch (op) {
      case Opcode.TEST_UNIT_READY:
        decodeTestUnitReadyCdb(cdb);
        this.requireMedium();
        return good();
      case Opcode.INQUIRY:
        return this.inquiry(cdb);
      case Opcode.REQUEST_SENSE: {
        const c = decodeRequestSenseCdb(cdb);
        const cond = this.popAttention(id) ?? this.notReadyCondition() ?? Sense.NO_SENSE;
        const data = encodeRequestSenseReply(cond, c.desc);
        return good(data.subarray(0, Math.min(c.allocationLength, data.length)));
      }
      case Opcode.READ_CAPACITY_10:
        decodeReadCapacity10Cdb(cdb);
        this.requireMedium();
        return good(encodeReadCapacity10Reply({ lastLba: Math.max(0, this.blocks - 1), blockLength: this.blockSize }));
      case Opcode.READ_10:
      case Opcode.READ_12: {
        const { lba, transferLength: count } = op === Opcode.READ_10 ? decodeRead10Cdb(cdb) : decodeRead12Cdb(cdb);
        this.requireMedium();
        if (lba < 0 || lba + count > this.blocks) {
          throw new CheckCondition(Sense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE, `READ of ${count} at ${lba} beyond ${this.blocks} blocks`, { information: lba >>> 0 });
        }
        return this.read(lba, count);
      }
      case Opcode.MODE_SENSE_6:
      case Opcode.MODE_SENSE_10:
        return this.modeSense(cdb, op === Opcode.MODE_SENSE_10);
      case Opcode.PREVENT_ALLOW_MEDIUM_REMOVAL: {
        // PREVENT bit 0 locks the medium for this nexus; bit 1 (persistent, changers) is not modelled.
        const { prevent } = decodePreventAllowMediumRemovalCdb(cdb);
        if (prevent & 1) this.prevent.add(id);
        else this.prevent.delete(id);
        return good();
      }
      case Opcode.START_STOP_UNIT:
        return this.startStop(cdb);
      default:
        throw new CheckCondition(Sense.INVALID_COMMAND_OPERATION_CODE, `opcode ${op.toString(16)}h not supported`, { fieldPointer: { cd: true, byte: 0 } });
    }
  }

  private popAttention(id: string): SenseCondition | undefined {
    const list = this.attentions.get(id);
    const ua = list?.shift();
    if (list && list.length === 0) this.attentions.delete(id);
    return ua;
  }

  private notReadyCondition(): SenseCondition | undefined {
    if (this.mediumPresent) return undefined;
    return this.trayOpen ? Sense.MEDIUM_NOT_PRESENT_TRAY_OPEN : Sense.MEDIUM_NOT_PRESENT_TRAY_CLOSED;
  }

  private requireMedium(): void {
    const c = this.notReadyCondition();
    if (c) throw new CheckCondition(c);
  }

  private read(lba: number, count: number): LunResponse | Promise<LunResponse> {
    const len = count * this.blockSize;
    if (len === 0) return good();
    const { buf, release } = this.pool.lease(len);
    const pos = lba * this.blockSize;
    if (len <= (this.opts.syncReadLimit ?? 1024 * 1024)) {
      const n = fs.readSync(this.fd!, buf, 0, len, pos);
      if (n < len) buf.fill(0, n);
      return { status: ScsiStatus.GOOD, dataIn: buf, release, dataInHeadroom: DATA_IN_HEADROOM };
    }
    return new Promise((resolve) => {
      fs.read(this.fd!, buf, 0, len, pos, (err, n) => {
        if (err) resolve({ status: ScsiStatus.CHECK_CONDITION, sense: new CheckCondition(Sense.UNRECOVERED_READ_ERROR, err.message).toSense() });
        else {
          if (n < len) buf.fill(0, n);
          resolve({ status: ScsiStatus.GOOD, dataIn: buf, release, dataInHeadroom: DATA_IN_HEADROOM });
        }
      });
    });
  }

  private inquiry(cdb: Buffer): LunResponse {
    const c = decodeInquiryCdb(cdb);
    let data: Buffer;
    if (!c.evpd) {
      data = encodeInquiryReply(mmcStandardInquiryData({
        vendorIdentification: this.opts.vendor ?? 'OPENIMAP',
        productIdentification: this.opts.product ?? 'ROM DISC',
        productRevisionLevel: this.opts.revision ?? '0001',
      }));
    } else {
      switch (c.pageCode) {
        case VpdPage.SUPPORTED_VPD_PAGES:
          data = encodeSupportedVpdPagesReply({ ...common, supportedPages: [0x00, 0x80, 0x83] });
          break;
        case VpdPage.UNIT_SERIAL_NUMBER:
          data = encodeUnitSerialNumberReply({ ...common, productSerialNumber: this.opts.serial ?? 'ROM0000001' });
          break;
        case VpdPage.DEVICE_IDENTIFICATION:
          data = encodeDeviceIdentificationReply({ ...common, designators: [t10VendorIdDesignator(this.opts.vendor ?? 'OPENIMAP', this.opts.serial ?? 'ROM0000001')] });
          break;
        default:
          throw invalidCdbField(2, `INQUIRY: VPD page ${c.pageCode.toString(16)}h not supported`);
      }
    }
    return good(data.subarray(0, Math.min(c.allocationLength, data.length)));
  }

  /**
   * MODE SENSE(6)/(10) (SPC-4 §6.11/6.12): header, no block descriptors, and a minimal CD/DVD
   * capabilities page 2Ah (MMC-6 §7.9; 20 bytes, read-only CD-ROM, tray loading mechanism).
   */
  private modeSense(cdb: Buffer, ten: boolean): LunResponse {
    // TODO: switch to the MODE SENSE(10) codec (scsi/commands/mode-sense-10.ts) and the mode page 2Ah codec, and to a
    // MODE SENSE(6) codec once there is one; kept inline so both CDB sizes share one minimal reply.
    const r = cdbReader(cdb, ten ? 10 : 6, ten ? 'MODE SENSE(10)' : 'MODE SENSE(6)');
    const pc = r.bits(2, 6, 2);
    const page = r.bits(2, 0, 6);
    const sub = r.u8(3);
    const alloc = ten ? r.u16(7) : r.u8(4);
    if (pc === 3) throw new CheckCondition(Sense.SAVING_PARAMETERS_NOT_SUPPORTED);
    if ((page !== 0x2a && page !== 0x3f) || (sub !== 0 && sub !== 0xff)) throw invalidCdbField(2, `MODE SENSE: page ${page.toString(16)}h/${sub.toString(16)}h not supported`);
    const p = new ByteWriter(22);
    p.u8(0, 0x2a);
    p.u8(1, 20);
    if (pc !== 1) {
      p.u8(2, 0x03); // byte 2: CD-R READ (0), CD-RW READ (1)
      // byte 6: LOADING MECHANISM TYPE (7..5) 001b tray | EJECT (3) | LOCK STATE (1) | LOCK (0)
      p.u8(6, 0x20 | 0x08 | (this.prevent.size ? 0x02 : 0) | 0x01);
    }
    const hdr = ten ? 8 : 4;
    const w = new ByteWriter(hdr + p.length);
    if (ten) w.u16(0, hdr + p.length - 2);
    else w.u8(0, hdr + p.length - 1);
    w.bytes(hdr, p.buffer);
    return good(w.buffer.subarray(0, Math.min(alloc, w.length)));
  }

  /** START STOP UNIT (SBC-3 §5.25 / MMC-6 §6.40): LOEJ with START loads, without START ejects. */
  private startStop(cdb: Buffer): LunResponse {
    // Any non-zero POWER CONDITIONS value is accepted and moves nothing, reserved values included: that is
    // what libiscsi's StartStopUnit.PwrCnd test expects (GOOD for 1..15 with LOEJ set, medium stays), and
    // what tgt does. The shared codec rejects the reserved values, so it only sees power condition 0.
    if (cdbReader(cdb, 6, 'START STOP UNIT').bits(4, 4, 4) !== 0) return good();
    const action = startStopAction(decodeStartStopUnitCdb(cdb));
    if (action !== 'load' && action !== 'eject') return good(); // power conditions / spindle only: nothing to move
    if (action === 'load') {
      this.trayOpen = false;
      this.mediumPresent = this.fd !== undefined;
      return good();
    }
    if (this.prevent.size) throw new CheckCondition(Sense.MEDIUM_REMOVAL_PREVENTED);
    this.trayOpen = true;
    this.mediumPresent = false;
    return good();
  }
}

function good(dataIn?: Buffer): LunResponse {
  return dataIn ? { status: ScsiStatus.GOOD, dataIn } : { status: ScsiStatus.GOOD };
}
