/**
 * GET EVENT STATUS NOTIFICATION (4Ah) — MMC-6 (T10/1836-D r2g) §6.7.
 *
 * CDB (MMC-6 table "GET EVENT STATUS NOTIFICATION CDB"):
 *   byte 0     OPERATION CODE (4Ah)
 *   byte 1     Reserved (7..1) | POLLED (0) — MMC-6 defines only polled operation: Polled=0 is
 *              INVALID FIELD IN CDB
 *   bytes 2-3  Reserved
 *   byte 4     NOTIFICATION CLASS REQUEST: bit n asks for class n (1 Operational Change,
 *              2 Power Management, 3 External Request, 4 Media, 5 Multiple Host, 6 Device Busy);
 *              bits 0 and 7 reserved
 *   bytes 5-6  Reserved
 *   bytes 7-8  ALLOCATION LENGTH
 *   byte 9     CONTROL
 *
 * Reply (MMC-6 table "Event Status Notification Response"):
 *   bytes 0-1  EVENT DESCRIPTOR LENGTH (bytes that follow this field: reply length − 2)
 *   byte 2     NEA (7) | Reserved (6..3) | NOTIFICATION CLASS (2..0)
 *   byte 3     SUPPORTED EVENT CLASSES (same bit layout as the request byte)
 *   bytes 4..  Event descriptor of the reported class (none when NEA=1)
 * Media class event descriptor (MMC-6 table "Media Event Descriptor"):
 *   byte 0     Reserved (7..4) | MEDIA EVENT CODE (3..0): 0 NoChg, 1 EjectRequest, 2 NewMedia,
 *              3 MediaRemoval, 4 MediaChanged, 5 BGFormat-Completed, 6 BGFormat-Restarted
 *   byte 1     Reserved (7..2) | Media Present (1) | Door or Tray Open (0)
 *   byte 2     START SLOT
 *   byte 3     END SLOT
 * Operational change class event descriptor (MMC-6 table "Operational Change Event Descriptor"):
 *   byte 0     Reserved (7..4) | OPERATIONAL EVENT (3..0): 0 NoChg, 1 Operational change request,
 *              2 Operational state has changed
 *   byte 1     Persistent Prevented (7) | Reserved (6..4) | OPERATIONAL STATUS (3..0)
 *   bytes 2-3  OPERATIONAL CHANGE (0000h NoChg, 0001h Feature change, 0002h Feature added, …)
 * Descriptors of other classes decode as raw bytes.
 */
import { ByteWriter } from '../../wire/bytes.js';
import { Opcode } from '../opcodes.js';
import { cdbReader, invalidCdbField, invalidReply, replyReader, type CdbCommon } from '../codec.js';
import { expectOpcode, readControl, rejectBits, rejectBytes, uint, writeControl } from './cdb-fields.js';

/** Notification class numbers (byte 2 bits 2..0 of the reply; bit n of the request byte). */
export const NotificationClass = {
  OPERATIONAL_CHANGE: 1,
  POWER_MANAGEMENT: 2,
  EXTERNAL_REQUEST: 3,
  MEDIA: 4,
  MULTIPLE_HOST: 5,
  DEVICE_BUSY: 6,
} as const;

/** Media event codes (media event descriptor byte 0 bits 3..0). */
export const MediaEvent = {
  NO_CHANGE: 0,
  EJECT_REQUEST: 1,
  NEW_MEDIA: 2,
  MEDIA_REMOVAL: 3,
  MEDIA_CHANGED: 4,
  BG_FORMAT_COMPLETED: 5,
  BG_FORMAT_RESTARTED: 6,
} as const;

/** Operational events (operational change descriptor byte 0 bits 3..0). */
export const OperationalEvent = {
  NO_CHANGE: 0,
  CHANGE_REQUEST: 1,
  CHANGE_NOTIFICATION: 2,
} as const;

