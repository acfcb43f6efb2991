import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createApp, type AirlockApp, type AppOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';

export interface RunningAirlock {
  readonly app: AirlockApp;
  readonly url: string;
  readonly dataDir: string;
  /** Creates a token of `role` directly in the store. */
  token(role: 'reader' | 'publisher' | 'reviewer' | 'admin', name?: string): Promise<string>;
  close(): Promise<void>;
}

/** Airlock on a free port of 127.0.0.1 with its own data directory, against `upstreamUrl`. */
export async function startAirlock(
  upstreamUrl: string,
  overrides: Record<string, unknown> = {},
  options: AppOptions = {},
): Promise<RunningAirlock> {
  const dataDir = mkdtempSync(join(tmpdir(), 'airlock-e2e-'));
  const config = loadConfig({
    overrides: {
      dataDir,
      'server.port': 0,
      'server.host': '127.0.0.1',
      'registry.upstreamUrl': upstreamUrl,
      'gate.waitForDecisionMs': 15_000,
      ...overrides,
    },
  });
  const app = await createApp(config, {
    logger: pino({ level: process.env.AIRLOCK_TEST_LOG ?? 'silent' }),
    ...options,
  });
  const url = (await app.listen()).replace('localhost', '127.0.0.1');
  let count = 0;
  return {
    app,
    url,
    dataDir,
    token: async (role, name) =>
      (await app.tokens.create({ name: name ?? `${role}-${++count}`, role, createdBy: 'test' })).token,
    close: () => app.close(),
  };
}
