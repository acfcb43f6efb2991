import { z } from 'zod';
import { durationSchema } from '../config/duration.js';

/** One registry signing key as an air-gapped install configures it (the `/-/npm/v1/keys` entry shape). */
export const staticRegistryKeySchema = z.strictObject({
  /** `SHA256:<base64>`, as `dist.signatures[].keyid` names it. */
  keyid: z.string().min(1).max(200),
  /** Base64 DER SubjectPublicKeyInfo of an ECDSA P-256 key. */
  key: z.string().min(1).max(4096),
  /** ISO time after which the key no longer signs; null or absent = no expiry. */
  expires: z.iso.datetime({ offset: true }).nullable().optional(),
});

/** Settings of the attest domain; every key has a safe default. */
export const attestConfigSchema = z
  .strictObject({
    /**
     * A Sigstore TrustedRoot JSON file (for a private Sigstore instance). When absent, the root refreshed by
     * `airlock provenance update-trust-root` under `<dataDir>/trust/` is used, else the public-good root
     * shipped with Airlock.
     */
    trustedRootPath: z.string().min(1).optional(),
    /**
     * Registry signing keys to trust instead of fetching `/-/npm/v1/keys` from upstream (air-gapped installs).
     * When absent, the upstream's keys are used, falling back to the npm keys shipped with the trust root.
     */
    registryKeys: z.array(staticRegistryKeySchema).max(100).optional(),
    /** How long fetched upstream keys are reused before asking upstream again. */
    keysCacheTtlMs: durationSchema.default(3_600_000),
    /** Largest attestations document accepted, in bytes of JSON. */
    maxAttestationsBytes: z
      .number()
      .int()
      .positive()
      .default(2 * 1024 * 1024),
  })
  .default({ keysCacheTtlMs: 3_600_000, maxAttestationsBytes: 2 * 1024 * 1024 });

export type AttestConfig = z.infer<typeof attestConfigSchema>;
