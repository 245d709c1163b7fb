import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidClientName, MAX_CLIENT_NAME_LENGTH } from './client-name.js';

test('client names: printable, non-empty, bounded', () => {
  for (const ok of ['Burner', 'a', 'Disc Writer 2.0 (ß, 日本)', 'x'.repeat(MAX_CLIENT_NAME_LENGTH)]) assert.equal(isValidClientName(ok), true, ok);
  for (const bad of ['', '   ', 'tab\there', 'nul\0', 'del\x7f', 'x'.repeat(MAX_CLIENT_NAME_LENGTH + 1), undefined, 42, null]) assert.equal(isValidClientName(bad), false, String(bad));
});
