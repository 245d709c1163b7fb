/**
 * SPC and tray handlers: TEST UNIT READY, REQUEST SENSE, INQUIRY (standard data and VPD 00h/80h/83h),
 * START STOP UNIT (load/eject), PREVENT ALLOW MEDIUM REMOVAL.
 */
import {
  CheckCondition,
  PeripheralDeviceType,
  PeripheralQualifier,
  Sense,
  VpdPage,
  decodeInquiryCdb,
  decodePreventAllowMediumRemovalCdb,
  decodeRequestSenseCdb,
  decodeStartStopUnitCdb,
  decodeTestUnitReadyCdb,
  encodeDeviceIdentificationReply,
  encodeInquiryReply,
  encodeRequestSenseReply,
  encodeSupportedVpdPagesReply,
  encodeUnitSerialNumberReply,
  invalidCdbField,
  mmcStandardInquiryData,
  startStopAction,
  t10VendorIdDesignator,
  type BuildSense,
  type StartStopUnitCdb,
} from '@openimapi/sdk';
import { upTo, type CommandContext } from './types.js';

/** TEST UNIT READY (SPC-4 §6.47): GOOD when a disc is ready, else the NOT READY reason. */
export function testUnitReady(ctx: CommandContext): void {
  decodeTestUnitReadyCdb(ctx.cdb);
  const nr = ctx.state.notReadyCondition();
  if (nr) throw notReady(nr.cond, nr.progress);
}

/** NOT READY with a progress indication (SPC-4 §4.5.2.4.4) when an operation is running. */
export function notReady(cond: { key: number; asc: number; ascq: number }, progress?: number): CheckCondition {
  const e = new CheckCondition(cond);
  if (progress === undefined) return e;
  // CheckCondition has no progress field: return the sense via a subclass that builds it.
  return new ProgressCondition(cond, progress);
}

/** CheckCondition whose sense carries SKSV + PROGRESS INDICATION (bytes 15-17, fixed format). */
export class ProgressCondition extends CheckCondition {
  readonly progress: number;
  constructor(cond: { key: number; asc: number; ascq: number }, progress: number) {
    super(cond);
    this.progress = progress;
  }
  override toSense(): Buffer {
    const s = super.toSense();
    s[15] = 0x80;
    s.writeUInt16BE(this.progress & 0xffff, 16);
    return s;
  }
}

/**
 * REQUEST SENSE (SPC-4 §6.39): with autosense, what is left to report is a pending unit attention
 * (reported and cleared), the NOT READY reason (with progress during BLANK/FORMAT), or NO SENSE.
 * DESC=1 asks for descriptor format.
 */
export function requestSense(ctx: CommandContext): Buffer {
  const p = decodeRequestSenseCdb(ctx.cdb);
  let s: BuildSense = { ...Sense.NO_SENSE };
  let progress: number | undefined;
  const ua = ctx.state.ua.take(ctx.nexus.id);
  if (ua) s = { ...ua };
  else {
    const nr = ctx.state.notReadyCondition();
    if (nr) {
      s = { ...nr.cond };
      progress = nr.progress;
    }
  }
  const data = encodeRequestSenseReply(s, p.desc);
  if (progress !== undefined) {
    if (p.desc) {
      // Sense key specific descriptor (type 02h) with the progress indication (SPC-4 §4.5.2.4.4).
      const d = Buffer.from([0x02, 0x06, 0x00, 0x00, 0x80, (progress >> 8) & 0xff, progress & 0xff, 0x00]);
      const out = Buffer.concat([data, d]);
      out[7] = out.length - 8;
      return upTo(out, p.allocationLength);
    }
    data[15] = 0x80;
    data.writeUInt16BE(progress & 0xffff, 16);
  }
  return upTo(data, p.allocationLength);
}

