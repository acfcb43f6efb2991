import { describe, expect, it } from 'vitest';
import { verifySigstoreBundle } from './bundle-verifier.js';
import { loadTrustRoot, shippedTrustDocuments } from './trust-root.js';
import { readSigstoreBundles } from './test-support/conformance.js';

const trust = loadTrustRoot(shippedTrustDocuments);
const bundles = readSigstoreBundles();

describe('verifySigstoreBundle on the real sigstore-js bundles', () => {
  it('finds all nine bundles', () => {
    expect(bundles.map((b) => b.file)).toHaveLength(9);
  });

  it.each(bundles.map((b) => [b.file, b.bundle] as const))('verifies %s offline', (_file, bundle) => {
    const verdict = verifySigstoreBundle(trust, bundle);
    expect(verdict.reason).toBeUndefined();
    expect(verdict.valid).toBe(true);
    expect(verdict.signer).toEqual({
      issuer: 'https://github.com/login/oauth',
      subjectAlternativeName: 'brian@dehamer.com',
    });
  });

  it('rejects a bundle whose signature was altered', () => {
    const bundle = structuredClone(bundles[5]!.bundle) as { dsseEnvelope: { signatures: { sig: string }[] } };
    const sig = Buffer.from(bundle.dsseEnvelope.signatures[0]!.sig, 'base64');
    sig[sig.length - 1] = (sig[sig.length - 1] ?? 0) ^ 1;
    bundle.dsseEnvelope.signatures[0]!.sig = sig.toString('base64');
    const verdict = verifySigstoreBundle(trust, bundle);
    expect(verdict.valid).toBe(false);
    expect(verdict.reason).toMatch(/^signature does not verify \[/);
  });

  it('rejects a bundle whose transparency-log entry was removed', () => {
    const bundle = structuredClone(bundles[5]!.bundle) as {
      verificationMaterial: { tlogEntries: unknown[] };
    };
    bundle.verificationMaterial.tlogEntries = [];
    expect(verifySigstoreBundle(trust, bundle).valid).toBe(false);
  });

  it('rejects a bundle with an unknown media type and a non-object', () => {
    const bundle = { ...(bundles[0]!.bundle as object), mediaType: 'application/x-unknown' };
    expect(verifySigstoreBundle(trust, bundle).reason).toBe(
      'unknown bundle media type "application/x-unknown"',
    );
    expect(verifySigstoreBundle(trust, 'nope').reason).toBe(
      'malformed Sigstore bundle (bundle: Invalid input: expected object, received string)',
    );
  });
});
