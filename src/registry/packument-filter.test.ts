import { describe, expect, it } from 'vitest';
import { parsePackument } from './packument.js';
import { recomputeDistTags, renderPackument } from './packument-filter.js';

const integrity = `sha512-${'A'.repeat(86)}==`;
const manifest = (version: string, extra: Record<string, unknown> = {}) => ({
  name: 'demo',
  version,
  dist: {
    integrity,
    tarball: `https://registry.example/demo/-/demo-${version}.tgz`,
    signatures: [{ keyid: 'k', sig: 's' }],
  },
  _npmUser: { name: 'someone' },
  ...extra,
});
const raw = {
  _id: 'demo',
  name: 'demo',
  description: 'a demo',
  'dist-tags': { latest: '2.1.0', next: '3.0.0-beta.1', old: '1.0.0' },
  versions: {
    '1.0.0': manifest('1.0.0'),
    '2.0.0': manifest('2.0.0', { scripts: { postinstall: 'node x.js' } }),
    '2.1.0': manifest('2.1.0'),
    '3.0.0-beta.1': manifest('3.0.0-beta.1'),
    __proto__bad: { version: 'x' },
  },
  time: {
    created: '2020-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    '1.0.0': '2020-01-01T00:00:00.000Z',
    '2.0.0': '2021-01-01T00:00:00.000Z',
    '2.1.0': '2024-01-01T00:00:00.000Z',
    '3.0.0-beta.1': '2024-01-01T00:00:00.000Z',
  },
};

describe('renderPackument', () => {
  const packument = parsePackument(JSON.stringify(raw), 'demo');
  const hidden = new Set(['2.1.0', '3.0.0-beta.1']);
  const rendered = renderPackument(packument, (e) => !hidden.has(e.version), 'http://airlock/npm/demo/-/');
  interface Doc {
    description?: string;
    'dist-tags': Record<string, string>;
    time: Record<string, string>;
    versions: Record<string, Record<string, unknown>>;
  }
  const full = JSON.parse(rendered.full.toString()) as Doc;
  const abbreviated = JSON.parse(rendered.abbreviated.toString()) as Doc;

  it('drops malformed versions and hides versions from versions, time and dist-tags', () => {
    expect(packument.dropped.map((d) => d.version)).toEqual(['__proto__bad']);
    expect(Object.keys(full.versions)).toEqual(['1.0.0', '2.0.0']);
    expect(Object.keys(full.time)).toEqual(['created', 'modified', '1.0.0', '2.0.0']);
    expect(full['dist-tags']).toEqual({ latest: '2.0.0', next: '2.0.0', old: '1.0.0' });
    expect(full.description).toBe('a demo');
  });

  it('rewrites tarball URLs to Airlock and keeps signatures and _npmUser untouched', () => {
    expect(full.versions['1.0.0']?.dist).toEqual({
      integrity,
      tarball: 'http://airlock/npm/demo/-/demo-1.0.0.tgz',
      signatures: [{ keyid: 'k', sig: 's' }],
    });
    expect(full.versions['1.0.0']?._npmUser).toEqual({ name: 'someone' });
  });

  it('makes the abbreviated document with install fields only', () => {
    expect(Object.keys(abbreviated)).toEqual(['name', 'modified', 'dist-tags', 'versions']);
    expect(abbreviated.versions['2.0.0']?.hasInstallScript).toBe(true);
    expect(abbreviated.versions['2.0.0']?._npmUser).toBeUndefined();
    expect(abbreviated.versions['2.0.0']?.scripts).toBeUndefined();
  });
});

describe('recomputeDistTags', () => {
  it('moves stable tags to stable versions only and drops tags with nothing visible', () => {
    const upstream = new Map([
      ['latest', '2.0.0'],
      ['beta', '2.0.0-beta.2'],
      ['legacy', '0.9.0'],
    ]);
    expect(recomputeDistTags(upstream, ['1.0.0', '1.5.0-rc.1', '2.0.0-beta.1'])).toEqual({
      latest: '1.0.0',
      beta: '2.0.0-beta.1',
    });
  });
});

describe('parsePackument', () => {
  it('refuses a document for another package and invalid JSON', () => {
    expect(() => parsePackument(JSON.stringify({ ...raw, name: 'other' }), 'demo')).toThrow(/names "other"/);
    expect(() => parsePackument('{"name": "demo", ', 'demo')).toThrow(/not valid JSON/);
  });

  it('drops versions whose manifest names another package or lacks integrity', () => {
    const bad = {
      name: 'demo',
      versions: {
        '1.0.0': { ...manifest('1.0.0'), name: 'evil' },
        '1.0.1': { name: 'demo', version: '1.0.1', dist: { tarball: 'x' } },
        '1.0.2': manifest('1.0.2'),
      },
    };
    const parsed = parsePackument(JSON.stringify(bad), 'demo');
    expect([...parsed.versions.keys()]).toEqual(['1.0.2']);
    expect(parsed.dropped.map((d) => d.reason)).toEqual([
      'manifest names another package',
      'no usable dist.integrity or dist.shasum',
    ]);
  });
});
