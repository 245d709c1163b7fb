export * from './source.js';
export * from './updates.js';
export * from './media-type.js';
export * from './format-base.js';
export * from './raw-cd.js';
export * from './write-speed.js';
export * from './track-writer.js';
export * from './track-at-once.js';
