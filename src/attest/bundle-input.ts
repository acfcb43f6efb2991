import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { z } from 'zod';
import { describeError } from '../errors.js';

export const knownBundleMediaTypes: readonly string[] = [
  'application/vnd.dev.sigstore.bundle+json;version=0.1',
  'application/vnd.dev.sigstore.bundle+json;version=0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
  'application/vnd.dev.sigstore.bundle.v0.3+json',
];

export interface BundleLimits {
  /** Largest certificate, in bytes of DER. */
  readonly maxCertificateBytes: number;
  /** Largest DSSE payload, in bytes. */
  readonly maxPayloadBytes: number;
  /** Largest whole attestations document, in bytes of JSON. */
  readonly maxDocumentBytes: number;
}

export const defaultBundleLimits: BundleLimits = {
  maxCertificateBytes: 16 * 1024,
  maxPayloadBytes: 512 * 1024,
  maxDocumentBytes: 2 * 1024 * 1024,
};

const base64Field = z.string().max(4 * 1024 * 1024);
// Only the fields bounded here; @sigstore/bundle validates the full shape afterwards.
const bundleShape = z.object({
  mediaType: z.string().max(200),
  verificationMaterial: z.object({
    x509CertificateChain: z
      .object({ certificates: z.array(z.object({ rawBytes: base64Field })).max(10) })
      .optional(),
    certificate: z.object({ rawBytes: base64Field }).optional(),
    tlogEntries: z.array(z.unknown()).max(10).optional(),
  }),
  dsseEnvelope: z
    .object({
      payload: base64Field,
      payloadType: z.string().max(200),
      signatures: z.array(z.unknown()).max(10),
    })
    .optional(),
});

/** Checks a bundle's media type and sizes, then parses it; throws an Error with a readable reason. */
export function parseBundle(json: unknown, limits: BundleLimits = defaultBundleLimits): Bundle {
  const shape = bundleShape.safeParse(json);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    throw new Error(`malformed Sigstore bundle (${issue?.path.join('.') || 'bundle'}: ${issue?.message})`);
  }
  const { mediaType, verificationMaterial, dsseEnvelope } = shape.data;
  if (!knownBundleMediaTypes.includes(mediaType)) throw new Error(`unknown bundle media type "${mediaType}"`);
  const certificates = [
    ...(verificationMaterial.x509CertificateChain?.certificates ?? []),
    ...(verificationMaterial.certificate ? [verificationMaterial.certificate] : []),
  ];
  for (const certificate of certificates) {
    const bytes = base64Length(certificate.rawBytes);
    if (bytes > limits.maxCertificateBytes) {
      throw new Error(`certificate of ${bytes} bytes is over the ${limits.maxCertificateBytes}-byte limit`);
    }
  }
  if (dsseEnvelope && base64Length(dsseEnvelope.payload) > limits.maxPayloadBytes) {
    throw new Error(`DSSE payload is over the ${limits.maxPayloadBytes}-byte limit`);
  }
  try {
    return bundleFromJSON(json);
  } catch (error) {
    throw new Error(`malformed Sigstore bundle: ${describeError(error)}`, { cause: error });
  }
}

function base64Length(text: string): number {
  return Math.floor((text.replace(/=+$/, '').length * 3) / 4);
}
