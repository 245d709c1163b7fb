/**
 * INQUIRY vital product data pages (EVPD=1) — SPC-4 §7.8: 00h Supported VPD pages, 80h Unit serial
 * number, 83h Device identification. The CDB is in inquiry.ts.
 *
 * Every VPD page starts with (SPC-4 §7.8):
 *   byte 0     PERIPHERAL QUALIFIER (7-5) | PERIPHERAL DEVICE TYPE (4-0)
 *   byte 1     PAGE CODE
 *   bytes 2-3  PAGE LENGTH (n-3)
 *
 * 00h Supported VPD pages (SPC-4 §7.8): bytes 4-n SUPPORTED VPD PAGE LIST, ascending page codes.
 * 80h Unit serial number (SPC-4 §7.8): bytes 4-n PRODUCT SERIAL NUMBER (ASCII).
 * 83h Device identification (SPC-4 §7.8.6): bytes 4-n designation descriptors, each
 *   (table "Designation descriptor"):
 *   byte 0     PROTOCOL IDENTIFIER (7-4) | CODE SET (3-0)  (1 binary, 2 ASCII, 3 UTF-8)
 *   byte 1     PIV (7) | Reserved (6) | ASSOCIATION (5-4) | DESIGNATOR TYPE (3-0)
 *   byte 2     Reserved
 *   byte 3     DESIGNATOR LENGTH (n-3)
 *   bytes 4-n  DESIGNATOR
 * Designator types: 1 T10 vendor ID (8-byte T10 VENDOR IDENTIFICATION + vendor specific),
 * 2 EUI-64 (8, 12 or 16 bytes), 3 NAA (8 bytes for NAA 2/3/5, 16 for NAA 6), 4 relative target port
 * (4 bytes), 5 target port group (4), 6 logical unit group (4), 7 MD5 logical unit id (16),
 * 8 SCSI name string (UTF-8, null-terminated, null-padded to a multiple of 4; for iSCSI the target
 * name, and the target port as `<name>,t,0x<TPGT>`).
 */
import { invalidReply, replyReader } from '../codec.js';
import { ByteWriter, type ByteReader } from '../../wire/bytes.js';
import { uint } from './cdb-fields.js';

export const VpdPage = {
  SUPPORTED_VPD_PAGES: 0x00,
  UNIT_SERIAL_NUMBER: 0x80,
  DEVICE_IDENTIFICATION: 0x83,
} as const;

export const CodeSet = { BINARY: 1, ASCII: 2, UTF8: 3 } as const;
export const DesignatorAssociation = { LOGICAL_UNIT: 0, TARGET_PORT: 1, TARGET_DEVICE: 2 } as const;
export const DesignatorType = {
  VENDOR_SPECIFIC: 0,
  T10_VENDOR_ID: 1,
  EUI_64: 2,
  NAA: 3,
  RELATIVE_TARGET_PORT: 4,
  TARGET_PORT_GROUP: 5,
  LOGICAL_UNIT_GROUP: 6,
  MD5_LOGICAL_UNIT: 7,
  SCSI_NAME_STRING: 8,
} as const;
/** PROTOCOL IDENTIFIER values (SPC-4 table "PROTOCOL IDENTIFIER values"). */
export const ProtocolIdentifier = { FCP: 0x0, SPI: 0x1, SSA: 0x2, SBP: 0x3, SRP: 0x4, ISCSI: 0x5, SAS: 0x6, ADT: 0x7, ATA: 0x8, UAS: 0x9 } as const;

/** Fields every VPD page starts with. */
export interface VpdPageCommon {
  peripheralQualifier: number;
  peripheralDeviceType: number;
}

interface VpdReplyMeta {
  truncated: boolean;
  /** 4 + PAGE LENGTH; 4 when the header itself was cut off. */
  fullLength: number;
}

// --- shared header ---------------------------------------------------------------------------

function writeHeader(c: VpdPageCommon, page: number, body: number): ByteWriter {
  if (body > 0xffff) throw new TypeError(`VPD page ${page.toString(16)}h: ${body} bytes exceed PAGE LENGTH`);
  const w = new ByteWriter(4 + body);
  w.bits(0, 5, 3, uint('peripheralQualifier', c.peripheralQualifier, 7));
  w.bits(0, 0, 5, uint('peripheralDeviceType', c.peripheralDeviceType, 0x1f));
  w.u8(1, page);
  w.u16(2, body);
  return w;
}

