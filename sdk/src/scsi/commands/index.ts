export * from './unit-ready.js';
export * from './request-sense.js';
export * from './inquiry.js';
export * from './get-configuration.js';
export * from './inquiry-vpd.js';
export * from './get-event-status-notification.js';
export * from './read-disc-information.js';
