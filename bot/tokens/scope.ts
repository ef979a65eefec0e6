/**
 * What an API token may do. Each scope covers the ones before it: `read` the GET routes, `export`
 * those and the register downloads, `admin` everything, writes too.
 */
export const TOKEN_SCOPES = ['read', 'export', 'admin'] as const;

export type TokenScope = (typeof TOKEN_SCOPES)[number];

export function isTokenScope(value: unknown): value is TokenScope {
  return typeof value === 'string' && (TOKEN_SCOPES as readonly string[]).includes(value);
}

/** Whether a token of `scope` may use a route that needs `need`. */
export function covers(scope: TokenScope, need: TokenScope): boolean {
  return TOKEN_SCOPES.indexOf(scope) >= TOKEN_SCOPES.indexOf(need);
}
