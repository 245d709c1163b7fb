export * from './lun.js';
