import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeText, decodeText, splitText, TextAccumulator, TextError } from './text.js';

test('text keys: NUL-terminated key=value pairs (RFC 7143 §6.1)', () => {
  const b = encodeText([['InitiatorName', 'iqn.2026-11.org.example:host'], ['SessionType', 'Normal']]);
  assert.equal(b.toString('latin1'), 'InitiatorName=iqn.2026-11.org.example:host\0SessionType=Normal\0');
  assert.deepEqual(decodeText(b), [['InitiatorName', 'iqn.2026-11.org.example:host'], ['SessionType', 'Normal']]);
  assert.deepEqual(decodeText(Buffer.from('A=\0\0\0')), [['A', '']], 'empty value and NUL padding');
  assert.deepEqual(decodeText(Buffer.from('TargetAddress=10.0.0.1:3260,1\0')), [['TargetAddress', '10.0.0.1:3260,1']]);
  assert.throws(() => decodeText(Buffer.from('novalue\0')), TextError);
  assert.throws(() => decodeText(Buffer.from('bad key=1\0')), TextError);
  assert.throws(() => encodeText([['K', 'a\0b']]), TextError);
});

test('continued text: a pair split across PDUs (C bit) joins before parsing', () => {
  const all = encodeText([['TargetName', 'iqn.2026-11.org.example:t'], ['TargetAddress', '127.0.0.1:3260,1']]);
  const parts = splitText(all, 7);
  assert.ok(parts.length > 2);
  assert.ok(parts.every((p) => p.length <= 7));
  const acc = new TextAccumulator();
  let out: Buffer | undefined;
  parts.forEach((p, i) => {
    out = acc.push(p, i < parts.length - 1);
    if (i < parts.length - 1) assert.equal(out, undefined);
  });
  assert.deepEqual(decodeText(out!), decodeText(all));
  const small = new TextAccumulator(10);
  small.push(Buffer.alloc(8), true);
  assert.throws(() => small.push(Buffer.alloc(8), false), TextError);
});
