import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../main.js';
import { captureContext } from '../test-support/capture-context.js';
import {
  realAttestationsPath,
  realTarballPath,
  tamperedProvenancePath,
  tamperedPublishPath,
} from '../../attest/test-support/conformance.js';

const cwd = mkdtempSync(join(tmpdir(), 'airlock-provenance-'));

async function run(...args: string[]) {
  const ctx = captureContext(cwd);
  const code = await runCli(['node', 'airlock', ...args], ctx);
  return { code, out: ctx.out(), err: ctx.err() };
}

describe('airlock provenance verify', () => {
  it('prints the facts of the real package and exits 0', async () => {
    const { code, out } = await run(
      'provenance',
      'verify',
      realTarballPath,
      '--attestations',
      realAttestationsPath,
    );
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toBe('VALID: sigstore@2.3.1 was built from its source and published by the registry');
    expect(lines).toContain('  source repository  https://github.com/sigstore/sigstore-js');
    expect(lines).toContain('  commit             46e7056ff9912ebfee5298d94024895a9fea76c0');
    expect(lines).toContain('  ref                refs/heads/main');
    expect(lines).toContain('  workflow           .github/workflows/release.yml');
    expect(lines).toContain('  builder            https://github.com/actions/runner/github-hosted');
    expect(lines).toContain(
      '  build invocation   https://github.com/sigstore/sigstore-js/actions/runs/9116405766/attempts/1',
    );
    expect(lines).toContain(
      '  transparency log   log index 94408136 (https://search.sigstore.dev/?logIndex=94408136)',
    );
    expect(lines).toContain('  signed at          2024-05-16T17:12:03.000Z');
  });

  it('prints JSON with --format json', async () => {
    const { code, out } = await run(
      'provenance',
      'verify',
      realTarballPath,
      '--attestations',
      realAttestationsPath,
      '--format',
      'json',
    );
    expect(code).toBe(0);
    const json = JSON.parse(out) as { valid: boolean; provenance: { sourceRepo: string }; trustRoot: string };
    expect(json.valid).toBe(true);
    expect(json.provenance.sourceRepo).toBe('https://github.com/sigstore/sigstore-js');
    expect(json.trustRoot).toBe('public-good root shipped with @sigstore/tuf');
  });

  it.each([
    [tamperedProvenancePath, 'INVALID: slsa-provenance attestation: signature does not verify'],
    [tamperedPublishPath, 'INVALID: npm-publish attestation: signature does not verify'],
  ])('exits 1 for the tampered copy %s', async (path, head) => {
    const { code, out } = await run('provenance', 'verify', realTarballPath, '--attestations', path);
    expect(code).toBe(1);
    expect(out.startsWith(head)).toBe(true);
  });

  it('exits 1 when the attestations are for another package', async () => {
    const { code, out } = await run(
      'provenance',
      'verify',
      realTarballPath,
      '--attestations',
      realAttestationsPath,
      '--package',
      '@evil/sigstore@2.3.1',
    );
    expect(code).toBe(1);
    expect(out.split('\n')[0]).toBe(
      'INVALID: npm-publish attestation: subject pkg:npm/sigstore@2.3.1 is not pkg:npm/%40evil/sigstore@2.3.1',
    );
  });

  it('exits 1 with the reason when the trust root is missing', async () => {
    const { code, out } = await run(
      'provenance',
      'verify',
      realTarballPath,
      '--attestations',
      realAttestationsPath,
      '--trusted-root',
      join(cwd, 'missing.json'),
      '--format',
      'json',
    );
    expect(code).toBe(1);
    expect((JSON.parse(out) as { reason: string }).reason).toMatch(/^no trust root: ENOENT/);
  });

  it('names unreadable inputs in one line', async () => {
    const missing = await run(
      'provenance',
      'verify',
      join(cwd, 'nope.tgz'),
      '--attestations',
      realAttestationsPath,
    );
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(`airlock: cannot read tarball ${join(cwd, 'nope.tgz')}: ENOENT\n`);
    const garbage = join(cwd, 'garbage.json');
    writeFileSync(garbage, '{not json');
    const bad = await run('provenance', 'verify', realTarballPath, '--attestations', garbage);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^airlock: .*garbage\.json is not JSON/);
  });
});

describe('airlock provenance update-trust-root', () => {
  it('fails with one line and keeps the shipped root when the TUF mirror is unreachable', async () => {
    const config = join(cwd, 'airlock.yaml');
    writeFileSync(config, `dataDir: ${JSON.stringify(join(cwd, 'data'))}\n`);
    const { code, err } = await run(
      'provenance',
      'update-trust-root',
      '--config',
      config,
      '--mirror',
      'http://127.0.0.1:9',
    );
    expect(code).toBe(69);
    expect(err).toMatch(
      /^airlock: cannot refresh the trust root from http:\/\/127\.0\.0\.1:9: .*keeps using the current root\n$/,
    );
  });
});
