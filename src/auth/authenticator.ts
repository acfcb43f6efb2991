import type { Principal } from './principal.js';

/** Turns a bearer token into a principal; undefined when the token is unknown or revoked. */
export interface TokenAuthenticator {
  authenticate(token: string): Promise<Principal | undefined>;
}
