/**
 * Comma lists in the environment (SLURM_SOURCES, ADMIN_USERS, OPERATOR_USERS): `alice, bob,,` → ['alice', 'bob'].
 * Blanks around and between commas are dropped, so a trailing comma or an empty variable is no entry.
 */
export function parseList(raw: string | null | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
