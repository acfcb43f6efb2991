import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAttest } from './attest-service.js';
import { attestConfigSchema } from './config.js';
import { shippedTrustDocuments } from './trust-root.js';
import { readAttestations, readTarball, realPackage } from './test-support/conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'airlock-attest-'));
const tarball = readTarball();
const signal = new AbortController().signal;

function rootWith(change: (root: { tlogs: { publicKey: { rawBytes: string } }[] }) => void): string {
  const root = structuredClone(shippedTrustDocuments().trustedRoot) as {
    tlogs: { publicKey: { rawBytes: string } }[];
  };
  change(root);
  const file = join(dir, `root-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(root));
  return file;
}

function attestWith(config: Record<string, unknown>) {
  return createAttest({ config: attestConfigSchema.parse(config), dataDir: join(dir, 'data'), cwd: dir });
}

describe('createAttest', () => {
  it('uses the shipped public-good root by default', () => {
    const attest = attestWith({});
    expect(attest.trust).toMatchObject({ ok: true, source: 'public-good root shipped with @sigstore/tuf' });
    expect(
      attest.verifier.verify({
        ...realPackage,
        tarball,
        document: readAttestations(),
        attestationKeys: attest.attestationKeys,
      }).valid,
    ).toBe(true);
  });

  it('uses a custom trust root from the config, and nothing else', () => {
    const same = attestWith({ trustedRootPath: rootWith(() => undefined) });
    expect(same.trust).toMatchObject({ ok: true });
    expect(same.trust.ok && same.trust.source.startsWith(dir)).toBe(true);
    expect(
      same.verifier.verify({
        ...realPackage,
        tarball,
        document: readAttestations(),
        attestationKeys: same.attestationKeys,
      }).valid,
    ).toBe(true);

    // A private instance's root with another Rekor key must not accept public-good log entries.
    const otherLogKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      format: 'der',
      type: 'spki',
    });
    const other = attestWith({
      trustedRootPath: rootWith((root) => {
        for (const log of root.tlogs) log.publicKey.rawBytes = otherLogKey.toString('base64');
      }),
    });
    const verdict = other.verifier.verify({
      ...realPackage,
      tarball,
      document: readAttestations(),
      attestationKeys: same.attestationKeys,
    });
    expect(verdict.valid).toBe(false);
    expect(verdict.reason).toMatch(/^npm-publish attestation: signature does not verify \[TLOG/);
  });

  it('turns a missing or empty custom root into invalid verdicts', () => {
    const missing = attestWith({ trustedRootPath: 'nowhere.json' });
    expect(missing.trust.ok).toBe(false);
    expect(missing.verifier.verify({ ...realPackage, tarball, document: readAttestations() }).reason).toMatch(
      /^no trust root: ENOENT/,
    );
    const noLogs = attestWith({ trustedRootPath: rootWith((root) => root.tlogs.splice(0)) });
    expect(noLogs.verifier.verify({ ...realPackage, tarball, document: readAttestations() }).reason).toMatch(
      /names no transparency log$/,
    );
  });

  it('checks registry signatures with the configured static keys', async () => {
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      format: 'der',
      type: 'spki',
    });
    const attest = attestWith({
      registryKeys: [{ keyid: 'SHA256:airgap', key: key.toString('base64'), expires: null }],
    });
    const lookup = await attest.keyring.keys(signal);
    expect(lookup.source).toBe('static');
    expect([...lookup.keys.keys()]).toEqual(['SHA256:airgap']);
  });

  it('falls back to the npm keys shipped with the root when no upstream is wired', async () => {
    const lookup = await attestWith({}).keyring.keys(signal);
    expect(lookup.source).toBe('fallback');
    expect([...lookup.keys.keys()]).toEqual([
      'SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA',
      'SHA256:DhQ8wR5APBvFHLF/+Tc+AYvPOdTpcIDqOhxsBHRwC7U',
    ]);
  });
});
