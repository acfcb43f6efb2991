import { describe, expect, it } from 'vitest';
import { analyzeDiff, type DiffInput } from './diff-analysis.js';

const previous = {
  version: '1.0.0',
  manifest: {
    name: 'p',
    version: '1.0.0',
    main: 'index.js',
    dependencies: { a: '^1' },
    _npmUser: { name: 'alice' },
    dist: { unpackedSize: 10_000, attestations: { url: 'x' } },
  },
};
const current = {
  name: 'p',
  version: '1.0.1',
  main: 'index.js',
  dependencies: { a: '^1' },
  _npmUser: { name: 'alice' },
  dist: { unpackedSize: 11_000, attestations: { url: 'y' } },
};
const base: DiffInput = { version: '1.0.1', manifest: current, previous, inventory: [] };
const rules = (input: Partial<DiffInput>) => analyzeDiff({ ...base, ...input }).findings.map((f) => f.rule);

describe('diff rules', () => {
  it('an unremarkable patch release has no findings', () => {
    expect(rules({})).toEqual([]);
    expect(analyzeDiff(base).facts).toEqual({ hasInstallScripts: false, maintainerChanged: false });
  });

  it('install-script-added, with installScriptsFirstSeen', () => {
    const result = analyzeDiff({ ...base, manifest: { ...current, scripts: { postinstall: 'node x.js' } } });
    expect(result.findings.map((f) => f.rule)).toEqual(['install-script-added']);
    expect(result.facts.installScriptsFirstSeen).toBe(true);
  });

  it('dependency-added, size-jump, publisher-changed, provenance-dropped, entry-point-changed', () => {
    expect(rules({ manifest: { ...current, dependencies: { a: '^1', 'fresh-dep': '1.0.0' } } })).toEqual([
      'dependency-added',
    ]);
    expect(rules({ manifest: { ...current, dist: { unpackedSize: 900_000, attestations: {} } } })).toEqual([
      'size-jump',
    ]);
    expect(rules({ manifest: { ...current, _npmUser: { name: 'mallory' } } })).toEqual(['publisher-changed']);
    expect(rules({ manifest: { ...current, dist: { unpackedSize: 11_000 } } })).toEqual([
      'provenance-dropped',
    ]);
    expect(rules({ manifest: { ...current, main: 'dist/payload.js' } })).toEqual(['entry-point-changed']);
    expect(rules({ manifest: { ...current, main: './index.js' } })).toEqual([]);
  });

  it('new-minified-file: new bundles or binaries, not files that were there before', () => {
    const previousInventory = [{ path: 'index.js', size: 1, kind: 'javascript' as const, minified: false }];
    const inventory = [
      ...previousInventory,
      { path: 'lib/x.min.js', size: 50_000, kind: 'javascript' as const, minified: true },
    ];
    expect(rules({ inventory, previousInventory })).toEqual(['new-minified-file']);
    expect(rules({ inventory: previousInventory, previousInventory })).toEqual([]);
  });
});
