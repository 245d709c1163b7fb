/**
 * Persistent reservation constants shared by PERSISTENT RESERVE IN and OUT (SPC-4, tables
 * "Persistent reservation scope codes" and "Persistent reservation type codes").
 */

/** PR types (SPC-4 "Persistent reservation type codes"). */
export const PrType = {
  WRITE_EXCLUSIVE: 0x1,
  EXCLUSIVE_ACCESS: 0x3,
  WRITE_EXCLUSIVE_REGISTRANTS_ONLY: 0x5,
  EXCLUSIVE_ACCESS_REGISTRANTS_ONLY: 0x6,
  WRITE_EXCLUSIVE_ALL_REGISTRANTS: 0x7,
  EXCLUSIVE_ACCESS_ALL_REGISTRANTS: 0x8,
} as const;

/** The only scope SPC-4 keeps (the others are obsolete). */
export const PrScope = { LU_SCOPE: 0x0 } as const;

const prTypes = new Set<number>(Object.values(PrType));

/** True for a defined persistent reservation type. */
export function isPrType(t: number): boolean {
  return prTypes.has(t);
}
