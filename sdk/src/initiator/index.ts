/** The iSCSI initiator: a ScsiTransport over TCP, SendTargets discovery, iSCSI URLs. */
export * from './url.js';
export * from './login.js';
export * from './session.js';
export * from './discovery.js';
