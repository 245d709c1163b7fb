/**
 * The drive's READ path: answered without a Promise, into Data-In buffers the transport gives back
 * (`release`) for the next READ of the same size; a failed READ keeps no buffer; no trace is built when
 * the logger writes no debug lines; the realistic speed model still makes a READ take its time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Sense, encodeRead10Cdb, encodeRead12Cdb, encodeReadCdCdb, encodeTestUnitReadyCdb } from '@openimapi/sdk';
import type { LunResponse } from '../lun.js';
import { A, VirtualClock, assertGood, assertSense, drainUnitAttentions, newDrive } from './drive.test-helpers.js';
import type { MmcDrive } from './mmc-drive.js';
import { transferMs } from './timing.js';

const TUR = encodeTestUnitReadyCdb();
const signal = new AbortController().signal;

function exec(d: MmcDrive, cdb: Buffer): LunResponse | Promise<LunResponse> {
  return d.execute({ nexus: A, cdb, expectedDataInLength: 1 << 24, taskAttribute: 1, signal });
}

function withIso(blocks: number, f: (iso: string, bytes: Buffer) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drive-read-path-'));
  const iso = path.join(dir, 'disc.iso');
  const bytes = Buffer.alloc(blocks * 2048);
  for (let i = 0; i < bytes.length; i += 4) bytes.writeUInt32BE((i * 2654435761) >>> 0, i);
  fs.writeFileSync(iso, bytes);
  return f(iso, bytes).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
}

test('READ(10)/(12) of a closed disc answer at once, into a buffer that comes back for the next READ of that size', () =>
  withIso(64, async (iso, bytes) => {
    const d = newDrive({ logger: { debug() {}, info() {}, warn() {}, debugEnabled: false } });
    d.load({ file: iso });
    await drainUnitAttentions(d, A, TUR);
    const r1 = exec(d, encodeRead10Cdb({ lba: 3, transferLength: 2 }));
    assert.ok(!(r1 instanceof Promise), 'no Promise for a READ');
    assertGood(r1);
    assert.deepEqual(r1.dataIn, bytes.subarray(3 * 2048, 5 * 2048));
    assert.equal(typeof r1.release, 'function');
    const first = r1.dataIn!;
    r1.release!();
    r1.release!(); // a second call gives nothing back twice
    const r2 = exec(d, encodeRead12Cdb({ lba: 10, transferLength: 2 })) as LunResponse;
    assert.equal(r2.dataIn!.buffer, first.buffer, 'the released buffer is reused');
    assert.deepEqual(r2.dataIn, bytes.subarray(10 * 2048, 12 * 2048), 'and holds the new blocks');
    const r3 = exec(d, encodeRead10Cdb({ lba: 20, transferLength: 2 })) as LunResponse;
    assert.notEqual(r3.dataIn!.buffer, r2.dataIn!.buffer, 'a buffer still in flight is not handed out again');
    assert.deepEqual(r2.dataIn, bytes.subarray(10 * 2048, 12 * 2048), 'nor overwritten');
    r2.release!();
    r3.release!();

    // A failing READ keeps nothing: its buffer is back in the pool before the next one.
    const bad = exec(d, encodeRead10Cdb({ lba: 63, transferLength: 2 })) as LunResponse;
    assertSense(bad, Sense.BLANK_CHECK);
    assert.equal(bad.release, undefined);
    const r4 = exec(d, encodeRead10Cdb({ lba: 0, transferLength: 2 })) as LunResponse;
    assert.ok(r4.dataIn!.buffer === first.buffer || r4.dataIn!.buffer === r3.dataIn!.buffer, 'from the pool');
    assert.deepEqual(r4.dataIn, bytes.subarray(0, 2 * 2048));
    // A TRANSFER LENGTH far past the disc allocates nothing first: LBA OUT OF RANGE.
    assertSense((await exec(d, encodeRead12Cdb({ lba: 0, transferLength: 0xffffffff }))) as LunResponse, Sense.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE);
    // READ CD of user data only: the same bytes, no raw sectors.
    const cd = exec(d, encodeReadCdCdb({ expectedSectorType: 0, dap: false, lba: 5, transferLength: 3, sync: false, headerCodes: 0, userData: true, edcEcc: false, c2ErrorInformation: 0, subChannel: 0 })) as LunResponse;
    assertGood(cd);
    assert.deepEqual(cd.dataIn, bytes.subarray(5 * 2048, 8 * 2048));
    d.close();
  }));

test('no trace is built for a logger without debug lines; a debug logger gets one line per CDB', () =>
  withIso(4, async (iso) => {
    let quiet = 0;
    const d = newDrive({ logger: { debug: () => void quiet++, info() {}, warn() {}, debugEnabled: false } });
    d.load({ file: iso });
    await drainUnitAttentions(d, A, TUR);
    assertGood(await exec(d, encodeRead10Cdb({ lba: 0, transferLength: 1 })));
    assertSense(await exec(d, encodeRead10Cdb({ lba: 9, transferLength: 1 })), Sense.BLANK_CHECK);
    assert.equal(quiet, 0);
    d.close();
    const lines: Record<string, unknown>[] = [];
    const v = newDrive({ logger: { debug: (_m, f) => void lines.push(f ?? {}), info() {}, warn() {}, debugEnabled: true } });
    v.load({ file: iso });
    await drainUnitAttentions(v, A, TUR);
    lines.length = 0;
    assertSense(await exec(v, encodeRead10Cdb({ lba: 9, transferLength: 1 })), Sense.BLANK_CHECK);
    assert.equal(lines.length, 1);
    assert.deepEqual([lines[0]!.op, lines[0]!.lba, lines[0]!.sense], ['READ_10', 9, '08/00/00']);
    v.close();
  }));

test('realistic speed model: a READ is answered after its transfer time, through a Promise', () =>
  withIso(64, async (iso, bytes) => {
    // On the virtual clock: the READ's wait is recorded, not timed, so a loaded machine cannot race it.
    const clock = new VirtualClock();
    const waits: number[] = [];
    const d = newDrive({ speedModel: 'realistic', timeScale: 1, now: clock.now, sleep: (ms) => (waits.push(ms), clock.sleep(ms)) });
    d.load({ file: iso });
    await drainUnitAttentions(d, A, TUR);
    waits.length = 0;
    const t0 = clock.now();
    const r = exec(d, encodeRead10Cdb({ lba: 0, transferLength: 32 }));
    assert.ok(r instanceof Promise, 'a READ that takes time is answered through a Promise');
    const done = await r;
    assertGood(done);
    assert.deepEqual(done.dataIn, bytes.subarray(0, 32 * 2048));
    // One wait, exactly the time 64 KiB take at the disc's read speed.
    const ms = transferMs(32 * 2048, d.state.medium!.info.readSpeed);
    assert.ok(ms > 5, `${ms} ms`);
    assert.deepEqual(waits, [ms]);
    assert.ok(Math.abs(clock.now() - t0 - ms) < 1e-6, `the clock moved ${clock.now() - t0} ms`);
    d.close();
  }));
