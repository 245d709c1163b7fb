/**
 * INQUIRY (12h) — SPC-4 §6.6; MMC-6 clause 6. The CDB, and the standard INQUIRY data. The VPD pages
 * (EVPD=1) are in inquiry-vpd.ts.
 *
 * CDB (SPC-4 §6.6.1, table "INQUIRY command"):
 *   byte 0     OPERATION CODE (12h)
 *   byte 1     Reserved (7-2) | Obsolete, was CMDDT (1) | EVPD (0)
 *   byte 2     PAGE CODE            (must be 0 when EVPD=0: INVALID FIELD IN CDB)
 *   bytes 3-4  ALLOCATION LENGTH
 *   byte 5     CONTROL
 *
 * Standard INQUIRY data (SPC-4 §6.6.2, table "Standard INQUIRY data format"; at least 36 bytes):
 *   byte 0      PERIPHERAL QUALIFIER (7-5) | PERIPHERAL DEVICE TYPE (4-0)   (MMC: 05h CD/DVD)
 *   byte 1      RMB (7) | Reserved
 *   byte 2      VERSION (04h SPC-2, 05h SPC-3, 06h SPC-4)
 *   byte 3      Obsolete (7-6) | NORMACA (5) | HISUP (4) | RESPONSE DATA FORMAT (3-0) = 2
 *   byte 4      ADDITIONAL LENGTH (n-4)
 *   byte 5      SCCS (7) | ACC (6) | TPGS (5-4) | 3PC (3) | Reserved (2-1) | PROTECT (0)
 *   byte 6      Obsolete (7) | ENCSERV (6) | VS (5) | MULTIP (4) | Obsolete (3-1) | ADDR16 (0, SPI only)
 *   byte 7      Obsolete (7-6) | WBUS16 (5) | SYNC (4) (SPI only) | Obsolete (3-2) | CMDQUE (1) | VS (0)
 *   bytes 8-15  T10 VENDOR IDENTIFICATION (ASCII, left-aligned, space-padded)
 *   bytes 16-31 PRODUCT IDENTIFICATION
 *   bytes 32-35 PRODUCT REVISION LEVEL
 *   bytes 36-55 Vendor specific
 *   byte 56     Reserved (7-4) | CLOCKING (3-2) | QAS (1) | IUS (0)  (SPI only)
 *   byte 57     Reserved
 *   bytes 58-73 VERSION DESCRIPTOR 1..8 (2 bytes each; e.g. SAM-5 00A0h, SPC-4 0460h, MMC-6 04E0h,
 *               iSCSI 0960h — "no version claimed" codes of SPC-4 table "Version descriptor values")
 *   bytes 74-95 Reserved
 *   bytes 96-n  Vendor specific parameters
 */
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidCdbField, invalidReply, replyReader, type CdbCommon, type DataDirection } from '../codec.js';
import { ByteWriter } from '../../wire/bytes.js';
import { expectOpcode, readControl, rejectBits, uint, writeControl } from './cdb-fields.js';

export const INQUIRY_CDB_LENGTH = 6;
export const INQUIRY_DIRECTION: DataDirection = 'in';
/** Minimum size of standard INQUIRY data (SPC-4 §6.6.2). */
export const STANDARD_INQUIRY_MIN_LENGTH = 36;
/** Size of standard INQUIRY data up to the end of the version descriptors' reserved tail. */
export const STANDARD_INQUIRY_FULL_LENGTH = 96;

/** PERIPHERAL QUALIFIER (SPC-4 §6.6.2). */
export const PeripheralQualifier = {
  CONNECTED: 0b000,
  NOT_CONNECTED: 0b001,
  /** No logical unit here: the device type must then be 1Fh. */
  NOT_SUPPORTED: 0b011,
} as const;

/** PERIPHERAL DEVICE TYPE values used here (SPC-4 §6.6.2). */
export const PeripheralDeviceType = {
  DIRECT_ACCESS: 0x00,
  CD_DVD: 0x05,
  OPTICAL_MEMORY: 0x07,
  WELL_KNOWN_LOGICAL_UNIT: 0x1e,
  UNKNOWN: 0x1f,
} as const;

/** VERSION field values (SPC-4 §6.6.2). */
export const InquiryVersion = {
  NONE: 0x00,
  SPC_2: 0x04,
  SPC_3: 0x05,
  SPC_4: 0x06,
} as const;

/** "No version claimed" version descriptors (SPC-4 table "Version descriptor values"). */
export const VersionDescriptor = {
  SAM_5: 0x00a0,
  SPC_3: 0x0300,
  MMC_5: 0x0420,
  SPC_4: 0x0460,
  SBC_3: 0x04c0,
  MMC_6: 0x04e0,
  ISCSI: 0x0960,
} as const;