/** INQUIRY (SPC-4 §6.6): standard data, or VPD pages 00h, 80h, 83h. */
export function inquiry(ctx: CommandContext): Buffer {
  const p = decodeInquiryCdb(ctx.cdb);
  const c = ctx.drive.config;
  const common = { peripheralQualifier: PeripheralQualifier.CONNECTED, peripheralDeviceType: PeripheralDeviceType.CD_DVD };
  let data: Buffer;
  if (!p.evpd) {
    data = encodeInquiryReply(
      mmcStandardInquiryData({ vendorIdentification: c.vendor, productIdentification: c.product, productRevisionLevel: c.revision }),
    );
  } else if (p.pageCode === VpdPage.SUPPORTED_VPD_PAGES) {
    data = encodeSupportedVpdPagesReply({ ...common, supportedPages: [0x00, 0x80, 0x83] });
  } else if (p.pageCode === VpdPage.UNIT_SERIAL_NUMBER) {
    data = encodeUnitSerialNumberReply({ ...common, productSerialNumber: c.serial });
  } else if (p.pageCode === VpdPage.DEVICE_IDENTIFICATION) {
    data = encodeDeviceIdentificationReply({
      ...common,
      designators: [t10VendorIdDesignator(c.vendor, `${c.product} ${c.serial}`.slice(0, 200))],
    });
  } else {
    throw invalidCdbField(2, `INQUIRY: VPD page ${p.pageCode.toString(16)}h is not supported`);
  }
  return upTo(data, p.allocationLength);
}

/**
 * START STOP UNIT (MMC-6 §6.40): with POWER CONDITIONS 0, LoEj=1 Start=0 opens the tray with the disc
 * on it (02/3A/02 until it closes; refused with 05/53/02 while any nexus prevents removal, 02/04/0x
 * during BLANK/FORMAT), LoEj=1 Start=1 closes it and loads the disc again (becoming ready, a
 * NewMedia event, 06/28/00 for the other nexuses); LoEj=0 starts/stops the spindle, which this drive does on demand.
 * A non-zero POWER CONDITIONS field asks for a power condition and LoEj/Start are ignored; the drive
 * does not model power states, so every value — the reserved ones too, as CD/DVD drives and tgt
 * answer them (libiscsi's StartStopUnit.PwrCnd sends 1..15) — completes GOOD and moves nothing.
 */
export function startStopUnit(ctx: CommandContext): void {
  const p = decodeStartStopUnitCdbLenient(ctx.cdb);
  const action = startStopAction(p);
  ctx.note(action === 'power' ? { action, powerCondition: p.powerCondition } : { action });
  if (action === 'eject') {
    if (ctx.state.prevented()) throw new CheckCondition(Sense.MEDIUM_REMOVAL_PREVENTED);
    if (ctx.state.operation) throw new CheckCondition(ctx.state.operation.kind === 'blank' ? Sense.LOGICAL_UNIT_NOT_READY_OPERATION_IN_PROGRESS : Sense.LOGICAL_UNIT_NOT_READY_FORMAT_IN_PROGRESS);
    ctx.state.openTray();
  } else if (action === 'load') {
    ctx.state.closeTray(ctx.nexus.id);
  }
}

/**
 * The START STOP UNIT codec with any POWER CONDITIONS value allowed: the shared codec refuses the
 * reserved ones (right for an encoder), a drive ignores them. Every other field is checked as usual.
 */
export function decodeStartStopUnitCdbLenient(cdb: Buffer): StartStopUnitCdb {
  if (cdb.length < 5) return decodeStartStopUnitCdb(cdb);
  const powerCondition = cdb[4]! >> 4;
  if (powerCondition === 0) return decodeStartStopUnitCdb(cdb);
  const c = Buffer.from(cdb);
  c[4] = c[4]! & 0x0f;
  return { ...decodeStartStopUnitCdb(c), powerCondition };
}

/**
 * PREVENT ALLOW MEDIUM REMOVAL (MMC-6 §6.26): PREVENT bit 0 locks the tray for this nexus; the
 * persistent bit (bit 1) is accepted and tracked the same way (we do not model the eject button).
 */
export function preventAllowMediumRemoval(ctx: CommandContext): void {
  const p = decodePreventAllowMediumRemovalCdb(ctx.cdb);
  ctx.state.setPrevent(ctx.nexus.id, (p.prevent & 1) === 1);
}
