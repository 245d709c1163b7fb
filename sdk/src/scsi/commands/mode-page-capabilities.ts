/**
 * MM Capabilities and Mechanical Status mode page (2Ah) — MMC-3 §6.3.11, table "CD/DVD Capabilities
 * and Mechanical Status Page", and table "Logical Unit Write Speed Performance Descriptor"; kept as a
 * legacy page in MMC-5/MMC-6 (MMC-5 Annex E). Not changeable by MODE SELECT.
 *
 *   byte 0      PS (7) | Reserved (6) | PAGE CODE (2Ah)
 *   byte 1      PAGE LENGTH (1Eh + 4n)
 *   byte 2      Reserved (7-6) | DVD-RAM Read (5) | DVD-R Read (4) | DVD-ROM Read (3) | Method 2 (2) |
 *               CD-RW Read (1) | CD-R Read (0)
 *   byte 3      Reserved (7-6) | DVD-RAM Write (5) | DVD-R Write (4) | Reserved (3) | Test Write (2) |
 *               CD-RW Write (1) | CD-R Write (0)
 *   byte 4      BUF (7) | Multi Session (6) | Mode 2 Form 2 (5) | Mode 2 Form 1 (4) | Digital Port 2 (3) |
 *               Digital Port 1 (2) | Composite (1) | Audio Play (0)
 *   byte 5      Read Bar Code (7) | UPC (6) | ISRC (5) | C2 Pointers Supported (4) |
 *               R-W Deinterleaved & Corrected (3) | R-W Supported (2) | CD-DA Stream Is Accurate (1) |
 *               CD-DA Commands Supported (0)
 *   byte 6      Loading Mechanism Type (7-5) | Reserved (4) | Eject (3) | Prevent Jumper (2) |
 *               Lock State (1) | Lock (0)
 *   byte 7      Reserved (7-6) | R-W in Lead-in (5) | Side Change Capable (4) | S/W Slot Selection (3) |
 *               Changer Supports Disc Present (2) | Separate Channel Mute (1) | Separate Volume Levels (0)
 *   bytes 8-9   Obsolete (Maximum Read Speed Supported, kB/s)
 *   bytes 10-11 Number of Volume Levels Supported
 *   bytes 12-13 Buffer Size Supported (KB)
 *   bytes 14-15 Obsolete (Current Read Speed Selected, kB/s)
 *   byte 16     Reserved
 *   byte 17     Reserved (7-6) | Length (5-4) | LSBF (3) | RCK (2) | BCKF (1) | Reserved (0)
 *   bytes 18-19 Obsolete (Maximum Write Speed Supported, kB/s)
 *   bytes 20-21 Obsolete (Current Write Speed Selected, kB/s)
 *   bytes 22-23 Copy Management Revision Supported
 *   bytes 24-26 Reserved
 *   byte 27     Reserved (7-2) | Rotation Control Selected (1-0)
 *   bytes 28-29 Current Write Speed Selected (kB/s)
 *   bytes 30-31 Number of Logical Unit Write Speed Performance Descriptor Tables (n)
 *   bytes 32..  n descriptors of 4 bytes:
 *                 byte 0 Reserved; byte 1 Reserved (7-3) | Rotation Control (2-0);
 *                 bytes 2-3 Write Speed Supported (kB/s)
 *
 * The fixed part is 32 bytes (the descriptor count at bytes 30-31, where libburn, cdrecord and cdemu
 * read it), so the encoder writes PAGE LENGTH 1Eh + 4n. Older drives send shorter pages (MMC-1: 14h,
 * MMC-2: 18h, QEMU's ATAPI model: 12h): fields past the page's end decode as zero and the page has no
 * descriptors. Descriptors that the count promises but that do not fit the page are a contradiction.
 */
import { ByteReader, ByteWriter } from '../../wire/bytes.js';
import { invalidReply } from '../codec.js';
import { uint } from './cdb-fields.js';
import { bool } from './arg-checks.js';
import { ModePageCode } from './mode-page-format.js';

