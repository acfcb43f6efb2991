import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../load.js';
import { summarise } from '../test-support/summarise.js';

// Hand-written from the formats' documentation: bun, poetry, uv and pipenv cannot run here (README.md).
const dir = 'test/fixtures/sbom';

describe('bun.lock and the Python lockfiles', () => {
  it('bun.lock (JSONC): workspaces, alias, nested copies, git, dev and optional', () => {
    const graph = parseLockfile(`${dir}/bun/bun.lock`);
    expect(graph.format).toBe('bun');
    expect(summarise(graph)).toEqual({
      components: [
        'debug@4.3.4 prod registry #',
        'escape-string-regexp@4.0.0 optional registry #',
        'git-demo@0.3.0 prod git',
        'is-number@7.0.0 prod registry #',
        'lib-b@0.2.0 prod link',
        'lru-cache@6.0.0 dev registry #',
        'ms@2.1.2 prod registry #',
        'ms@2.1.3 prod registry #',
        'semver@7.6.0 dev registry #',
        'yallist@4.0.0 dev registry #',
      ],
      edges: [
        'bun-fixture@ > debug@4.3.4',
        'bun-fixture@ > escape-string-regexp@4.0.0 (optional)',
        'bun-fixture@ > git-demo@0.3.0',
        'bun-fixture@ > is-number@7.0.0',
        'bun-fixture@ > lib-b@0.2.0',
        'bun-fixture@ > semver@7.6.0 (dev)',
        'debug@4.3.4 > ms@2.1.2',
        'lib-b@0.2.0 > ms@2.1.3',
        'lru-cache@6.0.0 > yallist@4.0.0',
        'semver@7.6.0 > lru-cache@6.0.0',
      ],
    });
    expect(graph.components.find((c) => c.name === 'debug')?.location?.line).toBe(27);
  });

  it('requirements.txt: pins, hashes over continuation lines, markers, extras, -r includes; unpinned is reported', () => {
    const graph = parseLockfile(`${dir}/python/requirements/requirements.txt`, {
      displayName: 'requirements.txt',
    });
    expect(summarise(graph).components).toEqual([
      'certifi@2024.2.2 prod registry #',
      'charset-normalizer@3.3.2 prod registry',
      'django@4.2.11 prod registry',
      'idna@3.6 prod registry',
      'mylib@ prod git',
      'requests@2.31.0 prod registry #',
      'urllib3@2.2.1 prod registry',
    ]);
    expect(graph.components.find((c) => c.name === 'requests')?.hashes).toHaveLength(2);
    expect(graph.components.find((c) => c.name === 'requests')?.purl).toBe('pkg:pypi/requests@2.31.0');
    expect(graph.components.find((c) => c.name === 'certifi')?.location).toEqual({
      file: 'requirements-base.txt',
      line: 1,
    });
    expect(graph.warnings).toEqual([
      'requirements.txt:11: "flask>=2.0" is not pinned to one version; left out',
    ]);
  });

  it('poetry.lock: dependencies by name, git source, root deps from pyproject.toml', () => {
    const graph = parseLockfile(`${dir}/python/poetry/poetry.lock`);
    expect(graph.root).toMatchObject({
      name: 'poetry-fixture',
      version: '0.4.0',
      purl: 'pkg:pypi/poetry-fixture@0.4.0',
    });
    expect(summarise(graph)).toEqual({
      components: [
        'certifi@2024.2.2 prod registry #',
        'iniconfig@2.0.0 dev registry #',
        'pytest@8.1.1 dev registry #',
        'requests@2.31.0 prod registry #',
        'urllib3@2.2.1 prod git #',
      ],
      edges: [
        'poetry-fixture@0.4.0 > pytest@8.1.1 (dev)',
        'poetry-fixture@0.4.0 > requests@2.31.0',
        'pytest@8.1.1 > iniconfig@2.0.0',
        'requests@2.31.0 > certifi@2024.2.2',
        'requests@2.31.0 > urllib3@2.2.1',
      ],
    });
  });

  it('uv.lock: editable root, dev groups, optional extras, git source, sdist hash', () => {
    const graph = parseLockfile(`${dir}/python/uv/uv.lock`);
    expect(summarise(graph)).toEqual({
      components: [
        'certifi@2024.2.2 prod registry #',
        'iniconfig@2.0.0 dev registry',
        'pysocks@1.7.1 optional registry',
        'pytest@8.1.1 dev registry',
        'requests@2.31.0 prod registry',
        'urllib3@2.2.1 prod git',
      ],
      edges: [
        'pytest@8.1.1 > iniconfig@2.0.0',
        'requests@2.31.0 > certifi@2024.2.2',
        'requests@2.31.0 > pysocks@1.7.1 (optional)',
        'requests@2.31.0 > urllib3@2.2.1',
        'uv-fixture@0.1.0 > pytest@8.1.1 (dev)',
        'uv-fixture@0.1.0 > requests@2.31.0',
      ],
    });
    expect(graph.components.find((c) => c.name === 'certifi')?.hashes).toEqual([
      { alg: 'SHA-256', content: '0569859f95fc761b18b45ef421b1290a0f65f147e92a1e5eb3e635f9a5e4e66f' },
    ]);
  });

  it('Pipfile.lock: default and develop, flat', () => {
    expect(summarise(parseLockfile(`${dir}/python/pipenv/Pipfile.lock`))).toEqual({
      components: [
        'certifi@2024.2.2 prod registry #',
        'mylib@ prod link',
        'pytest@8.1.1 dev registry #',
        'requests@2.31.0 prod registry #',
      ],
      edges: [
        'project@ > certifi@2024.2.2',
        'project@ > mylib@',
        'project@ > pytest@8.1.1 (dev)',
        'project@ > requests@2.31.0',
      ],
    });
  });

  it('rejects unknown versions of these formats', () => {
    expect(() => parseLockfile({ file: 'uv.lock', text: 'version = 2\n' })).toThrow(
      'uv.lock: unknown uv.lock version 2 (Airlock reads 1)',
    );
    expect(() => parseLockfile({ file: 'poetry.lock', text: '[metadata]\nlock-version = "3.0"\n' })).toThrow(
      /unknown poetry lock-version "3.0"/,
    );
    expect(() =>
      parseLockfile({ file: 'poetry.lock', text: '[[package]]\nname = "a"\nname = "b"\n' }),
    ).toThrow(/^poetry\.lock:3: invalid TOML/);
    expect(() => parseLockfile({ file: 'bun.lock', text: '{ "lockfileVersion": 7, }' })).toThrow(
      /unknown bun lockfileVersion 7/,
    );
  });
});
