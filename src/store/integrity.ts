import { createHash, type Hash } from 'node:crypto';
import { AirlockError } from '../errors.js';

/** Hash algorithms npm's Subresource Integrity strings use. */
export type IntegrityAlgorithm = 'sha1' | 'sha256' | 'sha384' | 'sha512';

const digestBytes: Readonly<Record<IntegrityAlgorithm, number>> = {
  sha1: 20,
  sha256: 32,
  sha384: 48,
  sha512: 64,
};

export interface IntegrityHash {
  readonly algorithm: IntegrityAlgorithm;
  /** The raw digest. */
  readonly digest: Buffer;
}

const entryPattern = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})(\?.*)?$/;

/** Parses an SRI string (possibly several space-separated hashes); BAD_REQUEST when none is usable. */
export function parseIntegrity(integrity: string): IntegrityHash[] {
  if (integrity.length > 2048) {
    throw new AirlockError('BAD_REQUEST', 'integrity string is longer than 2048 characters');
  }
  const hashes: IntegrityHash[] = [];
  for (const entry of integrity.trim().split(/\s+/)) {
    const match = entryPattern.exec(entry);
    if (!match) continue;
    const algorithm = match[1] as IntegrityAlgorithm;
    const digest = Buffer.from(match[2] ?? '', 'base64');
    if (digest.length === digestBytes[algorithm]) hashes.push({ algorithm, digest });
  }
  if (hashes.length === 0) {
    throw new AirlockError(
      'BAD_REQUEST',
      `"${integrity.slice(0, 120)}" is not an integrity string; expected sha512-<base64> (npm SRI form)`,
    );
  }
  return hashes;
}

/** The sha512 digest of an SRI string, which names a blob in the store; BAD_REQUEST when it has none. */
export function sha512Of(integrity: string): Buffer {
  const hash = parseIntegrity(integrity).find((h) => h.algorithm === 'sha512');
  if (!hash) {
    throw new AirlockError(
      'BAD_REQUEST',
      `integrity "${integrity.slice(0, 120)}" has no sha512 hash; blobs are addressed by sha512`,
    );
  }
  return hash.digest;
}

/** `sha512-<base64>` for a raw sha512 digest. */
export function formatSha512(digest: Buffer): string {
  return `sha512-${digest.toString('base64')}`;
}

/** Hashes a stream with every algorithm it is asked about, plus sha512 always. */
export class MultiHasher {
  readonly #hashes = new Map<IntegrityAlgorithm, Hash>();

  constructor(algorithms: Iterable<IntegrityAlgorithm> = []) {
    this.#hashes.set('sha512', createHash('sha512'));
    for (const algorithm of algorithms) {
      if (!this.#hashes.has(algorithm)) this.#hashes.set(algorithm, createHash(algorithm));
    }
  }

  update(chunk: Uint8Array): void {
    for (const hash of this.#hashes.values()) hash.update(chunk);
  }

  /** Finishes hashing: the digest per algorithm. */
  digests(): Map<IntegrityAlgorithm, Buffer> {
    return new Map([...this.#hashes].map(([algorithm, hash]) => [algorithm, hash.digest()]));
  }
}

/** True when any of `expected`'s strongest-algorithm hashes equals the computed digest (SRI semantics). */
export function matchesIntegrity(
  expected: readonly IntegrityHash[],
  computed: ReadonlyMap<IntegrityAlgorithm, Buffer>,
): boolean {
  const order: IntegrityAlgorithm[] = ['sha512', 'sha384', 'sha256', 'sha1'];
  const strongest = order.find((algorithm) => expected.some((h) => h.algorithm === algorithm));
  const actual = strongest ? computed.get(strongest) : undefined;
  if (!strongest || !actual) return false;
  return expected.some((h) => h.algorithm === strongest && h.digest.equals(actual));
}

/** Why `bytes` do not match `integrity` (the packument's, or a publisher's), or undefined when they do. */
export function integrityMismatch(bytes: Uint8Array, integrity: string): string | undefined {
  const expected = parseIntegrity(integrity);
  const hasher = new MultiHasher(expected.map((h) => h.algorithm));
  hasher.update(bytes);
  const computed = hasher.digests();
  if (matchesIntegrity(expected, computed)) return undefined;
  return `tarball ${formatSha512(computed.get('sha512')!)} does not match the packument's ${integrity}`;
}
