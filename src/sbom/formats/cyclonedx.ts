import { randomUUID } from 'node:crypto';
import type { Component, DependencyGraph } from '../graph.js';

export interface SbomWriteOptions {
  /** ISO timestamp written into the document; tests pass a fixed one. */
  readonly timestamp?: string;
  /** The document's serial/namespace UUID; tests pass a fixed one. */
  readonly uuid?: string;
  readonly toolVersion?: string;
}

const cdxScope = { prod: 'required', optional: 'optional', dev: 'excluded' } as const;

/** A CycloneDX 1.6 JSON document of the graph: components, hashes, licences, scopes and dependencies[]. */
export function toCycloneDx(graph: DependencyGraph, options: SbomWriteOptions = {}): Record<string, unknown> {
  const dependsOn = new Map<string, string[]>();
  for (const c of [graph.root, ...graph.components]) dependsOn.set(c.id, []);
  for (const e of graph.edges) dependsOn.get(e.from)?.push(e.to);
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${options.uuid ?? randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: options.timestamp ?? new Date().toISOString(),
      tools: {
        components: [{ type: 'application', name: 'airlock', version: options.toolVersion ?? '0.1.0' }],
      },
      component: { ...component(graph.root, graph), type: 'application' },
      properties: [
        { name: 'airlock:lockfile:format', value: graph.format },
        ...graph.warnings.map((value) => ({ name: 'airlock:warning', value })),
      ],
    },
    components: graph.components.map((c) => component(c, graph)),
    dependencies: [...dependsOn].map(([ref, deps]) => ({ ref, dependsOn: [...new Set(deps)].sort() })),
    // A lockfile the parser could not fully resolve must not read as a complete inventory.
    ...(graph.warnings.length > 0
      ? { compositions: [{ aggregate: 'incomplete', assemblies: [graph.root.id] }] }
      : {}),
  };
}

function component(c: Component, graph: DependencyGraph): Record<string, unknown> {
  const slash = c.ecosystem === 'npm' && c.name.startsWith('@') ? c.name.indexOf('/') : -1;
  const properties: { name: string; value: string }[] = [];
  if (c.source.kind !== 'registry') properties.push({ name: 'airlock:source', value: c.source.kind });
  if (c.scope === 'dev' && c !== graph.root)
    properties.push({ name: 'cdx:npm:package:development', value: 'true' });
  if (c.bundled) properties.push({ name: 'cdx:npm:package:bundled', value: 'true' });
  const externalReferences =
    c.source.url && /^(https?:|git\+|git:|ssh:)/.test(c.source.url)
      ? [{ type: c.source.kind === 'git' ? 'vcs' : 'distribution', url: c.source.url }]
      : [];
  return {
    type: 'library',
    'bom-ref': c.id,
    ...(slash > 0 ? { group: c.name.slice(0, slash), name: c.name.slice(slash + 1) } : { name: c.name }),
    ...(c.version ? { version: c.version } : {}),
    ...(c === graph.root ? {} : { scope: cdxScope[c.scope] }),
    purl: c.purl,
    ...(c.hashes.length > 0 ? { hashes: c.hashes.map((h) => ({ alg: h.alg, content: h.content })) } : {}),
    ...(c.license ? { licenses: [licenseChoice(c.license)] } : {}),
    ...(externalReferences.length > 0 ? { externalReferences } : {}),
    ...(properties.length > 0 ? { properties } : {}),
  };
}

/** A licence that reads as an SPDX expression goes in `expression`; anything else is a named licence. */
function licenseChoice(license: string): Record<string, unknown> {
  return isSpdxExpression(license) ? { expression: license } : { license: { name: license } };
}

/** Loose check: SPDX ids and LicenseRefs joined by AND/OR/WITH and parentheses. */
export function isSpdxExpression(value: string): boolean {
  const tokens = value.replace(/[()]/g, ' ').trim().split(/\s+/);
  if (tokens.length === 0 || tokens[0] === '') return false;
  return tokens.every((t, i) =>
    i % 2 === 1
      ? /^(AND|OR|WITH)$/.test(t)
      : /^[A-Za-z0-9][A-Za-z0-9.+-]*$|^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/.test(t),
  );
}
