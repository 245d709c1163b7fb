import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScsiDevice, defaultTimeoutMs, LONG_TIMEOUT_MS, DEFAULT_TIMEOUT_MS } from './scsi-device.js';
import { InProcessTransport, type LunCommandLike, type LunResponseLike } from '../transport/in-process.js';
import { buildFixedSense, Sense } from '../wire/sense.js';
import { ImapiError } from '../errors/imapi-error.js';
import { Opcode } from '../scsi/opcodes.js';

const check = (c: { key: number; asc: number; ascq: number }): LunResponseLike => ({ status: 0x02, sense: buildFixedSense(c) });
function device(replies: ((cmd: LunCommandLike) => LunResponseLike)[]) {
  const seen: LunCommandLike[] = [];
  const t = new InProcessTransport({
    execute(cmd) {
      seen.push(cmd);
      const r = replies.shift();
      if (!r) throw new Error('no more replies');
      return r(cmd);
    },
  });
  return { dev: new ScsiDevice(t), seen };
}
const tur = Buffer.from([0, 0, 0, 0, 0, 0]);

test('unit attention 06/28 is retried and emits mediaChanged', async () => {
  const { dev, seen } = device([() => check(Sense.NOT_READY_TO_READY_CHANGE_MEDIUM_MAY_HAVE_CHANGED), () => ({ status: 0 })]);
  let changed = 0;
  dev.on('mediaChanged', () => changed++);
  await dev.exec(tur);
  assert.equal(seen.length, 2);
  assert.equal(changed, 1);
});

test('other unit attentions retry without mediaChanged; the retries are bounded', async () => {
  const ua = () => check(Sense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);
  const { dev, seen } = device([ua, ua, ua, ua, ua, ua, ua]);
  let changed = 0;
  let attentions = 0;
  dev.on('mediaChanged', () => changed++);
  dev.on('unitAttention', () => attentions++);
  await assert.rejects(dev.exec(tur), (e: unknown) => e instanceof ImapiError && e.sense?.asc === 0x29);
  assert.equal(seen.length, 5);
  assert.equal(attentions, 5);
  assert.equal(changed, 0);
});

test('CHECK CONDITION becomes the mapped ImapiError with sense; RESERVATION CONFLICT is LOCKED', async () => {
  const { dev } = device([() => check(Sense.MEDIUM_NOT_PRESENT_TRAY_OPEN), () => ({ status: 0x18 })]);
  await assert.rejects(dev.exec(tur), (e: unknown) => ImapiError.is(e, 'E_IMAPI_RECORDER_MEDIA_NO_MEDIA') && e.sense?.ascq === 0x02);
  await assert.rejects(dev.exec(tur), (e: unknown) => ImapiError.is(e, 0xc0aa0210));
});

test('a truncated reply is re-issued once with its fullLength', async () => {
  const full = Buffer.from([0, 6, 1, 2, 3, 4, 5, 6]);
  const { dev, seen } = device([(c) => ({ status: 0, dataIn: full.subarray(0, c.expectedDataInLength) }), (c) => ({ status: 0, dataIn: full.subarray(0, c.expectedDataInLength) })]);
  const decode = (b: Buffer) => ({ length: b.length, fullLength: 2 + (b.length >= 2 ? b.readUInt16BE(0) : 0), truncated: b.length < 2 + (b.length >= 2 ? b.readUInt16BE(0) : 0) });
  const r = await dev.read({ cdb: (n) => Buffer.from([0x46, 0, 0, 0, 0, 0, 0, n >> 8, n & 0xff, 0]), allocationLength: 4, decode });
  assert.equal(r.truncated, false);
  assert.equal(r.length, 8);
  assert.equal(seen.length, 2);
  assert.equal(seen[1]!.cdb[8], 8);
});

test('per-opcode default timeouts', () => {
  assert.equal(defaultTimeoutMs(Opcode.CLOSE_TRACK_SESSION), LONG_TIMEOUT_MS);
  assert.equal(defaultTimeoutMs(Opcode.BLANK), LONG_TIMEOUT_MS);
  assert.equal(defaultTimeoutMs(Opcode.SYNCHRONIZE_CACHE_10), LONG_TIMEOUT_MS);
  assert.equal(defaultTimeoutMs(Opcode.INQUIRY), DEFAULT_TIMEOUT_MS);
});

test('commands are not serialized: two outstanding at once', async () => {
  let inFlight = 0;
  let peak = 0;
  const t = new InProcessTransport({
    async execute() {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 10));
      inFlight--;
      return { status: 0 };
    },
  });
  const dev = new ScsiDevice(t);
  await Promise.all([dev.exec(tur), dev.exec(tur)]);
  assert.equal(peak, 2);
});
