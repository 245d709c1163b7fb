#!/usr/bin/env node
// The `openimapi-emulator` command. It is a committed file rather than dist/cli.js itself because npm
// links a package's bin only when its target exists at install time: `npm ci` on a fresh clone runs
// before `npm run build` has made dist/.
import('../dist/cli.js').catch((e) => {
  if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/cli.js')) {
    process.stderr.write('openimapi-emulator: not built yet; run `npm run build` in the repository first\n');
    process.exit(1);
  }
  throw e;
});
