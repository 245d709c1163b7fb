/**
 * USB Mass Storage Class — Bulk-Only Transport (BOT), revision 1.0: the Command Block Wrapper, the
 * Command Status Wrapper and the two class-specific requests, as a pure codec (no I/O). The host
 * side (UsbBotTransport) and test devices both use it. Multi-byte fields are LITTLE-endian (USB).
 *
 * Command Block Wrapper (CBW), 31 bytes, host → device on the Bulk-Out pipe (BOT §5.1, table 5.1):
 *   bytes 0-3    dCBWSignature           43425355h ('USBC' in byte order)
 *   bytes 4-7    dCBWTag                 echoed in the CSW's dCSWTag
 *   bytes 8-11   dCBWDataTransferLength  bytes the host expects to move in the data phase
 *   byte 12      bmCBWFlags              Direction (7): 0 = Data-Out, 1 = Data-In; Obsolete (6);
 *                                        Reserved (5-0)
 *   byte 13      Reserved (7-4) | bCBWLUN (3-0)
 *   byte 14      Reserved (7-5) | bCBWCBLength (4-0)   valid lengths 1..16
 *   bytes 15-30  CBWCB                   the command block (CDB), zero-padded to 16 bytes
 *
 * Command Status Wrapper (CSW), 13 bytes, device → host on the Bulk-In pipe (BOT §5.2, table 5.2):
 *   bytes 0-3    dCSWSignature           53425355h ('USBS')
 *   bytes 4-7    dCSWTag                 = dCBWTag of the command
 *   bytes 8-11   dCSWDataResidue         for Data-Out: bytes not processed; for Data-In: the
 *                                        difference between dCBWDataTransferLength and the bytes
 *                                        the device sent (§5.2 and §6.7)
 *   byte 12      bCSWStatus              00h Command Passed, 01h Command Failed,
 *                                        02h Phase Error, 03h-FFh reserved (table 5.3)
 *
 * A CSW is valid (§6.3.1) when it is 13 bytes, has the signature and carries the CBW's tag; it is
 * meaningful when, in addition, bCSWStatus is 00h/01h with a residue not above the transfer length,
 * or 02h. Anything else is not valid, and the host does a reset recovery (§5.3.4).
 *
 * Class-specific requests on the default pipe (§3.1, §3.2; bmRequestType class, recipient interface,
 * wIndex = interface number):
 *   Bulk-Only Mass Storage Reset   bRequest FFh, wValue 0, wLength 0, host → device
 *   Get Max LUN                    bRequest FEh, wValue 0, wLength 1, device → host; one byte, the
 *                                  highest LUN (0..15); a device with one LUN may STALL it (§3.2).
 * Reset recovery (§5.3.4) is: Bulk-Only Mass Storage Reset, then CLEAR_FEATURE(ENDPOINT_HALT) on the
 * Bulk-In pipe, then on the Bulk-Out pipe.
 *
 * Interface descriptor codes of a BOT mass-storage interface (USB MSC Overview 1.4): bInterfaceClass
 * 08h; bInterfaceSubClass 02h (MMC-5 / ATAPI, the usual optical drive) or 06h (SCSI transparent);
 * bInterfaceProtocol 50h (Bulk-Only).
 */
import { ByteReader, ByteWriter } from '../../wire/bytes.js';

export const CBW_SIGNATURE = 0x43425355;
export const CSW_SIGNATURE = 0x53425355;
export const CBW_LENGTH = 31;
export const CSW_LENGTH = 13;
/** Largest command block a CBW carries. */
export const CBWCB_LENGTH = 16;
/** Largest LUN number (bCBWLUN is 4 bits). */
export const MAX_LUN = 15;

/** bCSWStatus values (BOT table 5.3). */
export const CswStatus = {
  PASSED: 0x00,
  FAILED: 0x01,
  PHASE_ERROR: 0x02,
} as const;

/** Class-specific bRequest codes (BOT §3). */
export const BotRequest = {
  GET_MAX_LUN: 0xfe,
  BULK_ONLY_MASS_STORAGE_RESET: 0xff,
} as const;

