import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AirlockError } from '../errors.js';
import { requireRole } from '../auth/require-role.js';
import type { TokenAuthenticator } from '../auth/authenticator.js';
import { parseNpmPath } from './npm-paths.js';
import type { NpmRegistry } from './npm-registry.js';
import type { ContentEncoding, ServedDocument } from './packument-documents.js';
import { publishPrivate, type PublishDeps } from './private-publish.js';
import type { NpmUpstream } from './upstream-client.js';
import type { BlockedAttemptInput } from '../gate/blocked-attempt-recorder.js';

export interface NpmRoutesDeps {
  readonly registry: NpmRegistry;
  readonly publish: PublishDeps;
  readonly upstream: NpmUpstream;
  readonly authenticator: TokenAuthenticator;
  readonly anonymousRead: boolean;
  /** `server.publicUrl`, else derived from the request. */
  readonly publicUrl: string | undefined;
  /** Notes every refused tarball request (who, what, why); must not throw or wait. */
  readonly blockedAttempts?: { record(attempt: BlockedAttemptInput): void };
}

const abbreviatedType = 'application/vnd.npm.install-v1+json';
const hostPattern = /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$|^\[[0-9a-fA-F:]{2,45}\](:\d{1,5})?$/;

/** `/npm/…`: the npm registry protocol, as npm, pnpm, yarn and bun speak it. */
export function npmRoutes(deps: NpmRoutesDeps): FastifyPluginAsync {
  const readGuard = (request: FastifyRequest) => {
    if (!deps.anonymousRead) requireRole(request.principal, 'reader', 'install packages');
  };

  return async (app) => {
    const prefix = app.prefix;
    app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_r, body, done) =>
      done(null, body),
    );

    app.get('/*', async (request, reply) => {
      const path = request.url.slice(prefix.length);
      const parsed = parseNpmPath(path);
      const base = baseUrl(request, deps.publicUrl);
      switch (parsed.kind) {
        case 'special':
          return special(parsed.path, request, reply);
        case 'packument': {
          readGuard(request);
          const wantsAbbreviated = (request.headers.accept ?? '').includes(abbreviatedType);
          const doc = await deps.registry.document(
            parsed.pkg.name,
            base,
            wantsAbbreviated ? 'abbreviated' : 'full',
          );
          return sendDocument(request, reply, doc, wantsAbbreviated ? abbreviatedType : 'application/json');
        }
        case 'version': {
          readGuard(request);
          const doc = await deps.registry.document(parsed.pkg.name, base, 'full');
          const full = JSON.parse(doc.body.toString('utf8')) as {
            versions: Record<string, unknown>;
            'dist-tags': Record<string, string>;
          };
          const version = Object.hasOwn(full['dist-tags'], parsed.spec)
            ? full['dist-tags'][parsed.spec]
            : parsed.spec;
          const manifest =
            version !== undefined && Object.hasOwn(full.versions, version)
              ? full.versions[version]
              : undefined;
          if (!manifest)
            throw new AirlockError(
              'NOT_FOUND',
              `${parsed.pkg.name}@${parsed.spec} is not available through Airlock`,
            );
          return reply.send(manifest);
        }
        case 'dist-tags': {
          readGuard(request);
          const doc = await deps.registry.document(parsed.pkg.name, base, 'abbreviated');
          return reply.send((JSON.parse(doc.body.toString('utf8')) as { 'dist-tags': unknown })['dist-tags']);
        }
        case 'tarball': {
          readGuard(request);
          const answer = await deps.registry.tarball(parsed.pkg.name, parsed.version, base);
          if (answer.kind === 'served') return reply.type('application/octet-stream').send(answer.stream);
          // pnpm prints the status line, not the body: carry the message in the reason phrase too.
          reply.raw.statusMessage = reasonPhrase(answer.message);
          if (answer.kind === 'pending') {
            return reply
              .status(503)
              .header('retry-after', String(answer.retryAfterSeconds))
              .send({ error: answer.message, code: 'DECISION_PENDING' });
          }
          deps.blockedAttempts?.record({
            ref: { ecosystem: 'npm', name: parsed.pkg.name, version: parsed.version },
            principal: request.principal.name,
            clientIp: request.ip,
            userAgent: request.headers['user-agent'],
            reason: answer.reason,
          });
          return reply.status(403).send({ error: answer.message, code: 'BLOCKED_BY_POLICY' });
        }
      }
    });

    app.put('/*', async (request, reply) => {
      const path = request.url.slice(prefix.length);
      const login = /^\/-\/user\/org\.couchdb\.user:([^/?]{1,200})/.exec(path);
      if (login) return tokenLogin(request, reply);
      const parsed = parseNpmPath(path);
      if (parsed.kind !== 'packument')
        throw new AirlockError('NOT_FOUND', `cannot PUT ${path.slice(0, 200)}`);
      requireRole(request.principal, 'publisher', 'publish packages');
      const versions = await publishPrivate(
        deps.publish,
        parsed.pkg.name,
        request.body,
        request.principal.name,
      );
      return reply.status(201).send({ ok: true, id: parsed.pkg.name, versions });
    });

    app.post('/-/v1/login', (_request, reply) =>
      // No web login: npm then falls back to the user/password prompt, where the password is a token.
      reply.status(404).send({
        error: 'web login is not supported; log in with a token as the password',
        code: 'NOT_FOUND',
      }),
    );

    async function special(path: string, request: FastifyRequest, reply: FastifyReply) {
      if (path === '/-/ping') return reply.send({});
      if (path === '/-/whoami') {
        requireRole(request.principal, 'reader', 'whoami');
        return reply.send({ username: request.principal.name });
      }
      if (path === '/-/npm/v1/keys' || path.startsWith('/-/npm/v1/attestations/')) {
        readGuard(request);
        if (path.length > 300 || path.includes('..'))
          throw new AirlockError('BAD_REQUEST', 'invalid attestation path');
        const body = await deps.upstream.json(path.slice(1));
        if (body === undefined) throw new AirlockError('NOT_FOUND', `upstream has no ${path}`);
        return reply.send(body);
      }
      throw new AirlockError('NOT_FOUND', `no npm route for ${path.slice(0, 200)}`);
    }

    async function tokenLogin(request: FastifyRequest, reply: FastifyReply) {
      const body = request.body as { password?: unknown } | undefined;
      const password = typeof body?.password === 'string' ? body.password : '';
      const principal = password ? await deps.authenticator.authenticate(password) : undefined;
      if (!principal) {
        throw new AirlockError(
          'UNAUTHENTICATED',
          'log in with an Airlock token (from `airlock token create`) as the password',
        );
      }
      return reply.status(201).send({ ok: true, id: `org.couchdb.user:${principal.name}`, token: password });
    }
  };
}

