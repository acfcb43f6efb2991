import { readFileSync } from 'node:fs';
import { parseDocument, isMap, isSeq, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { AirlockError } from '../errors.js';
import { configSchema, type AirlockConfig } from './schema.js';
import { leafPaths, objectAt, unwrapSchema } from './zod-shape.js';

export interface LoadConfigOptions {
  /** Path of airlock.yaml; when absent no file is read and defaults apply. */
  readonly file?: string | undefined;
  /** Environment to read AIRLOCK_* overrides from. */
  readonly env?: NodeJS.ProcessEnv;
  /** Overrides applied last (CLI flags such as --port). */
  readonly overrides?: Record<string, unknown>;
}

/** Loads airlock.yaml (optional), applies AIRLOCK_* env overrides and CLI overrides, validates strictly. */
export function loadConfig(options: LoadConfigOptions = {}): Readonly<AirlockConfig> {
  const source = options.file ?? '(defaults)';
  let raw: Record<string, unknown> = {};
  let doc: Document | undefined;
  let text = '';
  if (options.file !== undefined) {
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (cause) {
      throw new AirlockError(
        'CONFIG_UNREADABLE',
        `cannot read config file ${options.file}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}; run \`airlock init\` to write one`,
        { cause },
      );
    }
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
    const firstError = doc.errors[0];
    if (firstError) {
      const line = firstError.linePos?.[0]?.line;
      throw new AirlockError(
        'CONFIG_INVALID',
        `${options.file}${line ? `:${line}` : ''}: invalid YAML: ${firstError.message.split('\n')[0]}`,
        { cause: firstError },
      );
    }
    const parsed: unknown = doc.toJS({ maxAliasCount: 100 });
    if (parsed !== null && parsed !== undefined) {
      if (typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new AirlockError('CONFIG_INVALID', `${options.file}: the top level must be a mapping of keys`);
      }
      raw = parsed as Record<string, unknown>;
    }
  }
  applyEnvOverrides(raw, options.env ?? {});
  for (const [path, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined) setPath(raw, path.split('.'), value);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new AirlockError('CONFIG_INVALID', formatConfigIssue(source, result.error.issues[0], doc, text), {
      cause: result.error,
    });
  }
  return deepFreeze(result.data);
}

/** Env var name for a config key path: server.publicUrl → AIRLOCK_SERVER_PUBLIC_URL. */
export function envNameFor(path: readonly string[]): string {
  return `AIRLOCK_${path.map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_')}`;
}

function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  for (const { path, schema } of leafPaths(configSchema)) {
    const value = env[envNameFor(path)];
    if (value === undefined || value === '') continue;
    setPath(raw, path, coerceEnvValue(value, schema));
  }
}

function coerceEnvValue(value: string, schema: z.ZodType): unknown {
  const type = unwrapSchema(schema).def.type;
  if (type === 'number' || type === 'boolean' || type === 'array') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') return;
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (last !== undefined && last !== '__proto__') node[last] = value;
}

function formatConfigIssue(
  source: string,
  issue: z.core.$ZodIssue | undefined,
  doc: Document | undefined,
  text: string,
): string {
  if (!issue) return `${source}: invalid configuration`;
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const fullPath = [...path, key].join('.');
    const valid = Object.keys(objectAt(configSchema, issue.path)?.shape ?? {}).join(', ');
    return `${where(source, doc, text, [...path, key])}: unknown key "${fullPath}"; valid keys${
      path.length ? ` under ${path.join('.')}` : ''
    }: ${valid}`;
  }
  return `${where(source, doc, text, path)}: ${path.join('.') || '(top level)'}: ${issue.message}`;
}

function where(source: string, doc: Document | undefined, text: string, path: readonly string[]): string {
  if (!doc) return source;
  const line = lineOf(doc, text, path);
  return line ? `${source}:${line}` : source;
}

/** 1-based line of the key at `path` in a parsed YAML document. */
export function lineOf(doc: Document, text: string, path: readonly (string | number)[]): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0];
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as Node | undefined;
      offset = item?.range?.[0];
      node = item;
    } else break;
  }
  if (offset === undefined) return undefined;
  return text.slice(0, offset).split('\n').length;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