/** Bit mask of a set of notification classes, as bytes 4 (request) and 3 (supported) carry it. */
export function notificationClassMask(classes: readonly number[]): number {
  let m = 0;
  for (const c of classes) m |= 1 << uint('notification class', c, 7);
  return m;
}

/** The classes named in a request/supported mask, ascending. */
export function notificationClassesOf(mask: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < 8; c++) if (mask & (1 << c)) out.push(c);
  return out;
}

// ---------------------------------------------------------------------------------------------
// CDB

export interface GetEventStatusNotificationCdb extends CdbCommon {
  /** Must be true: MMC-6 defines only polled operation. */
  polled: boolean;
  /** NOTIFICATION CLASS REQUEST byte (notificationClassMask). */
  notificationClassRequest: number;
  allocationLength: number;
}

export function encodeGetEventStatusNotificationCdb(p: GetEventStatusNotificationCdb): Buffer {
  const w = new ByteWriter(10);
  w.u8(0, Opcode.GET_EVENT_STATUS_NOTIFICATION);
  w.u8(1, p.polled ? 1 : 0);
  w.u8(4, uint('notificationClassRequest', p.notificationClassRequest, 0xff));
  w.u16(7, uint('allocationLength', p.allocationLength, 0xffff));
  writeControl(w, 9, p.control);
  return w.buffer;
}

export function decodeGetEventStatusNotificationCdb(cdb: Uint8Array): GetEventStatusNotificationCdb {
  const what = 'GET EVENT STATUS NOTIFICATION CDB';
  const r = cdbReader(cdb, 10, what);
  expectOpcode(r, Opcode.GET_EVENT_STATUS_NOTIFICATION, what);
  rejectBits(r, 1, 0xfe, what);
  if (!r.bit(1, 0)) throw invalidCdbField(1, 'GET EVENT STATUS NOTIFICATION: asynchronous operation (Polled=0) is not supported', 0);
  rejectBytes(r, 2, 3, what);
  rejectBytes(r, 5, 6, what);
  return { polled: true, notificationClassRequest: r.u8(4), allocationLength: r.u16(7), ...readControl(r, 9, what) };
}

// ---------------------------------------------------------------------------------------------
// Reply

export interface MediaEventDescriptor {
  kind: 'media';
  /** MediaEvent. */
  mediaEventCode: number;
  mediaPresent: boolean;
  doorOrTrayOpen: boolean;
  startSlot: number;
  endSlot: number;
}

export interface OperationalChangeEventDescriptor {
  kind: 'operationalChange';
  /** OperationalEvent. */
  operationalEvent: number;
  persistentPrevented: boolean;
  /** 0 available, 1 temporarily busy, 2 busy. */
  operationalStatus: number;
  operationalChange: number;
}

export interface RawEventDescriptor {
  kind: 'raw';
  data: Uint8Array;
}

export type EventDescriptor = MediaEventDescriptor | OperationalChangeEventDescriptor | RawEventDescriptor;

export interface GetEventStatusNotificationReply {
  /** No Event Available: no event of a requested class (no descriptor follows). */
  nea: boolean;
  /** NotificationClass of the descriptor (or, with NEA, of the header). */
  notificationClass: number;
  /** SUPPORTED EVENT CLASSES mask. */
  supportedEventClasses: number;
  /** Absent when NEA is set. */
  event?: EventDescriptor;
}

export interface GetEventStatusNotificationReplyDecoded extends GetEventStatusNotificationReply {
  truncated: boolean;
  fullLength: number;
}

function encodeEvent(e: EventDescriptor): Uint8Array {
  switch (e.kind) {
    case 'media':
      return new ByteWriter(4)
        .u8(0, uint('mediaEventCode', e.mediaEventCode, 15))
        .u8(1, (e.mediaPresent ? 2 : 0) | (e.doorOrTrayOpen ? 1 : 0))
        .u8(2, uint('startSlot', e.startSlot, 0xff))
        .u8(3, uint('endSlot', e.endSlot, 0xff)).buffer;
    case 'operationalChange':
      return new ByteWriter(4)
        .u8(0, uint('operationalEvent', e.operationalEvent, 15))
        .u8(1, (e.persistentPrevented ? 0x80 : 0) | uint('operationalStatus', e.operationalStatus, 15))
        .u16(2, uint('operationalChange', e.operationalChange, 0xffff)).buffer;
    case 'raw':
      return e.data;
  }
}

