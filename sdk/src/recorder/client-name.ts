/**
 * The client-name rule for acquireExclusiveAccess (and the format objects' clientName property).
 * IMAPI2 asks for a name identifying the application; it rejects an empty one. Our rule, stated:
 * a string of 1 to 256 characters, none of them a control character (Unicode category Cc: U+0000-
 * U+001F, U+007F-U+009F), not made of whitespace only. Anything else is the *_CLIENT_NAME_IS_NOT_VALID
 * HRESULT of the calling object.
 */
export const MAX_CLIENT_NAME_LENGTH = 256;

export function isValidClientName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    name.length >= 1 &&
    name.length <= MAX_CLIENT_NAME_LENGTH &&
    !/\p{Cc}/u.test(name) &&
    name.trim().length > 0
  );
}
