export * from './errors/index.js';
export * from './wire/index.js';
export * from './scsi/index.js';
export * from './transport/index.js';
export * as iscsi from './iscsi/index.js';
