/**
 * The client name rule. IMAPI2 shows the client name as the exclusive-access owner and refuses names it
 * cannot show (`*_CLIENT_NAME_IS_NOT_VALID`). The documentation gives no grammar; this is ours:
 * a string of 1 to 128 characters after trimming, with no control characters (U+0000–U+001F,
 * U+007F–U+009F) and no lone surrogates. Leading and trailing spaces are not part of the name.
 */
export const MAX_CLIENT_NAME_LENGTH = 128;

export function isValidClientName(name: unknown): name is string {
  if (typeof name !== 'string') return false;
  const t = name.trim();
  if (t.length === 0 || t.length > MAX_CLIENT_NAME_LENGTH) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(t)) return false;
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(t);
}
