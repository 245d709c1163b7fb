/**
 * CHAP for iSCSI login (RFC 1994 with the iSCSI keys of RFC 7143 §12.1.3):
 *   target → CHAP_A=5 (MD5), CHAP_I=<identifier 0..255>, CHAP_C=<challenge>
 *   initiator → CHAP_N=<name>, CHAP_R=<MD5(identifier byte || secret || challenge)>
 *   mutual: the initiator also sends CHAP_I/CHAP_C; the target answers CHAP_N and CHAP_R computed the
 *   same way with its own secret.
 * Binary values are `0x` + hex or `0b` + base64 (§6.1).
 */
import { createHash, randomBytes } from 'node:crypto';

/** CHAP_A value for MD5 (RFC 1994 / IANA PPP CHAP algorithms). */
export const CHAP_MD5 = 5;

/** The CHAP response: MD5 over identifier (1 byte), secret, challenge (RFC 1994 §4.1). */
export function chapResponse(identifier: number, secret: string | Uint8Array, challenge: Uint8Array): Buffer {
  if (!Number.isInteger(identifier) || identifier < 0 || identifier > 255) throw new RangeError(`CHAP identifier ${identifier} outside 0..255`);
  const h = createHash('md5');
  h.update(Buffer.from([identifier]));
  h.update(typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret);
  h.update(challenge);
  return h.digest();
}

/** Encodes binary as an iSCSI hex constant (`0x...`). */
export function encodeBinary(b: Uint8Array): string {
  return '0x' + Buffer.from(b).toString('hex');
}

/** Decodes `0x<hex>` or `0b<base64>`; undefined for anything else. */
export function decodeBinary(v: string): Buffer | undefined {
  if (/^0[xX]([0-9a-fA-F]{2})+$/.test(v)) return Buffer.from(v.slice(2), 'hex');
  if (/^0[xX][0-9a-fA-F]+$/.test(v)) return Buffer.from('0' + v.slice(2), 'hex');
  if (/^0[bB][A-Za-z0-9+/]+=*$/.test(v)) return Buffer.from(v.slice(2), 'base64');
  return undefined;
}

/** A fresh challenge (16 random bytes) and identifier. */
export function newChallenge(): { identifier: number; challenge: Buffer } {
  const b = randomBytes(17);
  return { identifier: b[0]!, challenge: b.subarray(1) };
}

/** Constant-time equality of two responses. */
export function responsesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}
