import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addonCandidates, loadAddonFrom, NATIVE_PATH_ENV, NativeUnavailableError } from './addon.js';

test('addonCandidates: the override variable replaces the search; otherwise build/Release then build/Debug', () => {
  assert.deepEqual(addonCandidates({ [NATIVE_PATH_ENV]: 'x/y.node' }), [resolve('x/y.node')]);
  const def = addonCandidates({});
  assert.equal(def.length, 2);
  assert.match(def[0]!, /build[/\\]Release[/\\]openimapi_sg\.node$/);
  assert.match(def[1]!, /build[/\\]Debug[/\\]openimapi_sg\.node$/);
  assert.deepEqual(addonCandidates({ [NATIVE_PATH_ENV]: '' }), def);
});

test('loadAddonFrom: other platforms say plainly that SG_IO is not supported (nothing is loaded)', () => {
  for (const p of ['darwin', 'win32']) {
    assert.throws(() => loadAddonFrom(['/does/not/matter.node'], p), (e) => e instanceof NativeUnavailableError && e.reason === `SG_IO passthrough is not supported on ${p}`);
  }
});

test('loadAddonFrom: a missing build names where it looked', () => {
  assert.throws(() => loadAddonFrom(['/nonexistent/a.node', '/nonexistent/b.node'], 'linux'), (e) => e instanceof NativeUnavailableError && /not built.*\/nonexistent\/a\.node, \/nonexistent\/b\.node/.test(e.reason));
});

test('loadAddonFrom: a module built for a platform without SG_IO, a wrong module, a file that does not load', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'addon-'));
  try {
    const unsupported = join(dir, 'unsupported.cjs');
    await writeFile(unsupported, "module.exports = { platform: 'darwin', supported: false };");
    assert.throws(() => loadAddonFrom([unsupported], 'linux'), (e) => e instanceof NativeUnavailableError && e.reason === 'SG_IO passthrough is not supported on darwin');
    const wrong = join(dir, 'wrong.cjs');
    await writeFile(wrong, 'module.exports = { supported: true, open() {} };');
    assert.throws(() => loadAddonFrom([wrong], 'linux'), (e) => e instanceof NativeUnavailableError && /is not the openimapi SG_IO addon/.test(e.reason));
    const broken = join(dir, 'broken.node');
    await writeFile(broken, 'not an ELF');
    assert.throws(() => loadAddonFrom([broken], 'linux'), (e) => e instanceof NativeUnavailableError && /cannot load .*broken\.node/.test(e.reason));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test(`${NATIVE_PATH_ENV} pointing nowhere: the package imports, nativeAvailability() says why, SgTransport.open rejects`, () => {
  const index = fileURLToPath(new URL('./index.js', import.meta.url));
  const script = `
    const m = await import(${JSON.stringify(index)});
    const a = m.nativeAvailability();
    let open;
    try { await m.SgTransport.open('/dev/sg0'); open = 'opened'; } catch (e) { open = e.name + ': ' + e.reason; }
    console.log(JSON.stringify({ a, open }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, [NATIVE_PATH_ENV]: '/nonexistent/openimapi_sg.node' }, encoding: 'utf8' });
  const r = JSON.parse(out) as { a: { available: boolean; reason?: string }; open: string };
  assert.equal(r.a.available, false);
  if (process.platform === 'linux') assert.match(r.a.reason!, /not built.*\/nonexistent\/openimapi_sg\.node/);
  else assert.match(r.a.reason!, /not supported on/);
  assert.match(r.open, /^NativeUnavailableError: /);
});