export interface InquiryCdb extends CdbCommon {
  /** EVPD: return the vital product data page `pageCode` instead of standard data. */
  evpd: boolean;
  pageCode: number;
  allocationLength: number;
}

export function encodeInquiryCdb(params: InquiryCdb): Buffer {
  const w = new ByteWriter(INQUIRY_CDB_LENGTH);
  w.u8(0, Opcode.INQUIRY);
  w.bit(1, 0, params.evpd);
  const page = uint('pageCode', params.pageCode, 0xff);
  if (!params.evpd && page !== 0) throw new TypeError('pageCode must be 0 when evpd is false');
  w.u8(2, page);
  w.u16(3, uint('allocationLength', params.allocationLength, 0xffff));
  writeControl(w, 5, params.control);
  return w.buffer;
}

export function decodeInquiryCdb(cdb: Uint8Array): InquiryCdb {
  const what = 'INQUIRY';
  const r = cdbReader(cdb, INQUIRY_CDB_LENGTH, what);
  expectOpcode(r, Opcode.INQUIRY, what);
  rejectBits(r, 1, 0xfe, what); // reserved, and the obsolete CMDDT bit
  const evpd = r.bit(1, 0);
  const pageCode = r.u8(2);
  if (!evpd && pageCode !== 0) throw invalidCdbField(2, `${what}: PAGE CODE ${pageCode} with EVPD=0`, 7);
  return { evpd, pageCode, allocationLength: r.u16(3), ...readControl(r, 5, what) };
}

export interface StandardInquiryData {
  peripheralQualifier: number;
  peripheralDeviceType: number;
  /** RMB: removable medium (1 for MMC drives). */
  rmb: boolean;
  version: number;
  normaca: boolean;
  hisup: boolean;
  /** 2 (values below 2 are obsolete formats, above 2 reserved). */
  responseDataFormat: number;
  sccs: boolean;
  acc: boolean;
  /** TPGS: target port group support (2 bits). */
  tpgs: number;
  threePc: boolean;
  protect: boolean;
  encserv: boolean;
  multip: boolean;
  cmdque: boolean;
  /** T10 VENDOR IDENTIFICATION (8 bytes; trailing spaces dropped on decode). */
  vendorIdentification: string;
  /** PRODUCT IDENTIFICATION (16 bytes). */
  productIdentification: string;
  /** PRODUCT REVISION LEVEL (4 bytes). */
  productRevisionLevel: string;
  /** Bytes 36-55 (20 bytes; shorter is zero-padded). Decoded only when not all zero. */
  vendorSpecific?: Buffer;
  /** Non-zero VERSION DESCRIPTORs, at most 8. */
  versionDescriptors: number[];
  /** Bytes 96-n. */
  vendorSpecificParameters?: Buffer;
}

export interface StandardInquiryReply extends StandardInquiryData {
  truncated: boolean;
  /** 5 + ADDITIONAL LENGTH; 36 when byte 4 itself was cut off. */
  fullLength: number;
}

/** Typical standard INQUIRY data of an MMC drive: PDT 05h, removable, SPC-4, HiSup, format 2. */
export function mmcStandardInquiryData(ident: {
  vendorIdentification: string;
  productIdentification: string;
  productRevisionLevel: string;
  versionDescriptors?: number[];
}): StandardInquiryData {
  return {
    peripheralQualifier: PeripheralQualifier.CONNECTED,
    peripheralDeviceType: PeripheralDeviceType.CD_DVD,
    rmb: true,
    version: InquiryVersion.SPC_4,
    normaca: false,
    hisup: true,
    responseDataFormat: 2,
    sccs: false,
    acc: false,
    tpgs: 0,
    threePc: false,
    protect: false,
    encserv: false,
    multip: false,
    cmdque: true,
    vendorIdentification: ident.vendorIdentification,
    productIdentification: ident.productIdentification,
    productRevisionLevel: ident.productRevisionLevel,
    versionDescriptors: ident.versionDescriptors ?? [VersionDescriptor.SAM_5, VersionDescriptor.SPC_4, VersionDescriptor.MMC_6],
  };
}

/**
 * Standard INQUIRY data: 36 bytes, or 96 (+ vendor specific parameters) when vendor specific bytes
 * or version descriptors are given. The emulator cuts it to the allocation length.
 */
