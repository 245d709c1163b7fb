/**
 * Test helpers for the drive: nexuses, a `run` that executes one CDB, sense assertions.
 */
import assert from 'node:assert/strict';
import {
  ModePageCode,
  ScsiStatus,
  decodeModeSense10Reply,
  encodeModeSelect10Cdb,
  encodeModeSelect10Parameters,
  encodeModeSense10Cdb,
  parseSense,
  type SenseCondition,
  type WriteParametersPage,
} from '@openimapi/sdk';
import type { ItNexus, LunResponse } from '../lun.js';
import { MmcDrive, type MmcDriveOptions } from './mmc-drive.js';
import { defaultMediaSource } from './index.js';

export function nexus(n: number, initiatorName = `iqn.2024-01.org.example:host${n}`): ItNexus {
  const isid = `00023d00000${n}`;
  return { id: `${initiatorName},i,0x${isid}`, initiatorName, isid, tpgt: 1, transport: `test ${n}` };
}

export const A = nexus(1);
export const B = nexus(2);

/**
 * A clock for the realistic speed model that moves only when told: `now` is its time, the drive's
 * waits (`sleep`) advance it by exactly their length and resolve at once, `advance` is a host pausing.
 * Timing tests on it cannot race a loaded machine.
 */
export class VirtualClock {
  t = 1000;
  readonly now = (): number => this.t;
  readonly sleep = async (ms: number): Promise<void> => {
    if (ms > 0) this.t += ms;
  };
  advance(ms: number): void {
    this.t += ms;
  }
}

export function newDrive(opts: MmcDriveOptions & { medium?: string } = {}): MmcDrive {
  const d = new MmcDrive({ media: defaultMediaSource(undefined), ...opts });
  if (opts.medium) d.load({ media: opts.medium });
  return d;
}

export async function run(
  d: MmcDrive,
  who: ItNexus,
  cdb: Buffer,
  opts: { dataOut?: Buffer; signal?: AbortSignal; expectedDataInLength?: number } = {},
): Promise<LunResponse> {
  return d.execute({
    nexus: who,
    cdb,
    ...(opts.dataOut ? { dataOut: opts.dataOut } : {}),
    expectedDataInLength: opts.expectedDataInLength ?? 65536,
    taskAttribute: 1,
    signal: opts.signal ?? new AbortController().signal,
  });
}

export function assertGood(r: LunResponse, msg?: string): void {
  const s = parseSense(r.sense);
  assert.equal(r.status, ScsiStatus.GOOD, `${msg ?? ''} expected GOOD, got status ${r.status}${s ? ` sense ${s.key.toString(16)}/${s.asc.toString(16)}/${s.ascq.toString(16)}` : ''}`);
}

export function assertSense(r: LunResponse, cond: SenseCondition, msg?: string): void {
  assert.equal(r.status, ScsiStatus.CHECK_CONDITION, `${msg ?? ''} expected CHECK CONDITION, got ${r.status}`);
  const s = parseSense(r.sense);
  assert.ok(s, 'sense present');
  assert.deepEqual({ key: s.key, asc: s.asc, ascq: s.ascq }, { key: cond.key, asc: cond.asc, ascq: cond.ascq }, msg);
}

/** Runs TEST UNIT READY until no unit attention is left for `who` (returns the attentions seen). */
export async function drainUnitAttentions(d: MmcDrive, who: ItNexus, tur: Buffer): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = await run(d, who, tur);
    const s = parseSense(r.sense);
    if (r.status !== ScsiStatus.CHECK_CONDITION || !s || s.key !== 0x6) return seen;
    seen.push(`${s.key.toString(16)}/${s.asc.toString(16)}/${s.ascq.toString(16)}`);
  }
  return seen;
}

/** MODE SENSE page 05h, change `change`, MODE SELECT it back (as nexus A). */
export async function setWriteParameters(d: MmcDrive, change: Partial<WriteParametersPage>, who: ItNexus = A): Promise<void> {
  const r = await run(d, who, encodeModeSense10Cdb({ llbaa: false, dbd: true, pageControl: 0, pageCode: ModePageCode.WRITE_PARAMETERS, subpageCode: 0, allocationLength: 0xffff }));
  const wp = decodeModeSense10Reply(r.dataIn!).pages[0] as WriteParametersPage;
  const data = encodeModeSelect10Parameters({ mediumType: 0, deviceSpecificParameter: 0, longLba: false, blockDescriptors: Buffer.alloc(0), pages: [{ ...wp, ...change }] });
  assertGood(await run(d, who, encodeModeSelect10Cdb({ pf: true, sp: false, parameterListLength: data.length }), { dataOut: data }));
}
