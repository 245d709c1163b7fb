/**
 * The drive's mode pages — 01h read/write error recovery, 05h write parameters, 2Ah capabilities and
 * mechanical status — with their current, changeable and default values (MODE SENSE PC 00b/01b/10b;
 * saved values are not supported: PC 11b and SP=1 get 05/39/00).
 *
 * Page 2Ah is computed from the drive and the loaded medium (speeds, lock state) and is not
 * changeable. Page 05h holds what the next WRITE uses (`writeContext`). The values are part of the
 * drive's state: `DriveState` owns tray/medium, this object owns the pages, and only MODE SELECT
 * (after full validation) or a reset changes them.
 */
import {
  writeParametersPage,
  type CapabilitiesPage,
  type ModePage,
  type ReadWriteErrorRecoveryPage,
  type WriteParametersPage,
} from '@openimapi/sdk';
import type { Medium, WriteContext } from '../media/medium.js';
import type { DriveState } from './state.js';
import type { DriveCapabilities } from './capabilities.js';
import { DRIVE_BUFFER_KB, driveMaxReadSpeed, driveMaxWriteSpeed } from './speed.js';

const errorRecoveryDefault: ReadWriteErrorRecoveryPage = {
  kind: 'readWriteErrorRecovery',
  ps: false,
  awre: false,
  arre: false,
  tb: false,
  rc: false,
  per: false,
  dte: false,
  dcr: false,
  readRetryCount: 32,
  emcdr: 0,
  writeRetryCount: 16,
  recoveryTimeLimit: 0,
} as ReadWriteErrorRecoveryPage;

const errorRecoveryChangeable: ReadWriteErrorRecoveryPage = {
  ...errorRecoveryDefault,
  awre: true,
  arre: true,
  tb: true,
  rc: true,
  per: true,
  dte: true,
  dcr: true,
  readRetryCount: 0xff,
  writeRetryCount: 0xff,
} as ReadWriteErrorRecoveryPage;

/** Page 05h as a drive powers up: TAO, mode 1 data track (TRACK MODE 4), multi-session closed, 150-block pause (MMC-6 §7.5.4 defaults). */
const writeParametersDefault: WriteParametersPage = writeParametersPage({ trackMode: 4 });

const writeParametersChangeable: WriteParametersPage = {
  kind: 'writeParameters',
  ps: false,
  bufe: true,
  lsV: true,
  testWrite: true,
  writeType: 0xf,
  multiSession: 3,
  fp: true,
  copy: true,
  trackMode: 0xf,
  dataBlockType: 0xf,
  linkSize: 0xff,
  hostApplicationCode: 0x3f,
  sessionFormat: 0xff,
  packetSize: 0xffffffff,
  audioPauseLength: 0xffff,
  mcn: Buffer.alloc(16, 0xff),
  isrc: Buffer.alloc(16, 0xff),
  subHeader: Buffer.alloc(4, 0xff),
  vendorSpecific: Buffer.alloc(0),
};

export class ModePages {
  errorRecovery: ReadWriteErrorRecoveryPage = { ...errorRecoveryDefault };
  writeParameters: WriteParametersPage = cloneWp(writeParametersDefault);

  constructor(
    private readonly state: DriveState,
    private readonly caps: () => DriveCapabilities,
  ) {}

  /** All pages in page-code order, for PC = 0 current, 1 changeable, 2 default. */
  pages(pc: 0 | 1 | 2): ModePage[] {
    if (pc === 1) return [errorRecoveryChangeable, cloneWp(writeParametersChangeable), this.capabilities(true)];
    if (pc === 2) return [errorRecoveryDefault, cloneWp(writeParametersDefault), this.capabilities(false, true)];
    return [this.errorRecovery, this.writeParameters, this.capabilities(false)];
  }

  /** Replaces current pages with an already validated list (MODE SELECT after validateModeSelect). */
  commit(pages: readonly ModePage[]): void {
    for (const p of pages) {
      if (p.kind === 'readWriteErrorRecovery') this.errorRecovery = { ...p, ps: false };
      else if (p.kind === 'writeParameters') this.writeParameters = { ...cloneWp(p), ps: false };
    }
  }

  /** A new disc: nothing in the pages depends on it except page 2Ah, which is computed. */
  mediumChanged(_m: Medium): void {}

  /** LUN reset: back to defaults (SPC-4 §5.13.3 — mode parameters revert to saved or default). */
  reset(): void {
    this.errorRecovery = { ...errorRecoveryDefault };
    this.writeParameters = cloneWp(writeParametersDefault);
  }