export function encodeInquiryReply(d: StandardInquiryData): Buffer {
  const vs = d.vendorSpecific;
  if (vs && vs.length > 20) throw new TypeError('vendorSpecific must be at most 20 bytes');
  if (d.versionDescriptors.length > 8) throw new TypeError('versionDescriptors holds at most 8 entries');
  const tail = d.vendorSpecificParameters;
  const long = vs !== undefined || d.versionDescriptors.length > 0 || tail !== undefined;
  const len = long ? STANDARD_INQUIRY_FULL_LENGTH + (tail?.length ?? 0) : STANDARD_INQUIRY_MIN_LENGTH;
  if (len - 5 > 0xff) throw new TypeError('vendorSpecificParameters too long for ADDITIONAL LENGTH');
  const w = new ByteWriter(len);
  w.bits(0, 5, 3, uint('peripheralQualifier', d.peripheralQualifier, 7));
  w.bits(0, 0, 5, uint('peripheralDeviceType', d.peripheralDeviceType, 0x1f));
  w.bit(1, 7, d.rmb);
  w.u8(2, uint('version', d.version, 0xff));
  w.bit(3, 5, d.normaca).bit(3, 4, d.hisup);
  w.bits(3, 0, 4, uint('responseDataFormat', d.responseDataFormat, 0xf));
  w.u8(4, len - 5);
  w.bit(5, 7, d.sccs).bit(5, 6, d.acc).bits(5, 4, 2, uint('tpgs', d.tpgs, 3)).bit(5, 3, d.threePc).bit(5, 0, d.protect);
  w.bit(6, 6, d.encserv).bit(6, 4, d.multip);
  w.bit(7, 1, d.cmdque);
  w.ascii(8, 8, d.vendorIdentification);
  w.ascii(16, 16, d.productIdentification);
  w.ascii(32, 4, d.productRevisionLevel);
  if (vs) w.bytes(36, vs);
  d.versionDescriptors.forEach((v, i) => w.u16(58 + 2 * i, uint(`versionDescriptors[${i}]`, v, 0xffff)));
  if (tail) w.bytes(96, tail);
  return w.buffer;
}

export function decodeInquiryReply(buf: Uint8Array): StandardInquiryReply {
  const r = replyReader(buf, 'standard INQUIRY data');
  const pq = r.bits(0, 5, 3);
  const pdt = r.bits(0, 0, 5);
  if (pq === PeripheralQualifier.NOT_SUPPORTED && pdt !== PeripheralDeviceType.UNKNOWN && r.has(0)) {
    throw invalidReply(`INQUIRY: peripheral qualifier 011b with device type ${pdt.toString(16)}h (must be 1Fh)`);
  }
  const rdf = r.bits(3, 0, 4);
  if (r.has(3) && rdf > 2) throw invalidReply(`INQUIRY: reserved RESPONSE DATA FORMAT ${rdf}`);
  const haveLength = r.has(4);
  const fullLength = haveLength ? 5 + r.u8(4) : STANDARD_INQUIRY_MIN_LENGTH;
  if (haveLength && rdf === 2 && fullLength < STANDARD_INQUIRY_MIN_LENGTH) {
    throw invalidReply(`INQUIRY: ADDITIONAL LENGTH ${fullLength - 5} leaves less than the 36 bytes format 2 requires`);
  }
  const versionDescriptors: number[] = [];
  for (let i = 0; i < 8; i++) {
    const off = 58 + 2 * i;
    if (off + 2 > fullLength || !r.has(off, 2)) break;
    const v = r.u16(off);
    if (v !== 0) versionDescriptors.push(v);
  }
  const out: StandardInquiryReply = {
    peripheralQualifier: pq,
    peripheralDeviceType: pdt,
    rmb: r.bit(1, 7),
    version: r.u8(2),
    normaca: r.bit(3, 5),
    hisup: r.bit(3, 4),
    responseDataFormat: rdf,
    sccs: r.bit(5, 7),
    acc: r.bit(5, 6),
    tpgs: r.bits(5, 4, 2),
    threePc: r.bit(5, 3),
    protect: r.bit(5, 0),
    encserv: r.bit(6, 6),
    multip: r.bit(6, 4),
    cmdque: r.bit(7, 1),
    vendorIdentification: r.ascii(8, 8),
    productIdentification: r.ascii(16, 16),
    productRevisionLevel: r.ascii(32, 4),
    versionDescriptors,
    truncated: buf.length < fullLength,
    fullLength,
  };
  if (fullLength > 36) {
    const vs = r.bytes(36, Math.min(fullLength, 56) - 36);
    if (vs.some((b) => b !== 0)) out.vendorSpecific = Buffer.concat([vs, Buffer.alloc(20 - vs.length)]);
  }
  if (fullLength > 96 && buf.length > 96) out.vendorSpecificParameters = r.bytes(96, Math.min(fullLength, buf.length) - 96);
  return out;
}
