import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request, type Dispatcher } from 'undici';
import { AirlockError, describeError } from '../errors.js';
import { encodePackageName } from './package-name.js';
import type { UpstreamHealthTracker } from './upstream-health.js';

export interface UpstreamOptions {
  /** Base URL of the upstream registry, e.g. `https://registry.npmjs.org/`. */
  readonly url: string;
  readonly timeoutMs: number;
  readonly maxPackumentBytes: number;
  readonly maxTarballBytes: number;
  /** Attempts for idempotent requests that fail with a network error or a 5xx. */
  readonly attempts?: number;
  readonly dispatcher?: Dispatcher;
  /** Told the outcome and latency of every attempt (the dashboard's upstream health). */
  readonly health?: Pick<UpstreamHealthTracker, 'success' | 'failure'>;
}

export type PackumentFetch =
  | { readonly status: 'ok'; readonly body: Buffer; readonly etag?: string; readonly lastModified?: string }
  | { readonly status: 'not-modified' }
  | { readonly status: 'not-found' };

/** The one way Airlock talks to the upstream npm registry: pooled, bounded, retried, never redirected. */
export class NpmUpstream {
  readonly origin: string;
  readonly #base: string;
  readonly #options: UpstreamOptions;
  readonly #dispatcher: Dispatcher;

  constructor(options: UpstreamOptions) {
    this.#options = options;
    this.#base = options.url.endsWith('/') ? options.url : `${options.url}/`;
    this.origin = new URL(this.#base).origin;
    this.#dispatcher =
      options.dispatcher ??
      new Agent({ connections: 32, keepAliveTimeout: 30_000, connect: { timeout: options.timeoutMs } });
  }

  /** Fetches the full packument, revalidating with the cached validators when given. */
  async packument(
    name: string,
    validators: { etag?: string; lastModified?: string } = {},
  ): Promise<PackumentFetch> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (validators.etag) headers['if-none-match'] = validators.etag;
    if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
    const url = `${this.#base}${encodePackageName(name)}`;
    const response = await this.#get(url, headers, this.#options.maxPackumentBytes, `packument of ${name}`);
    if (response.status === 304) return { status: 'not-modified' };
    if (response.status === 404) return { status: 'not-found' };
    return {
      status: 'ok',
      body: response.body,
      ...(response.etag ? { etag: response.etag } : {}),
      ...(response.lastModified ? { lastModified: response.lastModified } : {}),
    };
  }

  /** Downloads a tarball; the URL must be on the upstream's own origin (no fetching from elsewhere). */
  async tarball(url: string): Promise<Buffer> {
    this.assertOwnUrl(url);
    const response = await this.#get(url, {}, this.#options.maxTarballBytes, `tarball ${url}`);
    if (response.status !== 200) {
      throw new AirlockError('UPSTREAM_UNAVAILABLE', `upstream answered ${response.status} for ${url}`);
    }
    return response.body;
  }

  /** GET of a small JSON document under the registry (keys, attestations); undefined on 404. */
  async json(path: string, maxBytes = 4 * 1024 * 1024): Promise<unknown> {
    const response = await this.#get(`${this.#base}${path}`, { accept: 'application/json' }, maxBytes, path);
    if (response.status === 404) return undefined;
    if (response.status !== 200) {
      throw new AirlockError('UPSTREAM_UNAVAILABLE', `upstream answered ${response.status} for ${path}`);
    }
    try {
      return JSON.parse(response.body.toString('utf8')) as unknown;
    } catch (cause) {
      throw new AirlockError('UPSTREAM_INVALID', `upstream sent invalid JSON for ${path}`, { cause });
    }
  }

  /** Throws UPSTREAM_INVALID when `url` is not an http(s) URL on the upstream origin. */
  assertOwnUrl(url: string): void {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new AirlockError('UPSTREAM_INVALID', `upstream tarball URL ${JSON.stringify(url)} is not a URL`);
    }
    if (parsed.origin !== this.origin) {
      throw new AirlockError(
        'UPSTREAM_INVALID',
        `upstream tarball URL ${parsed.origin}${parsed.pathname} points away from the upstream ${this.origin}`,
      );
    }
  }

  async close(): Promise<void> {
    if (!this.#options.dispatcher) await this.#dispatcher.close();
  }

  async #get(
    url: string,
    headers: Record<string, string>,
    maxBytes: number,
    what: string,
  ): Promise<{ status: number; body: Buffer; etag?: string; lastModified?: string }> {
    const attempts = this.#options.attempts ?? 3;
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const started = performance.now();
      try {
        const response = await request(url, {
          method: 'GET',
          headers: { 'user-agent': 'airlock', 'accept-encoding': 'identity', ...headers },
          dispatcher: this.#dispatcher,
          headersTimeout: this.#options.timeoutMs,
          bodyTimeout: this.#options.timeoutMs,
        });
        if (response.statusCode >= 300 && response.statusCode < 400 && response.statusCode !== 304) {
          await response.body.dump();
          throw new AirlockError(
            'UPSTREAM_INVALID',
            `upstream redirected ${what} to ${String(response.headers.location)}; redirects are not followed`,
          );
        }
        if (response.statusCode >= 500) {
          await response.body.dump();
          throw new AirlockError(
            'UPSTREAM_UNAVAILABLE',
            `upstream answered ${response.statusCode} for ${what}`,
          );
        }
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          await response.body.dump();
          throw tooLarge(what, maxBytes);
        }
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of response.body as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > maxBytes) {
            response.body.destroy();
            throw tooLarge(what, maxBytes);
          }
          chunks.push(chunk);
        }
        const etag = header(response.headers.etag);
        const lastModified = header(response.headers['last-modified']);
        this.#options.health?.success(performance.now() - started);
        return {
          status: response.statusCode,
          body: Buffer.concat(chunks, size),
          ...(etag ? { etag } : {}),
          ...(lastModified ? { lastModified } : {}),
        };
      } catch (error) {
        if (error instanceof AirlockError && error.code !== 'UPSTREAM_UNAVAILABLE') {
          // A redirect or an oversized body is bad content, but the upstream did answer.
          this.#options.health?.success(performance.now() - started);
          throw error;
        }
        this.#options.health?.failure(performance.now() - started, describeError(error));
        lastError = error;
        if (attempt < attempts) await sleep(100 * 2 ** attempt * (0.5 + Math.random()));
      }
    }
    if (lastError instanceof AirlockError) throw lastError;
    throw new AirlockError(
      'UPSTREAM_UNAVAILABLE',
      `upstream did not answer for ${what}: ${describeError(lastError)}`,
      {
        cause: lastError,
      },
    );
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function tooLarge(what: string, maxBytes: number): AirlockError {
  return new AirlockError(
    'UPSTREAM_INVALID',
    `upstream ${what} is larger than the limit of ${maxBytes} bytes`,
  );
}