/** Size of the page up to and including the descriptor count (MMC-3). */
export const CAPABILITIES_PAGE_FIXED_LENGTH = 32;

/** Rotation Control of page 2Ah (MMC-3): 0 CLV (or non-pure CAV), 1 pure CAV. */
export const CapabilitiesRotationControl = {
  CLV: 0,
  CAV: 1,
} as const;

export interface WriteSpeedPerformanceDescriptor {
  /** Rotation Control (`CapabilitiesRotationControl`), 3 bits. */
  rotationControl: number;
  /** Write Speed Supported, kB/s (1 kB = 1000 bytes). */
  writeSpeed: number;
}

export interface CapabilitiesPage {
  kind: 'capabilities';
  ps: boolean;
  dvdRamRead: boolean;
  dvdRRead: boolean;
  dvdRomRead: boolean;
  /** Reads fixed-packet (Method 2) CD-R media. */
  method2: boolean;
  cdRwRead: boolean;
  cdRRead: boolean;
  dvdRamWrite: boolean;
  dvdRWrite: boolean;
  testWrite: boolean;
  cdRwWrite: boolean;
  cdRWrite: boolean;
  /** BUF: buffer under-run free recording supported. */
  buf: boolean;
  multiSession: boolean;
  mode2Form2: boolean;
  mode2Form1: boolean;
  digitalPort2: boolean;
  digitalPort1: boolean;
  composite: boolean;
  audioPlay: boolean;
  readBarCode: boolean;
  upc: boolean;
  isrc: boolean;
  c2Pointers: boolean;
  rwDeinterleavedCorrected: boolean;
  rwSupported: boolean;
  cddaStreamAccurate: boolean;
  cddaCommands: boolean;
  /** Loading Mechanism Type, 3 bits: the codes of `LoadingMechanism` (get-configuration.ts), 1 = tray. */
  loadingMechanism: number;
  eject: boolean;
  preventJumper: boolean;
  lockState: boolean;
  lock: boolean;
  rwInLeadIn: boolean;
  sideChangeCapable: boolean;
  swSlotSelection: boolean;
  changerDiscPresent: boolean;
  separateChannelMute: boolean;
  separateVolumeLevels: boolean;
  /** Obsolete in MMC-3, kB/s. */
  maxReadSpeed: number;
  volumeLevels: number;
  /** Buffer size, KB (1024 bytes). */
  bufferSize: number;
  /** Obsolete in MMC-3, kB/s. */
  currentReadSpeed: number;
  /** Digital output: Length (2 bits), LSBF, RCK, BCKF. */
  digitalOutputLength: number;
  lsbf: boolean;
  rck: boolean;
  bckf: boolean;
  /** Obsolete in MMC-3, kB/s. */
  maxWriteSpeed: number;
  /** Obsolete in MMC-3 (bytes 20-21), kB/s. */
  currentWriteSpeed: number;
  copyManagementRevision: number;
  /** Rotation Control Selected (2 bits). */
  rotationControlSelected: number;
  /** Current Write Speed Selected (bytes 28-29), kB/s. */
  currentWriteSpeedSelected: number;
  writeSpeedDescriptors: WriteSpeedPerformanceDescriptor[];
}

const b = (v: boolean, bit: number) => (v ? 1 << bit : 0);

