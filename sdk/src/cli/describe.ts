/** How the CLI names a failure: the HRESULT's name and value first, then what happened. */
import { ImapiError } from '../errors/imapi-error.js';
import { formatHResult } from '../errors/hresult.js';

/** "E_IMAPI_... (0x...): message" for an ImapiError (the message without a repeated name), the message otherwise. */
export function describeError(e: unknown): string {
  if (!(e instanceof ImapiError)) return e instanceof Error ? e.message : String(e);
  const head = formatHResult(e.hresult);
  let msg = e.message;
  for (const prefix of [head, e.hresultName]) {
    if (msg.startsWith(prefix)) {
      msg = msg.slice(prefix.length);
      break;
    }
  }
  msg = msg.replace(/^:\s*/, '').trim();
  return msg ? `${head}: ${msg}` : head;
}
