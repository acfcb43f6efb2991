import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toTrustMaterial, type TrustMaterial } from '@sigstore/verify';
import { describeError } from '../errors.js';
import { parseTufRegistryKeys, type RegistryKeySet } from './registry-keys.js';

/** Names of the files `update-trust-root` writes into the trust directory. */
export const trustedRootFileName = 'trusted_root.json';
export const npmKeysFileName = 'npm-keys.json';

const publicGoodMirror = 'https://tuf-repo-cdn.sigstore.dev';
const maxTrustFileBytes = 1024 * 1024;

/** The raw trust documents: a Sigstore TrustedRoot and the npm registry keys (TUF `keys.json` shape). */
export interface TrustDocuments {
  readonly trustedRoot: unknown;
  readonly npmKeys?: unknown;
  /** Where they came from, for output. */
  readonly source: string;
}

/** Verification material ready to use, or why there is none. */
export type LoadedTrustRoot =
  | {
      readonly ok: true;
      readonly material: TrustMaterial;
      /** Keys npm signs publish attestations with. */
      readonly attestationKeys: RegistryKeySet;
      /** Keys npm signs `dist.signatures` with (a fallback for when upstream's key endpoint is unreachable). */
      readonly signatureKeys: RegistryKeySet;
      readonly source: string;
    }
  | { readonly ok: false; readonly problem: string };

/** The public-good TrustedRoot and npm keys shipped in `@sigstore/tuf`'s seeds; read offline. */
export function shippedTrustDocuments(): TrustDocuments {
  const require = createRequire(import.meta.url);
  const seedsPath = require.resolve('@sigstore/tuf/seeds.json');
  const seeds = JSON.parse(readFileSync(seedsPath, 'utf8')) as Record<
    string,
    { targets?: Record<string, string> } | undefined
  >;
  const targets = seeds[publicGoodMirror]?.targets ?? {};
  const decode = (name: string): unknown => {
    const encoded = targets[name];
    return encoded === undefined
      ? undefined
      : (JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as unknown);
  };
  return {
    trustedRoot: decode('trusted_root.json'),
    npmKeys: decode('registry.npmjs.org%2Fkeys.json'),
    source: 'public-good root shipped with @sigstore/tuf',
  };
}

export interface TrustRootLocation {
  /** A custom TrustedRoot file (private Sigstore); wins over everything else. */
  readonly trustedRootPath?: string;
  /** Directory `update-trust-root` refreshes; used when it holds a root. */
  readonly trustDir?: string;
}

/** Picks the trust documents: custom file, else the refreshed copy, else the shipped seeds. */
export function readTrustDocuments(location: TrustRootLocation): TrustDocuments {
  if (location.trustedRootPath !== undefined) {
    // npm's registry keys do not depend on the Sigstore instance; configured `registryKeys` add to them.
    return {
      trustedRoot: readJsonFile(location.trustedRootPath),
      npmKeys: shippedTrustDocuments().npmKeys,
      source: location.trustedRootPath,
    };
  }
  if (location.trustDir !== undefined) {
    const rootFile = join(location.trustDir, trustedRootFileName);
    if (existsSync(rootFile)) {
      const keysFile = join(location.trustDir, npmKeysFileName);
      return {
        trustedRoot: readJsonFile(rootFile),
        npmKeys: existsSync(keysFile) ? readJsonFile(keysFile) : undefined,
        source: rootFile,
      };
    }
  }
  return shippedTrustDocuments();
}

/** Turns trust documents into verification material; a broken or missing root becomes a reason, never a throw. */
export function loadTrustRoot(read: () => TrustDocuments): LoadedTrustRoot {
  let documents: TrustDocuments;
  try {
    documents = read();
  } catch (error) {
    return { ok: false, problem: `no trust root: ${describeError(error)}` };
  }
  if (documents.trustedRoot === undefined || documents.trustedRoot === null) {
    return { ok: false, problem: `no trust root in ${documents.source}` };
  }
  try {
    const root = TrustedRoot.fromJSON(documents.trustedRoot);
    if (!String(root.mediaType).startsWith('application/vnd.dev.sigstore.trustedroot')) {
      return {
        ok: false,
        problem: `${documents.source} is not a Sigstore TrustedRoot (mediaType ${root.mediaType})`,
      };
    }
    if (root.tlogs.length === 0)
      return { ok: false, problem: `${documents.source} names no transparency log` };
    const material = toTrustMaterial(root);
    const npmKeys = documents.npmKeys;
    return {
      ok: true,
      material,
      attestationKeys: npmKeys === undefined ? new Map() : parseTufRegistryKeys(npmKeys, 'npm:attestations'),
      signatureKeys: npmKeys === undefined ? new Map() : parseTufRegistryKeys(npmKeys, 'npm:signatures'),
      source: documents.source,
    };
  } catch (error) {
    return { ok: false, problem: `trust root ${documents.source} is invalid: ${describeError(error)}` };
  }
}

function readJsonFile(path: string): unknown {
  const size = statSync(path).size;
  if (size > maxTrustFileBytes)
    throw new Error(`${path} is ${size} bytes, over the ${maxTrustFileBytes} limit`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (cause) {
    throw new Error(`${path} is not JSON: ${describeError(cause)}`, { cause });
  }
}
