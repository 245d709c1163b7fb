/**
 * GET EVENT STATUS NOTIFICATION, polled (MMC-6 §6.7): classes Media (4) and Device Busy (6).
 * Of the requested classes, the lowest-numbered one with an event is reported (MMC-6 §6.7.2.2);
 * without any event, the lowest requested supported class is reported with "no change". A request
 * naming no supported class gets NEA=1 and no descriptor.
 *
 * Media events are queued per nexus in DriveState (NewMedia on load, tray close and after CLOSE
 * SESSION/BLANK; MediaRemoval on eject). Device Busy reports BLANK/FORMAT in progress, with the time
 * left in tenths of a second.
 */
import { NotificationClass, decodeGetEventStatusNotificationCdb, encodeGetEventStatusNotificationReply, notificationClassMask, type EventDescriptor } from '@openimapi/sdk';
import { upTo, type CommandContext } from './types.js';

export const SUPPORTED_EVENT_CLASSES = notificationClassMask([NotificationClass.MEDIA, NotificationClass.DEVICE_BUSY]);

export function getEventStatusNotification(ctx: CommandContext): Buffer {
  const p = decodeGetEventStatusNotificationCdb(ctx.cdb);
  const s = ctx.state;
  const requested = p.notificationClassRequest & SUPPORTED_EVENT_CLASSES;
  let cls: number | undefined;
  if (requested & (1 << NotificationClass.MEDIA) && s.hasMediaEvent(ctx.nexus.id)) cls = NotificationClass.MEDIA;
  else if (requested & (1 << NotificationClass.DEVICE_BUSY) && s.operation) cls = NotificationClass.DEVICE_BUSY;
  else if (requested & (1 << NotificationClass.MEDIA)) cls = NotificationClass.MEDIA;
  else if (requested & (1 << NotificationClass.DEVICE_BUSY)) cls = NotificationClass.DEVICE_BUSY;
  let data: Buffer;
  if (cls === undefined) {
    data = encodeGetEventStatusNotificationReply({ nea: true, notificationClass: 0, supportedEventClasses: SUPPORTED_EVENT_CLASSES });
  } else {
    let event: EventDescriptor;
    if (cls === NotificationClass.MEDIA) {
      event = {
        kind: 'media',
        mediaEventCode: s.takeMediaEvent(ctx.nexus.id),
        mediaPresent: s.loadedMedium !== undefined,
        doorOrTrayOpen: s.tray === 'open',
        startSlot: 0,
        endSlot: 0,
      };
    } else {
      // Device busy event descriptor (MMC-6 Table 159): event code, busy status, time (0.1 s units).
      const op = s.operation;
      const left = op ? Math.max(0, Math.ceil((op.startedAt + op.durationMs - s.opts.now()) / 100)) : 0;
      event = { kind: 'raw', data: Buffer.from([op ? 1 : 0, op ? 2 : 0, (Math.min(left, 0xffff) >> 8) & 0xff, Math.min(left, 0xffff) & 0xff]) };
    }
    data = encodeGetEventStatusNotificationReply({ nea: false, notificationClass: cls, supportedEventClasses: SUPPORTED_EVENT_CLASSES, event });
  }
  return upTo(data, p.allocationLength);
}
