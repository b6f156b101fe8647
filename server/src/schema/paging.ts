import { badInput } from '../errors.ts';

/** A page size argument within its bounds, or BAD_INPUT naming them: every list the API answers is bounded. */
export function pageSize(name: string, value: number | null | undefined, fallback: number, max: number): number {
  const size = value ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > max) throw badInput(`${name} must be between 1 and ${max}, got ${size}`, { max });
  return size;
}
