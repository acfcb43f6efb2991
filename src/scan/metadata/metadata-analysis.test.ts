import { describe, expect, it } from 'vitest';
import { analyzeMetadata, type MetadataInput } from './metadata-analysis.js';
import { TyposquatIndex } from './typosquat.js';

const index = new TyposquatIndex(['express', 'lodash', 'react']);
const base: MetadataInput = {
  name: 'widget-kit',
  version: '1.0.0',
  manifest: {
    name: 'widget-kit',
    version: '1.0.0',
    description: 'widgets',
    license: 'MIT',
    repository: 'github:a/b',
  },
  inventory: [],
  now: new Date('2026-06-01T00:00:00Z'),
  youngPackageDays: 14,
};
const rules = (input: Partial<MetadataInput>) =>
  analyzeMetadata({ ...base, ...input }, index).findings.map((f) => f.rule);

describe('metadata rules', () => {
  it('typosquat: sets typosquatOf; the real name does not match', () => {
    const result = analyzeMetadata({ ...base, name: 'expresss' }, index);
    expect(result.findings.map((f) => f.rule)).toEqual(['typosquat']);
    expect(result.facts.typosquatOf).toBe('express');
    expect(rules({ name: 'express' })).toEqual([]);
  });

  it('young-package: days old, few versions, no repository; an old or sourced package is fine', () => {
    const packument = { time: { created: '2026-05-28T00:00:00Z' }, versions: { '1.0.0': {} } };
    const bare = { name: 'widget-kit', version: '1.0.0', description: 'x', license: 'MIT' };
    expect(rules({ manifest: bare, packument })).toEqual(['young-package']);
    expect(rules({ packument })).toEqual([]);
    expect(
      rules({ manifest: bare, packument: { ...packument, time: { created: '2024-01-01T00:00:00Z' } } }),
    ).toEqual([]);
  });

  it('url-dependency: git, http and file specs, not semver ranges', () => {
    const manifest = {
      ...base.manifest,
      dependencies: { a: 'git+https://example.com/a.git', b: '^1.2.0', c: 'user/repo' },
    };
    expect(rules({ manifest })).toEqual(['url-dependency', 'url-dependency']);
  });

  it('bundled-binary and metadata-empty', () => {
    expect(rules({ inventory: [{ path: 'bin/x', size: 9, kind: 'binary', minified: false }] })).toEqual([
      'bundled-binary',
    ]);
    expect(rules({ manifest: { name: 'widget-kit', version: '1.0.0' } })).toEqual(['metadata-empty']);
  });

  it('manifest-mismatch: the tarball runs scripts the registry does not show', () => {
    const tarballManifest = { ...base.manifest, scripts: { postinstall: 'node x.js' } };
    expect(rules({ tarballManifest })).toEqual(['manifest-mismatch']);
    expect(rules({ tarballManifest: base.manifest })).toEqual([]);
  });

  it('deprecated and the plain facts', () => {
    const result = analyzeMetadata({ ...base, manifest: { ...base.manifest, deprecated: 'use v2' } }, index);
    expect(result.findings.map((f) => f.rule)).toEqual(['deprecated']);
    expect(result.facts).toEqual({ hasRepository: true, license: 'MIT', deprecated: 'use v2' });
  });
});
