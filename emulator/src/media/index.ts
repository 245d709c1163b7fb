/**
 * The emulated drive's media: the `Medium` contract (medium.ts), the catalog, and the ways to get a
 * disc: `createMedium` (a blank disc of a kind, in memory or as files in a data directory; a pressed
 * CD-ROM/DVD-ROM of known content for the ROM kinds) and
 * `loadMedium` (a saved disc, or an .iso/.bin/.cue image as a closed ROM disc).
 */
export * from './medium.js';
export * from './catalog.js';
export { createMedium, loadMedium, exportBinCue, pressedBlock } from './image-io.js';
export { WriteBuffer, type WriteBufferOptions } from './write-buffer.js';
