import { systemClock, type Clock } from '../core/clock.js';
import { describeError } from '../errors.js';
import type { RegistryKeyCache } from './registry-key-cache-sql.js';
import { parseRegistryKeysDocument, type RegistryKeySet } from './registry-keys.js';

/**
 * Fetches one JSON document from the upstream registry by path; resolves `undefined` when upstream answers
 * 404 (it does not publish keys), rejects on any other failure. The registry proxy passes its upstream client.
 */
export type FetchUpstreamJson = (path: string, signal: AbortSignal) => Promise<unknown>;

export const registryKeysPath = '/-/npm/v1/keys';

export interface RegistryKeyringOptions {
  /** Upstream access; absent = only static or fallback keys. */
  readonly fetchJson?: FetchUpstreamJson;
  /** Configured keys (air-gapped installs): when given, upstream is never asked. */
  readonly staticKeys?: RegistryKeySet;
  /** Keys to use while upstream cannot be reached and nothing is cached (e.g. those shipped with the trust root). */
  readonly fallbackKeys?: RegistryKeySet;
  readonly ttlMs?: number;
  readonly clock?: Clock;
  /** Shared cache of the last fetched document (survives restarts, shared between nodes). */
  readonly store?: RegistryKeyCache;
  /** Which upstream the keys belong to (the store's key), e.g. its URL. */
  readonly upstream?: string;
}

export type KeySource = 'static' | 'upstream' | 'cache' | 'fallback' | 'none';

export interface KeyLookup {
  readonly keys: RegistryKeySet;
  readonly source: KeySource;
  /** Why upstream keys are not in use, when they are not. */
  readonly problem?: string;
}

const empty: RegistryKeySet = new Map();

/** The upstream registry's signing keys, cached for a while; one fetch at a time. */
export class RegistryKeyring {
  readonly #options: RegistryKeyringOptions;
  readonly #clock: Clock;
  #cached: { keys: RegistryKeySet; at: number } | undefined;
  #inflight: Promise<KeyLookup> | undefined;

  constructor(options: RegistryKeyringOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** The keys to check signatures with now. Never rejects: failures fall back and say why. */
  async keys(signal: AbortSignal): Promise<KeyLookup> {
    const { staticKeys, fetchJson, fallbackKeys } = this.#options;
    if (staticKeys) return { keys: staticKeys, source: 'static' };
    if (!fetchJson)
      return fallbackKeys ? { keys: fallbackKeys, source: 'fallback' } : { keys: empty, source: 'none' };
    const ttl = this.#options.ttlMs ?? 3_600_000;
    if (this.#cached && this.#clock.now().getTime() - this.#cached.at < ttl) {
      return { keys: this.#cached.keys, source: 'cache' };
    }
    this.#inflight ??= this.#refresh(fetchJson, signal).finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #refresh(fetchJson: FetchUpstreamJson, signal: AbortSignal): Promise<KeyLookup> {
    const ttl = this.#options.ttlMs ?? 3_600_000;
    const stored = this.#cached ? undefined : await this.#loadStored();
    if (stored && this.#clock.now().getTime() - stored.at < ttl) {
      this.#cached = stored;
      return { keys: stored.keys, source: 'cache' };
    }
    try {
      const fetched = await fetchJson(registryKeysPath, signal);
      const document = fetched ?? { keys: [] };
      const keys = parseRegistryKeysDocument(document);
      const now = this.#clock.now();
      this.#cached = { keys, at: now.getTime() };
      await this.#options.store?.save(this.#upstream(), document, now).catch(() => undefined);
      return { keys, source: 'upstream' };
    } catch (error) {
      const problem = `upstream keys unavailable: ${describeError(error)}`;
      const last = this.#cached ?? stored;
      if (last) return { keys: last.keys, source: 'cache', problem };
      if (this.#options.fallbackKeys)
        return { keys: this.#options.fallbackKeys, source: 'fallback', problem };
      return { keys: empty, source: 'none', problem };
    }
  }

  /** The stored document, if any and readable; a broken row is ignored (upstream is asked instead). */
  async #loadStored(): Promise<{ keys: RegistryKeySet; at: number } | undefined> {
    try {
      const row = await this.#options.store?.load(this.#upstream());
      return row ? { keys: parseRegistryKeysDocument(row.document), at: row.fetchedAt.getTime() } : undefined;
    } catch {
      return undefined;
    }
  }

  #upstream(): string {
    return this.#options.upstream ?? 'default';
  }
}
