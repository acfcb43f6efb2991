import { z } from 'zod';
import { durationSchema } from '../config/duration.js';

export const registryConfigSchema = z
  .strictObject({
    /** Upstream npm registry Airlock fetches from (never reached by clients directly). */
    upstreamUrl: z.url().default('https://registry.npmjs.org/'),
    /** Anonymous clients may install approved packages (the usual setting inside a company network). */
    anonymousRead: z.boolean().default(true),
    /** Scopes that are only ever served from Airlock's private store, never proxied (`@acme`). */
    privateScopes: z.array(z.string().regex(/^@[a-z0-9][a-z0-9._-]*$/)).default([]),
    timeoutMs: durationSchema.default(30_000),
    packumentTtlMs: durationSchema.default(300_000),
    maxPackumentBytes: z
      .number()
      .int()
      .positive()
      .default(100 * 1024 * 1024),
    maxTarballBytes: z
      .number()
      .int()
      .positive()
      .default(200 * 1024 * 1024),
  })
  .default({
    upstreamUrl: 'https://registry.npmjs.org/',
    anonymousRead: true,
    privateScopes: [],
    timeoutMs: 30_000,
    packumentTtlMs: 300_000,
    maxPackumentBytes: 100 * 1024 * 1024,
    maxTarballBytes: 200 * 1024 * 1024,
  });
