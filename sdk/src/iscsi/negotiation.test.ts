import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerOffer, acceptAnswer, keyDef, isIrrelevant, defaultParams, applyKey, parseNumber, KEYS } from './negotiation.js';

// Rules from RFC 7143 §6.2 and the key definitions of §13.
test('boolean AND (ImmediateData) and OR (InitialR2T)', () => {
  assert.deepEqual(answerOffer('ImmediateData', 'Yes', 'No'), { reply: 'No', result: 'No' });
  assert.deepEqual(answerOffer('ImmediateData', 'Yes', 'Yes'), { reply: 'Yes', result: 'Yes' });
  assert.deepEqual(answerOffer('InitialR2T', 'No', 'Yes'), { reply: 'Yes', result: 'Yes' });
  assert.deepEqual(answerOffer('InitialR2T', 'No', 'No'), { reply: 'No', result: 'No' });
  assert.equal(answerOffer('InitialR2T', 'maybe', 'No').reply, 'Reject');
  assert.equal(acceptAnswer('ImmediateData', 'Yes', 'No'), 'No');
  assert.throws(() => acceptAnswer('ImmediateData', 'No', 'Yes'), /AND/i.test('x') ? Error : Error);
  assert.throws(() => acceptAnswer('InitialR2T', 'Yes', 'No'));
});

test('numerical min/max with bounds', () => {
  assert.deepEqual(answerOffer('MaxBurstLength', '262144', '65536'), { reply: '65536', result: '65536' });
  assert.deepEqual(answerOffer('DefaultTime2Wait', '2', '5'), { reply: '5', result: '5' });
  assert.equal(answerOffer('MaxBurstLength', '100', '65536').reply, 'Reject', 'below 512');
  assert.equal(answerOffer('MaxBurstLength', '16777216', '65536').reply, 'Reject', 'above 2^24-1');
  assert.equal(answerOffer('ErrorRecoveryLevel', '3', '0').reply, 'Reject');
  assert.deepEqual(answerOffer('FirstBurstLength', '0x10000', '262144'), { reply: '65536', result: '65536' });
  assert.equal(acceptAnswer('MaxBurstLength', '262144', '65536'), '65536');
  assert.throws(() => acceptAnswer('MaxBurstLength', '65536', '262144'), /min rule/);
  assert.equal(parseNumber('12ab'), NaN);
});

test('list selection picks the first offered value the responder supports', () => {
  assert.deepEqual(answerOffer('HeaderDigest', 'CRC32C,None', 'CRC32C,None'), { reply: 'CRC32C', result: 'CRC32C' });
  assert.deepEqual(answerOffer('HeaderDigest', 'None,CRC32C', 'CRC32C,None'), { reply: 'None', result: 'None' });
  assert.deepEqual(answerOffer('AuthMethod', 'KRB5,CHAP,None', 'CHAP'), { reply: 'CHAP', result: 'CHAP' });
  assert.equal(answerOffer('AuthMethod', 'KRB5', 'None').reply, 'Reject');
  assert.throws(() => acceptAnswer('DataDigest', 'None', 'CRC32C'));
});

test('declarative keys, NotUnderstood, Irrelevant', () => {
  assert.deepEqual(answerOffer('MaxRecvDataSegmentLength', '262144', ''), { reply: undefined, result: '262144' });
  assert.equal(answerOffer('MaxRecvDataSegmentLength', '100', '').reply, 'Reject');
  assert.deepEqual(answerOffer('X-com.example.Foo', '1', ''), { reply: 'NotUnderstood', result: undefined });
  assert.equal(acceptAnswer('MaxBurstLength', '65536', 'Irrelevant'), undefined);
  assert.equal(isIrrelevant('MaxBurstLength', { discovery: true }), true);
  assert.equal(isIrrelevant('HeaderDigest', { discovery: true }), false);
  assert.equal(isIrrelevant('FirstBurstLength', { discovery: false, initialR2T: true, immediateData: false }), true);
  assert.equal(isIrrelevant('FirstBurstLength', { discovery: false, initialR2T: true, immediateData: true }), false);
});

test('defaults and bounds of the table match RFC 7143 §13', () => {
  const want: Record<string, [string, number | undefined, number | undefined]> = {
    MaxConnections: ['1', 1, 65535], InitialR2T: ['Yes', undefined, undefined], ImmediateData: ['Yes', undefined, undefined],
    MaxRecvDataSegmentLength: ['8192', 512, 16777215], MaxBurstLength: ['262144', 512, 16777215], FirstBurstLength: ['65536', 512, 16777215],
    DefaultTime2Wait: ['2', 0, 3600], DefaultTime2Retain: ['20', 0, 3600], MaxOutstandingR2T: ['1', 1, 65535],
    DataPDUInOrder: ['Yes', undefined, undefined], DataSequenceInOrder: ['Yes', undefined, undefined], ErrorRecoveryLevel: ['0', 0, 2],
    HeaderDigest: ['None', undefined, undefined], DataDigest: ['None', undefined, undefined],
  };
  for (const [k, [def, min, max]] of Object.entries(want)) {
    const d = keyDef(k)!;
    assert.equal(d.default, def, k);
    assert.equal(d.min, min, k);
    assert.equal(d.max, max, k);
  }
  assert.ok(KEYS.length >= 25);
  const p = defaultParams();
  for (const d of KEYS) if (d.type !== 'declarative' || d.name === 'MaxRecvDataSegmentLength') applyKey(p, d.name, d.default, 'initiator');
  assert.deepEqual(p, defaultParams(), 'the defaults in the table and in defaultParams agree');
});