/** The whole page (header included), PAGE LENGTH 1Eh + 4n. */
export function encodeCapabilitiesPage(p: CapabilitiesPage): Buffer {
  const n = p.writeSpeedDescriptors.length;
  const len = CAPABILITIES_PAGE_FIXED_LENGTH - 2 + 4 * n;
  if (len > 0xff) throw new TypeError(`writeSpeedDescriptors: ${n} descriptors do not fit a page (at most 56)`);
  const w = new ByteWriter(2 + len);
  w.u8(0, b(bool('ps', p.ps), 7) | ModePageCode.CAPABILITIES_AND_MECHANICAL_STATUS);
  w.u8(1, len);
  w.u8(2, b(bool('dvdRamRead', p.dvdRamRead), 5) | b(bool('dvdRRead', p.dvdRRead), 4) | b(bool('dvdRomRead', p.dvdRomRead), 3) |
    b(bool('method2', p.method2), 2) | b(bool('cdRwRead', p.cdRwRead), 1) | b(bool('cdRRead', p.cdRRead), 0));
  w.u8(3, b(bool('dvdRamWrite', p.dvdRamWrite), 5) | b(bool('dvdRWrite', p.dvdRWrite), 4) | b(bool('testWrite', p.testWrite), 2) |
    b(bool('cdRwWrite', p.cdRwWrite), 1) | b(bool('cdRWrite', p.cdRWrite), 0));
  w.u8(4, b(bool('buf', p.buf), 7) | b(bool('multiSession', p.multiSession), 6) | b(bool('mode2Form2', p.mode2Form2), 5) |
    b(bool('mode2Form1', p.mode2Form1), 4) | b(bool('digitalPort2', p.digitalPort2), 3) | b(bool('digitalPort1', p.digitalPort1), 2) |
    b(bool('composite', p.composite), 1) | b(bool('audioPlay', p.audioPlay), 0));
  w.u8(5, b(bool('readBarCode', p.readBarCode), 7) | b(bool('upc', p.upc), 6) | b(bool('isrc', p.isrc), 5) |
    b(bool('c2Pointers', p.c2Pointers), 4) | b(bool('rwDeinterleavedCorrected', p.rwDeinterleavedCorrected), 3) |
    b(bool('rwSupported', p.rwSupported), 2) | b(bool('cddaStreamAccurate', p.cddaStreamAccurate), 1) |
    b(bool('cddaCommands', p.cddaCommands), 0));
  w.u8(6, (uint('loadingMechanism', p.loadingMechanism, 7) << 5) | b(bool('eject', p.eject), 3) |
    b(bool('preventJumper', p.preventJumper), 2) | b(bool('lockState', p.lockState), 1) | b(bool('lock', p.lock), 0));
  w.u8(7, b(bool('rwInLeadIn', p.rwInLeadIn), 5) | b(bool('sideChangeCapable', p.sideChangeCapable), 4) |
    b(bool('swSlotSelection', p.swSlotSelection), 3) | b(bool('changerDiscPresent', p.changerDiscPresent), 2) |
    b(bool('separateChannelMute', p.separateChannelMute), 1) | b(bool('separateVolumeLevels', p.separateVolumeLevels), 0));
  w.u16(8, uint('maxReadSpeed', p.maxReadSpeed, 0xffff));
  w.u16(10, uint('volumeLevels', p.volumeLevels, 0xffff));
  w.u16(12, uint('bufferSize', p.bufferSize, 0xffff));
  w.u16(14, uint('currentReadSpeed', p.currentReadSpeed, 0xffff));
  w.u8(17, (uint('digitalOutputLength', p.digitalOutputLength, 3) << 4) | b(bool('lsbf', p.lsbf), 3) | b(bool('rck', p.rck), 2) |
    b(bool('bckf', p.bckf), 1));
  w.u16(18, uint('maxWriteSpeed', p.maxWriteSpeed, 0xffff));
  w.u16(20, uint('currentWriteSpeed', p.currentWriteSpeed, 0xffff));
  w.u16(22, uint('copyManagementRevision', p.copyManagementRevision, 0xffff));
  w.u8(27, uint('rotationControlSelected', p.rotationControlSelected, 3));
  w.u16(28, uint('currentWriteSpeedSelected', p.currentWriteSpeedSelected, 0xffff));
  w.u16(30, n);
  p.writeSpeedDescriptors.forEach((d, i) => {
    w.u8(33 + 4 * i, uint('rotationControl', d.rotationControl, 7));
    w.u16(34 + 4 * i, uint('writeSpeed', d.writeSpeed, 0xffff));
  });
  return w.buffer;
}

