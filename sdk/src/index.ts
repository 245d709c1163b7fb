export * from './errors/index.js';
export * from './wire/index.js';
export * from './scsi/index.js';
export * from './transport/index.js';
export * as iscsi from './iscsi/index.js';
export * from './device/scsi-device.js';
export * from './initiator/index.js';
export * from './recorder/index.js';
export * from './format/index.js';
