import { describe, expect, it } from 'vitest';
import { AttestationsVerifier } from './attestations-verifier.js';
import { defaultBundleLimits } from './bundle-input.js';
import { parseTufRegistryKeys } from './registry-keys.js';
import { loadTrustRoot, shippedTrustDocuments } from './trust-root.js';
import {
  readAttestations,
  readSigstoreBundles,
  readTarball,
  realPackage,
  tamperedProvenancePath,
  tamperedPublishPath,
} from './test-support/conformance.js';

const trust = loadTrustRoot(shippedTrustDocuments);
const verifier = new AttestationsVerifier(trust);
const tarball = readTarball();

function verifyDoc(
  document: unknown,
  overrides: Partial<{ name: string; version: string; tarball: Uint8Array }> = {},
) {
  return verifier.verify({ ...realPackage, tarball, document, ...overrides });
}

describe('AttestationsVerifier on the real npm attestations', () => {
  it('verifies both attestations of sigstore@2.3.1 and reads the build facts', () => {
    const verdict = verifyDoc(readAttestations());
    expect(verdict.reason).toBeUndefined();
    expect(verdict.valid).toBe(true);
    expect(verdict.package.purl).toBe('pkg:npm/sigstore@2.3.1');
    expect(verdict.attestations.map((a) => [a.kind, a.valid])).toEqual([
      ['npm-publish', true],
      ['slsa-provenance', true],
    ]);
    expect(verdict.provenance).toEqual({
      sourceRepo: 'https://github.com/sigstore/sigstore-js',
      commit: '46e7056ff9912ebfee5298d94024895a9fea76c0',
      ref: 'refs/heads/main',
      workflowPath: '.github/workflows/release.yml',
      builderId: 'https://github.com/actions/runner/github-hosted',
      buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
      invocationId: 'https://github.com/sigstore/sigstore-js/actions/runs/9116405766/attempts/1',
    });
    const [publish, slsa] = verdict.attestations;
    expect(publish?.signer).toEqual({
      type: 'public-key',
      keyid: 'SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA',
    });
    expect(publish?.transparencyLog?.logIndex).toBe('94408157');
    expect(slsa?.signer).toEqual({
      type: 'certificate',
      issuer: 'https://token.actions.githubusercontent.com',
      subjectAlternativeName:
        'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main',
    });
    expect(slsa?.transparencyLog).toEqual({
      logIndex: '94408136',
      logId: 'wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=',
      integratedTime: '2024-05-16T17:12:03.000Z',
    });
    expect(slsa?.signingTime).toBe('2024-05-16T17:12:03.000Z');
  });

  it('rejects the copy whose provenance signature was broken', () => {
    const verdict = verifyDoc(readAttestations(tamperedProvenancePath));
    expect(verdict.valid).toBe(false);
    expect(verdict.attestations.find((a) => a.kind === 'slsa-provenance')?.valid).toBe(false);
    expect(verdict.reason).toMatch(/^slsa-provenance attestation: signature does not verify/);
  });

  it('rejects the copy whose publish signature was broken', () => {
    const verdict = verifyDoc(readAttestations(tamperedPublishPath));
    expect(verdict.valid).toBe(false);
    expect(verdict.attestations.find((a) => a.kind === 'npm-publish')?.valid).toBe(false);
    expect(verdict.reason).toMatch(/^npm-publish attestation: signature does not verify/);
  });

  it('rejects a different tarball', () => {
    const verdict = verifyDoc(readAttestations(), { tarball: new TextEncoder().encode('not the package') });
    expect(verdict.valid).toBe(false);
    expect(verdict.reason).toMatch(
      /^npm-publish attestation: subject sha512 f06fbf5c353cc0db… is not the tarball's/,
    );
  });

  it('rejects attestations for another package or version', () => {
    expect(verifyDoc(readAttestations(), { name: 'left-pad' }).reason).toBe(
      'npm-publish attestation: subject pkg:npm/sigstore@2.3.1 is not pkg:npm/left-pad@2.3.1',
    );
    expect(verifyDoc(readAttestations(), { version: '2.3.2' }).valid).toBe(false);
  });

  it('rejects a statement whose subject was swapped after signing', () => {
    const document = readAttestations();
    const bundle = document.attestations[1]!.bundle as { dsseEnvelope: { payload: string } };
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString()) as {
      subject: { name: string }[];
    };
    statement.subject[0]!.name = 'pkg:npm/evil@2.3.1';
    bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    const verdict = verifier.verify({ name: 'evil', version: '2.3.1', tarball, document });
    expect(verdict.valid).toBe(false);
    expect(verdict.attestations[1]?.reason).toMatch(/^signature does not verify \[TLOG_BODY_ERROR\]/);
  });

  it('rejects the publish attestation when the registry key had expired before it was signed', () => {
    const keys = parseTufRegistryKeys(shippedTrustDocuments().npmKeys, 'npm:attestations');
    const old = keys.get('SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA')!;
    const expired = new Map([[old.keyid, { ...old, expires: new Date('2024-01-01T00:00:00Z') }]]);
    const verdict = verifier.verify({
      ...realPackage,
      tarball,
      document: readAttestations(),
      attestationKeys: expired,
    });
    expect(verdict.valid).toBe(false);
    expect(verdict.attestations[0]?.reason).toMatch(/\[PUBLIC_KEY_ERROR\]/);
  });

  it('rejects a publish attestation signed by an unknown key', () => {
    const verdict = verifier.verify({
      ...realPackage,
      tarball,
      document: readAttestations(),
      attestationKeys: new Map(),
    });
    expect(verdict.reason).toBe(
      'npm-publish attestation: signature does not verify [PUBLIC_KEY_ERROR]: no trusted registry key SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA',
    );
  });

  it('requires both the provenance and the publish attestation', () => {
    const onlyPublish = readAttestations();
    onlyPublish.attestations.splice(1, 1);
    expect(verifyDoc(onlyPublish).reason).toBe('no SLSA provenance attestation');
    const onlyProvenance = readAttestations();
    onlyProvenance.attestations.splice(0, 1);
    expect(verifyDoc(onlyProvenance).reason).toBe('no npm publish attestation');
  });

  it('rejects a publish-predicate bundle signed by a person instead of the registry (wrong identity)', () => {
    const personal = readSigstoreBundles()[0]!.bundle;
    const document = readAttestations();
    document.attestations[0]!.bundle = personal as Record<string, unknown>;
    const verdict = verifier.verify({
      name: 'sigstore',
      version: '1.0.0',
      tarball: {
        sha512Hex:
          '7bea9f6e7ff37f5fab0b36bf061200fff03099fd2fd696b91d04bc5e4f225eb9fd6e0cadcad54ba980f43fb352a99e8810b4e0abeb5c0ef2cf9108cd1f258b36',
      },
      document,
    });
    expect(verdict.attestations[0]?.reason).toBe('publish attestation is not signed by a registry key');
    expect(verdict.attestations[0]?.signer).toEqual({
      type: 'certificate',
      issuer: 'https://github.com/login/oauth',
      subjectAlternativeName: 'brian@dehamer.com',
    });
  });
});

