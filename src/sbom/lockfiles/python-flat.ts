import { GraphBuilder } from '../graph-builder.js';
import type { ComponentHash, DependencyGraph, EdgeKind } from '../graph.js';
import { hashFromPrefixedHex } from '../integrity.js';
import { normalizePypiName } from '../purl.js';
import { asRecord, asString, lockfileError, parseJsonStrict, type LockfileInput } from './input.js';
import { keyLines } from './lines.js';
import { pythonRoot } from './python-project.js';

const maxIncludeDepth = 8;

/**
 * `requirements.txt`: `name==version` pins with `--hash` options, environment markers, line continuations
 * and `-r` includes. Unpinned lines cannot name an exact version, so they are reported and left out.
 */
export function parseRequirements(input: LockfileInput): DependencyGraph {
  const builder = new GraphBuilder('requirements', input.file);
  const rootId = builder.setRoot(pythonRoot(input));
  const seen = new Set<string>();
  const read = (file: string, text: string, depth: number) => {
    if (seen.has(file)) return;
    seen.add(file);
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const start = i + 1;
      let line = (lines[i] ?? '').replace(/\r$/, '');
      while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + ' ' + (lines[++i] ?? '');
      line = line.replace(/(^|\s)#.*$/, '').trim();
      if (!line) continue;
      const include = /^(-r|--requirement|-c|--constraint)\s*=?\s*(\S+)$/.exec(line);
      if (include) {
        const target = include[2] ?? '';
        if (include[1] === '-c' || include[1] === '--constraint') continue;
        const nested = depth < maxIncludeDepth ? input.readSibling?.(target) : undefined;
        if (nested === undefined) builder.warn(`${file}:${start}: cannot read included ${target}`);
        else read(target, nested, depth + 1);
        continue;
      }
      if (line.startsWith('-')) continue; // --index-url, -e, --hash alone, --no-binary …
      const hashes: ComponentHash[] = [];
      for (const m of line.matchAll(/--hash[=\s]+(\S+)/g)) {
        const h = hashFromPrefixedHex(m[1]);
        if (h) hashes.push(h);
      }
      const requirement =
        line
          .replace(/\s--\S+(?:[=\s]+\S+)?/g, '')
          .split(';')[0]
          ?.trim() ?? '';
      const pinned = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*===?\s*([^\s,;]+)$/.exec(requirement);
      const direct = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*@\s*(\S+)$/.exec(requirement);
      if (pinned) {
        const id = builder.add({
          ecosystem: 'pypi',
          name: normalizePypiName(pinned[1] ?? ''),
          version: pinned[2] ?? '',
          hashes,
          location: { file, line: start },
        });
        builder.edge(rootId, id, 'prod');
      } else if (direct) {
        const url = direct[2] ?? '';
        const id = builder.add({
          ecosystem: 'pypi',
          name: normalizePypiName(direct[1] ?? ''),
          version: '',
          hashes,
          source: {
            kind: url.startsWith('git+') ? 'git' : url.startsWith('file:') ? 'file' : 'tarball',
            url,
          },
          location: { file, line: start },
        });
        builder.edge(rootId, id, 'prod');
      } else {
        builder.warn(`${file}:${start}: "${requirement}" is not pinned to one version; left out`);
      }
    }
  };
  read(input.file, input.text, 0);
  return builder.build();
}

/** `Pipfile.lock` (pipenv): `default` and `develop` sections, each package pinned with `==` and hashes. */
export function parsePipfileLock(input: LockfileInput): DependencyGraph {
  const doc = asRecord(parseJsonStrict(input.file, input.text));
  const meta = asRecord(doc?._meta);
  if (!doc || !meta) throw lockfileError(input.file, 'not a Pipfile.lock (no _meta)');
  const spec = meta['pipfile-spec'];
  if (spec !== undefined && spec !== 6)
    throw lockfileError(input.file, `unknown pipfile-spec ${JSON.stringify(spec)} (Airlock reads 6)`);
  const builder = new GraphBuilder('pipfile', input.file);
  const rootId = builder.setRoot(pythonRoot(input));
  const lines = keyLines(input.text, /^ {8}"([^"]+)": \{/);
  // Pipfile.lock is flat: it pins every package but records no edges between them.
  for (const [section, kind] of [
    ['default', 'prod'],
    ['develop', 'dev'],
  ] as const satisfies readonly (readonly [string, EdgeKind])[]) {
    const packages = asRecord(doc[section]) ?? {};
    for (const name of Object.keys(packages)) {
      const p = asRecord(packages[name]) ?? {};
      const version = asString(p.version)?.replace(/^===?/, '') ?? '';
      const git = asString(p.git);
      const path = asString(p.path) ?? asString(p.file);
      const hashes = (Array.isArray(p.hashes) ? p.hashes : [])
        .map(hashFromPrefixedHex)
        .filter((h): h is ComponentHash => !!h);
      const line = lines.get(name);
      const id = builder.add({
        ecosystem: 'pypi',
        name: normalizePypiName(name),
        version,
        hashes,
        ...(git
          ? { source: { kind: 'git' as const, url: `${git}${asString(p.ref) ? `@${asString(p.ref)}` : ''}` } }
          : {}),
        ...(!git && path
          ? { source: { kind: p.editable === true ? ('link' as const) : ('file' as const), url: path } }
          : {}),
        ...(line ? { location: { file: input.file, line } } : {}),
      });
      builder.edge(rootId, id, kind);
    }
  }
  return builder.build();
}
