/**
 * The client name of an exclusive-access holder, carried in an iSCSI InitiatorName so that other
 * clients — other processes, other hosts — can read it back from the device.
 *
 * SPC-4 gives a persistent reservation no field for an application's name: PERSISTENT RESERVE IN
 * READ FULL STATUS reports, for every registration, its 8-byte key and its I_T nexus (for iSCSI the
 * InitiatorName and ISID). So the holder opens a second session to the logical unit whose
 * InitiatorName is `iqn.2026-11.org.openimapi:client.<encoded client name>` and registers it with the
 * holder's own reservation key; it sends nothing else. Another client finds the descriptor that holds
 * the reservation, then the registration with the same key whose name has this form, and decodes it.
 *
 * Encoding (RFC 3720/3722 names are lower-case letters, digits, '.', '-', ':'; at most 223 bytes):
 * a-z, 0-9 and '.' stand for themselves; every other byte of the name's UTF-8 is '-' and two
 * lower-case hex digits ("Burner A" → "-42urner-20-41"). A name whose encoding does not fit is cut at a
 * character boundary and ends in '…'.
 */
export const OWNER_TAG_PREFIX = 'iqn.2026-11.org.openimapi:client.';
/** RFC 7143 §4.2.7.1: an iSCSI name is at most 223 bytes. */
const MAX_NAME = 223;
const ELLIPSIS = '\u2026';

function encodeBytes(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    out += (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2e ? String.fromCharCode(b) : '-' + b.toString(16).padStart(2, '0');
  }
  return out;
}

/** The InitiatorName that carries `clientName` (cut to fit, ending in '…', when it is long). */
export function ownerTagName(clientName: string): string {
  const room = MAX_NAME - OWNER_TAG_PREFIX.length;
  const whole = encodeBytes(clientName);
  if (whole.length <= room) return OWNER_TAG_PREFIX + whole;
  // The longest run of whole characters that still leaves room for the ellipsis (UTF-8, and so the
  // encoding, of a string is that of its characters one after another).
  const ellipsis = encodeBytes(ELLIPSIS);
  let kept = '';
  for (const c of clientName) {
    const e = encodeBytes(c);
    if (kept.length + e.length + ellipsis.length > room) break;
    kept += e;
  }
  return OWNER_TAG_PREFIX + kept + ellipsis;
}

/** The client name an owner-tag InitiatorName carries, or undefined when `name` is not one. */
export function clientNameFromTag(name: string): string | undefined {
  if (!name.startsWith(OWNER_TAG_PREFIX)) return undefined;
  const body = name.slice(OWNER_TAG_PREFIX.length);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; ) {
    const c = body.charCodeAt(i);
    if (c === 0x2d) {
      const hex = body.slice(i + 1, i + 3);
      if (!/^[0-9a-f]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 3;
    } else if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2e) {
      bytes.push(c);
      i++;
    } else {
      return undefined;
    }
  }
  const text = new TextDecoder('utf-8', { fatal: true });
  try {
    return text.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}
