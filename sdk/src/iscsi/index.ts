/** iSCSI wire layer (RFC 7143): pure codecs shared by the emulator's target and the SDK's initiator. */
export * from './bhs.js';
export * from './ahs.js';
export * from './pdu.js';
export * from './crc32c.js';
export * from './text.js';
export * from './negotiation.js';
export * from './framer.js';
export * from './chap.js';
