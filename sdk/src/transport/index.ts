export * from './scsi-transport.js';
