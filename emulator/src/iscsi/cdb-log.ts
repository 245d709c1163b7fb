/**
 * One-line summaries of CDBs for `--verbose` (never throws: a log line must not fail a command).
 * The LBA and transfer length sit where SBC-3/MMC-6 put them for each CDB size:
 *
 *   6-byte READ/WRITE(6)            LBA byte 1 (4-0) + bytes 2-3 (21 bits), TRANSFER LENGTH byte 4 (0 = 256)
 *   10-byte (READ/WRITE/VERIFY/...) LBA bytes 2-5, TRANSFER LENGTH bytes 7-8
 *   12-byte                         LBA bytes 2-5, TRANSFER LENGTH bytes 6-9
 *   16-byte                         LBA bytes 2-9, TRANSFER LENGTH bytes 10-13
 *   READ CD (BEh)                   LBA bytes 2-5, TRANSFER LENGTH bytes 6-8
 *
 * MMC LBAs of the 10/12-byte CDBs and READ CD are signed (the lead-in of a raw write is negative).
 */
import { opcodeName } from '@openimapi/sdk/scsi';

type Layout = 'six' | 'ten' | 'twelve' | 'sixteen' | 'readCd';

const LAYOUT = new Map<number, Layout>([
  [0x08, 'six'], [0x0a, 'six'],
  // READ(10), WRITE(10), SEEK(10), WRITE AND VERIFY(10), VERIFY(10), PRE-FETCH(10), SYNCHRONIZE CACHE(10)
  [0x28, 'ten'], [0x2a, 'ten'], [0x2b, 'ten'], [0x2e, 'ten'], [0x2f, 'ten'], [0x34, 'ten'], [0x35, 'ten'],
  [0xa8, 'twelve'], [0xaa, 'twelve'], [0xae, 'twelve'], [0xaf, 'twelve'],
  [0x88, 'sixteen'], [0x8a, 'sixteen'], [0x8e, 'sixteen'], [0x8f, 'sixteen'], [0x91, 'sixteen'],
  [0xbe, 'readCd'],
]);

/** `READ_10 LBA 100 blocks 2`, or `INQUIRY` for a command without an LBA. */
export function describeCdb(cdb: Buffer): string {
  const op = cdb[0] ?? 0;
  const name = opcodeName(op);
  const layout = LAYOUT.get(op);
  const need = layout === 'six' ? 6 : layout === 'ten' ? 10 : layout === 'sixteen' ? 16 : 12;
  if (!layout || cdb.length < need) return name;
  let lba: number | bigint;
  let blocks: number;
  switch (layout) {
    case 'six':
      lba = ((cdb[1]! & 0x1f) << 16) | cdb.readUInt16BE(2);
      blocks = cdb[4] || 256;
      break;
    case 'ten':
      lba = cdb.readInt32BE(2);
      blocks = cdb.readUInt16BE(7);
      break;
    case 'twelve':
      lba = cdb.readInt32BE(2);
      blocks = cdb.readUInt32BE(6);
      break;
    case 'sixteen':
      lba = cdb.readBigUInt64BE(2);
      blocks = cdb.readUInt32BE(10);
      break;
    case 'readCd':
      lba = cdb.readInt32BE(2);
      blocks = cdb.readUIntBE(6, 3);
      break;
  }
  return op === 0x2b ? `${name} LBA ${lba}` : `${name} LBA ${lba} blocks ${blocks}`;
}
