import { createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { AirlockError } from '../errors.js';
import { requireRole } from '../auth/require-role.js';
import { auditBulk, auditQuick, type AdvisoryLookup } from '../vulndb/index.js';

export interface NpmAuditRoutesDeps {
  /** The vulndb matcher (`OsvVulnerabilityMatcher`). */
  readonly advisories: AdvisoryLookup;
  /** Anonymous clients may audit (mirrors `registry.anonymousRead`); else a reader token is needed. */
  readonly anonymousRead: boolean;
  /** Largest decompressed request body; npm sends one entry per installed package. */
  readonly maxBodyBytes?: number;
}

/**
 * npm's audit endpoints, answered from Airlock's advisory database (register under the `/npm` prefix):
 * `POST /-/npm/v1/security/advisories/bulk` (npm 7+) and `POST /-/npm/v1/security/audits/quick` (npm 6).
 * npm gzips the body, so it is inflated here with the size limit applied to the inflated bytes.
 */
export function npmAuditRoutes(deps: NpmAuditRoutesDeps): FastifyPluginAsync {
  const bodyLimit = deps.maxBodyBytes ?? 32 * 1024 * 1024;
  return async (app) => {
    app.addHook('preParsing', async (request, _reply, payload) => {
      const encoding = request.headers['content-encoding']?.toLowerCase().trim();
      if (encoding === undefined || encoding === 'identity') return payload;
      if (encoding !== 'gzip' && encoding !== 'deflate')
        throw new AirlockError(
          'BAD_REQUEST',
          `unsupported content-encoding "${encoding}"; send gzip or none`,
        );
      const inflated: Transform & { receivedEncodedLength?: number } =
        encoding === 'gzip' ? createGunzip() : createInflate();
      // Fastify compares content-length with the encoded bytes received, which the inflater reports.
      inflated.receivedEncodedLength = 0;
      payload.on('data', (chunk: Buffer) => {
        inflated.receivedEncodedLength! += chunk.length;
      });
      payload.pipe(inflated);
      return inflated;
    });

    const guard = (principal: Parameters<typeof requireRole>[0]) => {
      if (!deps.anonymousRead) requireRole(principal, 'reader', 'npm audit');
    };

    app.post('/-/npm/v1/security/advisories/bulk', { bodyLimit }, async (request) => {
      guard(request.principal);
      return auditBulk(deps.advisories, request.body);
    });

    app.post('/-/npm/v1/security/audits/quick', { bodyLimit }, async (request) => {
      guard(request.principal);
      return auditQuick(deps.advisories, request.body);
    });

    // npm 6 also knows the full audit; the quick answer has the same shape.
    app.post('/-/npm/v1/security/audits', { bodyLimit }, async (request) => {
      guard(request.principal);
      return auditQuick(deps.advisories, request.body);
    });
  };
}
