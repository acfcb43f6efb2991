import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAirlockError } from '../errors.js';
import { readTrustDocuments, shippedTrustDocuments } from './trust-root.js';
import { updateTrustRoot } from './trust-root-update.js';

describe('updateTrustRoot', () => {
  it('writes the fetched root and keys, which readTrustDocuments then prefers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-trust-'));
    const shipped = shippedTrustDocuments();
    const update = await updateTrustRoot(dir, {
      fetch: async ({ mirrorUrl, cacheDir }) => {
        expect(mirrorUrl).toBe('https://tuf-repo-cdn.sigstore.dev');
        expect(cacheDir).toBe(join(dir, 'tuf-cache'));
        return { trustedRoot: shipped.trustedRoot, npmKeys: shipped.npmKeys };
      },
    });
    expect(update.transparencyLogs).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(update.trustedRootFile, 'utf8'))).toEqual(shipped.trustedRoot);
    const read = readTrustDocuments({ trustDir: dir });
    expect(read.source).toBe(join(dir, 'trusted_root.json'));
    expect(read.npmKeys).toEqual(shipped.npmKeys);
  });

  it('keeps the current root when the fetch fails or returns garbage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-trust-'));
    const failing = updateTrustRoot(dir, {
      fetch: async () => {
        throw new Error('getaddrinfo ENOTFOUND tuf-repo-cdn.sigstore.dev');
      },
    });
    await expect(failing).rejects.toSatisfy((e) => isAirlockError(e, 'UPSTREAM_UNAVAILABLE'));
    await expect(
      updateTrustRoot(dir, { fetch: async () => ({ trustedRoot: { mediaType: 'x' }, npmKeys: {} }) }),
    ).rejects.toThrow(
      'the fetched trust root is not a Sigstore TrustedRoot (mediaType x); the current root was kept',
    );
    expect(existsSync(join(dir, 'trusted_root.json'))).toBe(false);
    expect(readTrustDocuments({ trustDir: dir }).source).toBe('public-good root shipped with @sigstore/tuf');
  });
});