function readHeader(buf: Uint8Array, page: number, what: string): { r: ByteReader; common: VpdPageCommon; meta: VpdReplyMeta } {
  const r = replyReader(buf, what);
  if (r.has(1) && r.u8(1) !== page) {
    throw invalidReply(`${what}: PAGE CODE ${r.u8(1).toString(16)}h in reply to a request for page ${page.toString(16)}h`);
  }
  const fullLength = r.has(2, 2) ? 4 + r.u16(2) : 4;
  return {
    r,
    common: { peripheralQualifier: r.bits(0, 5, 3), peripheralDeviceType: r.bits(0, 0, 5) },
    meta: { truncated: buf.length < fullLength, fullLength },
  };
}

// --- 00h Supported VPD pages -----------------------------------------------------------------

export interface SupportedVpdPages extends VpdPageCommon {
  /** Page codes in ascending order (00h itself included). */
  supportedPages: number[];
}
export type SupportedVpdPagesReply = SupportedVpdPages & VpdReplyMeta;

export function encodeSupportedVpdPagesReply(p: SupportedVpdPages): Buffer {
  const w = writeHeader(p, VpdPage.SUPPORTED_VPD_PAGES, p.supportedPages.length);
  p.supportedPages.forEach((c, i) => {
    uint(`supportedPages[${i}]`, c, 0xff);
    if (i > 0 && c <= p.supportedPages[i - 1]!) throw new TypeError('supportedPages must be in ascending order');
    w.u8(4 + i, c);
  });
  return w.buffer;
}

export function decodeSupportedVpdPagesReply(buf: Uint8Array): SupportedVpdPagesReply {
  const what = 'Supported VPD pages';
  const { r, common, meta } = readHeader(buf, VpdPage.SUPPORTED_VPD_PAGES, what);
  const supportedPages: number[] = [];
  for (let o = 4; o < meta.fullLength && r.has(o); o++) {
    const c = r.u8(o);
    if (supportedPages.length > 0 && c <= supportedPages[supportedPages.length - 1]!) {
      throw invalidReply(`${what}: page list not in ascending order at byte ${o}`);
    }
    supportedPages.push(c);
  }
  return { ...common, supportedPages, ...meta };
}

// --- 80h Unit serial number ------------------------------------------------------------------

export interface UnitSerialNumber extends VpdPageCommon {
  /** PRODUCT SERIAL NUMBER, ASCII; leading/trailing spaces and NULs are dropped on decode. */
  productSerialNumber: string;
}
export type UnitSerialNumberReply = UnitSerialNumber & VpdReplyMeta;

export function encodeUnitSerialNumberReply(p: UnitSerialNumber): Buffer {
  const sn = p.productSerialNumber;
  if (!/^[\x20-\x7e]*$/.test(sn)) throw new TypeError('productSerialNumber must be printable ASCII');
  const w = writeHeader(p, VpdPage.UNIT_SERIAL_NUMBER, sn.length);
  w.ascii(4, sn.length, sn);
  return w.buffer;
}

export function decodeUnitSerialNumberReply(buf: Uint8Array): UnitSerialNumberReply {
  const what = 'Unit serial number VPD page';
  const { r, common, meta } = readHeader(buf, VpdPage.UNIT_SERIAL_NUMBER, what);
  const n = Math.max(0, Math.min(meta.fullLength, buf.length) - 4);
  const raw = r.bytes(4, n);
  const bad = raw.findIndex((b) => b !== 0 && (b < 0x20 || b > 0x7e));
  if (bad >= 0) throw invalidReply(`${what}: byte ${4 + bad} (${raw[bad]!.toString(16)}h) is not ASCII`);
  return { ...common, productSerialNumber: raw.toString('latin1').replace(/^[ \0]+|[ \0]+$/g, ''), ...meta };
}

// --- 83h Device identification ---------------------------------------------------------------

export interface DesignationDescriptor {
  /** Meaningful only when `piv` is set (and association is target port or target device). */
  protocolIdentifier: number;
  codeSet: number;
  piv: boolean;
  association: number;
  designatorType: number;
  designator: Buffer;
}

export interface DeviceIdentification extends VpdPageCommon {
  designators: DesignationDescriptor[];
}
export type DeviceIdentificationReply = DeviceIdentification & VpdReplyMeta;

