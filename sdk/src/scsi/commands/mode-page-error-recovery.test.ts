import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeErrorRecoveryPage, encodeErrorRecoveryPage, type ReadWriteErrorRecoveryPage } from './mode-page-error-recovery.js';
import { hexBytes } from './command-asserts.test.helpers.js';

// Real capture (HDAT2 4.7.1, HL-DT-ST DVDRAM GSA-4040B, page 01h current values): AWRE set, read
// retry count 19, write retry count 3.
test('page 01h from a real GSA-4040B decodes and re-encodes to the same bytes', () => {
  const bytes = hexBytes('01 0A 80 13 00 00 00 00 03 00 00 00');
  const p = decodeErrorRecoveryPage(bytes);
  assert.deepEqual([p.awre, p.readRetryCount, p.writeRetryCount, p.dcr], [true, 0x13, 3, false]);
  assert.deepEqual(encodeErrorRecoveryPage(p), bytes);
});

// MMC-6 §7.3 "Read/Write Error Recovery Parameters Mode Page Format", by hand.
test('page 01h bits per MMC-6 §7.3', () => {
  const p: ReadWriteErrorRecoveryPage = {
    kind: 'readWriteErrorRecovery', ps: true, awre: false, arre: true, tb: false, rc: true, per: false, dte: true, dcr: false,
    readRetryCount: 0xff, emcdr: 3, writeRetryCount: 0x10, recoveryTimeLimit: 0x1234,
  };
  assert.deepEqual(encodeErrorRecoveryPage(p), hexBytes('81 0A 52 FF 00 00 00 03 10 00 12 34'));
  assert.deepEqual(decodeErrorRecoveryPage(encodeErrorRecoveryPage(p)), p);
  assert.throws(() => encodeErrorRecoveryPage({ ...p, emcdr: 4 }), TypeError);
  assert.throws(() => encodeErrorRecoveryPage({ ...p, recoveryTimeLimit: 0x10000 }), TypeError);
});
