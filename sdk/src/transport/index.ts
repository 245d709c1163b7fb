export * from './scsi-transport.js';
export * from './in-process.js';
export * from './usb/index.js';
