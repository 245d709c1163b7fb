/**
 * The read path of discs whose sectors are all mode 1 (an ISO image loaded as a CD-ROM, a pressed
 * CD-ROM): READ(10) and READ CD of user data only come straight from the source, and are the same
 * bytes as the user data of the full raw sectors READ CD builds (sync, header, EDC/ECC). Range checks
 * walk the tracks: a read crossing into an unrecorded block reports that block.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CheckCondition } from '@openimapi/sdk';
import { createMedium, loadMedium, pressedBlock, type Medium } from './index.js';
import { mode1Sector } from './sector.js';
import { dataTao, pattern, senseOf } from './testing/context.js';

const FULL = { sectorType: 2, sync: true, headerCodes: 3, userData: true, edcEcc: true, c2: 0, subChannel: 0 };
const USER = { sectorType: 0, sync: false, headerCodes: 0, userData: true, edcEcc: false, c2: 0, subChannel: 0 };

/** Checks READ / READ CD of `n` blocks from `lba` against the expected user data. */
function agree(m: Medium, lba: number, user: Buffer): void {
  const n = user.length / 2048;
  assert.deepEqual(m.read(lba, n), user, 'READ(10) user data');
  assert.deepEqual(m.readCd(lba, n, USER), user, 'READ CD user data only, any sector type');
  assert.deepEqual(m.readCd(lba, n, { ...USER, sectorType: 2 }), user, 'READ CD user data only, mode 1 expected');
  const full = m.readCd(lba, n, FULL);
  assert.equal(full.length, n * 2352);
  for (let i = 0; i < n; i++) {
    const u = user.subarray(i * 2048, (i + 1) * 2048);
    assert.deepEqual(full.subarray(i * 2352, (i + 1) * 2352), mode1Sector(lba + i, u), `raw sector ${lba + i}: sync, header, EDC/ECC of its user data`);
  }
  assert.equal(senseOf(() => m.readCd(lba, n, { ...USER, sectorType: 4 })), '05/64/00', 'mode 2 form 1 expected, mode 1 found');
}

test('an ISO image as CD-ROM: READ and READ CD of user data are the file bytes; full sectors carry them with valid EDC/ECC', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'media-read-path-'));
  try {
    const iso = path.join(dir, 'disc.iso');
    const bytes = pattern(40, 2048, 9);
    fs.writeFileSync(iso, bytes);
    const m = loadMedium(iso);
    try {
      assert.equal(m.kind, 'cd-rom');
      agree(m, 0, bytes.subarray(0, 2048));
      agree(m, 5, bytes.subarray(5 * 2048, 21 * 2048));
      agree(m, 39, bytes.subarray(39 * 2048));
      assert.deepEqual(m.read(0, 0), Buffer.alloc(0));
      assert.equal(senseOf(() => m.read(39, 2)), '08/00/00', 'past the last recorded block');
      assert.equal(senseOf(() => m.readCd(38, 3, USER)), '08/00/00');
      assert.equal(senseOf(() => m.read(400000, 1)), '05/21/00', 'past the lead-out');
    } finally {
      m.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a pressed CD-ROM: READ and READ CD of user data are its computed blocks', () => {
  const m = createMedium('cd-rom');
  const blocks = (lba: number, n: number) => Buffer.concat(Array.from({ length: n }, (_, i) => pressedBlock(lba + i)));
  agree(m, 0, blocks(0, 3));
  agree(m, 300000, blocks(300000, 16));
  m.close();
});

test('a read that runs past the recorded blocks of a TAO disc reports the first unrecorded block (BLANK CHECK, INFORMATION)', () => {
  const m = createMedium('cd-r');
  const data = pattern(30, 2048, 3);
  m.write(0, data, dataTao());
  assert.deepEqual(m.read(0, 30), data);
  let err: unknown;
  try {
    m.read(20, 16);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof CheckCondition, String(err));
  assert.deepEqual([err.key, err.asc, err.ascq], [0x08, 0x00, 0x00]);
  assert.equal(err.toSense().readUInt32BE(3), 30, 'INFORMATION: LBA 30, the first block not written');
  m.close();
});
