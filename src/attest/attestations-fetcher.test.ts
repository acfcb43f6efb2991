import { describe, expect, it } from 'vitest';
import { AttestationsFetcher, attestationsPath } from './attestations-fetcher.js';

const signal = new AbortController().signal;
const listed = {
  dist: { attestations: { url: 'http://169.254.169.254/evil', provenance: { predicateType: 'x' } } },
};

describe('AttestationsFetcher', () => {
  it('asks the upstream path, never the URL the manifest names', async () => {
    const paths: string[] = [];
    const fetcher = new AttestationsFetcher(async (path) => {
      paths.push(path);
      return { attestations: [] };
    });
    expect(await fetcher.fetch('@scope/pkg', '1.0.0', listed, signal)).toEqual({
      status: 'fetched',
      document: { attestations: [] },
    });
    expect(paths).toEqual(['/-/npm/v1/attestations/@scope%2Fpkg@1.0.0']);
  });

  it('does not ask for versions without dist.attestations', async () => {
    const fetcher = new AttestationsFetcher(async () => {
      throw new Error('must not be called');
    });
    expect(await fetcher.fetch('pkg', '1.0.0', { dist: {} }, signal)).toEqual({ status: 'none' });
    expect(await fetcher.fetch('pkg', '1.0.0', { dist: 'x' }, signal)).toEqual({ status: 'none' });
  });

  it('reports 404 and failures instead of rejecting', async () => {
    expect(
      await new AttestationsFetcher(async () => undefined).fetch('pkg', '1.0.0', listed, signal),
    ).toEqual({
      status: 'failed',
      problem: '/-/npm/v1/attestations/pkg@1.0.0 answered 404',
    });
    const failing = new AttestationsFetcher(async () => {
      throw new Error('timeout');
    });
    expect(await failing.fetch('pkg', '1.0.0', listed, signal)).toEqual({
      status: 'failed',
      problem: '/-/npm/v1/attestations/pkg@1.0.0: timeout',
    });
  });

  it('encodes hostile names into one path segment', () => {
    expect(attestationsPath('../../x', '1.0.0/../../y')).toBe(
      '/-/npm/v1/attestations/..%2F..%2Fx@1.0.0%2F..%2F..%2Fy',
    );
  });
});
