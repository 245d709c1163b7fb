/**
 * Test helpers for the drive: nexuses, a `run` that executes one CDB, sense assertions.
 */
import assert from 'node:assert/strict';
import { ScsiStatus, parseSense, type SenseCondition } from '@openimapi/sdk';
import type { ItNexus, LunResponse } from '../lun.js';
import { MmcDrive, type MmcDriveOptions } from './mmc-drive.js';
import { defaultMediaSource } from './index.js';

export function nexus(n: number, initiatorName = `iqn.2024-01.org.example:host${n}`): ItNexus {
  const isid = `00023d00000${n}`;
  return { id: `${initiatorName},i,0x${isid}`, initiatorName, isid, tpgt: 1, transport: `test ${n}` };
}

export const A = nexus(1);
export const B = nexus(2);

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
