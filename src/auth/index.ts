export { anonymous, hasRole, roles, type Principal, type Role } from './principal.js';
export { requireRole } from './require-role.js';
export type { TokenAuthenticator } from './authenticator.js';
export { TokenStore, hashToken, tokenPrefix, type TokenRecord } from './tokens.js';