/** The whole reply (the caller cuts it to the allocation length). */
export function encodeGetEventStatusNotificationReply(reply: GetEventStatusNotificationReply): Buffer {
  const cls = uint('notificationClass', reply.notificationClass, 7);
  if (reply.nea && reply.event) throw new TypeError('event: no descriptor may follow when nea is set');
  if (reply.event?.kind === 'media' && cls !== NotificationClass.MEDIA) throw new TypeError('event: a media descriptor needs notificationClass 4');
  if (reply.event?.kind === 'operationalChange' && cls !== NotificationClass.OPERATIONAL_CHANGE) {
    throw new TypeError('event: an operational change descriptor needs notificationClass 1');
  }
  const data = reply.event ? encodeEvent(reply.event) : new Uint8Array(0);
  const w = new ByteWriter(4 + data.length);
  w.u16(0, uint('event descriptor length', 2 + data.length, 0xffff));
  w.u8(2, (reply.nea ? 0x80 : 0) | cls);
  w.u8(3, uint('supportedEventClasses', reply.supportedEventClasses, 0xff));
  w.bytes(4, data);
  return w.buffer;
}

export function decodeGetEventStatusNotificationReply(buf: Uint8Array): GetEventStatusNotificationReplyDecoded {
  const r = replyReader(buf, 'GET EVENT STATUS NOTIFICATION reply');
  const len = r.u16(0);
  if (buf.length >= 2 && len < 2) throw invalidReply(`GET EVENT STATUS NOTIFICATION: EVENT DESCRIPTOR LENGTH ${len} is less than the 2 header bytes it counts`);
  const fullLength = buf.length >= 2 ? len + 2 : 4;
  const nea = r.bit(2, 7);
  const notificationClass = r.bits(2, 0, 3);
  const supportedEventClasses = r.u8(3);
  const dataLen = fullLength - 4;
  if (nea && dataLen > 0 && buf.length >= 3) {
    // MMC-6: with NEA set the drive returns the header only.
    throw invalidReply(`GET EVENT STATUS NOTIFICATION: NEA set but ${dataLen} descriptor byte(s) follow`);
  }
  const known = notificationClass === NotificationClass.MEDIA || notificationClass === NotificationClass.OPERATIONAL_CHANGE;
  if (!nea && known && dataLen < 4 && buf.length >= 3) {
    throw invalidReply(`GET EVENT STATUS NOTIFICATION: class ${notificationClass} descriptor needs 4 bytes, EVENT DESCRIPTOR LENGTH leaves ${dataLen}`);
  }
  const out: GetEventStatusNotificationReplyDecoded = { nea, notificationClass, supportedEventClasses, truncated: false, fullLength };
  if (!nea && dataLen > 0) {
    if (notificationClass === NotificationClass.MEDIA) {
      out.event = {
        kind: 'media',
        mediaEventCode: r.bits(4, 0, 4),
        mediaPresent: r.bit(5, 1),
        doorOrTrayOpen: r.bit(5, 0),
        startSlot: r.u8(6),
        endSlot: r.u8(7),
      };
    } else if (notificationClass === NotificationClass.OPERATIONAL_CHANGE) {
      out.event = {
        kind: 'operationalChange',
        operationalEvent: r.bits(4, 0, 4),
        persistentPrevented: r.bit(5, 7),
        operationalStatus: r.bits(5, 0, 4),
        operationalChange: r.u16(6),
      };
    } else {
      out.event = { kind: 'raw', data: r.bytes(4, Math.max(0, Math.min(dataLen, buf.length - 4))) };
    }
  }
  out.truncated = r.readPastEnd || buf.length < fullLength;
  return out;
}
