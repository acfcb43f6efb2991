import { isAbsolute, join, resolve } from 'node:path';
import type { Analyzer } from '../core/analyzer.js';
import type { Clock } from '../core/clock.js';
import type { Database } from '../store/database.js';
import { AttestationsVerifier } from './attestations-verifier.js';
import { defaultBundleLimits } from './bundle-input.js';
import type { AttestConfig } from './config.js';
import { createProvenanceAnalyzer, type ProvenanceHistory } from './provenance-analyzer.js';
import { SqlRegistryKeyCache } from './registry-key-cache-sql.js';
import { RegistryKeyring, type FetchUpstreamJson } from './registry-keyring.js';
import { parseRegistryKeysDocument, type RegistryKeySet } from './registry-keys.js';
import { loadTrustRoot, readTrustDocuments, type LoadedTrustRoot } from './trust-root.js';

export interface AttestDeps {
  readonly config: AttestConfig;
  /** The config's `dataDir`, resolved against `cwd` when relative. */
  readonly dataDir: string;
  readonly cwd?: string;
  /** The registry proxy's upstream JSON fetch, for `/-/npm/v1/keys`; absent = configured or shipped keys only. */
  readonly fetchUpstreamJson?: FetchUpstreamJson;
  /** The upstream registry's URL (names the cached keys). */
  readonly upstreamUrl?: string;
  /** Where fetched keys are cached for restarts and other nodes; absent = memory only. */
  readonly database?: Database;
  readonly history?: ProvenanceHistory;
  readonly clock?: Clock;
}

/** Everything the attest domain provides, built once by the composition root (or a CLI command). */
export interface Attest {
  readonly trust: LoadedTrustRoot;
  readonly verifier: AttestationsVerifier;
  readonly keyring: RegistryKeyring;
  /** The `provenance` analyzer for the gate's scan pipeline. */
  readonly analyzer: Analyzer;
  /** Keys to check npm publish attestations with: configured static keys plus those shipped with the root. */
  readonly attestationKeys: RegistryKeySet;
}

/** `<dataDir>/trust`, where `airlock provenance update-trust-root` writes. */
export function trustDirFor(dataDir: string, cwd = process.cwd()): string {
  return join(isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir), 'trust');
}

/** Builds the trust root, verifier, keyring and analyzer from the `attest` config section. */
export function createAttest(deps: AttestDeps): Attest {
  const { config } = deps;
  const trustedRootPath =
    config.trustedRootPath === undefined
      ? undefined
      : resolve(deps.cwd ?? process.cwd(), config.trustedRootPath);
  const trust = loadTrustRoot(() =>
    readTrustDocuments({ trustedRootPath, trustDir: trustDirFor(deps.dataDir, deps.cwd) }),
  );
  const staticKeys =
    config.registryKeys === undefined ? undefined : parseRegistryKeysDocument({ keys: config.registryKeys });
  const shipped = trust.ok ? trust : undefined;
  const keyring = new RegistryKeyring({
    fetchJson: deps.fetchUpstreamJson,
    staticKeys,
    fallbackKeys: shipped?.signatureKeys,
    ttlMs: config.keysCacheTtlMs,
    clock: deps.clock,
    store: deps.database ? new SqlRegistryKeyCache(deps.database) : undefined,
    upstream: deps.upstreamUrl,
  });
  const attestationKeys = new Map([...(staticKeys ?? []), ...(shipped?.attestationKeys ?? [])]);
  const verifier = new AttestationsVerifier(trust, {
    ...defaultBundleLimits,
    maxDocumentBytes: config.maxAttestationsBytes,
  });
  const analyzer = createProvenanceAnalyzer({
    verifier,
    keyring,
    attestationKeys,
    history: deps.history,
    clock: deps.clock,
  });
  return { trust, verifier, keyring, analyzer, attestationKeys };
}
