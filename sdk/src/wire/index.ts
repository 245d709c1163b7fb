export * from './bytes.js';
export * from './msf.js';
export * from './sense.js';
export * from './subchannel.js';
export * from './cd-sector.js';
