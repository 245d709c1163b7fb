/**
 * The SDK's iSCSI initiator against the emulator's real iSCSI target over TCP, with a logical unit
 * that never answers a chosen opcode: timeout → ABORT TASK reaches the unit and the command fails
 * with E_IMAPI_RECORDER_COMMAND_TIMEOUT; the session stays usable; a dropped connection fails
 * outstanding and later commands with ERROR_DEV_NOT_EXIST, disconnected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IscsiSession, ImapiError } from '@openimapi/sdk';
import { startTarget } from '../iscsi/target.js';
import type { LogicalUnit, LunCommand, LunResponse } from '../lun.js';

const HANG = 0x35; // SYNCHRONIZE CACHE never completes here until aborted
function hangingUnit(aborted: string[]): LogicalUnit {
  return {
    execute(cmd: LunCommand): Promise<LunResponse> | LunResponse {
      if (cmd.cdb[0] !== HANG) return { status: 0, dataIn: Buffer.alloc(cmd.expectedDataInLength, 0xab) };
      return new Promise((resolve) => cmd.signal.addEventListener('abort', () => {
        aborted.push(cmd.nexus.id);
        resolve({ status: 0x40 });
      }));
    },
    nexusLost() {},
    reset() {},
  };
}

test('timeout aborts with ABORT TASK; dropped connection fails everything as disconnected', async () => {
  const aborted: string[] = [];
  const target = await startTarget({ port: 0, luns: [hangingUnit(aborted)] });
  try {
    const s = await IscsiSession.connect(`iscsi://${target.host}:${target.port}/${target.iqn}/0`, { initiatorName: 'iqn.2026-11.org.openimapi:test.initiator' });
    const hang = Buffer.from([HANG, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    await assert.rejects(s.execute({ cdb: hang, direction: 'none', timeoutMs: 100 }), (e: unknown) => ImapiError.is(e, 'E_IMAPI_RECORDER_COMMAND_TIMEOUT'));
    for (let i = 0; i < 20 && aborted.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    assert.deepEqual(aborted, [s.initiatorPortName]);
    // Several commands in flight at once, data-in placed and residuals reported.
    const results = await Promise.all([10, 20, 30].map((n) => s.execute({ cdb: Buffer.from([0x12, 0, 0, 0, n, 0]), direction: 'in', dataInLength: n + 5, timeoutMs: 2000 })));
    assert.deepEqual(results.map((r) => [r.dataIn.length, r.residual]), [[15, 0], [25, 0], [35, 0]]);
    const outstanding = s.execute({ cdb: hang, direction: 'none', timeoutMs: 10_000 });
    s.destroyConnection();
    await assert.rejects(outstanding, (e: unknown) => e instanceof ImapiError && e.hresult === 0x80070037 && e.disconnected);
    await assert.rejects(s.execute({ cdb: Buffer.alloc(6), direction: 'none', timeoutMs: 100 }), (e: unknown) => e instanceof ImapiError && e.disconnected);
    await s.close();
    await assert.rejects(s.execute({ cdb: Buffer.alloc(6), direction: 'none', timeoutMs: 100 }), (e: unknown) => ImapiError.is(e, 0x80070006));
  } finally {
    await target.close();
  }
});
