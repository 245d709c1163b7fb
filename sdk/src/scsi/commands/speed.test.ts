import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IMAPI_SECTORS_PER_SECOND_AT_1X, kbpsToSectorsPerSecond, kbpsToX, sectorsPerSecondToKbps, SPEED_1X_KBPS, xToKbps } from './speed.js';

// CD: 75 sectors/s × 2352 bytes = 176 400 B/s; DVD 1x 1385 kB/s; BD 1x 4496 kB/s (MMC kB = 1000 B).
test('1x figures', () => {
  assert.equal(SPEED_1X_KBPS.cd, (75 * 2352) / 1000);
  assert.equal(kbpsToSectorsPerSecond(176, 'cd'), 75);
  assert.equal(kbpsToSectorsPerSecond(177, 'cd'), 75);
  assert.equal(kbpsToSectorsPerSecond(4496, 'bd'), IMAPI_SECTORS_PER_SECOND_AT_1X.bd);
  assert.equal(kbpsToSectorsPerSecond(1385, 'dvd'), 676); // IMAPI2 rounds DVD 1x to 680
});

test('conversions between kB/s, sectors per second and multiples of 1x', () => {
  assert.equal(kbpsToSectorsPerSecond(7056, 'cd'), 3000); // 40x CD
  assert.equal(sectorsPerSecondToKbps(3000, 'cd'), 7056);
  assert.equal(sectorsPerSecondToKbps(75, 'cd'), 176);
  assert.equal(kbpsToX(7056, 'cd'), 40);
  assert.equal(xToKbps(48, 'cd'), 8467);
  assert.equal(xToKbps(16, 'dvd'), 22160);
  assert.equal(xToKbps(6, 'bd'), 26976);
  assert.equal(kbpsToX(11080, 'dvd'), 8);
  // both directions round to whole units, so a round trip may move by one kB/s
  assert.equal(kbpsToSectorsPerSecond(22160, 'dvd'), 10820);
  assert.equal(sectorsPerSecondToKbps(10820, 'dvd'), 22159);
});

test('speed helpers reject bad arguments', () => {
  assert.throws(() => kbpsToSectorsPerSecond(-1, 'cd'), TypeError);
  assert.throws(() => xToKbps(Number.NaN, 'dvd'), TypeError);
  assert.throws(() => kbpsToX(1, 'hddvd' as 'cd'), TypeError);
});
