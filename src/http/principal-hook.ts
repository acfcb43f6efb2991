import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AirlockError } from '../errors.js';
import { anonymous, type Principal } from '../auth/principal.js';
import type { TokenAuthenticator } from '../auth/authenticator.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request: set for every request by the auth hook (anonymous when no token). */
    principal: Principal;
  }
}

/** Reads `Authorization: Bearer <token>` on every request; a token that is sent must be valid. */
export function registerPrincipalHook(app: FastifyInstance, authenticator: TokenAuthenticator): void {
  // Reference-type decorations must start empty; the hook below sets it on every request.
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) {
      request.principal = anonymous;
      return;
    }
    const principal = await authenticator.authenticate(token);
    if (!principal) {
      throw new AirlockError(
        'UNAUTHENTICATED',
        'the token is unknown or revoked; create one with `airlock token create`',
      );
    }
    request.principal = principal;
  });
}

function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S{1,512})\s*$/i.exec(header);
  return match?.[1];
}
