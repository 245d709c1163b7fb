/**
 * DiscRecorder2Ex over the in-process transport against the real emulated drive (MmcDrive): no socket.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiscRecorder2Ex, InProcessTransport, ImapiError, HResult } from '@openimapi/sdk';
import { MmcDrive } from '../drive/mmc-drive.js';

async function recorder(drive = new MmcDrive()) {
  const rec = new DiscRecorder2Ex({ mcnPollMs: 0 });
  await rec.attach(new InProcessTransport(drive), 'in-process://drive0');
  return { rec, drive };
}

test('identity from INQUIRY and the drive profile list', async () => {
  const { rec } = await recorder(new MmcDrive({ vendor: 'OPENIMAP', product: 'EMU-BURNER', revision: '1.0' }));
  assert.equal(rec.vendorId, 'OPENIMAP');
  assert.equal(rec.productId, 'EMU-BURNER');
  assert.equal(rec.productRevision, '1.0');
  assert.equal(rec.volumeName, '');
  assert.deepEqual(rec.volumePathNames, []);
  const profiles = await rec.getSupportedProfiles();
  assert.ok(profiles.includes(0x09), 'CD-R profile');
  const features = await rec.getSupportedFeaturePages();
  assert.ok(features.includes(0x0000) && features.includes(0x0001));
  await rec.close();
});

test('pass-through: CHECK CONDITION is S_IMAPI_COMMAND_HAS_SENSE_DATA with 18 sense bytes', async () => {
  const { rec } = await recorder();
  // The first command of a nexus sees the power-on unit attention (06/29/00), as raw sense.
  const first = await rec.sendCommandNoData(Buffer.alloc(6), 5);
  assert.equal(first.hresult, HResult.S_IMAPI_COMMAND_HAS_SENSE_DATA);
  assert.equal(first.senseBuffer.length, 18);
  assert.equal(first.senseBuffer[2]! & 0x0f, 0x6);
  assert.equal(first.senseBuffer[12], 0x29);
  // INQUIRY with data in: S_OK.
  const inq = await rec.sendCommandGetDataFromDevice(Buffer.from([0x12, 0, 0, 0, 36, 0]), 36, 5);
  assert.equal(inq.hresult, 0);
  assert.equal(inq.data.length, 36);
  assert.equal(inq.data[0]! & 0x1f, 0x05);
  await rec.close();
});

test('documented errors: bad client name, release with nothing held, closed recorder', async () => {
  const { rec } = await recorder();
  await assert.rejects(rec.acquireExclusiveAccess(false, ''), (e: unknown) => ImapiError.is(e, 'E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID'));
  await assert.rejects(rec.acquireExclusiveAccess(false, 'bad\nname'), (e: unknown) => ImapiError.is(e, 0xc0aa0211));
  await rec.releaseExclusiveAccess();
  assert.equal(rec.exclusiveAccessCount, 0);
  await rec.acquireExclusiveAccess(false, 'Unit test');
  assert.equal(rec.exclusiveAccessCount, 1);
  await rec.close();
  await assert.rejects(rec.releaseExclusiveAccess(), (e: unknown) => ImapiError.is(e, 0x80070006));
  assert.throws(() => rec.vendorId, (e: unknown) => ImapiError.is(e, 'HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)'));
});

test('MCN: disable/enable nest; suspendMcn resumes once', async () => {
  const { rec } = await recorder();
  rec.disableMcn();
  const resume = rec.suspendMcn();
  assert.equal(rec.mcnEnabled, false);
  resume();
  resume();
  assert.equal(rec.mcnEnabled, false);
  rec.enableMcn();
  assert.equal(rec.mcnEnabled, true);
  await rec.close();
});

test('MCN: enableMcn does not lift a suspension (MCN is read-only while media is prepared)', async () => {
  const { rec } = await recorder();
  const resume = rec.suspendMcn();
  rec.enableMcn();
  rec.enableMcn();
  assert.equal(rec.mcnEnabled, false, 'still suspended after enableMcn');
  resume();
  assert.equal(rec.mcnEnabled, true);
  rec.disableMcn();
  const resume2 = rec.suspendMcn();
  resume2();
  assert.equal(rec.mcnEnabled, false, 'the application\'s disableMcn still counts');
  await rec.close();
});
