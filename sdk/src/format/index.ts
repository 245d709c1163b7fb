export * from './source.js';
export * from './updates.js';
