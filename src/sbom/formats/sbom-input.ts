import { AirlockError } from '../../errors.js';
import type { Ecosystem } from '../../core/package-ref.js';
import { GraphBuilder } from '../graph-builder.js';
import type { ComponentHash, DependencyGraph, EdgeKind, HashAlgorithm, Scope } from '../graph.js';
import { asRecord, asString, parseJsonStrict, type LockfileInput } from '../lockfiles/input.js';
import { keyLines } from '../lockfiles/lines.js';

function sbomError(file: string, message: string): AirlockError {
  return new AirlockError('SBOM_INVALID', `${file}: ${message}`, { details: { file } });
}

/** `pkg:npm/%40scope/name@1.0.0?x=y` → ecosystem, name, version; other purl types are not ours. */
export function parsePurl(purl: string): { ecosystem: Ecosystem; name: string; version: string } | undefined {
  const m = /^pkg:(npm|pypi)\/([^@?#]+)(?:@([^?#]+))?/.exec(purl);
  if (!m) return undefined;
  const name = (m[2] ?? '').split('/').map(decodeURIComponent).join('/');
  return { ecosystem: m[1] as Ecosystem, name, version: m[3] ? decodeURIComponent(m[3]) : '' };
}

const cdxHash: Record<string, HashAlgorithm> = {
  'SHA-1': 'SHA-1',
  'SHA-256': 'SHA-256',
  'SHA-384': 'SHA-384',
  'SHA-512': 'SHA-512',
  MD5: 'MD5',
};
const spdxHash: Record<string, HashAlgorithm> = {
  SHA1: 'SHA-1',
  SHA256: 'SHA-256',
  SHA384: 'SHA-384',
  SHA512: 'SHA-512',
  MD5: 'MD5',
};

/** Reads an existing CycloneDX 1.4–1.6 or SPDX 2.3 JSON SBOM as a graph (npm and PyPI components). */
export function parseSbom(input: LockfileInput): DependencyGraph {
  const doc = asRecord(parseJsonStrict(input.file, input.text));
  if (!doc) throw sbomError(input.file, 'not a JSON object');
  if (doc.bomFormat === 'CycloneDX') return fromCycloneDx(input, doc);
  if (typeof doc.spdxVersion === 'string') return fromSpdx(input, doc);
  throw sbomError(input.file, 'neither CycloneDX (bomFormat) nor SPDX (spdxVersion)');
}

function fromCycloneDx(input: LockfileInput, doc: Record<string, unknown>): DependencyGraph {
  const spec = asString(doc.specVersion) ?? '';
  if (!['1.4', '1.5', '1.6'].includes(spec))
    throw sbomError(input.file, `CycloneDX specVersion "${spec}" (Airlock reads 1.4–1.6)`);
  const builder = new GraphBuilder('cyclonedx', input.file);
  const lines = keyLines(input.text, /"purl"\s*:\s*"([^"]+)"/);
  const refs = new Map<string, string>();
  const meta = asRecord(asRecord(doc.metadata)?.component);
  const rootName = asString(meta?.name) ?? 'project';
  const rootId = builder.setRoot({
    ecosystem: 'npm',
    name: rootName,
    version: asString(meta?.version) ?? '',
  });
  if (meta && typeof meta['bom-ref'] === 'string') refs.set(meta['bom-ref'], rootId);
  const flat: Record<string, unknown>[] = [];
  const collect = (list: unknown, depth: number) => {
    if (!Array.isArray(list) || depth > 50) return;
    for (const item of list) {
      const c = asRecord(item);
      if (!c) continue;
      flat.push(c);
      collect(c.components, depth + 1);
    }
  };
  collect(doc.components, 0);
  let skipped = 0;
  for (const c of flat) {
    const purl = asString(c.purl);
    const parsed = purl ? parsePurl(purl) : undefined;
    if (!parsed) {
      skipped++;
      continue;
    }
    const hashes: ComponentHash[] = [];
    for (const h of Array.isArray(c.hashes) ? c.hashes : []) {
      const alg = cdxHash[asString(asRecord(h)?.alg) ?? ''];
      const content = asString(asRecord(h)?.content);
      if (alg && content) hashes.push({ alg, content: content.toLowerCase() });
    }
    const lic = asRecord(Array.isArray(c.licenses) ? c.licenses[0] : undefined);
    const license =
      asString(lic?.expression) ??
      asString(asRecord(lic?.license)?.id) ??
      asString(asRecord(lic?.license)?.name);
    const scope: Scope = c.scope === 'excluded' ? 'dev' : c.scope === 'optional' ? 'optional' : 'prod';
    const line = purl ? lines.get(purl) : undefined;
    const id = builder.add({
      ...parsed,
      hashes,
      ...(license ? { license } : {}),
      scope,
      ...(line ? { location: { file: input.file, line } } : {}),
    });
    if (typeof c['bom-ref'] === 'string') refs.set(c['bom-ref'], id);
  }
  if (skipped > 0) builder.warn(`${skipped} component(s) without an npm or PyPI purl were left out`);
  const deps = Array.isArray(doc.dependencies) ? doc.dependencies : [];
  for (const d of deps) {
    const dep = asRecord(d);
    const from = refs.get(asString(dep?.ref) ?? '');
    if (!from) continue;
    for (const to of Array.isArray(dep?.dependsOn) ? dep.dependsOn : []) {
      const target = refs.get(String(to));
      if (target) builder.edge(from, target, 'prod');
    }
  }
  // Without a dependency graph every component hangs off the root. Scopes are the document's own.
  if (deps.length === 0) for (const id of refs.values()) if (id !== rootId) builder.edge(rootId, id, 'prod');
  return builder.build({ scopesFromLockfile: true });
}

function fromSpdx(input: LockfileInput, doc: Record<string, unknown>): DependencyGraph {
  if (doc.spdxVersion !== 'SPDX-2.3' && doc.spdxVersion !== 'SPDX-2.2') {
    throw sbomError(
      input.file,
      `spdxVersion "${String(doc.spdxVersion)}" (Airlock reads SPDX-2.2 and SPDX-2.3 JSON)`,
    );
  }
  const builder = new GraphBuilder('spdx', input.file);
  const packages = Array.isArray(doc.packages)
    ? doc.packages.map(asRecord).filter((p) => p !== undefined)
    : [];
  const described = new Set((Array.isArray(doc.documentDescribes) ? doc.documentDescribes : []).map(String));
  const relationships = (Array.isArray(doc.relationships) ? doc.relationships : [])
    .map(asRecord)
    .filter((r) => r !== undefined);
  for (const r of relationships)
    if (r.relationshipType === 'DESCRIBES' && r.spdxElementId === 'SPDXRef-DOCUMENT')
      described.add(String(r.relatedSpdxElement));
  const ids = new Map<string, string>();
  const rootPkg = packages.find((p) => described.has(String(p.SPDXID)));
  const rootId = builder.setRoot({
    ecosystem: 'npm',
    name: asString(rootPkg?.name) ?? asString(doc.name) ?? 'project',
    version: asString(rootPkg?.versionInfo) ?? '',
  });
  if (rootPkg) ids.set(String(rootPkg.SPDXID), rootId);
  for (const p of packages) {
    if (p === rootPkg) continue;
    const refs = Array.isArray(p.externalRefs) ? p.externalRefs.map(asRecord) : [];
    const purl = asString(refs.find((r) => r?.referenceType === 'purl')?.referenceLocator);
    const parsed = purl ? parsePurl(purl) : undefined;
    if (!parsed) continue;
    const hashes: ComponentHash[] = [];
    for (const h of Array.isArray(p.checksums) ? p.checksums : []) {
      const alg = spdxHash[asString(asRecord(h)?.algorithm) ?? ''];
      const value = asString(asRecord(h)?.checksumValue);
      if (alg && value) hashes.push({ alg, content: value.toLowerCase() });
    }
    const declared = asString(p.licenseDeclared);
    ids.set(
      String(p.SPDXID),
      builder.add({
        ...parsed,
        hashes,
        ...(declared && !/^NO(ASSERTION|NE)$/.test(declared) ? { license: declared } : {}),
      }),
    );
  }
  const kinds: Record<string, [EdgeKind, boolean]> = {
    DEPENDS_ON: ['prod', false],
    DEPENDENCY_OF: ['prod', true],
    DEV_DEPENDENCY_OF: ['dev', true],
    OPTIONAL_DEPENDENCY_OF: ['optional', true],
    RUNTIME_DEPENDENCY_OF: ['prod', true],
  };
  let edges = 0;
  for (const r of relationships) {
    const kind = kinds[String(r.relationshipType)];
    if (!kind) continue;
    const a = ids.get(String(r.spdxElementId));
    const b = ids.get(String(r.relatedSpdxElement));
    if (!a || !b) continue;
    if (kind[1]) builder.edge(b, a, kind[0]);
    else builder.edge(a, b, kind[0]);
    edges++;
  }
  if (edges === 0) for (const id of ids.values()) builder.edge(rootId, id, 'prod');
  return builder.build();
}