/**
 * Decodes a whole page 2Ah (exactly 2 + PAGE LENGTH bytes). Fields past the page's end read as zero.
 * A descriptor count that does not fit the page throws `fail(offset of the count, message)`
 * (default: E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE).
 */
export function decodeCapabilitiesPage(
  page: Uint8Array,
  fail: (offset: number, message: string) => Error = (_o, m) => invalidReply(m),
): CapabilitiesPage {
  const r = new ByteReader(page, { zeroFill: true, what: 'mode page 2Ah' });
  const writeSpeedDescriptors: WriteSpeedPerformanceDescriptor[] = [];
  if (page.length >= CAPABILITIES_PAGE_FIXED_LENGTH) {
    const n = r.u16(30);
    const room = Math.floor((page.length - CAPABILITIES_PAGE_FIXED_LENGTH) / 4);
    if (n > room) {
      throw fail(30, `mode page 2Ah: ${n} write speed descriptors do not fit a page length of ${page.length - 2} (room for ${room})`);
    }
    for (let i = 0; i < n; i++) {
      writeSpeedDescriptors.push({ rotationControl: r.bits(33 + 4 * i, 0, 3), writeSpeed: r.u16(34 + 4 * i) });
    }
  }
  return {
    kind: 'capabilities',
    ps: r.bit(0, 7),
    dvdRamRead: r.bit(2, 5),
    dvdRRead: r.bit(2, 4),
    dvdRomRead: r.bit(2, 3),
    method2: r.bit(2, 2),
    cdRwRead: r.bit(2, 1),
    cdRRead: r.bit(2, 0),
    dvdRamWrite: r.bit(3, 5),
    dvdRWrite: r.bit(3, 4),
    testWrite: r.bit(3, 2),
    cdRwWrite: r.bit(3, 1),
    cdRWrite: r.bit(3, 0),
    buf: r.bit(4, 7),
    multiSession: r.bit(4, 6),
    mode2Form2: r.bit(4, 5),
    mode2Form1: r.bit(4, 4),
    digitalPort2: r.bit(4, 3),
    digitalPort1: r.bit(4, 2),
    composite: r.bit(4, 1),
    audioPlay: r.bit(4, 0),
    readBarCode: r.bit(5, 7),
    upc: r.bit(5, 6),
    isrc: r.bit(5, 5),
    c2Pointers: r.bit(5, 4),
    rwDeinterleavedCorrected: r.bit(5, 3),
    rwSupported: r.bit(5, 2),
    cddaStreamAccurate: r.bit(5, 1),
    cddaCommands: r.bit(5, 0),
    loadingMechanism: r.bits(6, 5, 3),
    eject: r.bit(6, 3),
    preventJumper: r.bit(6, 2),
    lockState: r.bit(6, 1),
    lock: r.bit(6, 0),
    rwInLeadIn: r.bit(7, 5),
    sideChangeCapable: r.bit(7, 4),
    swSlotSelection: r.bit(7, 3),
    changerDiscPresent: r.bit(7, 2),
    separateChannelMute: r.bit(7, 1),
    separateVolumeLevels: r.bit(7, 0),
    maxReadSpeed: r.u16(8),
    volumeLevels: r.u16(10),
    bufferSize: r.u16(12),
    currentReadSpeed: r.u16(14),
    digitalOutputLength: r.bits(17, 4, 2),
    lsbf: r.bit(17, 3),
    rck: r.bit(17, 2),
    bckf: r.bit(17, 1),
    maxWriteSpeed: r.u16(18),
    currentWriteSpeed: r.u16(20),
    copyManagementRevision: r.u16(22),
    rotationControlSelected: r.bits(27, 0, 2),
    currentWriteSpeedSelected: r.u16(28),
    writeSpeedDescriptors,
  };
}
