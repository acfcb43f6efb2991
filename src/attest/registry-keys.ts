import { createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/** A registry's public signing key; npm signs `dist.signatures` and publish attestations with the same keys. */
export interface RegistryKey {
  readonly keyid: string;
  readonly publicKey: KeyObject;
  /** When the key stopped signing (exclusive); undefined = still valid. */
  readonly expires?: Date;
  /** When the key started signing; undefined = always. */
  readonly validFrom?: Date;
}

/** Keys by keyid; a Map so hostile keyids like `__proto__` are plain strings. */
export type RegistryKeySet = ReadonlyMap<string, RegistryKey>;

/** The `/-/npm/v1/keys` document. Extra fields are tolerated (upstream may add some); the used ones are checked. */
const keysDocumentSchema = z.object({
  keys: z
    .array(
      z.object({
        keyid: z.string().min(1).max(200),
        keytype: z.string().max(100).optional(),
        scheme: z.string().max(100).optional(),
        key: z.string().min(1).max(4096),
        expires: z.string().max(100).nullable().optional(),
      }),
    )
    .max(100),
});

/** The `registry.npmjs.org/keys.json` target of the Sigstore TUF repository (shipped in the seeds). */
const tufKeysSchema = z.object({
  keys: z
    .array(
      z.object({
        keyId: z.string().min(1).max(200),
        keyUsage: z.string().max(100),
        publicKey: z.object({
          rawBytes: z.string().min(1).max(4096),
          keyDetails: z.string().max(100),
          validFor: z.object({ start: z.string().max(100).optional(), end: z.string().max(100).optional() }),
        }),
      }),
    )
    .max(100),
});

/** Parses a `/-/npm/v1/keys` document (or a configured static key list of the same shape). */
export function parseRegistryKeysDocument(document: unknown): RegistryKeySet {
  const parsed = keysDocumentSchema.safeParse(document);
  if (!parsed.success) throw new Error(`not a registry keys document: ${parsed.error.issues[0]?.message}`);
  const keys = new Map<string, RegistryKey>();
  for (const entry of parsed.data.keys) {
    if (entry.keytype !== undefined && entry.keytype !== 'ecdsa-sha2-nistp256') continue;
    keys.set(entry.keyid, {
      keyid: entry.keyid,
      publicKey: p256Key(entry.key, entry.keyid),
      expires: optionalDate(entry.expires, `expires of key ${entry.keyid}`),
    });
  }
  return keys;
}

/** Parses the TUF `keys.json` target and keeps the keys meant for `usage`. */
export function parseTufRegistryKeys(
  document: unknown,
  usage: 'npm:signatures' | 'npm:attestations',
): RegistryKeySet {
  const parsed = tufKeysSchema.safeParse(document);
  if (!parsed.success) throw new Error(`not a TUF registry keys target: ${parsed.error.issues[0]?.message}`);
  const keys = new Map<string, RegistryKey>();
  for (const entry of parsed.data.keys) {
    if (entry.keyUsage !== usage || entry.publicKey.keyDetails !== 'PKIX_ECDSA_P256_SHA_256') continue;
    keys.set(entry.keyId, {
      keyid: entry.keyId,
      publicKey: p256Key(entry.publicKey.rawBytes, entry.keyId),
      validFrom: optionalDate(entry.publicKey.validFor.start, `start of key ${entry.keyId}`),
      expires: optionalDate(entry.publicKey.validFor.end, `end of key ${entry.keyId}`),
    });
  }
  return keys;
}

/** Whether the key was allowed to sign at `at`. */
export function keyValidAt(key: RegistryKey, at: Date): boolean {
  if (key.validFrom && at.getTime() < key.validFrom.getTime()) return false;
  if (key.expires && at.getTime() >= key.expires.getTime()) return false;
  return true;
}

function p256Key(base64Der: string, keyid: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(base64Der, 'base64'), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new Error(`key ${keyid} is not a DER public key`, { cause });
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`key ${keyid} is not an ECDSA P-256 key`);
  }
  return key;
}

function optionalDate(text: string | null | undefined, what: string): Date | undefined {
  if (text === null || text === undefined) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new Error(`${what} is not a date: ${text}`);
  return date;
}
