import { verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { keyValidAt, type RegistryKeySet } from './registry-keys.js';

export type RegistrySignatureStatus =
  'valid' | 'invalid' | 'missing' | 'unknown-key' | 'expired-key' | 'not-signed-upstream';

export interface RegistrySignatureResult {
  readonly status: RegistrySignatureStatus;
  readonly message: string;
  /** The keyids `dist.signatures` named. */
  readonly keyids: readonly string[];
}

export interface RegistrySignatureInput {
  readonly name: string;
  readonly version: string;
  /** The manifest's `dist` object, as upstream sent it. */
  readonly dist: unknown;
  /** Upstream publish time of the version; keys must not have expired before it. */
  readonly publishedAt: Date;
}

const distSchema = z.object({
  integrity: z.string().min(1).max(1000).optional(),
  signatures: z
    .array(z.object({ keyid: z.string().min(1).max(200), sig: z.string().min(1).max(1000) }))
    .max(20)
    .optional(),
});

/**
 * Checks `dist.signatures`: ECDSA P-256 over `<name>@<version>:<integrity>` by the key its keyid names. Every
 * signature by a known key must verify; one bad signature makes the whole version invalid.
 */
export function verifyRegistrySignatures(
  input: RegistrySignatureInput,
  keys: RegistryKeySet,
): RegistrySignatureResult {
  const dist = distSchema.safeParse(input.dist ?? {});
  if (!dist.success) {
    return {
      status: 'invalid',
      message: `dist.signatures is malformed: ${dist.error.issues[0]?.message}`,
      keyids: [],
    };
  }
  const signatures = dist.data.signatures ?? [];
  const keyids = signatures.map((s) => s.keyid);
  if (signatures.length === 0) {
    return keys.size === 0
      ? { status: 'not-signed-upstream', message: 'the upstream registry publishes no signing keys', keyids }
      : {
          status: 'missing',
          message: 'the upstream registry signs versions but this one has no signature',
          keyids,
        };
  }
  const integrity = dist.data.integrity;
  if (integrity === undefined) {
    return { status: 'invalid', message: 'dist.signatures present but dist.integrity is missing', keyids };
  }
  const message = Buffer.from(`${input.name}@${input.version}:${integrity}`, 'utf8');
  let verified = 0;
  const expired: string[] = [];
  for (const signature of signatures) {
    const key = keys.get(signature.keyid);
    if (!key) continue;
    if (!keyValidAt(key, input.publishedAt)) {
      expired.push(signature.keyid);
      continue;
    }
    if (!verifyEcdsa(message, key.publicKey, signature.sig)) {
      return {
        status: 'invalid',
        message: `registry signature by key ${signature.keyid} does not match ${input.name}@${input.version}:${integrity}`,
        keyids,
      };
    }
    verified += 1;
  }
  if (verified > 0) {
    return { status: 'valid', message: `registry signature verified with key ${keyids.join(', ')}`, keyids };
  }
  if (expired.length > 0) {
    return {
      status: 'expired-key',
      message: `signed with key ${expired.join(', ')}, which was not valid at the publish time ${input.publishedAt.toISOString()}`,
      keyids,
    };
  }
  return { status: 'unknown-key', message: `signed with unknown key ${keyids.join(', ')}`, keyids };
}

function verifyEcdsa(message: Buffer, key: KeyObject, base64Signature: string): boolean {
  try {
    return verify('sha256', message, key, Buffer.from(base64Signature, 'base64'));
  } catch {
    // A signature that is not even DER is simply a bad signature.
    return false;
  }
}
