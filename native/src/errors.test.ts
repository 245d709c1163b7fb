import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants } from 'node:os';
import { HResult } from '@openimapi/sdk';
import { classifySgIo, DriverStatus, errnoName, HostStatus, ioctlError, openError } from './errors.js';

const err = (name: keyof typeof constants.errno) => Object.assign(new Error('x'), { errno: constants.errno[name] });

test('errnoName names Linux errnos and says so for unknown numbers', () => {
  assert.equal(errnoName(constants.errno.EBUSY), 'EBUSY');
  assert.equal(errnoName(constants.errno.ENODEV), 'ENODEV');
  assert.equal(errnoName(99999), 'errno 99999');
});

test('openError: the errno → HRESULT table', () => {
  const table: Array<[keyof typeof constants.errno, number]> = [
    ['EBUSY', HResult.E_IMAPI_RECORDER_LOCKED],
    ['ENOENT', HResult['HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)']],
    ['ENODEV', HResult['HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)']],
    ['ENXIO', HResult['HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)']],
    ['EACCES', HResult.E_FAIL],
    ['EPERM', HResult.E_FAIL],
    ['ENOTTY', HResult.E_INVALIDARG],
    ['EMFILE', HResult.E_FAIL],
  ];
  for (const [name, hr] of table) {
    const e = openError(err(name), '/dev/sg1');
    assert.equal(e.hresult, hr, name);
    assert.match(e.message, /\/dev\/sg1/);
    assert.match(e.message, new RegExp(name));
    assert.equal(e.disconnected, false);
  }
  assert.equal(openError(new Error('no errno'), '/dev/sg1').hresult, HResult.E_FAIL);
});

test('ioctlError: ENODEV/ENXIO are lost (disconnected), ETIMEDOUT a timeout, the rest E_FAIL', () => {
  for (const n of ['ENODEV', 'ENXIO'] as const) {
    const e = ioctlError(err(n), '/dev/sg0');
    assert.equal(e.hresult, 0x80070037);
    assert.equal(e.disconnected, true);
  }
  assert.equal(ioctlError(err('ETIMEDOUT'), '/dev/sg0').hresult, 0xc0aa020d);
  const io = ioctlError(err('EIO'), '/dev/sg0');
  assert.equal(io.hresult, 0x80004005);
  assert.equal(io.disconnected, false);
  assert.match(io.message, /EIO/);
});

test('classifySgIo: host/driver status → outcome', () => {
  const c = (hostStatus: number, driverStatus = 0) => classifySgIo({ hostStatus, driverStatus });
  assert.equal(c(HostStatus.DID_OK), 'completed');
  assert.equal(c(HostStatus.DID_OK, DriverStatus.DRIVER_SENSE), 'completed');
  assert.equal(c(HostStatus.DID_TIME_OUT), 'timeout');
  assert.equal(c(HostStatus.DID_OK, DriverStatus.DRIVER_TIMEOUT), 'timeout');
  assert.equal(c(HostStatus.DID_OK, DriverStatus.DRIVER_SENSE | DriverStatus.DRIVER_TIMEOUT), 'timeout');
  assert.equal(c(HostStatus.DID_NO_CONNECT), 'lost');
  assert.equal(c(HostStatus.DID_BAD_TARGET), 'lost');
  assert.equal(c(HostStatus.DID_RESET), 'failed');
  assert.equal(c(HostStatus.DID_ERROR), 'failed');
  assert.equal(c(HostStatus.DID_OK, DriverStatus.DRIVER_ERROR), 'failed');
});
