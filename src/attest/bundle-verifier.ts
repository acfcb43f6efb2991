import { Verifier, VerificationError, toSignedEntity } from '@sigstore/verify';
import { describeError } from '../errors.js';
import { defaultBundleLimits, parseBundle, type BundleLimits } from './bundle-input.js';
import type { LoadedTrustRoot } from './trust-root.js';

/** The outcome of verifying one Sigstore bundle on its own. */
export interface BundleVerdict {
  readonly valid: boolean;
  readonly reason?: string;
  readonly mediaType?: string;
  readonly signer?: { readonly issuer?: string; readonly subjectAlternativeName?: string };
  readonly logIndex?: string;
}

/**
 * Verifies a Sigstore bundle offline (signature, certificate chain, transparency-log inclusion). A message
 * signature bundle needs the signed `artifact`; a DSSE bundle carries its payload. Never throws.
 */
export function verifySigstoreBundle(
  trust: LoadedTrustRoot,
  bundleJson: unknown,
  artifact?: Uint8Array,
  limits: BundleLimits = defaultBundleLimits,
): BundleVerdict {
  if (!trust.ok) return { valid: false, reason: trust.problem };
  let bundle;
  try {
    bundle = parseBundle(bundleJson, limits);
  } catch (error) {
    return { valid: false, reason: describeError(error) };
  }
  const logIndex = bundle.verificationMaterial.tlogEntries[0]?.logIndex;
  if (bundle.content.$case === 'messageSignature' && artifact === undefined) {
    return {
      valid: false,
      reason: 'a message signature bundle needs the signed artifact',
      mediaType: bundle.mediaType,
    };
  }
  try {
    const signer = new Verifier(trust.material).verify(
      toSignedEntity(bundle, artifact === undefined ? undefined : Buffer.from(artifact)),
    );
    return {
      valid: true,
      mediaType: bundle.mediaType,
      signer: {
        issuer: signer.identity?.extensions?.issuer,
        subjectAlternativeName: signer.identity?.subjectAlternativeName,
      },
      logIndex,
    };
  } catch (error) {
    const code = error instanceof VerificationError ? ` [${error.code}]` : '';
    return {
      valid: false,
      reason: `signature does not verify${code}: ${describeError(error)}`,
      mediaType: bundle.mediaType,
    };
  }
}
