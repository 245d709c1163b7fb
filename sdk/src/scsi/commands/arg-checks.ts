/**
 * Argument checks for the mode page, write control and speed codecs of this folder. Internal: not
 * re-exported from the commands barrel (integer checks live in cdb-fields.ts).
 */

/** Throws TypeError unless `v` is a boolean (bad arguments name the parameter). */
export function bool(name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${name} must be a boolean, got ${String(v)}`);
  return v;
}
