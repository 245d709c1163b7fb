import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InProcessTransport, type LunCommandLike, type LunResponseLike } from './in-process.js';
import { ImapiError } from '../errors/imapi-error.js';
import { HResult } from '../errors/hresult.js';

/** A scripted logical unit: answers with `reply(cmd)`; records commands. */
function lu(reply: (cmd: LunCommandLike) => Promise<LunResponseLike> | LunResponseLike) {
  const seen: LunCommandLike[] = [];
  const lost: string[] = [];
  return {
    seen,
    lost,
    execute(cmd: LunCommandLike) {
      seen.push(cmd);
      return reply(cmd);
    },
    nexusLost(n: { id: string }) {
      lost.push(n.id);
    },
  };
}
const never = (cmd: LunCommandLike) => new Promise<LunResponseLike>((_, rej) => cmd.signal.addEventListener('abort', () => rej(new Error('aborted'))));
const inquiry = Buffer.from([0x12, 0, 0, 0, 36, 0]);

test('data-in: underflow residual and overflow', async () => {
  const unit = lu(() => ({ status: 0, dataIn: Buffer.alloc(10, 7) }));
  const t = new InProcessTransport(unit);
  const short = await t.execute({ cdb: inquiry, direction: 'in', dataInLength: 36, timeoutMs: 1000 });
  assert.equal(short.dataIn.length, 10);
  assert.equal(short.residual, 26);
  assert.equal(short.overflow, 0);
  const cut = await t.execute({ cdb: inquiry, direction: 'in', dataInLength: 4, timeoutMs: 1000 });
  assert.equal(cut.dataIn.length, 4);
  assert.equal(cut.residual, 0);
  assert.equal(cut.overflow, 6);
  assert.equal(unit.seen[1]!.expectedDataInLength, 4);
  assert.match(unit.seen[0]!.nexus.id, /,i,0x[0-9a-f]{12}$/);
});

test('timeout aborts the command at the unit and rejects with COMMAND_TIMEOUT', async () => {
  let aborted = false;
  const t = new InProcessTransport(lu((cmd) => { cmd.signal.addEventListener('abort', () => { aborted = true; }); return never(cmd); }));
  await assert.rejects(t.execute({ cdb: inquiry, direction: 'in', dataInLength: 36, timeoutMs: 20 }), (e: unknown) => ImapiError.is(e, 'E_IMAPI_RECORDER_COMMAND_TIMEOUT'));
  assert.equal(aborted, true);
  assert.equal(t.closed, false);
});

test('AbortSignal rejects with REQUEST_CANCELLED; an aborted signal sends nothing', async () => {
  const unit = lu(never);
  const t = new InProcessTransport(unit);
  const ac = new AbortController();
  const p = t.execute({ cdb: inquiry, direction: 'in', dataInLength: 36, timeoutMs: 5000, signal: ac.signal });
  ac.abort();
  await assert.rejects(p, (e: unknown) => e instanceof ImapiError && e.hresult === HResult.E_IMAPI_REQUEST_CANCELLED && e.canceled);
  await assert.rejects(t.execute({ cdb: inquiry, direction: 'in', dataInLength: 36, timeoutMs: 5000, signal: ac.signal }), (e: unknown) => ImapiError.is(e, 'E_IMAPI_REQUEST_CANCELLED'));
  assert.equal(unit.seen.length, 1);
});

test('close: outstanding commands fail as lost, later ones with ERROR_INVALID_HANDLE; nexus released', async () => {
  const unit = lu(never);
  const t = new InProcessTransport(unit);
  const p = t.execute({ cdb: inquiry, direction: 'in', dataInLength: 36, timeoutMs: 5000 });
  await t.close();
  await assert.rejects(p, (e: unknown) => e instanceof ImapiError && e.hresult === 0x80070037 && e.disconnected);
  await assert.rejects(t.execute({ cdb: inquiry, direction: 'in', dataInLength: 36, timeoutMs: 5000 }), (e: unknown) => ImapiError.is(e, 0x80070006));
  assert.deepEqual(unit.lost, [t.nexus.id]);
  assert.equal(t.closed, true);
});

test('lost connection: every later command fails with ERROR_DEV_NOT_EXIST, disconnected', async () => {
  const t = new InProcessTransport(lu(() => ({ status: 0 })));
  t.loseConnection();
  await assert.rejects(t.execute({ cdb: Buffer.alloc(6), direction: 'none', timeoutMs: 100 }), (e: unknown) => e instanceof ImapiError && e.hresult === 0x80070037 && e.disconnected);
});

test('malformed request: TypeError before anything is sent', async () => {
  const unit = lu(() => ({ status: 0 }));
  const t = new InProcessTransport(unit);
  await assert.rejects(t.execute({ cdb: Buffer.alloc(3), direction: 'none', timeoutMs: 100 }), TypeError);
  await assert.rejects(t.execute({ cdb: Buffer.alloc(6), direction: 'in', dataOut: Buffer.alloc(1), dataInLength: 1, timeoutMs: 100 }), TypeError);
  assert.equal(unit.seen.length, 0);
});
