export * from './bytes.js';
export * from './msf.js';
export * from './sense.js';