/** T10 vendor ID designator: 8-byte vendor (space-padded) + vendor specific identifier, ASCII. */
export function t10VendorIdDesignator(vendor: string, vendorSpecific: string, association: number = DesignatorAssociation.LOGICAL_UNIT): DesignationDescriptor {
  const w = new ByteWriter(8 + vendorSpecific.length);
  w.ascii(0, 8, vendor);
  w.ascii(8, vendorSpecific.length, vendorSpecific);
  return { protocolIdentifier: 0, codeSet: CodeSet.ASCII, piv: false, association, designatorType: DesignatorType.T10_VENDOR_ID, designator: w.buffer };
}

/** NAA designator (binary; 8 bytes for NAA 2/3/5, 16 for NAA 6). */
export function naaDesignator(naa: Uint8Array, association: number = DesignatorAssociation.LOGICAL_UNIT): DesignationDescriptor {
  const d: DesignationDescriptor = { protocolIdentifier: 0, codeSet: CodeSet.BINARY, piv: false, association, designatorType: DesignatorType.NAA, designator: Buffer.from(naa) };
  const err = designatorProblem(d);
  if (err) throw new TypeError(`naa: ${err}`);
  return d;
}

/** EUI-64 based designator (binary; 8, 12 or 16 bytes). */
export function eui64Designator(eui: Uint8Array, association: number = DesignatorAssociation.LOGICAL_UNIT): DesignationDescriptor {
  if (![8, 12, 16].includes(eui.length)) throw new TypeError('eui must be 8, 12 or 16 bytes');
  return { protocolIdentifier: 0, codeSet: CodeSet.BINARY, piv: false, association, designatorType: DesignatorType.EUI_64, designator: Buffer.from(eui) };
}

/** Relative target port designator (association: target port). */
export function relativeTargetPortDesignator(port: number): DesignationDescriptor {
  const w = new ByteWriter(4).u16(2, uint('port', port, 0xffff));
  return { protocolIdentifier: 0, codeSet: CodeSet.BINARY, piv: false, association: DesignatorAssociation.TARGET_PORT, designatorType: DesignatorType.RELATIVE_TARGET_PORT, designator: w.buffer };
}

/** SCSI name string designator: UTF-8, null-terminated, null-padded to a multiple of 4. */
export function scsiNameStringDesignator(name: string, association: number, protocolIdentifier?: number): DesignationDescriptor {
  const text = Buffer.from(name, 'utf8');
  if (text.includes(0)) throw new TypeError('name must not contain NUL');
  const len = (text.length + 1 + 3) & ~3;
  if (len > 252) throw new TypeError('name too long for a SCSI name string designator');
  const designator = Buffer.alloc(len);
  text.copy(designator);
  return {
    protocolIdentifier: protocolIdentifier ?? 0,
    codeSet: CodeSet.UTF8,
    piv: protocolIdentifier !== undefined,
    association,
    designatorType: DesignatorType.SCSI_NAME_STRING,
    designator,
  };
}

/** iSCSI target device name (`iqn.…`), association target device, PIV with protocol iSCSI. */
export function iscsiTargetNameDesignator(targetName: string): DesignationDescriptor {
  return scsiNameStringDesignator(targetName, DesignatorAssociation.TARGET_DEVICE, ProtocolIdentifier.ISCSI);
}

/** iSCSI target port name `<name>,t,0x<TPGT>` (TPGT as 4 hex digits), association target port. */
export function iscsiTargetPortDesignator(targetName: string, tpgt: number): DesignationDescriptor {
  const t = uint('tpgt', tpgt, 0xffff).toString(16).padStart(4, '0');
  return scsiNameStringDesignator(`${targetName},t,0x${t}`, DesignatorAssociation.TARGET_PORT, ProtocolIdentifier.ISCSI);
}

/** Text of an ASCII/UTF-8 designator (up to its first NUL); undefined for binary ones. */
export function designatorText(d: DesignationDescriptor): string | undefined {
  if (d.codeSet !== CodeSet.ASCII && d.codeSet !== CodeSet.UTF8) return undefined;
  const end = d.designator.indexOf(0);
  return d.designator.subarray(0, end < 0 ? d.designator.length : end).toString(d.codeSet === CodeSet.UTF8 ? 'utf8' : 'latin1');
}

