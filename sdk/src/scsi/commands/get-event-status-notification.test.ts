import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeGetEventStatusNotificationCdb,
  decodeGetEventStatusNotificationReply,
  encodeGetEventStatusNotificationCdb,
  encodeGetEventStatusNotificationReply,
  MediaEvent,
  NotificationClass,
  notificationClassesOf,
  notificationClassMask,
  type GetEventStatusNotificationReply,
} from './get-event-status-notification.js';
import { assertInvalidCdbField, assertInvalidReply, hexBytes } from './command-asserts.test.helpers.js';

// MMC-6 §6.7 table "GET EVENT STATUS NOTIFICATION CDB": 4Ah, Polled in byte 1 bit 0, notification
// class request in byte 4 (media = bit 4 → 10h), allocation length bytes 7-8.
test('GET EVENT STATUS NOTIFICATION CDB bytes per MMC-6 table', () => {
  const mask = notificationClassMask([NotificationClass.MEDIA]);
  assert.equal(mask, 0x10);
  assert.deepEqual(
    encodeGetEventStatusNotificationCdb({ polled: true, notificationClassRequest: mask, allocationLength: 8 }),
    hexBytes('4a 01 00 00 10 00 00 00 08 00'),
  );
  assert.equal(notificationClassMask([1, 4]), 0x12);
  assert.deepEqual(notificationClassesOf(0x5e), [1, 2, 3, 4, 6]);
});

test('GET EVENT STATUS NOTIFICATION CDB round trip', () => {
  for (const p of [
    { polled: true, notificationClassRequest: 0x10, allocationLength: 8 },
    { polled: true, notificationClassRequest: 0x7e, allocationLength: 0xffff, control: 0x04 },
  ]) {
    assert.deepEqual(decodeGetEventStatusNotificationCdb(encodeGetEventStatusNotificationCdb(p)), p);
  }
});

test('GET EVENT STATUS NOTIFICATION CDB: Polled=0, reserved bits are INVALID FIELD IN CDB', () => {
  assertInvalidCdbField(() => decodeGetEventStatusNotificationCdb(hexBytes('4a 00 00 00 10 00 00 00 08 00')), 1, 0);
  assertInvalidCdbField(() => decodeGetEventStatusNotificationCdb(hexBytes('4a 21 00 00 10 00 00 00 08 00')), 1, 5);
  assertInvalidCdbField(() => decodeGetEventStatusNotificationCdb(hexBytes('4a 01 00 00 10 01 00 00 08 00')), 5, 0);
  assertInvalidCdbField(() => decodeGetEventStatusNotificationCdb(hexBytes('4a 01 00 00 10')), 0);
});

// Media class reply per MMC-6 tables "Event Status Notification Response" and "Media Event
// Descriptor": descriptor length 6, class 4, supported classes 1 and 4 (12h), NewMedia, media present,
// tray closed, slots 0/0.
const newMedia = hexBytes('00 06 04 12  02 02 00 00');

test('GET EVENT STATUS NOTIFICATION reply: media event decodes', () => {
  const d = decodeGetEventStatusNotificationReply(newMedia);
  assert.deepEqual(d, {
    nea: false,
    notificationClass: NotificationClass.MEDIA,
    supportedEventClasses: 0x12,
    event: { kind: 'media', mediaEventCode: MediaEvent.NEW_MEDIA, mediaPresent: true, doorOrTrayOpen: false, startSlot: 0, endSlot: 0 },
    truncated: false,
    fullLength: 8,
  });
  // Tray open, no medium, EjectRequest.
  const e = decodeGetEventStatusNotificationReply(hexBytes('00 06 04 12  01 01 00 00'));
  assert.ok(e.event?.kind === 'media');
  assert.deepEqual([e.event.mediaEventCode, e.event.mediaPresent, e.event.doorOrTrayOpen], [MediaEvent.EJECT_REQUEST, false, true]);
});

test('GET EVENT STATUS NOTIFICATION reply round trips (media, operational change, NEA, raw)', () => {
  const replies: GetEventStatusNotificationReply[] = [
    { nea: false, notificationClass: 4, supportedEventClasses: 0x12, event: { kind: 'media', mediaEventCode: 4, mediaPresent: true, doorOrTrayOpen: false, startSlot: 1, endSlot: 2 } },
    {
      nea: false, notificationClass: 1, supportedEventClasses: 0x12,
      event: { kind: 'operationalChange', operationalEvent: 2, persistentPrevented: true, operationalStatus: 1, operationalChange: 2 },
    },
    { nea: true, notificationClass: 0, supportedEventClasses: 0x12 },
    { nea: false, notificationClass: 6, supportedEventClasses: 0x40, event: { kind: 'raw', data: Buffer.from([1, 2, 3, 4]) } },
  ];
  for (const r of replies) {
    const bytes = encodeGetEventStatusNotificationReply(r);
    assert.deepEqual(decodeGetEventStatusNotificationReply(bytes), { ...r, truncated: false, fullLength: bytes.length });
  }
  // Operational change descriptor bytes per MMC-6 table "Operational Change Event Descriptor".
  assert.deepEqual(encodeGetEventStatusNotificationReply(replies[1]!), hexBytes('00 06 01 12  02 81 00 02'));
  assert.deepEqual(encodeGetEventStatusNotificationReply(replies[2]!), hexBytes('00 02 80 12'));
  assert.equal(newMedia.equals(encodeGetEventStatusNotificationReply(decodeGetEventStatusNotificationReply(newMedia))), true);
});

test('GET EVENT STATUS NOTIFICATION reply cut by the allocation length decodes, truncated', () => {
  const d = decodeGetEventStatusNotificationReply(newMedia.subarray(0, 4));
  assert.deepEqual([d.truncated, d.fullLength, d.notificationClass, d.nea], [true, 8, 4, false]);
  const six = decodeGetEventStatusNotificationReply(newMedia.subarray(0, 6));
  assert.ok(six.truncated && six.event?.kind === 'media' && six.event.mediaPresent);
  assert.equal(decodeGetEventStatusNotificationReply(newMedia.subarray(0, 1)).truncated, true);
});

test('GET EVENT STATUS NOTIFICATION reply that contradicts itself is an invalid response', () => {
  assertInvalidReply(() => decodeGetEventStatusNotificationReply(hexBytes('00 01 04 12')));
  // A media event header with a 2-byte descriptor.
  assertInvalidReply(() => decodeGetEventStatusNotificationReply(hexBytes('00 04 04 12 02 02')));
  // NEA with a descriptor after it.
  assertInvalidReply(() => decodeGetEventStatusNotificationReply(hexBytes('00 06 84 12 02 02 00 00')));
});
