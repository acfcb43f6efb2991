/** Roles in increasing power; each includes the ones before it. */
export const roles = ['reader', 'publisher', 'reviewer', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Who is making a request: a token's name and role, or anonymous. */
export interface Principal {
  readonly name: string;
  readonly role: Role | 'anonymous';
  readonly tokenId?: number;
}

export const anonymous: Principal = { name: 'anonymous', role: 'anonymous' };

/** True when `principal` may act with `needed` (admin may do everything a reviewer may, and so on). */
export function hasRole(principal: Principal, needed: Role): boolean {
  if (principal.role === 'anonymous') return false;
  return roles.indexOf(principal.role) >= roles.indexOf(needed);
}
