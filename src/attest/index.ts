// Public surface of the attest domain: registry signatures, Sigstore bundles and npm attestations.
export { attestConfigSchema, type AttestConfig } from './config.js';
export { createAttest, trustDirFor, type Attest, type AttestDeps } from './attest-service.js';
export {
  AttestationsVerifier,
  type AttestationCheck,
  type AttestationKind,
  type ProvenanceVerdict,
  type VerifyAttestationsInput,
} from './attestations-verifier.js';
export { AttestationsFetcher, attestationsPath, type AttestationsFetch } from './attestations-fetcher.js';
export { verifySigstoreBundle, type BundleVerdict } from './bundle-verifier.js';
export {
  createProvenanceAnalyzer,
  type ProvenanceAnalyzerDeps,
  type ProvenanceHistory,
} from './provenance-analyzer.js';
export type { EarlierVersionFacts } from './provenance-history.js';
export type { BuildProvenance } from './provenance-predicate.js';
export { readPackageIdentity } from './package-identity.js';
export {
  RegistryKeyring,
  registryKeysPath,
  type FetchUpstreamJson,
  type KeyLookup,
  type KeySource,
} from './registry-keyring.js';
export { attestMigrations } from './migrations.js';
export { SqlRegistryKeyCache, type RegistryKeyCache } from './registry-key-cache-sql.js';
export { parseRegistryKeysDocument, type RegistryKey, type RegistryKeySet } from './registry-keys.js';
export { verifyRegistrySignatures, type RegistrySignatureResult } from './registry-signature.js';
export { npmPurl } from './statement.js';
export {
  loadTrustRoot,
  readTrustDocuments,
  shippedTrustDocuments,
  type LoadedTrustRoot,
} from './trust-root.js';
export { updateTrustRoot, type FetchTrustTargets, type TrustRootUpdate } from './trust-root-update.js';
