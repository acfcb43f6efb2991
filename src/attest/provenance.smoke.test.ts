import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAttest } from './attest-service.js';
import { attestConfigSchema } from './config.js';
import type { FetchUpstreamJson } from './registry-keyring.js';
import { readAttestations } from './test-support/conformance.js';

const registry = 'https://registry.npmjs.org';
const cacheDir = fileURLToPath(new URL('../../.cache/attest/', import.meta.url));

/** Downloads once into the gitignored cache and reuses it. */
async function cached(name: string, url: string): Promise<Buffer> {
  const file = join(cacheDir, name);
  if (existsSync(file)) return readFileSync(file);
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(file, bytes);
  return bytes;
}

const fetchUpstreamJson: FetchUpstreamJson = async (path, signal) => {
  const response = await fetch(`${registry}${path}`, {
    signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]),
  });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return await response.json();
};

describe('provenance smoke (npm registry)', () => {
  it('smoke: the registry tarball of sigstore@2.3.1 verifies against the real attestations and packument', async () => {
    const tarball = await cached('sigstore-2.3.1.tgz', `${registry}/sigstore/-/sigstore-2.3.1.tgz`);
    const packument = JSON.parse(
      (await cached('sigstore.json', `${registry}/sigstore`)).toString('utf8'),
    ) as {
      versions: Record<string, Record<string, unknown>>;
    };
    const manifest = packument.versions['2.3.1'];
    expect(manifest).toBeDefined();
    expect(createHash('sha512').update(tarball).digest('hex')).toBe(
      'f06fbf5c353cc0db093904b9cac0d53b412d83dff6b80e6047d9786708a38e5c3105cad4e913dfc22dbe8c999b3fe029d47969fe75406843b8163db6fd22f681',
    );
    const attest = createAttest({
      config: attestConfigSchema.parse({}),
      dataDir: join(cacheDir, 'data'),
      fetchUpstreamJson,
    });
    const result = await attest.analyzer.analyze(
      {
        ref: { ecosystem: 'npm', name: 'sigstore', version: '2.3.1' },
        tarball,
        manifest: manifest ?? {},
        packument,
        attestations: readAttestations(),
      },
      new AbortController().signal,
    );
    expect(result.findings.map((f) => f.rule)).toContain('provenance-verified');
    expect(result.facts).toMatchObject({
      hasProvenance: true,
      sourceRepo: 'https://github.com/sigstore/sigstore-js',
      builder: 'https://github.com/actions/runner/github-hosted',
      provenanceRegression: false,
    });
  });
});
