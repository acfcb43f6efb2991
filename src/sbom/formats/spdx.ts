import { randomUUID } from 'node:crypto';
import type { Component, DependencyGraph, HashAlgorithm } from '../graph.js';
import { isSpdxExpression, type SbomWriteOptions } from './cyclonedx.js';

const spdxAlgorithm: Record<HashAlgorithm, string> = {
  'SHA-1': 'SHA1',
  'SHA-256': 'SHA256',
  'SHA-384': 'SHA384',
  'SHA-512': 'SHA512',
  MD5: 'MD5',
};

/** An SPDX 2.3 JSON document: one package per component, DEPENDS_ON / DEV_DEPENDENCY_OF relationships. */
export function toSpdx(graph: DependencyGraph, options: SbomWriteOptions = {}): Record<string, unknown> {
  const all = [graph.root, ...graph.components];
  const spdxIds = new Map<string, string>();
  all.forEach((c, i) => spdxIds.set(c.id, i === 0 ? 'SPDXRef-Package-root' : `SPDXRef-Package-${i}`));
  const rootRef = 'SPDXRef-Package-root';
  const relationships: Record<string, string>[] = [
    { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: rootRef },
  ];
  for (const e of graph.edges) {
    const from = spdxIds.get(e.from);
    const to = spdxIds.get(e.to);
    if (!from || !to) continue;
    // SPDX states dev and optional edges from the dependency's side.
    if (e.kind === 'dev')
      relationships.push({
        spdxElementId: to,
        relationshipType: 'DEV_DEPENDENCY_OF',
        relatedSpdxElement: from,
      });
    else if (e.kind === 'optional')
      relationships.push({
        spdxElementId: to,
        relationshipType: 'OPTIONAL_DEPENDENCY_OF',
        relatedSpdxElement: from,
      });
    else relationships.push({ spdxElementId: from, relationshipType: 'DEPENDS_ON', relatedSpdxElement: to });
  }
  const uuid = options.uuid ?? randomUUID();
  const name = graph.root.name || 'project';
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `${name}${graph.root.version ? `@${graph.root.version}` : ''}`,
    documentNamespace: `https://spdx.airlock.invalid/${encodeURIComponent(name)}-${uuid}`,
    creationInfo: {
      created: (options.timestamp ?? new Date().toISOString()).replace(/\.\d+Z$/, 'Z'),
      creators: [`Tool: airlock-${options.toolVersion ?? '0.1.0'}`],
    },
    ...(graph.warnings.length > 0 ? { comment: `INCOMPLETE: ${graph.warnings.join('; ')}` } : {}),
    documentDescribes: [rootRef],
    packages: all.map((c) => spdxPackage(c, spdxIds.get(c.id) as string, c === graph.root)),
    relationships,
  };
}

function spdxPackage(c: Component, spdxId: string, isRoot: boolean): Record<string, unknown> {
  const download = c.source.url && /^(https?:|git\+)/.test(c.source.url) ? c.source.url : 'NOASSERTION';
  return {
    SPDXID: spdxId,
    name: c.name,
    ...(c.version ? { versionInfo: c.version } : {}),
    downloadLocation: download,
    filesAnalyzed: false,
    ...(c.hashes.length > 0
      ? { checksums: c.hashes.map((h) => ({ algorithm: spdxAlgorithm[h.alg], checksumValue: h.content })) }
      : {}),
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: c.license && isSpdxExpression(c.license) ? c.license : 'NOASSERTION',
    copyrightText: 'NOASSERTION',
    externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: c.purl }],
    primaryPackagePurpose: isRoot ? 'APPLICATION' : 'LIBRARY',
    ...(c.scope === 'dev' && !isRoot ? { comment: 'development dependency' } : {}),
  };
}
