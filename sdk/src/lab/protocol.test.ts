import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Duplex } from 'node:stream';
import { LineSplitter, decodeLine, decodeRequest, encodeEvent, encodeRequest, encodeResponse, parseFields } from './protocol.js';
import { FixtureError, LabFixture } from './fixture.js';

test('fixture protocol: request and response lines, tags echoed', () => {
  assert.equal(encodeRequest({ tag: 7, verb: 'POWER', args: ['CYCLE', '0'] }), '@7 POWER CYCLE 0\n');
  assert.equal(encodeRequest({ verb: 'HELLO', args: [] }), 'HELLO\n');
  assert.equal(encodeResponse({ tag: 7, ok: true, text: 'drive=0 power=on' }), '@7 OK drive=0 power=on\n');
  assert.equal(encodeResponse({ ok: true, text: '' }), 'OK\n');
  assert.equal(encodeResponse({ tag: 12, ok: false, code: 'PREVENTED', text: 'locked' }), '@12 ERR PREVENTED locked\n');
  assert.equal(encodeEvent('READY openimapi-fixture/1'), '* READY openimapi-fixture/1\n');
  assert.deepEqual(decodeRequest('@3 swap cd-rw 1\r'), { request: { tag: 3, verb: 'SWAP', args: ['cd-rw', '1'] } });
  assert.deepEqual(decodeRequest('  STATUS  '), { request: { verb: 'STATUS', args: [] } });
  assert.deepEqual(decodeLine('@3 OK drive=1'), { kind: 'response', response: { tag: 3, ok: true, text: 'drive=1' } });
  assert.deepEqual(decodeLine('ERR BADARG no'), { kind: 'response', response: { ok: false, code: 'BADARG', text: 'no' } });
  assert.deepEqual(decodeLine('* READY x'), { kind: 'event', text: 'READY x' });
  assert.deepEqual(parseFields('drive=0 power=off tray=open media=none'), { drive: '0', power: 'off', tray: 'open', media: 'none' });
});

test('fixture protocol: bad lines are answered, never thrown; bad arguments to the encoders are TypeErrors', () => {
  assert.deepEqual(decodeRequest('@5 FLY 0'), { error: { tag: 5, code: 'BADCMD', text: 'unknown verb FLY' } });
  assert.deepEqual(decodeRequest(''), { error: { code: 'BADCMD', text: 'empty request' } });
  assert.equal((decodeRequest('@x HELLO') as { error: { text: string } }).error.text, 'malformed tag (want @ and 1 to 8 digits, then a space)');
  assert.match((decodeRequest('HELLO \u00e9') as { error: { text: string } }).error.text, /printable ASCII/);
  assert.match((decodeRequest('A'.repeat(201)) as { error: { text: string } }).error.text, /exceeds 200/);
  assert.equal(decodeLine('hello?').kind, 'invalid');
  assert.throws(() => encodeRequest({ verb: 'FLY' as 'HELLO', args: [] }), TypeError);
  assert.throws(() => encodeRequest({ verb: 'SWAP', args: ['cd rw'] }), /without spaces/);
  assert.throws(() => encodeRequest({ tag: -1, verb: 'HELLO', args: [] }), /tag must be/);
  assert.throws(() => encodeResponse({ ok: false, code: 'bad', text: '' }), /upper-case/);
  const s = new LineSplitter();
  assert.deepEqual(s.push('OK a\nOK'), ['OK a']);
  assert.deepEqual(s.push(' b\n'), ['OK b']);
});

/** Two connected in-memory streams: what one writes the other reads. */
function pair(): [Duplex, Duplex] {
  const a2b = new PassThrough();
  const b2a = new PassThrough();
  const mk = (rd: PassThrough, wr: PassThrough) =>
    new Duplex({
      read() {},
      write(c, _e, cb) {
        wr.write(c, cb);
      },
      destroy(_e, cb) {
        wr.end();
        cb(null);
      },
    }).on('pipe', () => undefined);
  const a = mk(b2a, a2b);
  const b = mk(a2b, b2a);
  b2a.on('data', (d) => a.push(d));
  a2b.on('data', (d) => b.push(d));
  return [a, b];
}

test('LabFixture: tags pair requests with answers; a late or stale answer is ignored; ERR and timeouts reject with codes', async () => {
  const [host, dev] = pair();
  const seen: string[] = [];
  let answerLate = (): unknown => undefined;
  const split = new LineSplitter();
  dev.on('data', (c: Buffer) => {
    for (const l of split.push(c)) {
      seen.push(l);
      const r = decodeRequest(l);
      if (!('request' in r)) continue;
      const tag = r.request.tag!;
      if (r.request.verb === 'HELLO') dev.write(`* READY openimapi-fixture/1\n@999 OK stale\n@${tag} OK openimapi-fixture/1 drives=2 slots=3\n`);
      if (r.request.verb === 'EJECT') dev.write(`@${tag} ERR PREVENTED the drive is locked\n`);
      if (r.request.verb === 'STATUS') answerLate = () => dev.write(`@${tag} OK drive=0 power=on tray=open media=none\n`);
      if (r.request.verb === 'SWAP') dev.write(`@${tag} OK drive=1 power=on tray=closed media=cd-rw\n`);
    }
  });
  const f = new LabFixture(host, { timeoutMs: 30_000 });
  const events: string[] = [];
  f.on('event', (e) => events.push(e));
  assert.deepEqual(await f.hello(), { protocol: 'openimapi-fixture/1', drives: 2, slots: 3, fields: { drives: '2', slots: '3' } });
  assert.deepEqual(events, ['READY openimapi-fixture/1']);
  await assert.rejects(f.eject(0, { force: false }), (e) => e instanceof FixtureError && e.code === 'PREVENTED' && /locked/.test(e.message));
  await assert.rejects(f.request('STATUS', ['0'], { timeoutMs: 50 }), (e) => e instanceof FixtureError && e.code === 'TIMEOUT' && /no answer to STATUS within 50 ms/.test(e.message));
  answerLate(); // the STATUS answer arrives after its timeout: dropped, it does not answer the SWAP
  const s = await f.swap('CD-RW', 1);
  assert.deepEqual([s.drive, s.media, s.tray], [1, 'cd-rw', 'closed']);
  assert.deepEqual(seen, ['@1 HELLO', '@2 EJECT 0', '@3 STATUS 0', '@4 SWAP cd-rw 1']);
  await assert.rejects(f.power('sideways' as 'on'), TypeError);
  await assert.rejects(f.load(0), TypeError);
  await f.close();
  await assert.rejects(f.status(), (e) => e instanceof FixtureError && e.code === 'CLOSED');
});