describe('AttestationsVerifier on bad input', () => {
  const cases: [string, unknown, string][] = [
    ['null', null, 'not an npm attestations document (document: '],
    ['no attestations', { attestations: [] }, 'not an npm attestations document (attestations: '],
    [
      'too many',
      { attestations: Array.from({ length: 11 }, () => ({ predicateType: 'x', bundle: {} })) },
      'not an npm attestations document (attestations: ',
    ],
  ];
  it.each(cases)('rejects a document that is %s', (_label, document, reason) => {
    const verdict = verifyDoc(document);
    expect(verdict.valid).toBe(false);
    expect(verdict.reason?.startsWith(reason)).toBe(true);
  });

  it('rejects an oversized or cyclic document', () => {
    const small = new AttestationsVerifier(trust, { ...defaultBundleLimits, maxDocumentBytes: 1000 });
    expect(small.verify({ ...realPackage, tarball, document: readAttestations() }).reason).toBe(
      'the attestations document is 13861 bytes, over the 1000-byte limit',
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(verifyDoc(cyclic).reason).toBe('the attestations document is not plain JSON');
  });

  it('rejects a malformed bundle', () => {
    const document = readAttestations();
    document.attestations[1]!.bundle = { mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.2' };
    expect(verifyDoc(document).reason).toBe(
      'slsa-provenance attestation: malformed Sigstore bundle (verificationMaterial: Invalid input: expected object, received undefined)',
    );
  });

  it('rejects an unknown bundle media type', () => {
    const document = readAttestations();
    document.attestations[1]!.bundle.mediaType = 'application/vnd.dev.sigstore.bundle+json;version=9.9';
    expect(verifyDoc(document).reason).toBe(
      'slsa-provenance attestation: unknown bundle media type "application/vnd.dev.sigstore.bundle+json;version=9.9"',
    );
  });

  it('rejects an oversized certificate before parsing it', () => {
    const document = readAttestations();
    const material = document.attestations[1]!.bundle.verificationMaterial as {
      x509CertificateChain: { certificates: { rawBytes: string }[] };
    };
    material.x509CertificateChain.certificates[0]!.rawBytes = Buffer.alloc(64 * 1024, 1).toString('base64');
    expect(verifyDoc(document).reason).toBe(
      'slsa-provenance attestation: certificate of 65536 bytes is over the 16384-byte limit',
    );
  });

  it('turns a missing trust root into an invalid verdict', () => {
    const missing = new AttestationsVerifier(
      loadTrustRoot(() => {
        throw new Error('ENOENT: /nowhere/trusted_root.json');
      }),
    );
    const verdict = missing.verify({ ...realPackage, tarball, document: readAttestations() });
    expect(verdict).toMatchObject({
      valid: false,
      reason: 'no trust root: ENOENT: /nowhere/trusted_root.json',
    });
  });

  it('turns a trust root that is not a TrustedRoot into an invalid verdict', () => {
    const wrong = new AttestationsVerifier(
      loadTrustRoot(() => ({ trustedRoot: { mediaType: 'x' }, source: 'wrong.json' })),
    );
    expect(wrong.verify({ ...realPackage, tarball, document: readAttestations() }).reason).toBe(
      'wrong.json is not a Sigstore TrustedRoot (mediaType x)',
    );
  });
});

describe('AttestationsVerifier on mutated documents', () => {
  // A deterministic PRNG so a failure reproduces.
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const replacements: unknown[] = [
    null,
    0,
    -1,
    '',
    'x',
    [],
    {},
    true,
    'A'.repeat(5000),
    [{}],
    { __proto__: { x: 1 } },
  ];

  function nodes(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []) {
    out.push(path);
    if (typeof value === 'object' && value !== null)
      for (const [k, v] of Object.entries(value))
        nodes(v, [...path, Array.isArray(value) ? Number(k) : k], out);
    return out;
  }

  it('never throws and never calls a mutated signature, payload or certificate valid', () => {
    const paths = nodes(readAttestations()).filter((p) => p.length > 0);
    for (let i = 0; i < 300; i += 1) {
      const document = readAttestations() as unknown as Record<string, unknown>;
      const path = paths[Math.floor(random() * paths.length)]!;
      let parent: Record<string | number, unknown> = document;
      for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
      parent[path.at(-1)!] = replacements[Math.floor(random() * replacements.length)];
      const verdict = verifyDoc(document);
      expect(typeof verdict.valid).toBe('boolean');
      if (!verdict.valid) expect(verdict.reason).toBeTypeOf('string');
      const signed = path.some(
        (p) => p === 'payload' || p === 'sig' || p === 'rawBytes' || p === 'canonicalizedBody',
      );
      if (signed) expect(verdict.valid, path.join('.')).toBe(false);
    }
  });
});
