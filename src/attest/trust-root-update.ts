import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AirlockError, describeError } from '../errors.js';
import { loadTrustRoot, npmKeysFileName, trustedRootFileName } from './trust-root.js';

export const publicGoodTufMirror = 'https://tuf-repo-cdn.sigstore.dev';

/** Fetches the TrustedRoot and the npm keys target through TUF (signed metadata, rooted in the shipped root). */
export type FetchTrustTargets = (options: {
  readonly mirrorUrl: string;
  readonly cacheDir: string;
}) => Promise<{ trustedRoot: unknown; npmKeys: unknown }>;

/** The real fetch: the @sigstore/tuf client, which verifies every piece of metadata before trusting it. */
export const fetchTrustTargetsWithTuf: FetchTrustTargets = async ({ mirrorUrl, cacheDir }) => {
  // Loaded on use: the TUF client brings an HTTP stack that verification never needs.
  const { initTUF } = await import('@sigstore/tuf');
  const tuf = await initTUF({
    mirrorURL: mirrorUrl,
    cachePath: cacheDir,
    retry: 1,
    timeout: 15_000,
    force: false,
  });
  const trustedRoot = JSON.parse(await tuf.getTarget('trusted_root.json')) as unknown;
  const npmKeys = JSON.parse(await tuf.getTarget('registry.npmjs.org/keys.json')) as unknown;
  return { trustedRoot, npmKeys };
};

export interface TrustRootUpdate {
  readonly trustDir: string;
  readonly trustedRootFile: string;
  readonly npmKeysFile: string;
  readonly transparencyLogs: number;
  readonly certificateAuthorities: number;
}

/** Refreshes the trust root in `trustDir`; the files are replaced only once the new root loads. */
export async function updateTrustRoot(
  trustDir: string,
  options: { mirrorUrl?: string; fetch?: FetchTrustTargets } = {},
): Promise<TrustRootUpdate> {
  const fetch = options.fetch ?? fetchTrustTargetsWithTuf;
  const cacheDir = join(trustDir, 'tuf-cache');
  let targets: { trustedRoot: unknown; npmKeys: unknown };
  try {
    mkdirSync(cacheDir, { recursive: true });
    targets = await fetch({ mirrorUrl: options.mirrorUrl ?? publicGoodTufMirror, cacheDir });
  } catch (error) {
    throw new AirlockError(
      'UPSTREAM_UNAVAILABLE',
      `cannot refresh the trust root from ${options.mirrorUrl ?? publicGoodTufMirror}: ${describeError(error)}; verification keeps using the current root`,
      { cause: error },
    );
  }
  const loaded = loadTrustRoot(() => ({ ...targets, source: 'the fetched trust root' }));
  if (!loaded.ok) throw new AirlockError('UPSTREAM_INVALID', `${loaded.problem}; the current root was kept`);
  const trustedRootFile = join(trustDir, trustedRootFileName);
  const npmKeysFile = join(trustDir, npmKeysFileName);
  writeAtomically(npmKeysFile, targets.npmKeys);
  writeAtomically(trustedRootFile, targets.trustedRoot);
  return {
    trustDir,
    trustedRootFile,
    npmKeysFile,
    transparencyLogs: loaded.material.tlogs.length,
    certificateAuthorities: loaded.material.certificateAuthorities.length,
  };
}

function writeAtomically(path: string, value: unknown): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temporary, path);
}
