import { describeError } from '../errors.js';
import type { FetchUpstreamJson } from './registry-keyring.js';

/** What fetching a version's attestations gave. */
export type AttestationsFetch =
  | { readonly status: 'none' }
  | { readonly status: 'fetched'; readonly document: unknown }
  | { readonly status: 'failed'; readonly problem: string };

/**
 * Fetches `GET /-/npm/v1/attestations/<name>@<version>` from the upstream for versions whose manifest lists
 * `dist.attestations`. The URL in the manifest is never followed (it is attacker-controlled); only the
 * upstream's own path is asked, through the proxy's upstream client.
 */
export class AttestationsFetcher {
  readonly #fetchJson: FetchUpstreamJson;

  constructor(fetchJson: FetchUpstreamJson) {
    this.#fetchJson = fetchJson;
  }

  /** The document for `AnalysisInput.attestations`, or why there is none. Never rejects. */
  async fetch(
    name: string,
    version: string,
    manifest: Readonly<Record<string, unknown>>,
    signal: AbortSignal,
  ): Promise<AttestationsFetch> {
    if (!listsAttestations(manifest)) return { status: 'none' };
    const path = attestationsPath(name, version);
    try {
      const document = await this.#fetchJson(path, signal);
      if (document === undefined) return { status: 'failed', problem: `${path} answered 404` };
      return { status: 'fetched', document };
    } catch (error) {
      return { status: 'failed', problem: `${path}: ${describeError(error)}` };
    }
  }
}

/** `/-/npm/v1/attestations/@scope%2Fname@1.0.0`: the name escaped as npm escapes it, one path segment. */
export function attestationsPath(name: string, version: string): string {
  return `/-/npm/v1/attestations/${encodeURIComponent(name).replace(/^%40/, '@')}@${encodeURIComponent(version)}`;
}

function listsAttestations(manifest: Readonly<Record<string, unknown>>): boolean {
  const dist = manifest.dist;
  if (typeof dist !== 'object' || dist === null) return false;
  const attestations = (dist as Record<string, unknown>).attestations;
  return typeof attestations === 'object' && attestations !== null;
}
