/** Lab tooling: the fixture line protocol and its driver (docs/lab-fixture.md). */
export * from './protocol.js';
export * from './fixture.js';
