import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sectorsPerTransfer, MAX_TRANSFER_BYTES } from './track-writer.js';
import { DEFAULT_ADAPTER_INFO, StorageBusType, type TransportAdapterInfo } from '../transport/scsi-transport.js';

const bus = (maxTransferLength: number): TransportAdapterInfo => ({ busType: StorageBusType.ISCSI, maxTransferLength, alignmentMask: 0, commandQueueing: true });

test('sectorsPerTransfer: the most whole sectors within the path limit, capped at 1 MiB', () => {
  // No adapter: DEFAULT_ADAPTER_INFO, 64 KiB (an ATAPI bridge or a USB drive that says nothing).
  assert.equal(DEFAULT_ADAPTER_INFO.maxTransferLength, 65536);
  assert.deepEqual([2448, 2368, 2352, 2048].map((b) => sectorsPerTransfer(undefined, b)), [26, 27, 27, 32]);
  // iSCSI MaxBurstLength 256 KiB (the initiator's default) and 1 MiB (what the emulator's target agrees to).
  assert.deepEqual([2448, 2352, 2048].map((b) => sectorsPerTransfer(bus(262144), b)), [107, 111, 128]);
  assert.deepEqual([2448, 2352, 2048].map((b) => sectorsPerTransfer(bus(MAX_TRANSFER_BYTES), b)), [428, 445, 512]);
  // A path that takes more (the 16 MiB in-process bus) still gets 1 MiB writes.
  assert.deepEqual([2448, 2048].map((b) => sectorsPerTransfer(bus(16 << 20), b)), [428, 512]);
  // Exactly a whole number of sectors: that many, no fewer.
  assert.equal(sectorsPerTransfer(bus(2448 * 3), 2448), 3);
  assert.equal(sectorsPerTransfer(bus(2448 * 3 - 1), 2448), 2);
});

test('sectorsPerTransfer: never 0 sectors, even when the path takes less than one', () => {
  assert.equal(sectorsPerTransfer(bus(512), 2448), 1);
  assert.equal(sectorsPerTransfer(bus(2447), 2448), 1);
  assert.throws(() => sectorsPerTransfer(undefined, 0), RangeError);
  assert.throws(() => sectorsPerTransfer(undefined, 2.5), RangeError);
});
