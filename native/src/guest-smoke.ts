#!/usr/bin/env node
/**
 * Smoke test of the SG_IO backend against a real Linux SCSI stack (run inside the QEMU guest by
 * guest.test.ts, or on any Linux machine with an optical drive):
 *
 *   node native/dist/guest-smoke.js [/dev/sgN]
 *
 * Finds the first CD/DVD sg node with listDevices() (or takes the one given), opens it exclusively
 * and sends INQUIRY, TEST UNIT READY, GET CONFIGURATION (current profile), READ CAPACITY(10),
 * READ TOC (format 0) and MODE SENSE(6) (which MMC drives need not support: it shows a CHECK
 * CONDITION coming back as a result with sense). It checks the O_EXCL lock with a second open, the
 * closed-transport error, INQUIRY on the block node (/dev/srN) and a re-open after close. It prints
 * one line `GUEST-SMOKE {json}` with what it saw and
 * leaves judging to the caller; it exits non-zero only when it could not run at all.
 */
import {
  ImapiError, Opcode, ScsiStatus, decodeGetConfigurationReply, decodeInquiryReply, decodeReadCapacity10Reply,
  encodeGetConfigurationCdb, encodeInquiryCdb, encodeReadCapacity10Cdb, encodeReadTocCdb, encodeTestUnitReadyCdb,
  parseSense, type ScsiResult,
} from '@openimapi/sdk';
import { listDevices } from './devices.js';
import { SgTransport } from './sg-transport.js';

const TIMEOUT_MS = 10_000;

function senseText(r: ScsiResult): string | undefined {
  const s = parseSense(r.sense);
  if (s === undefined) return undefined;
  return [s.key, s.asc, s.ascq].map((n) => n.toString(16).toUpperCase().padStart(2, '0')).join('/');
}

function summary(r: ScsiResult): { status: number; sense?: string; dataInLength: number; residual: number } {
  const sense = senseText(r);
  return { status: r.status, ...(sense !== undefined ? { sense } : {}), dataInLength: r.dataIn.length, residual: r.residual };
}

function errorName(e: unknown): string {
  return e instanceof ImapiError ? e.hresultName : `${(e as Error).name}: ${(e as Error).message}`;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const devices = await listDevices();
  const path = process.argv[2] ?? devices[0]?.path;
  if (path === undefined) throw new Error('no CD/DVD SCSI generic device found in /sys/class/scsi_generic');
  const device = devices.find((d) => d.path === path || d.blockPath === path);
  const sg = await SgTransport.open(path);
  const out: Record<string, unknown> = { path, device: device ?? null };
  try {
    // INQUIRY with a larger allocation length than the drive returns: the underflow shows as residual.
    const inq = await sg.execute({ cdb: encodeInquiryCdb({ evpd: false, pageCode: 0, allocationLength: 255 }), direction: 'in', dataInLength: 255, timeoutMs: TIMEOUT_MS });
    const id = inq.status === ScsiStatus.GOOD ? decodeInquiryReply(inq.dataIn) : undefined;
    out.inquiry = { ...summary(inq), peripheralDeviceType: id?.peripheralDeviceType, vendor: id?.vendorIdentification, product: id?.productIdentification, revision: id?.productRevisionLevel, fullLength: id?.fullLength };

    out.testUnitReady = summary(await sg.execute({ cdb: encodeTestUnitReadyCdb(), direction: 'none', timeoutMs: TIMEOUT_MS }));

    const cfg = await sg.execute({ cdb: encodeGetConfigurationCdb({ rt: 1, startingFeature: 0, allocationLength: 8 }), direction: 'in', dataInLength: 8, timeoutMs: TIMEOUT_MS });
    out.getConfiguration = { ...summary(cfg), currentProfile: cfg.status === ScsiStatus.GOOD ? decodeGetConfigurationReply(cfg.dataIn).currentProfile : undefined };

    const cap = await sg.execute({ cdb: encodeReadCapacity10Cdb(), direction: 'in', dataInLength: 8, timeoutMs: TIMEOUT_MS });
    out.readCapacity = { ...summary(cap), ...(cap.status === ScsiStatus.GOOD ? decodeReadCapacity10Reply(cap.dataIn) : {}) };

    const toc = await sg.execute({ cdb: encodeReadTocCdb({ msf: false, format: 0, trackSessionNumber: 1, allocationLength: 12 }), direction: 'in', dataInLength: 12, timeoutMs: TIMEOUT_MS });
    out.readToc = summary(toc);

    const ms6 = Buffer.from([Opcode.MODE_SENSE_6, 0x08, 0x3f, 0x00, 0xff, 0x00]); // DBD, all pages (SPC-4 table 98)
    out.modeSense6 = summary(await sg.execute({ cdb: ms6, direction: 'in', dataInLength: 255, timeoutMs: TIMEOUT_MS }));

    try {
      const second = await SgTransport.open(path);
      await second.close();
      out.secondExclusiveOpen = 'opened';
    } catch (e) {
      out.secondExclusiveOpen = errorName(e);
    }
  } finally {
    await sg.close();
  }
  try {
    await sg.execute({ cdb: encodeTestUnitReadyCdb(), direction: 'none', timeoutMs: TIMEOUT_MS });
    out.afterClose = 'resolved';
  } catch (e) {
    out.afterClose = errorName(e);
  }
  // The block node takes SG_IO too (the block layer's SCSI ioctl path rather than the sg driver).
  if (device?.blockPath !== undefined) {
    try {
      const sr = await SgTransport.open(device.blockPath);
      try {
        const inq = await sr.execute({ cdb: encodeInquiryCdb({ evpd: false, pageCode: 0, allocationLength: 36 }), direction: 'in', dataInLength: 36, timeoutMs: TIMEOUT_MS });
        out.blockInquiry = { ...summary(inq), vendor: inq.status === ScsiStatus.GOOD ? decodeInquiryReply(inq.dataIn).vendorIdentification : undefined };
      } finally {
        await sr.close();
      }
    } catch (e) {
      out.blockInquiry = errorName(e);
    }
  }
  // After close the lock is released: an exclusive open succeeds again.
  const again = await SgTransport.open(path).then(async (t) => (await t.close(), 'opened'), errorName);
  out.reopenAfterClose = again;
  out.elapsedMs = Math.round(performance.now() - t0);
  process.stdout.write(`GUEST-SMOKE ${JSON.stringify(out)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`guest-smoke: ${errorName(e)}${e instanceof Error && e.stack ? `\n${e.stack}` : ''}\n`);
  process.exit(1);
});