/** Interface codes (USB Mass Storage Class Specification Overview 1.4, tables 1 and 2). */
export const MassStorage = {
  INTERFACE_CLASS: 0x08,
  SUBCLASS_MMC5: 0x02,
  SUBCLASS_SCSI_TRANSPARENT: 0x06,
  PROTOCOL_BULK_ONLY: 0x50,
} as const;

export interface CommandBlockWrapper {
  /** dCBWTag, 32 bits. */
  tag: number;
  /** dCBWDataTransferLength. */
  dataTransferLength: number;
  /** Direction bit of bmCBWFlags; 'in' for Data-In, 'out' for Data-Out (also used when the length is 0). */
  direction: 'in' | 'out';
  /** bCBWLUN, 0..15. */
  lun: number;
  /** The CDB, 1..16 bytes (bCBWCBLength). */
  cb: Uint8Array;
}

export function encodeCbw(c: CommandBlockWrapper): Buffer {
  if (!(c.cb instanceof Uint8Array) || c.cb.length < 1 || c.cb.length > CBWCB_LENGTH) throw new TypeError('cb must be a Uint8Array of 1 to 16 bytes');
  if (!Number.isInteger(c.lun) || c.lun < 0 || c.lun > MAX_LUN) throw new TypeError(`lun must be 0..${MAX_LUN}, got ${c.lun}`);
  if (c.direction !== 'in' && c.direction !== 'out') throw new TypeError(`direction must be 'in' or 'out', got ${String(c.direction)}`);
  const w = new ByteWriter(CBW_LENGTH);
  w.u32le(0, CBW_SIGNATURE);
  w.u32le(4, c.tag);
  w.u32le(8, c.dataTransferLength);
  w.bit(12, 7, c.direction === 'in');
  w.bits(13, 0, 4, c.lun);
  w.bits(14, 0, 5, c.cb.length);
  w.bytes(15, c.cb);
  return w.buffer;
}

export type CbwDecode =
  | { valid: true; meaningful: true; cbw: CommandBlockWrapper }
  | { valid: true; meaningful: false; reason: string; cbw: CommandBlockWrapper }
  | { valid: false; reason: string };

/**
 * Device side: a CBW is valid when it is 31 bytes with the signature (§6.2.1); meaningful when no
 * reserved bit is set, bCBWCBLength is 1..16 and bCBWLUN is at most `maxLun` (§6.2.2).
 */
export function decodeCbw(buf: Uint8Array, maxLun = MAX_LUN): CbwDecode {
  if (buf.length !== CBW_LENGTH) return { valid: false, reason: `CBW of ${buf.length} bytes (a CBW is ${CBW_LENGTH})` };
  const r = new ByteReader(buf, { what: 'CBW' });
  const sig = r.u32le(0);
  if (sig !== CBW_SIGNATURE) return { valid: false, reason: `dCBWSignature ${hex32(sig)} is not ${hex32(CBW_SIGNATURE)}` };
  const cbLength = r.bits(14, 0, 5);
  const cbw: CommandBlockWrapper = {
    tag: r.u32le(4),
    dataTransferLength: r.u32le(8),
    direction: r.bit(12, 7) ? 'in' : 'out',
    lun: r.bits(13, 0, 4),
    cb: r.bytes(15, Math.min(Math.max(cbLength, 0), CBWCB_LENGTH)),
  };
  const reason =
    (r.u8(12) & 0x7f) !== 0 ? 'reserved bits of bmCBWFlags are set'
    : (r.u8(13) & 0xf0) !== 0 ? 'reserved bits of byte 13 are set'
    : (r.u8(14) & 0xe0) !== 0 ? 'reserved bits of byte 14 are set'
    : cbLength < 1 || cbLength > CBWCB_LENGTH ? `bCBWCBLength ${cbLength} is not 1..16`
    : cbw.lun > maxLun ? `bCBWLUN ${cbw.lun} above the device's highest LUN ${maxLun}`
    : undefined;
  return reason === undefined ? { valid: true, meaningful: true, cbw } : { valid: true, meaningful: false, reason, cbw };
}

