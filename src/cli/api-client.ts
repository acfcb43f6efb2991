import { request } from 'undici';
import { AirlockError, describeError, type AirlockErrorCode, errorCatalogue } from '../errors.js';
import type { CliContext } from './context.js';

/** Talks to a running Airlock server's /api/v1 with the token from AIRLOCK_TOKEN. */
export class ApiClient {
  constructor(
    readonly serverUrl: string,
    private readonly token: string | undefined,
  ) {}

  static fromContext(ctx: CliContext, server: string | undefined): ApiClient {
    const url = server ?? ctx.env.AIRLOCK_SERVER ?? 'http://127.0.0.1:8873';
    return new ApiClient(url.replace(/\/+$/, ''), ctx.env.AIRLOCK_TOKEN);
  }

  async call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const url = `${this.serverUrl}/api/v1${path}`;
    let response;
    try {
      response = await request(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        headersTimeout: 120_000,
        bodyTimeout: 120_000,
      });
    } catch (cause) {
      throw new AirlockError(
        'SERVER_UNREACHABLE',
        `cannot reach Airlock at ${this.serverUrl}: ${describeError(cause)}; start it with \`airlock serve\` or pass --server`,
        { cause },
      );
    }
    const text = await response.body.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.statusCode >= 400) {
      const payload = (json ?? {}) as { code?: string; error?: string; message?: string };
      const code = (
        payload.code && payload.code in errorCatalogue ? payload.code : statusCode(response.statusCode)
      ) as AirlockErrorCode;
      const message = payload.error ?? payload.message ?? `HTTP ${response.statusCode}`;
      const hint =
        response.statusCode === 401
          ? '; set AIRLOCK_TOKEN to a token from `airlock token create`'
          : response.statusCode === 403 && code === 'FORBIDDEN'
            ? '; use a token with a role that allows this'
            : '';
      throw new AirlockError(code, `${message}${hint}`);
    }
    return json as T;
  }
}

function statusCode(status: number): AirlockErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 400) return 'BAD_REQUEST';
  return 'INTERNAL';
}
