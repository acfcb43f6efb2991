import { lockfileError } from './input.js';

/** One top-level block of a yarn v1 lockfile: the specs it answers and its fields. */
export interface YarnV1Entry {
  readonly specs: readonly string[];
  readonly line: number;
  readonly fields: Map<string, string>;
  readonly blocks: Map<string, Map<string, string>>;
}

/**
 * Reads the yarn v1 lockfile syntax (an indentation-based format of its own, neither YAML nor JSON):
 * `"spec", spec:` headers, `  key value` fields and `  key:` blocks of `    name "range"` lines.
 */
export function readYarnV1(file: string, text: string): YarnV1Entry[] {
  const entries: YarnV1Entry[] = [];
  const seen = new Set<string>();
  let current: YarnV1Entry | undefined;
  let block: Map<string, string> | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').replace(/\r$/, '');
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const indent = raw.length - raw.trimStart().length;
    const content = raw.trim();
    if (indent === 0) {
      if (!content.endsWith(':')) throw lockfileError(file, `expected an entry header ending in ":"`, i + 1);
      const specs = splitSpecs(content.slice(0, -1), file, i + 1);
      for (const spec of specs) {
        if (seen.has(spec)) throw lockfileError(file, `duplicate entry for "${spec}"`, i + 1);
        seen.add(spec);
      }
      current = { specs, line: i + 1, fields: new Map(), blocks: new Map() };
      entries.push(current);
      block = undefined;
    } else if (!current) {
      throw lockfileError(file, 'indented line outside an entry', i + 1);
    } else if (indent === 2) {
      if (content.endsWith(':')) {
        block = new Map();
        current.blocks.set(unquote(content.slice(0, -1), file, i + 1), block);
      } else {
        const [key, value] = keyValue(content, file, i + 1);
        if (current.fields.has(key)) throw lockfileError(file, `duplicate field "${key}"`, i + 1);
        current.fields.set(key, value);
        block = undefined;
      }
    } else if (indent === 4 && block) {
      const [key, value] = keyValue(content, file, i + 1);
      block.set(key, value);
    } else {
      throw lockfileError(file, `unexpected indentation of ${indent} spaces`, i + 1);
    }
  }
  return entries;
}

function splitSpecs(header: string, file: string, line: number): string[] {
  const specs: string[] = [];
  let rest = header.trim();
  while (rest.length > 0) {
    let spec: string;
    if (rest.startsWith('"')) {
      const end = closingQuote(rest);
      if (end < 0) throw lockfileError(file, 'unterminated quoted spec', line);
      spec = unquote(rest.slice(0, end + 1), file, line);
      rest = rest.slice(end + 1).trim();
    } else {
      const comma = rest.indexOf(',');
      spec = (comma < 0 ? rest : rest.slice(0, comma)).trim();
      rest = comma < 0 ? '' : rest.slice(comma);
    }
    specs.push(spec);
    if (rest.startsWith(',')) rest = rest.slice(1).trim();
    else if (rest.length > 0) throw lockfileError(file, `unexpected text "${rest}" in entry header`, line);
  }
  return specs;
}

function keyValue(content: string, file: string, line: number): [string, string] {
  let key: string;
  let rest: string;
  if (content.startsWith('"')) {
    const end = closingQuote(content);
    if (end < 0) throw lockfileError(file, 'unterminated quoted key', line);
    key = unquote(content.slice(0, end + 1), file, line);
    rest = content.slice(end + 1).trim();
  } else {
    const space = content.indexOf(' ');
    if (space < 0) throw lockfileError(file, `field "${content}" has no value`, line);
    key = content.slice(0, space);
    rest = content.slice(space + 1).trim();
  }
  return [key, unquote(rest, file, line)];
}

function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

function unquote(value: string, file: string, line: number): string {
  if (!value.startsWith('"')) return value;
  try {
    return JSON.parse(value) as string;
  } catch (cause) {
    throw lockfileError(file, `bad quoted string ${value}`, line, cause);
  }
}
