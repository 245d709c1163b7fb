export * from './client-name.js';
export * from './source.js';
export * from './updates.js';
