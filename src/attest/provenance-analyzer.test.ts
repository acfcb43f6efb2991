import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AnalysisInput } from '../core/analyzer.js';
import { AttestationsVerifier } from './attestations-verifier.js';
import { createProvenanceAnalyzer, type ProvenanceHistory } from './provenance-analyzer.js';
import { RegistryKeyring } from './registry-keyring.js';
import { parseRegistryKeysDocument } from './registry-keys.js';
import { loadTrustRoot, shippedTrustDocuments } from './trust-root.js';
import {
  readAttestations,
  readTarball,
  realPackage,
  tamperedProvenancePath,
} from './test-support/conformance.js';

const trust = loadTrustRoot(shippedTrustDocuments);
if (!trust.ok) throw new Error(trust.problem);
const verifier = new AttestationsVerifier(trust);
const tarball = readTarball();
const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const keyid = 'SHA256:registry-test';
const staticKeys = parseRegistryKeysDocument({
  keys: [
    { keyid, key: pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), expires: null },
  ],
});
const signal = new AbortController().signal;
const repo = 'https://github.com/sigstore/sigstore-js';

function signature(text = `sigstore@2.3.1:${integrity}`) {
  return [{ keyid, sig: sign('sha256', Buffer.from(text), pair.privateKey).toString('base64') }];
}

function input(overrides: Partial<AnalysisInput> = {}, dist: Record<string, unknown> = {}): AnalysisInput {
  const manifest = {
    name: 'sigstore',
    version: '2.3.1',
    dist: { integrity, signatures: signature(), ...dist },
  };
  return {
    ref: { ecosystem: 'npm', ...realPackage },
    tarball,
    manifest,
    packument: {
      name: 'sigstore',
      versions: { '2.3.1': manifest },
      time: { '2.3.1': '2024-05-16T17:12:10.000Z' },
    },
    attestations: readAttestations(),
    ...overrides,
  };
}

function analyzer(history?: ProvenanceHistory) {
  return createProvenanceAnalyzer({
    verifier,
    keyring: new RegistryKeyring({ staticKeys }),
    attestationKeys: trust.ok ? trust.attestationKeys : undefined,
    history,
  });
}

const rules = (result: { findings: readonly { rule: string; severity: string }[] }) =>
  result.findings.map((f) => `${f.severity} ${f.rule}`);

