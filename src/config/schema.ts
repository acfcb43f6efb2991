import { z } from 'zod';
import { durationSchema } from './duration.js';
import { registryConfigSchema } from '../registry/config.js';
import { gateConfigSchema } from '../gate/config.js';
import { policyConfigSchema } from '../policy/config.js';
import { vulndbConfigSchema } from '../vulndb/config.js';
import { scanConfigSchema } from '../scan/config.js';
import { attestConfigSchema } from '../attest/config.js';

const serverSchema = z
  .strictObject({
    host: z.string().default('0.0.0.0'),
    port: z.number().int().min(0).max(65535).default(8873),
    /** The URL clients reach Airlock at; else taken from X-Forwarded-Proto/Host or Host. */
    publicUrl: z.url().optional(),
    bodyLimitBytes: z
      .number()
      .int()
      .positive()
      .default(64 * 1024 * 1024),
    requestTimeoutMs: durationSchema.default(120_000),
    headersTimeoutMs: durationSchema.default(30_000),
    shutdownTimeoutMs: durationSchema.default(15_000),
    trustProxy: z.boolean().default(false),
  })
  .default({
    host: '0.0.0.0',
    port: 8873,
    bodyLimitBytes: 64 * 1024 * 1024,
    requestTimeoutMs: 120_000,
    headersTimeoutMs: 30_000,
    shutdownTimeoutMs: 15_000,
    trustProxy: false,
  });

const databaseSchema = z
  .strictObject({
    /** `sqlite:<path>` (default, under dataDir) or `postgres://user@host:5432/db`. */
    url: z.string().optional(),
    poolSize: z.number().int().min(1).max(200).default(10),
    /** PostgreSQL schema to use (tests give each run its own). */
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/)
      .optional(),
  })
  .default({ poolSize: 10 });

const blobsSchema = z
  .strictObject({
    /** Directory of the content-addressed blob store; default `<dataDir>/blobs`. */
    path: z.string().optional(),
    verifyOnRead: z.boolean().default(false),
  })
  .default({ verifyOnRead: false });

const authSchema = z
  .strictObject({
    /** Anonymous read of the JSON API (the dashboard data); off by default. */
    anonymousApiRead: z.boolean().default(false),
  })
  .default({ anonymousApiRead: false });

const logSchema = z
  .strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .default({ level: 'info' });

export const configSchema = z.strictObject({
  /** Where the embedded database and blobs live. */
  dataDir: z.string().default('./.airlock'),
  server: serverSchema,
  database: databaseSchema,
  blobs: blobsSchema,
  auth: authSchema,
  log: logSchema,
  registry: registryConfigSchema,
  gate: gateConfigSchema,
  policy: policyConfigSchema,
  vulndb: vulndbConfigSchema,
  scan: scanConfigSchema,
  attest: attestConfigSchema,
});

/** The validated, defaulted configuration; frozen once loaded. */
export type AirlockConfig = z.output<typeof configSchema>;
export type AirlockConfigInput = z.input<typeof configSchema>;
