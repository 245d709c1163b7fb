export * from './opcodes.js';
export * from './codec.js';
export * from './commands/index.js';