export interface CommandStatusWrapper {
  tag: number;
  dataResidue: number;
  status: number;
}

export function encodeCsw(c: CommandStatusWrapper): Buffer {
  const w = new ByteWriter(CSW_LENGTH);
  w.u32le(0, CSW_SIGNATURE);
  w.u32le(4, c.tag);
  w.u32le(8, c.dataResidue);
  w.u8(12, c.status);
  return w.buffer;
}

export type CswDecode =
  | { ok: true; csw: CommandStatusWrapper }
  | { ok: false; reason: string; csw?: CommandStatusWrapper };

/**
 * Host side (§6.3): valid and meaningful for the command with `tag` and `dataTransferLength`, or the
 * reason it is not (then the host does a reset recovery). A phase error is a meaningful CSW: the
 * caller sees status 02h and does the reset recovery itself.
 */
export function decodeCsw(buf: Uint8Array, expect: { tag: number; dataTransferLength: number }): CswDecode {
  if (buf.length !== CSW_LENGTH) return { ok: false, reason: `CSW of ${buf.length} bytes (a CSW is ${CSW_LENGTH})` };
  const r = new ByteReader(buf, { what: 'CSW' });
  const sig = r.u32le(0);
  const csw: CommandStatusWrapper = { tag: r.u32le(4), dataResidue: r.u32le(8), status: r.u8(12) };
  if (sig !== CSW_SIGNATURE) return { ok: false, reason: `dCSWSignature ${hex32(sig)} is not ${hex32(CSW_SIGNATURE)}`, csw };
  if (csw.tag !== expect.tag >>> 0) return { ok: false, reason: `dCSWTag ${hex32(csw.tag)} does not match dCBWTag ${hex32(expect.tag >>> 0)}`, csw };
  if (csw.status > CswStatus.PHASE_ERROR) return { ok: false, reason: `bCSWStatus ${hex8(csw.status)} is reserved`, csw };
  if (csw.status !== CswStatus.PHASE_ERROR && csw.dataResidue > expect.dataTransferLength) {
    return { ok: false, reason: `dCSWDataResidue ${csw.dataResidue} exceeds dCBWDataTransferLength ${expect.dataTransferLength}`, csw };
  }
  return { ok: true, csw };
}

/** USBControlTransferParameters of the two class requests for interface `interfaceNumber`. */
export function botResetSetup(interfaceNumber: number) {
  return { requestType: 'class', recipient: 'interface', request: BotRequest.BULK_ONLY_MASS_STORAGE_RESET, value: 0, index: interfaceNumber } as const;
}
export function getMaxLunSetup(interfaceNumber: number) {
  return { requestType: 'class', recipient: 'interface', request: BotRequest.GET_MAX_LUN, value: 0, index: interfaceNumber } as const;
}

/** Get Max LUN reply: one byte; values above 15 are invalid (§3.2). */
export function decodeMaxLun(data: Uint8Array): number | undefined {
  if (data.length < 1) return undefined;
  const n = new ByteReader(data).u8(0);
  return n <= MAX_LUN ? n : undefined;
}

/** True for an interface of a BOT mass-storage device an MMC drive sits behind (class 08h, subclass 02h/06h, protocol 50h). */
export function isBotMmcInterface(alt: { interfaceClass: number; interfaceSubclass: number; interfaceProtocol: number }): boolean {
  return (
    alt.interfaceClass === MassStorage.INTERFACE_CLASS &&
    (alt.interfaceSubclass === MassStorage.SUBCLASS_MMC5 || alt.interfaceSubclass === MassStorage.SUBCLASS_SCSI_TRANSPARENT) &&
    alt.interfaceProtocol === MassStorage.PROTOCOL_BULK_ONLY
  );
}

function hex32(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
}
function hex8(v: number): string {
  return `0x${v.toString(16).padStart(2, '0')}`;
}
