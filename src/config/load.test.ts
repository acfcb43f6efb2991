import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, envNameFor } from './load.js';
import { configTemplate } from './template.js';
import { isAirlockError } from '../errors.js';

function writeConfig(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'airlock-config-')), 'airlock.yaml');
  writeFileSync(file, text);
  return file;
}

function loadError(options: Parameters<typeof loadConfig>[0]): Error {
  try {
    loadConfig(options);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig', () => {
  it('gives every key a safe default without a file', () => {
    const config = loadConfig();
    expect(config.server.port).toBe(8873);
    expect(config.dataDir).toBe('./.airlock');
    expect(config.auth.anonymousApiRead).toBe(false);
    expect(config.gate.waitForDecisionMs).toBe(20_000);
    expect(Object.isFrozen(config.server)).toBe(true);
  });

  it('loads the template airlock init writes', () => {
    const config = loadConfig({ file: writeConfig(configTemplate) });
    expect(config.server.requestTimeoutMs).toBe(120_000);
    expect(config.registry.packumentTtlMs).toBe(300_000);
  });

  it('names the mistyped key, its line and the valid keys', () => {
    const error = loadError({ file: writeConfig('server:\n  port: 9000\ndatabse:\n  url: sqlite:x\n') });
    expect(isAirlockError(error, 'CONFIG_INVALID')).toBe(true);
    expect(error.message).toMatch(
      /airlock\.yaml:3: unknown key "databse"; valid keys: dataDir, server, database/,
    );
  });

  it('names nested unknown keys with their path', () => {
    const error = loadError({ file: writeConfig('server:\n  prot: 9000\n') });
    expect(error.message).toMatch(/:2: unknown key "server\.prot"; valid keys under server: host, port/);
  });

  it('rejects wrong types with the key path', () => {
    const error = loadError({ file: writeConfig('server:\n  port: "eighty"\n') });
    expect(error.message).toMatch(/:2: server\.port: /);
  });

  it('rejects invalid YAML with the line', () => {
    const error = loadError({ file: writeConfig('server:\n  port: [1,\n') });
    expect(isAirlockError(error, 'CONFIG_INVALID')).toBe(true);
    expect(error.message).toMatch(/invalid YAML/);
  });

  it('rejects duplicate keys', () => {
    const error = loadError({ file: writeConfig('server:\n  port: 1\n  port: 2\n') });
    expect(error.message).toMatch(/invalid YAML/);
  });

  it('reports an unreadable file with the fix', () => {
    const error = loadError({ file: '/nonexistent/airlock.yaml' });
    expect(isAirlockError(error, 'CONFIG_UNREADABLE')).toBe(true);
    expect(error.message).toMatch(/airlock init/);
  });

  it('rejects invalid durations', () => {
    const error = loadError({ file: writeConfig('gate:\n  waitForDecisionMs: soon\n') });
    expect(error.message).toMatch(/gate\.waitForDecisionMs: invalid duration "soon"/);
  });

  it('applies AIRLOCK_* environment overrides over the file', () => {
    const config = loadConfig({
      file: writeConfig('server:\n  port: 9000\n'),
      env: {
        AIRLOCK_SERVER_PORT: '9100',
        AIRLOCK_DATABASE_URL: 'postgres://x@h/db',
        AIRLOCK_AUTH_ANONYMOUS_API_READ: 'true',
      },
    });
    expect(config.server.port).toBe(9100);
    expect(config.database.url).toBe('postgres://x@h/db');
    expect(config.auth.anonymousApiRead).toBe(true);
  });

  it('applies CLI overrides last', () => {
    const config = loadConfig({ env: { AIRLOCK_SERVER_PORT: '9100' }, overrides: { 'server.port': 9200 } });
    expect(config.server.port).toBe(9200);
  });

  it('ignores prototype-polluting keys', () => {
    const error = loadError({ file: writeConfig('__proto__:\n  polluted: true\n') });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(error.message).toMatch(/unknown key "__proto__"/);
  });

  it('maps key paths to env names', () => {
    expect(envNameFor(['server', 'publicUrl'])).toBe('AIRLOCK_SERVER_PUBLIC_URL');
  });
});
