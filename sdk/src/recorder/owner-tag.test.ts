import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OWNER_TAG_PREFIX, clientNameFromTag, ownerTagName } from './owner-tag.js';

test('ownerTagName: a-z, 0-9 and . as they are, every other UTF-8 byte as -xx; decodes back', () => {
  assert.equal(ownerTagName('Burner A'), `${OWNER_TAG_PREFIX}-42urner-20-41`);
  assert.equal(ownerTagName('cd-burner.v2'), `${OWNER_TAG_PREFIX}cd-2dburner.v2`);
  for (const name of ['Burner A', 'cd-burner.v2', 'Grabación — ü 光盘', '-', 'a:b', 'x'.repeat(40)]) {
    const tag = ownerTagName(name);
    assert.match(tag, /^[a-z0-9.:-]+$/, 'a valid iSCSI name');
    assert.equal(clientNameFromTag(tag), name);
  }
});

test('ownerTagName: a name that does not fit in 223 bytes is cut at a character boundary and ends in …', () => {
  const long = 'Ü'.repeat(256); // 2 UTF-8 bytes each: 6 characters of tag per character
  const tag = ownerTagName(long);
  assert.ok(tag.length <= 223, `${tag.length} bytes`);
  const back = clientNameFromTag(tag)!;
  assert.ok(back.endsWith('…'));
  assert.equal(back, 'Ü'.repeat(back.length - 1) + '…');
  assert.equal(clientNameFromTag(ownerTagName('a'.repeat(300))), 'a'.repeat(223 - OWNER_TAG_PREFIX.length - 9) + '…');
});

test('clientNameFromTag: other names, bad escapes and invalid UTF-8 are not tags', () => {
  assert.equal(clientNameFromTag('iqn.2026-11.org.openimapi:sdk.host'), undefined);
  assert.equal(clientNameFromTag(`${OWNER_TAG_PREFIX}-4`), undefined);
  assert.equal(clientNameFromTag(`${OWNER_TAG_PREFIX}-zz`), undefined);
  assert.equal(clientNameFromTag(`${OWNER_TAG_PREFIX}A`), undefined);
  assert.equal(clientNameFromTag(`${OWNER_TAG_PREFIX}-ff-fe`), undefined);
});
