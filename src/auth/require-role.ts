import { AirlockError } from '../errors.js';
import { hasRole, type Principal, type Role } from './principal.js';

/** Throws UNAUTHENTICATED for anonymous callers and FORBIDDEN for a role too weak for `needed`. */
export function requireRole(principal: Principal, needed: Role, what = 'this'): void {
  if (hasRole(principal, needed)) return;
  if (principal.role === 'anonymous') {
    throw new AirlockError('UNAUTHENTICATED', `sign in to do ${what}: send Authorization: Bearer <token>`);
  }
  throw new AirlockError(
    'FORBIDDEN',
    `${principal.name} (${principal.role}) may not do ${what}: needs the ${needed} role`,
  );
}
