import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateScsiRequest } from './scsi-transport.js';

const tur = Buffer.alloc(6);

test('a well-formed request passes', () => {
  validateScsiRequest({ cdb: tur, direction: 'none', timeoutMs: 1000 });
  validateScsiRequest({ cdb: Buffer.alloc(10), direction: 'in', dataInLength: 0, timeoutMs: 1 });
  validateScsiRequest({ cdb: Buffer.alloc(12), direction: 'out', dataOut: Buffer.alloc(2048), timeoutMs: 1 });
});

test('bad requests throw TypeError naming the parameter', () => {
  const bad: Array<[object, RegExp]> = [
    [{ cdb: Buffer.alloc(5), direction: 'none', timeoutMs: 1 }, /cdb/],
    [{ cdb: Buffer.alloc(17), direction: 'none', timeoutMs: 1 }, /cdb/],
    [{ cdb: 'xx', direction: 'none', timeoutMs: 1 }, /cdb/],
    [{ cdb: tur, direction: 'sideways', timeoutMs: 1 }, /direction/],
    [{ cdb: tur, direction: 'out', timeoutMs: 1 }, /dataOut/],
    [{ cdb: tur, direction: 'in', dataOut: Buffer.alloc(1), dataInLength: 1, timeoutMs: 1 }, /dataOut/],
    [{ cdb: tur, direction: 'in', dataInLength: -1, timeoutMs: 1 }, /dataInLength/],
    [{ cdb: tur, direction: 'in', timeoutMs: 1 }, /dataInLength/],
    [{ cdb: tur, direction: 'none', timeoutMs: 0 }, /timeoutMs/],
    [{ cdb: tur, direction: 'none', timeoutMs: Number.NaN }, /timeoutMs/],
  ];
  for (const [req, re] of bad) assert.throws(() => validateScsiRequest(req as never), (e: unknown) => e instanceof TypeError && re.test(e.message));
});
