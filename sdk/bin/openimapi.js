#!/usr/bin/env node
// The `openimapi` command. It is a committed file rather than dist/cli/openimapi.js itself because npm
// links a package's bin only when its target exists at install time: `npm ci` on a fresh clone runs
// before `npm run build` has made dist/.
import('../dist/cli/openimapi.js').catch((e) => {
  if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/cli/openimapi.js')) {
    process.stderr.write('openimapi: not built yet; run `npm run build` in the repository first\n');
    process.exit(1);
  }
  throw e;
});
