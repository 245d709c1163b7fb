export * from './types.js';
export * from './source.js';
export * from './track-info.js';
export * from './layout.js';
export * from './raw-cd-image-creator.js';
