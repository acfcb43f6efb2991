import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { RegistryKeyring, registryKeysPath } from './registry-keyring.js';
import { parseRegistryKeysDocument } from './registry-keys.js';
import { SqlRegistryKeyCache } from './registry-key-cache-sql.js';
import { createTestDatabase, engines } from '../store/test-support/databases.js';

const key = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .publicKey.export({ format: 'der', type: 'spki' })
  .toString('base64');
const document = { keys: [{ keyid: 'SHA256:up', keytype: 'ecdsa-sha2-nistp256', key, expires: null }] };
const signal = new AbortController().signal;

describe('RegistryKeyring', () => {
  it('fetches upstream keys once and reuses them until the TTL passes', async () => {
    const clock = new ManualClock();
    const paths: string[] = [];
    const keyring = new RegistryKeyring({
      fetchJson: async (path) => {
        paths.push(path);
        return document;
      },
      ttlMs: 60_000,
      clock,
    });
    const [a, b] = await Promise.all([keyring.keys(signal), keyring.keys(signal)]);
    expect(a.source).toBe('upstream');
    expect(b.source).toBe('upstream');
    expect([...a.keys.keys()]).toEqual(['SHA256:up']);
    expect((await keyring.keys(signal)).source).toBe('cache');
    clock.advance(60_001);
    expect((await keyring.keys(signal)).source).toBe('upstream');
    expect(paths).toEqual([registryKeysPath, registryKeysPath]);
  });

  it('treats 404 (undefined) as an upstream that does not sign', async () => {
    const keyring = new RegistryKeyring({ fetchJson: async () => undefined });
    const lookup = await keyring.keys(signal);
    expect(lookup.source).toBe('upstream');
    expect(lookup.keys.size).toBe(0);
  });

  it('falls back to the last keys, then to the fallback set, when upstream fails', async () => {
    const clock = new ManualClock();
    let fail = false;
    const fallbackKeys = parseRegistryKeysDocument({ keys: [{ keyid: 'SHA256:shipped', key }] });
    const keyring = new RegistryKeyring({
      fetchJson: async () => {
        if (fail) throw new Error('connect ECONNREFUSED');
        return document;
      },
      fallbackKeys,
      ttlMs: 1000,
      clock,
    });
    await keyring.keys(signal);
    fail = true;
    clock.advance(2000);
    const stale = await keyring.keys(signal);
    expect(stale).toMatchObject({
      source: 'cache',
      problem: 'upstream keys unavailable: connect ECONNREFUSED',
    });
    const fresh = new RegistryKeyring({
      fetchJson: async () => {
        throw new Error('timeout');
      },
      fallbackKeys,
    });
    const fallback = await fresh.keys(signal);
    expect(fallback.source).toBe('fallback');
    expect([...fallback.keys.keys()]).toEqual(['SHA256:shipped']);
  });

  it('never asks upstream when static keys are configured', async () => {
    const staticKeys = parseRegistryKeysDocument({ keys: [{ keyid: 'SHA256:static', key }] });
    const keyring = new RegistryKeyring({
      staticKeys,
      fetchJson: async () => {
        throw new Error('must not be called');
      },
    });
    expect(await keyring.keys(signal)).toEqual({ keys: staticKeys, source: 'static' });
  });

  it('rejects a malformed upstream document without crashing', async () => {
    const keyring = new RegistryKeyring({ fetchJson: async () => ({ keys: [{ keyid: 1 }] }) });
    const lookup = await keyring.keys(signal);
    expect(lookup.source).toBe('none');
    expect(lookup.problem).toMatch(/^upstream keys unavailable: not a registry keys document/);
  });
});

describe.each(engines)('RegistryKeyring with the SQL key cache on %s', (engine) => {
  it('stores fetched keys for other nodes and uses them while upstream is down', async () => {
    const t = await createTestDatabase(engine);
    try {
      const clock = new ManualClock();
      const store = new SqlRegistryKeyCache(t.database);
      let calls = 0;
      const first = new RegistryKeyring({
        fetchJson: async () => {
          calls += 1;
          return document;
        },
        store,
        upstream: 'https://registry.npmjs.org/',
        ttlMs: 60_000,
        clock,
      });
      expect((await first.keys(signal)).source).toBe('upstream');

      // Another node (or a restart) within the TTL reuses the stored document without asking upstream.
      const second = new RegistryKeyring({
        fetchJson: async () => {
          calls += 1;
          return document;
        },
        store,
        upstream: 'https://registry.npmjs.org/',
        ttlMs: 60_000,
        clock,
      });
      const reused = await second.keys(signal);
      expect(reused.source).toBe('cache');
      expect([...reused.keys.keys()]).toEqual(['SHA256:up']);
      expect(calls).toBe(1);

      // After the TTL, with upstream down, the stale stored keys still beat the fallback.
      clock.advance(120_000);
      const third = new RegistryKeyring({
        fetchJson: async () => {
          throw new Error('ECONNRESET');
        },
        store,
        upstream: 'https://registry.npmjs.org/',
        ttlMs: 60_000,
        clock,
        fallbackKeys: new Map(),
      });
      expect(await third.keys(signal)).toMatchObject({
        source: 'cache',
        problem: 'upstream keys unavailable: ECONNRESET',
      });
      expect(await store.load('https://other.example/')).toBeUndefined();
    } finally {
      await t.dispose();
    }
  });
});