/** Why a designator's length or code set does not fit its type (SPC-4 §7.8.6), or undefined. */
function designatorProblem(d: DesignationDescriptor): string | undefined {
  const n = d.designator.length;
  switch (d.designatorType) {
    case DesignatorType.T10_VENDOR_ID:
      return n < 8 ? `T10 vendor ID designator of ${n} bytes (needs 8 + vendor specific)` : undefined;
    case DesignatorType.EUI_64:
      return [8, 12, 16].includes(n) ? undefined : `EUI-64 designator of ${n} bytes (8, 12 or 16)`;
    case DesignatorType.NAA: {
      const naa = n > 0 ? d.designator[0]! >> 4 : -1;
      const want = naa === 6 ? 16 : naa === 2 || naa === 3 || naa === 5 ? 8 : undefined;
      if (want === undefined) return `reserved NAA ${naa}`;
      return n === want ? undefined : `NAA ${naa} designator of ${n} bytes (needs ${want})`;
    }
    case DesignatorType.RELATIVE_TARGET_PORT:
    case DesignatorType.TARGET_PORT_GROUP:
    case DesignatorType.LOGICAL_UNIT_GROUP:
      return n === 4 ? undefined : `designator type ${d.designatorType} of ${n} bytes (needs 4)`;
    case DesignatorType.MD5_LOGICAL_UNIT:
      return n === 16 ? undefined : `MD5 designator of ${n} bytes (needs 16)`;
    case DesignatorType.SCSI_NAME_STRING:
      if (d.codeSet !== CodeSet.UTF8) return `SCSI name string with code set ${d.codeSet} (needs 3, UTF-8)`;
      if (n % 4 !== 0 || n === 0) return `SCSI name string of ${n} bytes (a multiple of 4)`;
      return d.designator.includes(0) ? undefined : 'SCSI name string without a terminating NUL';
    default:
      return undefined;
  }
}

export function encodeDeviceIdentificationReply(p: DeviceIdentification): Buffer {
  const body = p.designators.reduce((n, d) => n + 4 + d.designator.length, 0);
  const w = writeHeader(p, VpdPage.DEVICE_IDENTIFICATION, body);
  let o = 4;
  p.designators.forEach((d, i) => {
    const err = designatorProblem(d);
    if (err) throw new TypeError(`designators[${i}]: ${err}`);
    if (d.designator.length > 0xff) throw new TypeError(`designators[${i}]: longer than 255 bytes`);
    w.bits(o, 4, 4, uint(`designators[${i}].protocolIdentifier`, d.protocolIdentifier, 0xf));
    w.bits(o, 0, 4, uint(`designators[${i}].codeSet`, d.codeSet, 0xf));
    w.bit(o + 1, 7, d.piv);
    w.bits(o + 1, 4, 2, uint(`designators[${i}].association`, d.association, 3));
    w.bits(o + 1, 0, 4, uint(`designators[${i}].designatorType`, d.designatorType, 0xf));
    w.u8(o + 3, d.designator.length);
    w.bytes(o + 4, d.designator);
    o += 4 + d.designator.length;
  });
  return w.buffer;
}

export function decodeDeviceIdentificationReply(buf: Uint8Array): DeviceIdentificationReply {
  const what = 'Device identification VPD page';
  const { r, common, meta } = readHeader(buf, VpdPage.DEVICE_IDENTIFICATION, what);
  const end = meta.fullLength;
  const designators: DesignationDescriptor[] = [];
  let o = 4;
  while (o < end) {
    if (o + 4 > end) throw invalidReply(`${what}: ${end - o} stray byte(s) at ${o}, less than a descriptor header`);
    if (!r.has(o, 4)) break; // cut by the allocation length
    const len = r.u8(o + 3);
    if (o + 4 + len > end) throw invalidReply(`${what}: designation descriptor at byte ${o} runs past PAGE LENGTH`);
    if (!r.has(o + 4, len)) break;
    const d: DesignationDescriptor = {
      protocolIdentifier: r.bits(o, 4, 4),
      codeSet: r.bits(o, 0, 4),
      piv: r.bit(o + 1, 7),
      association: r.bits(o + 1, 4, 2),
      designatorType: r.bits(o + 1, 0, 4),
      designator: r.bytes(o + 4, len),
    };
    const err = designatorProblem(d);
    if (err) throw invalidReply(`${what}: descriptor at byte ${o}: ${err}`);
    designators.push(d);
    o += 4 + len;
  }
  return { ...common, designators, ...meta };
}
