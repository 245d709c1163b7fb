/**
 * TransportIDs (SPC-4 §7.6.4): how PERSISTENT RESERVE IN (READ FULL STATUS) and PERSISTENT RESERVE
 * OUT (SPEC_I_PT) name an initiator port.
 *
 *   byte 0     FORMAT CODE (7-6) | Reserved (5-4) | PROTOCOL IDENTIFIER (3-0)
 *
 * iSCSI (protocol 5h; SPC-4 r37 §7.6.4.6, tables 507 and 508):
 *   byte 1     Reserved
 *   bytes 2-3  ADDITIONAL LENGTH (m-3): at least 20 and a multiple of 4
 *   format 00b (initiator device): bytes 4-m ISCSI NAME, null-terminated, null-padded
 *   format 01b (initiator port):   bytes 4-m ISCSI NAME, SEPARATOR ",i,0x", ISCSI INITIATOR SESSION ID
 *                                  (the 6-byte ISID as 12 hex digits), null-terminated, null-padded
 * Every other protocol's TransportID is 24 bytes (FC, SAS, 1394, SRP, …); kept as raw bytes here.
 */
import { ByteWriter, type ByteReader } from '../../wire/bytes.js';
import { ProtocolIdentifier } from './inquiry-vpd.js';

export interface IscsiTransportId {
  protocol: 'iscsi';
  /** iSCSI name of the initiator node (`iqn.…`). */
  name: string;
  /** ISID as 12 lower-case hex digits: present for format 01b (initiator port), absent for 00b. */
  isid?: string;
}

export interface OtherTransportId {
  protocol: 'other';
  protocolIdentifier: number;
  formatCode: number;
  /** The whole 24-byte TransportID. */
  bytes: Buffer;
}

export type TransportId = IscsiTransportId | OtherTransportId;

const SEPARATOR = ',i,0x';

export function encodeTransportId(t: TransportId): Buffer {
  if (t.protocol === 'other') {
    if (t.bytes.length !== 24) throw new TypeError('a non-iSCSI TransportID is 24 bytes');
    const b = Buffer.from(t.bytes);
    b[0] = ((t.formatCode & 3) << 6) | (t.protocolIdentifier & 0xf);
    return b;
  }
  if (!t.name || t.name.includes('\0') || t.name.includes(SEPARATOR)) throw new TypeError('name must be a non-empty iSCSI name');
  if (t.isid !== undefined && !/^[0-9a-fA-F]{12}$/.test(t.isid)) throw new TypeError('isid must be 12 hex digits');
  const text = Buffer.from(t.isid !== undefined ? `${t.name}${SEPARATOR}${t.isid.toLowerCase()}` : t.name, 'utf8');
  const additional = Math.max(20, (text.length + 1 + 3) & ~3);
  if (additional > 0xffff) throw new TypeError('name too long for a TransportID');
  const w = new ByteWriter(4 + additional);
  w.u8(0, ((t.isid !== undefined ? 1 : 0) << 6) | ProtocolIdentifier.ISCSI);
  w.u16(2, additional);
  w.bytes(4, text);
  return w.buffer;
}

/**
 * Decodes the TransportID at `off` of `r`, which must hold it whole. Returns it and its length, or
 * calls `fail(message, byteOffset)` (which throws) for one that contradicts itself.
 */
export function decodeTransportId(r: ByteReader, off: number, available: number, fail: (message: string, byte: number) => Error): { id: TransportId; length: number } {
  if (available < 4) throw fail(`TransportID of ${available} bytes`, off);
  const formatCode = r.bits(off, 6, 2);
  const protocolIdentifier = r.bits(off, 0, 4);
  if (protocolIdentifier !== ProtocolIdentifier.ISCSI) {
    if (available < 24) throw fail(`TransportID for protocol ${protocolIdentifier} needs 24 bytes, has ${available}`, off);
    return { id: { protocol: 'other', protocolIdentifier, formatCode, bytes: r.bytes(off, 24) }, length: 24 };
  }
  if (formatCode > 1) throw fail(`iSCSI TransportID with reserved FORMAT CODE ${formatCode}`, off);
  const additional = r.u16(off + 2);
  if (additional < 20 || additional % 4 !== 0) throw fail(`iSCSI TransportID ADDITIONAL LENGTH ${additional} (at least 20, a multiple of 4)`, off + 2);
  if (4 + additional > available) throw fail(`iSCSI TransportID of ${4 + additional} bytes runs past its container (${available})`, off + 2);
  const field = r.bytes(off + 4, additional);
  const nul = field.indexOf(0);
  if (nul < 0) throw fail('iSCSI TransportID name is not null-terminated', off + 4);
  const text = field.subarray(0, nul).toString('utf8');
  if (formatCode === 0) {
    if (text.length === 0) throw fail('iSCSI TransportID with an empty name', off + 4);
    return { id: { protocol: 'iscsi', name: text }, length: 4 + additional };
  }
  const at = text.lastIndexOf(SEPARATOR);
  const isid = at < 0 ? '' : text.slice(at + SEPARATOR.length);
  if (at <= 0 || !/^[0-9a-fA-F]{12}$/.test(isid)) throw fail(`iSCSI port TransportID "${text}" is not <name>,i,0x<12 hex digits>`, off + 4);
  return { id: { protocol: 'iscsi', name: text.slice(0, at), isid: isid.toLowerCase() }, length: 4 + additional };
}
