import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../load.js';
import { parseSbom } from './sbom-input.js';
import { toCycloneDx } from './cyclonedx.js';
import { toSpdx } from './spdx.js';
import { cycloneDxErrors, spdxErrors } from '../test-support/schemas.js';
import { summarise } from '../test-support/summarise.js';

const fixed = { timestamp: '2026-01-02T03:04:05.000Z', uuid: '3f2a8c1e-0b7d-4e55-9a61-2d3c4b5a6f70' };
const lockfiles = [
  'npm-v1/package-lock.json',
  'npm-v2/package-lock.json',
  'npm-v3/package-lock.json',
  'npm-shrinkwrap/npm-shrinkwrap.json',
  'yarn-v1/yarn.lock',
  'yarn-berry/yarn.lock',
  'pnpm-v5/pnpm-lock.yaml',
  'pnpm-v6/pnpm-lock.yaml',
  'pnpm-v9/pnpm-lock.yaml',
  'bun-real/bun.lock',
  'bun/bun.lock',
  'python/requirements/requirements.txt',
  'python/poetry/poetry.lock',
  'python/uv/uv.lock',
  'python/pipenv/Pipfile.lock',
];

describe('CycloneDX 1.6 and SPDX 2.3 output', () => {
  it.each(lockfiles)('%s → CycloneDX validates with the CycloneDX library', async (file) => {
    const doc = toCycloneDx(parseLockfile(`test/fixtures/sbom/${file}`), fixed);
    expect(await cycloneDxErrors(doc)).toBeNull();
  });

  it.each(lockfiles)('%s → SPDX validates against the SPDX 2.3 schema', (file) => {
    expect(spdxErrors(toSpdx(parseLockfile(`test/fixtures/sbom/${file}`), fixed))).toBeNull();
  });

  it('the validators reject a broken document (they can fail)', async () => {
    const doc = toCycloneDx(parseLockfile('test/fixtures/sbom/npm-v3/package-lock.json'), fixed);
    expect(await cycloneDxErrors({ ...doc, components: [{ type: 'library' }] })).not.toBeNull();
    const spdx = toSpdx(parseLockfile('test/fixtures/sbom/npm-v3/package-lock.json'), fixed);
    expect(
      spdxErrors({
        ...spdx,
        relationships: [{ spdxElementId: 'a', relationshipType: 'USES', relatedSpdxElement: 'b' }],
      }),
    ).not.toBeNull();
  });

  it('writes purls, scopes, hashes, licences and the dependency graph', () => {
    const doc = toCycloneDx(parseLockfile('test/fixtures/sbom/npm-v3/package-lock.json'), fixed) as {
      metadata: { component: Record<string, unknown> };
      components: Record<string, unknown>[];
      dependencies: { ref: string; dependsOn: string[] }[];
    };
    expect(doc.metadata.component).toMatchObject({
      name: 'fixture-root',
      version: '1.2.3',
      type: 'application',
    });
    expect(doc.components.find((c) => c['bom-ref'] === 'npm:semver@7.6.0')).toEqual({
      type: 'library',
      'bom-ref': 'npm:semver@7.6.0',
      name: 'semver',
      version: '7.6.0',
      scope: 'excluded',
      purl: 'pkg:npm/semver@7.6.0',
      hashes: [
        {
          alg: 'SHA-512',
          content:
            '127c1786b9705cc93d80abb9fdf971e6cbff6a7e7b024469946de14caebc5bb1510cdfa4f8e5818fae4cefbd7d3a403cd972c1c6b717d0a4878fe5f908e84e56',
        },
      ],
      licenses: [{ expression: 'ISC' }],
      properties: [{ name: 'cdx:npm:package:development', value: 'true' }],
    });
    expect(doc.dependencies.find((d) => d.ref === 'npm:react-dom@18.2.0')?.dependsOn).toEqual([
      'npm:loose-envify@1.4.0',
      'npm:react@18.3.1',
      'npm:scheduler@0.23.2',
    ]);
    expect(doc.dependencies).toHaveLength(21);
  });

  it('marks the SBOM of a lockfile with unresolved entries as incomplete', async () => {
    const graph = parseLockfile('test/fixtures/sbom/python/requirements/requirements.txt', {
      displayName: 'requirements.txt',
    });
    const cdx = toCycloneDx(graph, fixed) as { compositions?: unknown };
    expect(cdx.compositions).toEqual([{ aggregate: 'incomplete', assemblies: ['pypi:project@'] }]);
    expect(await cycloneDxErrors(cdx)).toBeNull();
    const spdx = toSpdx(graph, fixed) as { comment?: string };
    expect(spdx.comment).toBe(
      'INCOMPLETE: requirements.txt:11: "flask>=2.0" is not pinned to one version; left out',
    );
    expect(spdxErrors(spdx)).toBeNull();
  });

  it('checks an existing SBOM as input', () => {
    const graph = parseLockfile('test/fixtures/sbom/npm-v3/package-lock.json');
    const again = parseLockfile({ file: 'bom.json', text: JSON.stringify(toCycloneDx(graph, fixed)) });
    expect(again.format).toBe('cyclonedx');
    expect(again.components.map((c) => c.purl)).toEqual(graph.components.map((c) => c.purl));
  });

  it('reads its own CycloneDX and SPDX output back into the same graph', () => {
    const graph = parseLockfile('test/fixtures/sbom/pnpm-v9/pnpm-lock.yaml');
    const expected = summarise(graph);
    const cdx = parseSbom({ file: 'bom.json', text: JSON.stringify(toCycloneDx(graph, fixed)) });
    // CycloneDX dependencies[] carry no edge kind; the scopes survive on the components instead.
    const plain = expected.edges.map((e) => e.replace(/ \((dev|optional|peer)\)$/, ''));
    expect(summarise(cdx).edges).toEqual(plain);
    expect(summarise(cdx).components.map((c) => c.split(' ').slice(0, 2).join(' '))).toEqual(
      expected.components.map((c) => c.split(' ').slice(0, 2).join(' ')),
    );
    expect(summarise(cdx).components.map((c) => c.split(' ')[0])).toEqual(
      expected.components.map((c) => c.split(' ')[0]),
    );
    const spdx = parseSbom({ file: 'bom.spdx.json', text: JSON.stringify(toSpdx(graph, fixed)) });
    expect(summarise(spdx).edges).toEqual(expected.edges.map((e) => e.replace(/ \(peer\)$/, '')));
  });
});
