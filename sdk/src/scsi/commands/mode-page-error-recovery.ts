/**
 * Read/Write Error Recovery mode page (01h) — MMC-6 §7.3, table "Read/Write Error Recovery Parameters
 * Mode Page Format".
 *
 *   byte 0      PS (7) | Reserved (6) | PAGE CODE (01h)
 *   byte 1      PAGE LENGTH (0Ah)
 *   byte 2      AWRE (7) | ARRE (6) | TB (5) | RC (4) | Reserved (3) | PER (2) | DTE (1) | DCR (0)
 *   byte 3      READ RETRY COUNT
 *   bytes 4-6   Reserved
 *   byte 7      Reserved (7-2) | EMCDR (1-0)
 *   byte 8      WRITE RETRY COUNT
 *   byte 9      Reserved
 *   bytes 10-11 RECOVERY TIME LIMIT
 *
 * A page 01h with another page length is kept raw (see mode-parameters.ts).
 */
import { ByteReader, ByteWriter } from '../../wire/bytes.js';
import { uint } from './cdb-fields.js';
import { bool } from './arg-checks.js';
import { ModePageCode } from './mode-page-format.js';

/** PAGE LENGTH of the MMC page 01h. */
export const ERROR_RECOVERY_PAGE_LENGTH = 0x0a;

export interface ReadWriteErrorRecoveryPage {
  kind: 'readWriteErrorRecovery';
  /** PS: the page can be saved (MODE SENSE only). */
  ps: boolean;
  /** Automatic write reallocation enabled. */
  awre: boolean;
  /** Automatic read reallocation enabled. */
  arre: boolean;
  /** Transfer block: send a block that could not be recovered. */
  tb: boolean;
  /** Read continuous: no delays for error recovery. */
  rc: boolean;
  /** Post error: report recovered errors. */
  per: boolean;
  /** Data terminate on error. */
  dte: boolean;
  /** Disable correction. */
  dcr: boolean;
  readRetryCount: number;
  /** Enhanced media certification and defect reporting (0-3). */
  emcdr: number;
  writeRetryCount: number;
  /** RECOVERY TIME LIMIT (ms; 0 = vendor default). */
  recoveryTimeLimit: number;
}

/** The whole page (header included). */
export function encodeErrorRecoveryPage(p: ReadWriteErrorRecoveryPage): Buffer {
  const w = new ByteWriter(2 + ERROR_RECOVERY_PAGE_LENGTH);
  w.u8(0, (bool('ps', p.ps) ? 0x80 : 0) | ModePageCode.READ_WRITE_ERROR_RECOVERY);
  w.u8(1, ERROR_RECOVERY_PAGE_LENGTH);
  w.u8(2,
    (bool('awre', p.awre) ? 0x80 : 0) | (bool('arre', p.arre) ? 0x40 : 0) | (bool('tb', p.tb) ? 0x20 : 0) |
    (bool('rc', p.rc) ? 0x10 : 0) | (bool('per', p.per) ? 0x04 : 0) | (bool('dte', p.dte) ? 0x02 : 0) |
    (bool('dcr', p.dcr) ? 0x01 : 0));
  w.u8(3, uint('readRetryCount', p.readRetryCount, 0xff));
  w.u8(7, uint('emcdr', p.emcdr, 3));
  w.u8(8, uint('writeRetryCount', p.writeRetryCount, 0xff));
  w.u16(10, uint('recoveryTimeLimit', p.recoveryTimeLimit, 0xffff));
  return w.buffer;
}

/** Decodes a whole page 01h of PAGE LENGTH 0Ah (the caller checks code and length). */
export function decodeErrorRecoveryPage(page: Uint8Array): ReadWriteErrorRecoveryPage {
  const r = new ByteReader(page, { zeroFill: true, what: 'mode page 01h' });
  return {
    kind: 'readWriteErrorRecovery',
    ps: r.bit(0, 7),
    awre: r.bit(2, 7),
    arre: r.bit(2, 6),
    tb: r.bit(2, 5),
    rc: r.bit(2, 4),
    per: r.bit(2, 2),
    dte: r.bit(2, 1),
    dcr: r.bit(2, 0),
    readRetryCount: r.u8(3),
    emcdr: r.bits(7, 0, 2),
    writeRetryCount: r.u8(8),
    recoveryTimeLimit: r.u16(10),
  };
}
