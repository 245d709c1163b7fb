import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatProgress, formatDuration } from './progress.js';

test('formatProgress: percent, bar, MB/s, drive buffer, time left', () => {
  const line = formatProgress({ label: 'track 2', fraction: 0.5, bytesDone: 50e6, deviceBuffer: 0.75, remainingSeconds: 125 }, 2, 10);
  assert.equal(line, 'track 2  [#####.....]   50.0%  25.0 MB/s  buffer 75%  2:05 left');
  assert.equal(formatProgress({ label: 'data', fraction: undefined, bytesDone: 0, deviceBuffer: undefined, remainingSeconds: undefined }, 0, 0), 'data  0.0 MB/s');
});

test('formatDuration', () => {
  assert.equal(formatDuration(0), '0:00');
  assert.equal(formatDuration(59.6), '1:00');
  assert.equal(formatDuration(3725), '1:02:05');
});
