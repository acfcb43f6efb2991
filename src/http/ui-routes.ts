import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

/** Where `vite build ui` puts the dashboard, from src/http or dist/http alike. */
export const defaultUiDir = resolve(import.meta.dirname, '..', '..', 'ui', 'dist');

// Scripts and styles only from this origin; the app talks to /api/v1 on the same origin and nothing else.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const contentTypes: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
  map: 'application/json; charset=utf-8',
};

// Vite's asset names: one plain file name, no slashes or leading dots, so nothing outside assets/ is reachable.
const assetName = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}$/;

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', contentSecurityPolicy)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY');
}

/** `/` and `/assets/*`: the built dashboard, with a strict CSP; a clear 503 when the UI is not built. */
export function uiRoutes(options: { dir?: string } = {}): FastifyPluginAsync {
  const dir = options.dir ?? defaultUiDir;
  const notBuilt = {
    error: `the dashboard is not built (${join(dir, 'index.html')} is missing); run \`npm run build\``,
    code: 'UI_NOT_BUILT',
  };
  return async (app) => {
    const index = async (_request: unknown, reply: FastifyReply) => {
      const file = join(dir, 'index.html');
      if (!existsSync(file)) return secure(reply).status(503).send(notBuilt);
      return secure(reply)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(await readFile(file));
    };
    app.get('/', index);
    app.get('/index.html', index);
    app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
      const name = request.params.file;
      const type = contentTypes[name.slice(name.lastIndexOf('.') + 1)];
      const file = join(dir, 'assets', name);
      if (!assetName.test(name) || !type || !existsSync(file)) {
        return secure(reply)
          .status(404)
          .send({ error: `no dashboard asset ${name}`, code: 'NOT_FOUND' });
      }
      return (
        secure(reply)
          .type(type)
          // Vite puts a content hash in every asset name.
          .header('cache-control', 'public, max-age=31536000, immutable')
          .send(await readFile(file))
      );
    });
  };
}
