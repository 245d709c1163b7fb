/**
 * @openimapi/native: the Linux SG_IO backend. Importing this module never loads the addon; the first
 * `SgTransport.open()` does (or `nativeAvailability()` to ask first). `sgProvider()` makes the local
 * drives a DiscMaster2 source.
 */
export { SgTransport, MIN_SENSE_LENGTH, MAX_SENSE_LENGTH, type SgTransportOptions, type SgLockMode } from './sg-transport.js';
export { sgProvider, SG_ID_PREFIX, type SgProviderOptions } from './provider.js';
export { processesHolding, deviceKey, describeHolder, type NodeHolder } from './holders.js';
export { listDevices, MMC_DEVICE_TYPE, type SgDeviceInfo, type ListDevicesOptions } from './devices.js';
export {
  NATIVE_PATH_ENV, NativeUnavailableError, nativeAvailability, loadAddon, loadAddonFrom, addonCandidates,
  type SgAddon, type SgIoOutput, type UnsupportedAddon,
} from './addon.js';
export { openError, ioctlError, classifySgIo, errnoName, errnoNameOf, HostStatus, DriverStatus, SG_INFO_OK_MASK, SG_INFO_CHECK, type SgOutcome } from './errors.js';
