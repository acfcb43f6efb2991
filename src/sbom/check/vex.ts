import { AirlockError } from '../../errors.js';
import { asRecord, asString, parseJsonStrict } from '../lockfiles/input.js';
import { purlBase } from '../purl.js';

/** One not_affected (or other) statement from a VEX document, reduced to what matching needs. */
export interface VexStatement {
  readonly vulnerability: readonly string[];
  /** Product purls; a purl without a version covers every version. */
  readonly products: readonly string[];
  readonly status: string;
  readonly justification?: string;
  readonly detail?: string;
  readonly source: 'openvex' | 'cyclonedx';
}

export interface VexDocument {
  readonly file: string;
  readonly statements: readonly VexStatement[];
  /** not_affected statements ignored because they gave no justification. */
  readonly ignored: number;
}

function vexError(file: string, message: string): AirlockError {
  return new AirlockError('SBOM_INVALID', `${file}: ${message}`, { details: { file } });
}

/** Reads OpenVEX (v0.x) or CycloneDX VEX (`vulnerabilities[].analysis`) JSON. */
export function parseVex(file: string, text: string): VexDocument {
  const doc = asRecord(parseJsonStrict(file, text));
  if (!doc) throw vexError(file, 'VEX document is not a JSON object');
  if (typeof doc['@context'] === 'string' && doc['@context'].includes('openvex')) return openVex(file, doc);
  if (doc.bomFormat === 'CycloneDX') return cyclonedxVex(file, doc);
  throw vexError(file, 'not an OpenVEX (@context openvex) or CycloneDX VEX (bomFormat) document');
}

function openVex(file: string, doc: Record<string, unknown>): VexDocument {
  const statements: VexStatement[] = [];
  let ignored = 0;
  for (const raw of Array.isArray(doc.statements) ? doc.statements : []) {
    const s = asRecord(raw);
    if (!s) continue;
    const v = s.vulnerability;
    const vr = asRecord(v);
    const ids = [
      asString(v),
      asString(vr?.name),
      asString(vr?.['@id']),
      ...(Array.isArray(vr?.aliases) ? vr.aliases.map(String) : []),
    ].filter((x): x is string => typeof x === 'string' && x.length > 0);
    const products = (Array.isArray(s.products) ? s.products : []).flatMap((p) => {
      const pr = asRecord(p);
      const idents = asRecord(pr?.identifiers);
      return [asString(p), asString(pr?.['@id']), asString(idents?.purl)].filter(
        (x): x is string => !!x && x.startsWith('pkg:'),
      );
    });
    const status = asString(s.status) ?? '';
    const justification =
      asString(s.justification) ?? (asString(s.impact_statement) ? 'impact_statement' : undefined);
    if (status === 'not_affected' && !justification) {
      ignored++;
      continue;
    }
    statements.push({
      vulnerability: ids,
      products,
      status,
      ...(justification ? { justification } : {}),
      ...(asString(s.impact_statement) ? { detail: asString(s.impact_statement) } : {}),
      source: 'openvex',
    });
  }
  return { file, statements, ignored };
}

function cyclonedxVex(file: string, doc: Record<string, unknown>): VexDocument {
  const refs = new Map<string, string>();
  const walk = (list: unknown) => {
    for (const c of Array.isArray(list) ? list : []) {
      const r = asRecord(c);
      if (r && typeof r['bom-ref'] === 'string' && typeof r.purl === 'string') refs.set(r['bom-ref'], r.purl);
      walk(r?.components);
    }
  };
  walk(doc.components);
  const statements: VexStatement[] = [];
  let ignored = 0;
  for (const raw of Array.isArray(doc.vulnerabilities) ? doc.vulnerabilities : []) {
    const v = asRecord(raw);
    const analysis = asRecord(v?.analysis);
    if (!v || !analysis) continue;
    const ids = [
      asString(v.id),
      ...(Array.isArray(v.references) ? v.references.map((r) => asString(asRecord(r)?.id)) : []),
    ].filter((x): x is string => !!x);
    const products = (Array.isArray(v.affects) ? v.affects : [])
      .map((a) => asString(asRecord(a)?.ref))
      .filter((x): x is string => !!x)
      .map((ref) => (ref.startsWith('pkg:') ? ref : (refs.get(ref) ?? ref)))
      .filter((p) => p.startsWith('pkg:'));
    const status = asString(analysis.state) ?? '';
    const justification = asString(analysis.justification);
    if (status === 'not_affected' && !justification) {
      ignored++;
      continue;
    }
    statements.push({
      vulnerability: ids,
      products,
      status,
      ...(justification ? { justification } : {}),
      ...(asString(analysis.detail) ? { detail: asString(analysis.detail) } : {}),
      source: 'cyclonedx',
    });
  }
  return { file, statements, ignored };
}

/** The not_affected statement covering this advisory on this component, if any. */
export function findSuppression(
  vex: readonly VexDocument[],
  purl: string,
  advisoryIds: readonly string[],
): (VexStatement & { file: string }) | undefined {
  const ids = new Set(advisoryIds.map((id) => id.toUpperCase()));
  const exact = purlBase(purl);
  const anyVersion = purlBase(purl, false);
  for (const doc of vex) {
    for (const s of doc.statements) {
      if (s.status !== 'not_affected') continue;
      if (!s.vulnerability.some((v) => ids.has(v.toUpperCase()))) continue;
      const covers = s.products.some((p) => {
        const base = purlBase(p);
        return base === exact || (base === purlBase(p, false) && base === anyVersion);
      });
      if (covers) return { ...s, file: doc.file };
    }
  }
  return undefined;
}