describe('the provenance analyzer', () => {
  it('verifies the registry signature and the real attestations and records the facts', async () => {
    const result = await analyzer().analyze(input(), signal);
    expect(rules(result)).toEqual(['info registry-signature', 'info provenance-verified']);
    expect(result.findings[1]?.message).toBe(
      `built from ${repo}@46e7056ff9912ebfee5298d94024895a9fea76c0 by .github/workflows/release.yml on https://github.com/actions/runner/github-hosted`,
    );
    expect(result.facts).toEqual({
      hasProvenance: true,
      unsigned: false,
      provenanceRegression: false,
      sourceRepo: repo,
      builder: 'https://github.com/actions/runner/github-hosted',
      sourceRepoChanged: false,
      extra: {
        'attest.registrySignature': 'valid',
        'attest.attestations': 'valid',
        'attest.commit': '46e7056ff9912ebfee5298d94024895a9fea76c0',
        'attest.ref': 'refs/heads/main',
        'attest.workflow': '.github/workflows/release.yml',
        'attest.invocation': 'https://github.com/sigstore/sigstore-js/actions/runs/9116405766/attempts/1',
        'attest.logIndex': '94408136',
        'attest.signedAt': '2024-05-16T17:12:03.000Z',
      },
    });
  });

  it('calls a bad registry signature critical', async () => {
    const result = await analyzer().analyze(input({}, { signatures: signature('sigstore@2.3.0:x') }), signal);
    expect(rules(result)[0]).toBe('critical registry-signature-invalid');
    expect(result.facts?.unsigned).toBe(false);
  });

  it('flags a missing signature when the upstream signs', async () => {
    const result = await analyzer().analyze(input({}, { signatures: undefined }), signal);
    expect(rules(result)[0]).toBe('high registry-signature-missing');
    expect(result.facts?.unsigned).toBe(true);
  });

  it('calls tampered attestations critical and records no provenance', async () => {
    const result = await analyzer().analyze(
      input({ attestations: readAttestations(tamperedProvenancePath) }),
      signal,
    );
    expect(rules(result)).toEqual(['info registry-signature', 'critical provenance-invalid']);
    expect(result.facts).toMatchObject({ hasProvenance: false, extra: { 'attest.attestations': 'invalid' } });
    expect(result.facts?.sourceRepo).toBeUndefined();
  });

  it('flags attestations upstream lists but nobody supplied', async () => {
    const result = await analyzer().analyze(
      input(
        { attestations: undefined },
        { attestations: { url: 'x', provenance: { predicateType: 'https://slsa.dev/provenance/v1' } } },
      ),
      signal,
    );
    expect(rules(result)).toEqual(['info registry-signature', 'high provenance-unavailable']);
  });

  it('finds a provenance regression from earlier versions in the packument', async () => {
    const base = input({ attestations: undefined });
    const earlier = {
      name: 'sigstore',
      version: '2.3.0',
      dist: { attestations: { url: 'x', provenance: { predicateType: 'p' } } },
    };
    const later = {
      name: 'sigstore',
      version: '2.4.0',
      dist: { attestations: { url: 'x', provenance: { predicateType: 'p' } } },
    };
    const packument = {
      versions: { '2.3.0': earlier, '2.3.1': base.manifest, '2.4.0': later },
      time: {
        '2.3.0': '2024-04-01T00:00:00Z',
        '2.3.1': '2024-05-16T17:12:10Z',
        '2.4.0': '2024-07-01T00:00:00Z',
      },
    };
    const result = await analyzer().analyze({ ...base, packument }, signal);
    expect(rules(result)).toContain('high provenance-regression');
    expect(result.findings.find((f) => f.rule === 'provenance-regression')?.message).toBe(
      '2.3.0 was published with provenance or trusted publishing, 2.3.1 is not',
    );
    expect(result.facts?.provenanceRegression).toBe(true);
    const onlyLater = { ...packument, versions: { '2.3.1': base.manifest, '2.4.0': later } };
    expect(
      (await analyzer().analyze({ ...base, packument: onlyLater }, signal)).facts?.provenanceRegression,
    ).toBe(false);
  });

  it('counts trusted publishing of an earlier version as provenance', async () => {
    const base = input({ attestations: undefined });
    const earlier = { version: '2.3.0', _npmUser: { name: 'x', trustedPublisher: { id: 'github' } } };
    const packument = {
      versions: { '2.3.0': earlier },
      time: { '2.3.0': '2024-01-01T00:00:00Z', '2.3.1': '2024-05-16T17:12:10Z' },
    };
    expect((await analyzer().analyze({ ...base, packument }, signal)).facts?.provenanceRegression).toBe(true);
  });

  it('notices a source repository change against stored facts and the packument', async () => {
    const history: ProvenanceHistory = {
      earlierFacts: async () => [
        {
          version: '2.3.0',
          publishedAt: '2024-04-01T00:00:00Z',
          facts: { hasProvenance: true, sourceRepo: 'https://github.com/evil/fork' },
        },
      ],
    };
    const result = await analyzer(history).analyze(input(), signal);
    expect(rules(result)).toContain('high source-repo-changed');
    expect(result.facts?.sourceRepoChanged).toBe(true);

    const base = input();
    const earlier = {
      version: '2.3.0',
      repository: { type: 'git', url: 'git+https://github.com/sigstore/sigstore-js.git' },
      dist: { attestations: { url: 'x', provenance: { predicateType: 'p' } } },
    };
    const packument = {
      versions: { '2.3.0': earlier },
      time: { '2.3.0': '2024-04-01T00:00:00Z', '2.3.1': '2024-05-16T17:12:10Z' },
    };
    const same = await analyzer().analyze({ ...base, packument }, signal);
    expect(same.facts?.sourceRepoChanged).toBe(false);
  });

  it('keeps going when stored history cannot be read', async () => {
    const history: ProvenanceHistory = {
      earlierFacts: async () => {
        throw new Error('database is down');
      },
    };
    const result = await analyzer(history).analyze(input(), signal);
    expect(rules(result)).toContain('low provenance-history-unavailable');
    expect(result.facts?.hasProvenance).toBe(true);
  });

  it('survives hostile manifests and packuments', async () => {
    const hostile = input({
      manifest: { dist: 'nope' },
      packument: { versions: [], time: 'x' },
      attestations: { attestations: 'x' },
    });
    const result = await analyzer().analyze(hostile, signal);
    expect(rules(result)).toEqual(['critical registry-signature-invalid', 'critical provenance-invalid']);
  });
});
