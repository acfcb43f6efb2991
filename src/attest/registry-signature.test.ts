import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseRegistryKeysDocument } from './registry-keys.js';
import { verifyRegistrySignatures } from './registry-signature.js';

const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const spki = (key: typeof pair.publicKey) => key.export({ format: 'der', type: 'spki' }).toString('base64');
const keyid = 'SHA256:test-key';
const integrity = 'sha512-aGVsbG8=';

function keysDoc(expires: string | null = null) {
  return parseRegistryKeysDocument({
    keys: [
      {
        keyid,
        keytype: 'ecdsa-sha2-nistp256',
        scheme: 'ecdsa-sha2-nistp256',
        key: spki(pair.publicKey),
        expires,
      },
    ],
  });
}

function signed(name: string, version: string, signer = pair.privateKey) {
  return sign('sha256', Buffer.from(`${name}@${version}:${integrity}`), signer).toString('base64');
}

const publishedAt = new Date('2025-06-01T00:00:00Z');

describe('verifyRegistrySignatures', () => {
  it('accepts a signature over name@version:integrity by the named key', () => {
    const dist = { integrity, signatures: [{ keyid, sig: signed('@scope/pkg', '1.0.0') }] };
    expect(
      verifyRegistrySignatures({ name: '@scope/pkg', version: '1.0.0', dist, publishedAt }, keysDoc()),
    ).toEqual({
      status: 'valid',
      message: `registry signature verified with key ${keyid}`,
      keyids: [keyid],
    });
  });

  it('rejects a signature made for another version', () => {
    const dist = { integrity, signatures: [{ keyid, sig: signed('pkg', '1.0.1') }] };
    const result = verifyRegistrySignatures({ name: 'pkg', version: '1.0.0', dist, publishedAt }, keysDoc());
    expect(result.status).toBe('invalid');
    expect(result.message).toBe(`registry signature by key ${keyid} does not match pkg@1.0.0:${integrity}`);
  });

  it('rejects a signature by another key under the trusted keyid', () => {
    const dist = { integrity, signatures: [{ keyid, sig: signed('pkg', '1.0.0', other.privateKey) }] };
    expect(
      verifyRegistrySignatures({ name: 'pkg', version: '1.0.0', dist, publishedAt }, keysDoc()).status,
    ).toBe('invalid');
  });

  it('rejects a changed integrity and garbage signatures', () => {
    const dist = { integrity: 'sha512-b3RoZXI=', signatures: [{ keyid, sig: signed('pkg', '1.0.0') }] };
    expect(
      verifyRegistrySignatures({ name: 'pkg', version: '1.0.0', dist, publishedAt }, keysDoc()).status,
    ).toBe('invalid');
    const garbage = { integrity, signatures: [{ keyid, sig: 'AAAA' }] };
    expect(
      verifyRegistrySignatures({ name: 'pkg', version: '1.0.0', dist: garbage, publishedAt }, keysDoc())
        .status,
    ).toBe('invalid');
  });

  it('checks every signature, not only the first', () => {
    const dist = {
      integrity,
      signatures: [
        { keyid, sig: signed('pkg', '1.0.0') },
        { keyid, sig: signed('pkg', '9.9.9') },
      ],
    };
    expect(
      verifyRegistrySignatures({ name: 'pkg', version: '1.0.0', dist, publishedAt }, keysDoc()).status,
    ).toBe('invalid');
  });

  it('treats a key that expired before the publish time as expired', () => {
    const dist = { integrity, signatures: [{ keyid, sig: signed('pkg', '1.0.0') }] };
    const result = verifyRegistrySignatures(
      { name: 'pkg', version: '1.0.0', dist, publishedAt },
      keysDoc('2025-01-29T00:00:00.000Z'),
    );
    expect(result).toEqual({
      status: 'expired-key',
      message: `signed with key ${keyid}, which was not valid at the publish time 2025-06-01T00:00:00.000Z`,
      keyids: [keyid],
    });
    const before = new Date('2024-12-01T00:00:00Z');
    expect(
      verifyRegistrySignatures(
        { name: 'pkg', version: '1.0.0', dist, publishedAt: before },
        keysDoc('2025-01-29T00:00:00.000Z'),
      ).status,
    ).toBe('valid');
  });

  it('reports unknown keys, missing signatures and unsigned upstreams apart', () => {
    const dist = { integrity, signatures: [{ keyid: 'SHA256:other', sig: signed('pkg', '1.0.0') }] };
    expect(
      verifyRegistrySignatures({ name: 'pkg', version: '1.0.0', dist, publishedAt }, keysDoc()).status,
    ).toBe('unknown-key');
    expect(
      verifyRegistrySignatures({ name: 'pkg', version: '1.0.0', dist: { integrity }, publishedAt }, keysDoc())
        .status,
    ).toBe('missing');
    expect(
      verifyRegistrySignatures({ name: 'pkg', version: '1.0.0', dist: { integrity }, publishedAt }, new Map())
        .status,
    ).toBe('not-signed-upstream');
  });

  it('calls malformed dist.signatures invalid', () => {
    const result = verifyRegistrySignatures(
      { name: 'pkg', version: '1.0.0', dist: { integrity, signatures: 'nope' }, publishedAt },
      keysDoc(),
    );
    expect(result.status).toBe('invalid');
    expect(result.message).toMatch(/^dist.signatures is malformed/);
  });
});

describe('parseRegistryKeysDocument', () => {
  it('keeps keys in a Map, so a hostile keyid is only a string', () => {
    const keys = parseRegistryKeysDocument({
      keys: [{ keyid: '__proto__', key: spki(pair.publicKey), expires: null }],
    });
    expect([...keys.keys()]).toEqual(['__proto__']);
  });

  it('refuses keys that are not P-256 and documents of the wrong shape', () => {
    const rsa = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(() => parseRegistryKeysDocument({ keys: [{ keyid: 'k', key: spki(rsa.publicKey) }] })).toThrow(
      'key k is not an ECDSA P-256 key',
    );
    expect(() => parseRegistryKeysDocument({ keys: 'x' })).toThrow(/^not a registry keys document/);
  });
});
