import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** `../shared/conformance/` beside the repository root, read in place (never copied). */
export const conformanceDir = fileURLToPath(new URL('../../../../shared/conformance/', import.meta.url));

export const npmAttestationsDir = join(conformanceDir, 'npm-attestations');
export const sigstoreBundlesDir = join(conformanceDir, 'sigstore-bundles');

/** The real package of the npm-attestations fixture (sigstore@2.3.1) and its documents. */
export const realPackage = { name: 'sigstore', version: '2.3.1' } as const;
export const realTarballPath = join(npmAttestationsDir, 'provenance-npm-test-cli-v1-prega.tgz');
export const realAttestationsPath = join(npmAttestationsDir, 'provenance-npm-test-cli-v1-prega.tgz.json');
export const tamperedProvenancePath = join(
  npmAttestationsDir,
  'provenance-npm-test-cli-v1-prega-invalidsigprov.tgz.json',
);
export const tamperedPublishPath = join(
  npmAttestationsDir,
  'provenance-npm-test-cli-v1-prega-invalidsigpub.tgz.json',
);

export function readTarball(): Uint8Array {
  return readFileSync(realTarballPath);
}

/** A fresh parsed copy each call, so tests may mutate it. */
export function readAttestations(path = realAttestationsPath): {
  attestations: { predicateType: string; bundle: Record<string, unknown> }[];
} {
  return JSON.parse(readFileSync(path, 'utf8')) as {
    attestations: { predicateType: string; bundle: Record<string, unknown> }[];
  };
}

/** Every real bundle of sigstore-bundles/, by file name. */
export function readSigstoreBundles(): { file: string; bundle: unknown }[] {
  return readdirSync(sigstoreBundlesDir)
    .filter((f) => f.endsWith('.sigstore'))
    .sort()
    .map((file) => ({
      file,
      bundle: JSON.parse(readFileSync(join(sigstoreBundlesDir, file), 'utf8')) as unknown,
    }));
}
