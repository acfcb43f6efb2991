import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../load.js';
import { summarise } from '../test-support/summarise.js';

const fixtures = 'test/fixtures/sbom';

// What npm 11 resolved for the fixture project (see test/fixtures/sbom/README.md); the other tools
// resolved the same project, so their expectations are stated as differences from this one.
const npmComponents = [
  'app-a@0.1.0 prod link',
  'bundler-demo@1.0.0 prod file #',
  'debug@4.3.4 prod registry #',
  'escape-string-regexp@4.0.0 prod registry #',
  'git-demo@0.3.0 prod git',
  'is-number@6.0.0 prod registry #',
  'is-number@7.0.0 prod registry #',
  'is-odd@3.0.1 prod registry #',
  'js-tokens@4.0.0 prod registry #',
  'lib-b@0.2.0 prod link',
  'linked-demo@0.0.1 prod link',
  'loose-envify@1.4.0 prod registry #',
  'lru-cache@6.0.0 dev registry #',
  'ms@2.1.2 prod registry #',
  'ms@2.1.3 prod registry #',
  'react-dom@18.2.0 prod registry #',
  'react@18.3.1 prod registry #',
  'scheduler@0.23.2 prod registry #',
  'semver@7.6.0 dev registry #',
  'yallist@4.0.0 dev registry #',
];
const npmEdges = [
  'app-a@0.1.0 > lib-b@0.2.0',
  'app-a@0.1.0 > ms@2.1.2',
  'bundler-demo@1.0.0 > ms@2.1.3',
  'debug@4.3.4 > ms@2.1.2',
  'fixture-root@1.2.3 > app-a@0.1.0',
  'fixture-root@1.2.3 > bundler-demo@1.0.0',
  'fixture-root@1.2.3 > debug@4.3.4',
  'fixture-root@1.2.3 > escape-string-regexp@4.0.0 (optional)',
  'fixture-root@1.2.3 > git-demo@0.3.0',
  'fixture-root@1.2.3 > is-number@7.0.0',
  'fixture-root@1.2.3 > is-odd@3.0.1',
  'fixture-root@1.2.3 > lib-b@0.2.0',
  'fixture-root@1.2.3 > linked-demo@0.0.1',
  'fixture-root@1.2.3 > ms@2.1.3',
  'fixture-root@1.2.3 > react-dom@18.2.0',
  'fixture-root@1.2.3 > semver@7.6.0 (dev)',
  'is-odd@3.0.1 > is-number@6.0.0',
  'lib-b@0.2.0 > escape-string-regexp@4.0.0',
  'linked-demo@0.0.1 > is-number@7.0.0',
  'loose-envify@1.4.0 > js-tokens@4.0.0',
  'lru-cache@6.0.0 > yallist@4.0.0',
  'react-dom@18.2.0 > loose-envify@1.4.0',
  'react-dom@18.2.0 > react@18.3.1 (peer)',
  'react-dom@18.2.0 > scheduler@0.23.2',
  'react@18.3.1 > loose-envify@1.4.0',
  'scheduler@0.23.2 > loose-envify@1.4.0',
  'semver@7.6.0 > lru-cache@6.0.0',
];

function differ(base: string[], remove: string[], add: string[]): string[] {
  for (const r of remove) expect(base, `fixture expectation ${r}`).toContain(r);
  return [...base.filter((x) => !remove.includes(x)), ...add].sort();
}

