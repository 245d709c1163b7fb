import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressIndication } from './erase.js';

// Fixed sense, SPC-4 §4.5.2.4.4: NOT READY 02/04/07 with SKSV and progress 8000h (half done).
test('progressIndication: fixed format bytes 15-17', () => {
  const s = Buffer.alloc(18);
  s[0] = 0x70; s[2] = 0x02; s[7] = 10; s[12] = 0x04; s[13] = 0x07; s[15] = 0x80; s[16] = 0x80; s[17] = 0x00;
  assert.equal(progressIndication(s), 0x8000);
  s[15] = 0;
  assert.equal(progressIndication(s), undefined, 'SKSV clear');
});

test('progressIndication: descriptor format, sense key specific descriptor (02h)', () => {
  const s = Buffer.from([0x72, 0x02, 0x04, 0x07, 0, 0, 0, 8, 0x02, 0x06, 0, 0, 0x80, 0x40, 0x00, 0]);
  assert.equal(progressIndication(s), 0x4000);
  assert.equal(progressIndication(Buffer.from([0x72, 0x02, 0x04, 0x07, 0, 0, 0, 0])), undefined);
});
