import { visit, printParseErrorCode, type ParseErrorCode } from 'jsonc-parser';
import { AirlockError } from '../../errors.js';
import { LineIndex } from './lines.js';

/** A lockfile's text plus what a parser may need from around it. */
export interface LockfileInput {
  /** The file name as the user gave it (messages, SARIF locations). */
  readonly file: string;
  readonly text: string;
  /** The project's manifest (package.json), when one sits beside the lockfile. */
  readonly manifest?: Readonly<Record<string, unknown>>;
  /** Reads a workspace member's package.json by its path relative to the lockfile; undefined if absent. */
  readonly readMember?: (relativeDir: string) => Readonly<Record<string, unknown>> | undefined;
  /** Reads another file beside the lockfile (requirements `-r` includes); undefined if absent or outside. */
  readonly readSibling?: (relativePath: string) => string | undefined;
  /** Lists the sub-directories of a directory relative to the lockfile (workspace globs). */
  readonly listDir?: (relativeDir: string) => readonly string[];
}

/** An input error that names the file and, when known, the line. */
export function lockfileError(file: string, message: string, line?: number, cause?: unknown): AirlockError {
  const where = line === undefined ? file : `${file}:${line}`;
  return new AirlockError('LOCKFILE_INVALID', `${where}: ${message}`, {
    cause,
    details: { file, ...(line === undefined ? {} : { line }) },
  });
}

/**
 * Parses JSON (or JSONC when `comments`) and rejects duplicate keys, which JSON.parse would silently
 * resolve to the last one and so hide a tampered entry.
 */
export function parseJsonStrict(file: string, text: string, options: { jsonc?: boolean } = {}): unknown {
  if (!options.jsonc) {
    // Fast path: JSON.parse, then a duplicate shows as fewer keys in the tree than in the text. Only a file
    // that fails either test pays for the visitor, which finds the line to name (4x slower on 2,000 entries).
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    if (value !== undefined && keysInTree(value) === keysInText(text)) return value;
  }
  const stack: Set<string>[] = [];
  let problem: { message: string; line: number } | undefined;
  visit(
    text,
    {
      onObjectBegin: () => {
        stack.push(new Set());
      },
      onObjectEnd: () => {
        stack.pop();
      },
      onObjectProperty: (property, _offset, _length, startLine) => {
        const keys = stack[stack.length - 1];
        if (!keys || problem) return;
        if (keys.has(property)) problem = { message: `duplicate key "${property}"`, line: startLine + 1 };
        keys.add(property);
      },
      onError: (error: ParseErrorCode, _offset, _length, startLine) => {
        problem ??= { message: `invalid JSON (${printParseErrorCode(error)})`, line: startLine + 1 };
      },
    },
    { allowTrailingComma: options.jsonc === true, disallowComments: options.jsonc !== true },
  );
  if (problem) throw lockfileError(file, problem.message, problem.line);
  if (options.jsonc) {
    // The visitor accepted it; strip what JSON.parse cannot read (comments, trailing commas).
    return JSON.parse(stripJsonc(text));
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    const at = /position (\d+)/.exec(String(cause));
    const line = at ? new LineIndex(text).lineOf(Number(at[1])) : undefined;
    throw lockfileError(file, 'invalid JSON', line, cause);
  }
}

/** Property keys of every object in a parsed JSON value. */
function keysInTree(value: unknown): number {
  let n = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (v === null || typeof v !== 'object') continue;
    const values: unknown[] = Array.isArray(v) ? v : Object.values(v);
    if (!Array.isArray(v)) n += values.length;
    for (const x of values) if (x !== null && typeof x === 'object') pending.push(x);
  }
  return n;
}

/** Property keys written in valid JSON text: strings followed by a colon. */
function keysInText(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== 34 /* " */) continue;
    let j = i + 1;
    for (; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === 92 /* \ */) j++;
      else if (c === 34) break;
    }
    let k = j + 1;
    for (let c = text.charCodeAt(k); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(k)) k++;
    if (text.charCodeAt(k) === 58 /* : */) n++;
    i = j;
  }
  return n;
}

function stripJsonc(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else if (c === ',') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j] ?? '')) j++;
      if (text[j] !== '}' && text[j] !== ']') out += c;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Narrows unknown JSON to a plain object, or undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Own string-valued entries of a JSON object (dependency maps); never walks the prototype. */
export function stringEntries(value: unknown): [string, string][] {
  const record = asRecord(value);
  if (!record) return [];
  return Object.keys(record)
    .filter((k) => typeof record[k] === 'string')
    .map((k) => [k, record[k] as string]);
}

/** The licence string of a manifest or lock entry (`license` or the legacy `{ type }` form). */
export function licenseOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim()) return value.trim();
  const type = asRecord(value)?.type;
  return typeof type === 'string' ? type : undefined;
}