async function sendDocument(request: FastifyRequest, reply: FastifyReply, doc: ServedDocument, type: string) {
  void reply
    .header('etag', doc.etag)
    .header('vary', 'accept, accept-encoding')
    .header('cache-control', 'max-age=60');
  if (request.headers['if-none-match'] === doc.etag) return reply.status(304).send();
  const encoding = pickEncoding(request.headers['accept-encoding']);
  const body = await doc.encoded(encoding);
  if (encoding !== 'identity') void reply.header('content-encoding', encoding);
  return reply.type(type).header('content-length', String(body.length)).send(body);
}

/** A reason phrase must be printable ASCII on one line. */
function reasonPhrase(message: string): string {
  return message.replace(/[^\x20-\x7e]/g, '?').slice(0, 500);
}

function pickEncoding(header: string | undefined): ContentEncoding {
  const accepted = (header ?? '').toLowerCase();
  if (/\bbr\b/.test(accepted)) return 'br';
  if (/\bgzip\b/.test(accepted)) return 'gzip';
  return 'identity';
}

/** The URL clients reach Airlock at: config first, then the forwarded or Host headers (validated). */
export function baseUrl(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const forwardedProto = first(request.headers['x-forwarded-proto']);
  const proto = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : request.protocol;
  const host = first(request.headers['x-forwarded-host']) ?? request.headers.host ?? 'localhost';
  if (!hostPattern.test(host))
    throw new AirlockError('BAD_REQUEST', 'the Host header is not a valid host name');
  return `${proto}://${host}`;
}

function first(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v?.split(',')[0]?.trim() || undefined;
}
