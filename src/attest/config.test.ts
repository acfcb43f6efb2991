import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';

function configFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'airlock-attest-config-')), 'airlock.yaml');
  writeFileSync(file, text);
  return file;
}

describe('the attest config section', () => {
  it('has safe defaults', () => {
    expect(loadConfig().attest).toEqual({ keysCacheTtlMs: 3_600_000, maxAttestationsBytes: 2 * 1024 * 1024 });
  });

  it('reads a custom root, static keys and durations from airlock.yaml and env', () => {
    const file = configFile(
      [
        'attest:',
        '  trustedRootPath: ./private-root.json',
        '  keysCacheTtlMs: 10m',
        '  registryKeys:',
        '    - keyid: "SHA256:abc"',
        '      key: MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE',
        '      expires: 2025-01-29T00:00:00.000Z',
      ].join('\n'),
    );
    const config = loadConfig({ file, env: { AIRLOCK_ATTEST_MAX_ATTESTATIONS_BYTES: '1000' } });
    expect(config.attest).toEqual({
      trustedRootPath: './private-root.json',
      keysCacheTtlMs: 600_000,
      maxAttestationsBytes: 1000,
      registryKeys: [
        {
          keyid: 'SHA256:abc',
          key: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE',
          expires: '2025-01-29T00:00:00.000Z',
        },
      ],
    });
  });

  it('rejects unknown keys with their path', () => {
    expect(() => loadConfig({ file: configFile('attest:\n  trustRoot: x\n') })).toThrow(
      /:2: unknown key "attest.trustRoot"; valid keys under attest: trustedRootPath, registryKeys, keysCacheTtlMs, maxAttestationsBytes$/,
    );
  });
});
