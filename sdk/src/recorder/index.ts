/** The IMAPI2 recorder objects: DiscMaster2, DiscRecorder2, DiscRecorder2Ex. */
export * from './client-name.js';
export * from './exclusive-access.js';
export * from './owner-tag.js';
export * from './host-lock.js';
export * from './disc-recorder2.js';
export * from './disc-recorder2-ex.js';
export * from './disc-master2.js';
