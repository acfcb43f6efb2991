import type { ComponentHash, HashAlgorithm } from './graph.js';

const sriAlgorithms: Record<string, HashAlgorithm> = {
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

/** `sha512-<base64>` (one or more, space separated) → hex hashes; unknown algorithms are dropped. */
export function hashesFromSri(integrity: unknown): ComponentHash[] {
  if (typeof integrity !== 'string') return [];
  const hashes: ComponentHash[] = [];
  for (const part of integrity.trim().split(/\s+/)) {
    const dash = part.indexOf('-');
    const alg = sriAlgorithms[part.slice(0, dash).toLowerCase()];
    if (!alg) continue;
    const digest = Buffer.from(part.slice(dash + 1).split('?')[0] ?? '', 'base64').toString('hex');
    if (digest.length > 0) hashes.push({ alg, content: digest });
  }
  return hashes;
}

/** `sha256:<hex>` (pip, poetry, uv) → a hash. */
export function hashFromPrefixedHex(value: unknown): ComponentHash | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(sha1|sha256|sha384|sha512|md5)[:=]([0-9a-fA-F]+)$/.exec(value.trim());
  if (!m) return undefined;
  const alg = m[1] === 'md5' ? 'MD5' : sriAlgorithms[m[1] ?? ''];
  return alg ? { alg, content: (m[2] ?? '').toLowerCase() } : undefined;
}