describe('lockfile parsers on real fixtures', () => {
  it.each([
    ['npm-v3/package-lock.json', 'npm-lock-v3'],
    ['npm-v2/package-lock.json', 'npm-lock-v2'],
    ['npm-shrinkwrap/npm-shrinkwrap.json', 'npm-lock-v3'],
  ])('%s: workspaces, alias, git/file/link/tarball, peer, optional and bundled deps', (file, format) => {
    const graph = parseLockfile(`${fixtures}/${file}`);
    expect(graph.format).toBe(format);
    expect(graph.root).toMatchObject({ name: 'fixture-root', version: '1.2.3', license: 'Apache-2.0' });
    expect(summarise(graph)).toEqual({ components: npmComponents, edges: npmEdges });
    expect(graph.warnings).toEqual([]);
    const alias = graph.components.find((c) => c.id === 'npm:is-number@7.0.0');
    expect(alias).toMatchObject({ purl: 'pkg:npm/is-number@7.0.0', license: 'MIT' });
    expect(alias?.hashes[0]?.alg).toBe('SHA-512');
    expect(alias?.hashes[0]?.content).toBe(
      'e350a27e483a7bc4f2952a5db53a5e2d532abd20445734edb47bc4443ef8d7ea6767c00dbf4d34e0c44be3740a3c394af5c1af369e8d6566540656c65d8c719e',
    );
    const git = graph.components.find((c) => c.name === 'git-demo');
    expect(git?.source.url).toMatch(/^git\+file:\/\/\/.*#[0-9a-f]{40}$/);
    expect(graph.components.find((c) => c.name === 'debug')?.location).toEqual({
      file: `${fixtures}/${file}`,
      line: 68,
    });
  });

  it('npm lockfileVersion 1: the nested tree, requires and package.json roots', () => {
    const graph = parseLockfile(`${fixtures}/npm-v1/package-lock.json`);
    expect(graph.format).toBe('npm-lock-v1');
    const s = summarise(graph);
    // v1 records no version for file tarballs and git deps, and no edges to peers.
    expect(s.components).toEqual(
      differ(
        npmComponents,
        ['bundler-demo@1.0.0 prod file #', 'git-demo@0.3.0 prod git'],
        ['bundler-demo@ prod file #', 'git-demo@ prod git'],
      ),
    );
    expect(s.edges).toEqual(
      differ(
        npmEdges,
        [
          'bundler-demo@1.0.0 > ms@2.1.3',
          'fixture-root@1.2.3 > bundler-demo@1.0.0',
          'fixture-root@1.2.3 > git-demo@0.3.0',
          'react-dom@18.2.0 > react@18.3.1 (peer)',
        ],
        ['bundler-demo@ > ms@2.1.3', 'fixture-root@1.2.3 > bundler-demo@', 'fixture-root@1.2.3 > git-demo@'],
      ),
    );
    expect(graph.warnings).toEqual([
      '1 component(s) not reachable from the project root (kept with the scope the lockfile gives): react@18.3.1',
    ]);
  });

  it('yarn v1: headers with several specs, workspaces from package.json, sha1 in resolved', () => {
    const graph = parseLockfile(`${fixtures}/yarn-v1/yarn.lock`);
    expect(graph.format).toBe('yarn-v1');
    // yarn 1 does not install peers itself, so react is absent.
    expect(summarise(graph)).toEqual({
      components: differ(npmComponents, ['react@18.3.1 prod registry #'], []),
      edges: differ(
        npmEdges,
        ['react-dom@18.2.0 > react@18.3.1 (peer)', 'react@18.3.1 > loose-envify@1.4.0'],
        [],
      ),
    });
    expect(graph.components.find((c) => c.name === 'bundler-demo')?.hashes).toEqual([
      { alg: 'SHA-1', content: '7eb11f0ee0ae9414707b70e5066e67cd09c863c7' },
    ]);
    expect(graph.components.find((c) => c.id === 'npm:ms@2.1.3')?.location?.line).toBe(72);
  });

  it('yarn berry: descriptors, locators, workspaces and dev deps told apart by package.json', () => {
    const graph = parseLockfile(`${fixtures}/yarn-berry/yarn.lock`);
    expect(graph.format).toBe('yarn-berry');
    // Berry's checksums hash its own zip archives, not the registry tarball, so they are not hashes of the package.
    const unhashed = npmComponents.map((c) => c.replace(/ #$/, ''));
    expect(summarise(graph)).toEqual({
      components: differ(unhashed, ['git-demo@0.3.0 prod git', 'react@18.3.1 prod registry'], []),
      edges: differ(
        npmEdges,
        [
          'fixture-root@1.2.3 > git-demo@0.3.0',
          'react-dom@18.2.0 > react@18.3.1 (peer)',
          'react@18.3.1 > loose-envify@1.4.0',
        ],
        [],
      ),
    });
  });

  it.each([
    ['pnpm-v9/pnpm-lock.yaml', 'pnpm-v9', [], []],
    [
      'pnpm-v6/pnpm-lock.yaml',
      'pnpm-v6',
      ['git-demo@0.3.0 prod git'],
      ['fixture-root@1.2.3 > git-demo@0.3.0'],
    ],
    [
      'pnpm-v5/pnpm-lock.yaml',
      'pnpm-v5',
      ['git-demo@0.3.0 prod git', 'react@18.3.1 prod registry #'],
      ['fixture-root@1.2.3 > git-demo@0.3.0', 'react@18.3.1 > loose-envify@1.4.0'],
    ],
  ])(
    '%s: importers, peer suffixes, aliases, links and local directories',
    (file, format, lessComponents, lessEdges) => {
      const graph = parseLockfile(`${fixtures}/${file}`);
      expect(graph.format).toBe(format);
      // pnpm lists bundled deps inside the tarball only, and resolves peers into plain dependencies.
      const peer = format === 'pnpm-v5' ? [] : ['react-dom@18.2.0 > react@18.3.1'];
      expect(summarise(graph)).toEqual({
        components: differ(npmComponents, lessComponents, []),
        edges: differ(
          npmEdges,
          ['bundler-demo@1.0.0 > ms@2.1.3', 'react-dom@18.2.0 > react@18.3.1 (peer)', ...lessEdges],
          peer,
        ),
      });
      expect(graph.warnings).toEqual([]);
    },
  );

  it('bun.lock written by bun 1.3.3: nested copies, bundled deps, local and URL tarballs', () => {
    const graph = parseLockfile(`${fixtures}/bun-real/bun.lock`);
    expect(graph.format).toBe('bun');
    // bun records no version or integrity for a local tarball and no integrity for a URL tarball.
    expect(summarise(graph)).toEqual({
      components: differ(
        npmComponents,
        ['bundler-demo@1.0.0 prod file #', 'git-demo@0.3.0 prod git', 'is-odd@3.0.1 prod registry #'],
        ['bundler-demo@ prod file', 'is-odd@3.0.1 prod registry'],
      ),
      edges: differ(
        npmEdges,
        [
          'bundler-demo@1.0.0 > ms@2.1.3',
          'fixture-root@1.2.3 > bundler-demo@1.0.0',
          'fixture-root@1.2.3 > git-demo@0.3.0',
        ],
        ['bundler-demo@ > ms@2.1.3', 'fixture-root@1.2.3 > bundler-demo@'],
      ),
    });
    expect(graph.warnings).toEqual([]);
  });
});
