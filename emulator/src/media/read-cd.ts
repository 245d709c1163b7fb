/**
 * READ CD field selection (MMC-6 §6.19, Tables 387-392): per block, the selected parts of the
 * 2352-byte sector in order sync | header | subheader | user data | EDC/ECC, then C2 error bits
 * (294 bytes, or 296 with the block error byte; all zero: the emulated disc has no errors), then the
 * sub-channel (raw P-W 96, formatted Q 16, or R-W 96).
 * For CD-DA sectors any main-channel selection returns all 2352 bytes (MMC-6 Table 390).
 * Expected sector type (1 CD-DA, 2 mode 1, 3 mode 2 formless, 4 form 1, 5 form 2) that does not match
 * the sector → 05/64/00 ILLEGAL MODE FOR THIS TRACK.
 */
import { CheckCondition, Sense } from '@openimapi/sdk';
import type { Disc } from './disc.js';
import { CD_STORE_SECTOR } from './disc.js';
import type { ReadCdSelection } from './medium.js';
import { CD_SECTOR, sectorMode, type SectorMode } from './sector.js';
import { formattedQFromRaw, qCrcOk, qFromRaw, rawFromPQ, rwFromRaw } from './subcode.js';
import { positionQ } from './cd-write.js';

/** Stored main + raw P-W of `lba`; an unwritten sector inside a track (a TAO pregap) gets a generated position Q. */
export function cdRawSector(d: Disc, lba: number): { main: Buffer; subchannel: Buffer } {
  const raw = d.store.read(lba, 1);
  const main = Buffer.from(raw.subarray(0, CD_SECTOR));
  let sub: Buffer = Buffer.from(raw.subarray(CD_SECTOR, CD_STORE_SECTOR));
  if (!qCrcOk(qFromRaw(sub))) {
    const t = d.trackAt(lba);
    if (t) sub = rawFromPQ(lba < t.start, positionQ(t.control, t.number, lba < t.start ? 0 : 1, lba, t.start));
  }
  return { main, subchannel: sub };
}

const EXPECT: Record<number, readonly SectorMode[]> = {
  1: ['audio'],
  2: ['mode1'],
  3: ['mode2'],
  4: ['mode2form1'],
  5: ['mode2form2'],
};

function fields(mode: SectorMode, sel: ReadCdSelection): [number, number][] {
  if (mode === 'audio') return sel.sync || sel.headerCodes || sel.userData || sel.edcEcc ? [[0, CD_SECTOR]] : [];
  const out: [number, number][] = [];
  const xa = mode === 'mode2form1' || mode === 'mode2form2';
  if (sel.sync) out.push([0, 12]);
  if (sel.headerCodes & 1) out.push([12, 16]);
  if (sel.headerCodes & 2 && xa) out.push([16, 24]);
  if (sel.userData) {
    if (mode === 'mode1' || mode === 'mode0') out.push([16, 2064]);
    else if (mode === 'mode2') out.push([16, CD_SECTOR]);
    else if (mode === 'mode2form1') out.push([24, 2072]);
    else out.push([24, 2348]);
  }
  if (sel.edcEcc) {
    if (mode === 'mode1' || mode === 'mode0') out.push([2064, CD_SECTOR]);
    else if (mode === 'mode2form1') out.push([2072, CD_SECTOR]);
    else if (mode === 'mode2form2') out.push([2348, CD_SECTOR]);
  }
  return out;
}

export function readCdSectors(d: Disc, lba: number, count: number, sel: ReadCdSelection): Buffer {
  if (sel.sectorType > 5 || ![0, 1, 2, 4].includes(sel.subChannel) || sel.c2 > 2) {
    throw new CheckCondition(Sense.INVALID_FIELD_IN_CDB, 'READ CD selection', { fieldPointer: { cd: true, byte: sel.sectorType > 5 ? 1 : 10 } });
  }
  // User data only, of a disc whose store holds mode-1 user data as such: no raw sector to build.
  const userDataOnly = sel.userData && !sel.sync && !sel.headerCodes && !sel.edcEcc && sel.c2 === 0 && sel.subChannel === 0;
  if (userDataOnly && (sel.sectorType === 0 || sel.sectorType === 2) && d.store.readUserData) return d.store.readUserData(lba, count);
  // Validate every block's type before building anything.
  const sectors = [] as { main: Buffer; sub: Buffer; mode: SectorMode }[];
  for (let i = 0; i < count; i++) {
    const { main, subchannel } = cdRawSector(d, lba + i);
    const t = d.trackAt(lba + i)!;
    const mode = sectorMode(main, t.mode === 'audio');
    const want = EXPECT[sel.sectorType];
    if (want && !want.includes(mode)) throw new CheckCondition(Sense.INVALID_MODE_FOR_THIS_TRACK, `LBA ${lba + i} is ${mode}`, { information: (lba + i) >>> 0 });
    sectors.push({ main, sub: subchannel, mode });
  }
  const parts: Buffer[] = [];
  for (const s of sectors) {
    for (const [a, b] of fields(s.mode, sel)) parts.push(s.main.subarray(a, b));
    if (sel.c2 === 1) parts.push(Buffer.alloc(294));
    if (sel.c2 === 2) parts.push(Buffer.alloc(296));
    if (sel.subChannel === 1) parts.push(s.sub);
    else if (sel.subChannel === 2) parts.push(formattedQFromRaw(s.sub));
    else if (sel.subChannel === 4) parts.push(rwFromRaw(s.sub));
  }
  return Buffer.concat(parts);
}
