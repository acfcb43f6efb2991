import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load.js';
import { isAirlockError } from '../errors.js';
import { databaseUrlFor, withLocalStores } from './local-database.js';
import { captureContext } from './test-support/capture-context.js';

describe('withLocalStores', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-local-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('defaults to SQLite under the data directory, relative to the working directory', () => {
    const config = loadConfig({});
    expect(databaseUrlFor(config, '/srv/app')).toBe('sqlite:/srv/app/.airlock/airlock.db');
    const custom = loadConfig({ env: { AIRLOCK_DATA_DIR: '/var/lib/airlock' } });
    expect(databaseUrlFor(custom, '/srv/app')).toBe('sqlite:/var/lib/airlock/airlock.db');
    const pg = loadConfig({ env: { AIRLOCK_DATABASE_URL: 'postgres://db/airlock' } });
    expect(databaseUrlFor(pg, '/srv/app')).toBe('postgres://db/airlock');
  });

  it('opens and migrates the embedded database without a config file, then closes it', async () => {
    const cwd = tempDir();
    const names = await withLocalStores(undefined, captureContext(cwd), async ({ tokens, audit }) => {
      await tokens.create({ name: 'ci', role: 'reader', createdBy: 'test' });
      return { tokens: (await tokens.list()).map((r) => r.name), events: (await audit.verify()).events };
    });
    expect(names).toEqual({ tokens: ['ci'], events: 1 });
    expect(existsSync(join(cwd, '.airlock', 'airlock.db'))).toBe(true);
  });

  it('names a missing config file', async () => {
    const error = await withLocalStores('nope.yaml', captureContext(tempDir()), () =>
      Promise.resolve(),
    ).catch((e: unknown) => e);
    expect(isAirlockError(error, 'CONFIG_UNREADABLE')).toBe(true);
    expect((error as Error).message).toMatch(/nope\.yaml/);
  });
});