  /** What the next WRITE uses, from the current page 05h. */
  writeContext(): WriteContext {
    const wp = this.writeParameters;
    const mcn = wp.mcn[0]! & 0x80 ? wp.mcn.subarray(1, 14).toString('latin1') : undefined;
    const isrc = wp.isrc[0]! & 0x80 ? wp.isrc.subarray(1, 13).toString('latin1') : undefined;
    return {
      writeType: wp.writeType,
      dataBlockType: wp.dataBlockType,
      trackMode: wp.trackMode,
      multiSession: wp.multiSession,
      sessionFormat: wp.sessionFormat,
      testWrite: wp.testWrite,
      bufe: wp.bufe,
      fixedPacket: wp.fp,
      packetSize: wp.packetSize,
      ...(mcn !== undefined ? { mcn } : {}),
      ...(isrc !== undefined ? { isrc } : {}),
      subheader: Buffer.from(wp.subHeader),
    };
  }

  /** Page 2Ah for the drive and its current medium (MMC-3 §6.3.11). */
  capabilities(changeable: boolean, defaults = false): CapabilitiesPage {
    const m = this.state.loadedMedium;
    const speeds = m?.info.writeSpeeds ?? [];
    const maxRead = m ? m.info.readSpeed : driveMaxReadSpeed;
    const maxWrite = speeds[0] ?? 0;
    const curWrite = defaults ? maxWrite : Math.min(this.state.writeSpeed ?? maxWrite, maxWrite);
    const curRead = defaults ? maxRead : Math.min(this.state.readSpeed ?? maxRead, maxRead);
    const page: CapabilitiesPage = {
      kind: 'capabilities',
      ps: false,
      dvdRamRead: false,
      dvdRRead: true,
      dvdRomRead: true,
      method2: true,
      cdRwRead: true,
      cdRRead: true,
      dvdRamWrite: false,
      dvdRWrite: true,
      testWrite: this.caps().testWrite,
      cdRwWrite: true,
      cdRWrite: true,
      buf: true,
      multiSession: true,
      mode2Form2: true,
      mode2Form1: true,
      digitalPort2: false,
      digitalPort1: false,
      composite: false,
      audioPlay: false,
      readBarCode: false,
      upc: true,
      isrc: true,
      c2Pointers: true,
      rwDeinterleavedCorrected: true,
      rwSupported: true,
      cddaStreamAccurate: true,
      cddaCommands: true,
      loadingMechanism: 1,
      eject: true,
      preventJumper: false,
      lockState: this.state.prevented(),
      lock: true,
      rwInLeadIn: true,
      sideChangeCapable: false,
      swSlotSelection: false,
      changerDiscPresent: false,
      separateChannelMute: false,
      separateVolumeLevels: false,
      maxReadSpeed: Math.min(0xffff, maxRead),
      volumeLevels: 0,
      bufferSize: DRIVE_BUFFER_KB,
      currentReadSpeed: Math.min(0xffff, curRead),
      digitalOutputLength: 0,
      lsbf: false,
      rck: false,
      bckf: false,
      maxWriteSpeed: Math.min(0xffff, maxWrite || driveMaxWriteSpeed),
      currentWriteSpeed: Math.min(0xffff, curWrite),
      copyManagementRevision: 0,
      rotationControlSelected: 0,
      currentWriteSpeedSelected: Math.min(0xffff, curWrite),
      writeSpeedDescriptors: speeds.map((s) => ({ rotationControl: 0, writeSpeed: Math.min(0xffff, s) })),
    };
    if (!changeable) return page;
    // Nothing in page 2Ah is changeable: every field zero, same length as the current page.
    const zero = Object.fromEntries(Object.entries(page).map(([k, v]) => [k, typeof v === 'boolean' ? false : typeof v === 'number' ? 0 : v])) as unknown as CapabilitiesPage;
    return { ...zero, kind: 'capabilities', writeSpeedDescriptors: page.writeSpeedDescriptors.map(() => ({ rotationControl: 0, writeSpeed: 0 })) };
  }
}

function cloneWp(p: WriteParametersPage): WriteParametersPage {
  return { ...p, mcn: Buffer.from(p.mcn), isrc: Buffer.from(p.isrc), subHeader: Buffer.from(p.subHeader), vendorSpecific: Buffer.from(p.vendorSpecific) };
}
