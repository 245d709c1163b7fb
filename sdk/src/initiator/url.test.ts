import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIscsiUrl, formatIscsiUrl } from './url.js';

test('full URL with CHAP credentials, target and LUN', () => {
  const u = parseIscsiUrl('iscsi://alice:s%40cret@192.0.2.7:3261/iqn.2026-11.org.openimapi:drive0/2');
  assert.deepEqual(u, { host: '192.0.2.7', port: 3261, targetName: 'iqn.2026-11.org.openimapi:drive0', lun: 2, chap: { user: 'alice', secret: 's@cret' } });
});

test('portal URL, default port, IPv6 host', () => {
  assert.deepEqual(parseIscsiUrl('iscsi://example.org'), { host: 'example.org', port: 3260 });
  assert.deepEqual(parseIscsiUrl('iscsi://[::1]:3262/iqn.2001-04.com.example:x/0'), { host: '::1', port: 3262, targetName: 'iqn.2001-04.com.example:x', lun: 0 });
  assert.equal(formatIscsiUrl({ host: '::1', port: 3262, targetName: 'iqn.2001-04.com.example:x', lun: 0 }), 'iscsi://[::1]:3262/iqn.2001-04.com.example:x/0');
});

test('errors are TypeErrors naming the part', () => {
  const bad: [string, RegExp][] = [
    ['http://h/iqn.2001-04.com.example:x/0', /scheme/],
    ['iscsi://h:99999/iqn.2001-04.com.example:x/0', /port/],
    ['iscsi://h:abc', /port/],
    ['iscsi://h/notaname/0', /target/],
    ['iscsi://h/iqn.2001-04.com.example:x/x', /lun/],
    ['iscsi://h/iqn.2001-04.com.example:x', /lun/],
    ['iscsi://bob@h/iqn.2001-04.com.example:x/0', /user info/],
    ['iscsi:///iqn.2001-04.com.example:x/0', /host/],
  ];
  for (const [url, re] of bad) assert.throws(() => parseIscsiUrl(url), (e: unknown) => e instanceof TypeError && re.test(e.message), url);
  assert.throws(() => parseIscsiUrl('iscsi://h', { requireTarget: true }), /target is missing/);
});
