/**
 * What an API token may do. `read`, `export` and `admin` form a ladder, each covering the ones
 * before it: `read` the GET routes, `export` those and the register downloads, `admin` everything,
 * writes too. `alerts` stands apart: it may only post monitoring alerts (`POST /api/alerts/…`),
 * which `admin` may too; it reads nothing.
 */
export const TOKEN_SCOPES = ['read', 'export', 'admin', 'alerts'] as const;

export type TokenScope = (typeof TOKEN_SCOPES)[number];

const LADDER: readonly TokenScope[] = ['read', 'export', 'admin'];

export function isTokenScope(value: unknown): value is TokenScope {
  return typeof value === 'string' && (TOKEN_SCOPES as readonly string[]).includes(value);
}

/** Whether a token of `scope` may use a route that needs `need`. */
export function covers(scope: TokenScope, need: TokenScope): boolean {
  if (need === 'alerts') return scope === 'alerts' || scope === 'admin';
  if (scope === 'alerts') return false;
  return LADDER.indexOf(scope) >= LADDER.indexOf(need);
}
