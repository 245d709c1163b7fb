// cucumber-js configuration for the conformance suite. `scripts/conformance.mjs` is the usual way in
// (npm start, npm test, openimapi conformance); it passes the target as a world parameter.
export default {
  paths: ['features/**/*.feature'],
  import: ['steps/dist/support/world.js', 'steps/dist/support/hooks.js', 'steps/dist/*.steps.js'],
  format: ['summary'],
  worldParameters: { target: 'emulator' },
};
