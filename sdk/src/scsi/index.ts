export * from './opcodes.js';
export * from './codec.js';
