export * from './lun.js';
export { IscsiTarget, startTarget, type StartedTarget } from './iscsi/target.js';
export type { TargetOptions, TargetStats, ChapConfig, Logger, LogLevel } from './iscsi/types.js';
export { DEFAULT_IQN, DEFAULT_PORT, DEFAULT_HOST } from './iscsi/types.js';
export { RomLun, type RomLunOptions } from './rom-lun.js';
