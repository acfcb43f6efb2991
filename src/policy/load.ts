import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { AirlockError } from '../errors.js';
import { lineOf } from '../config/load.js';
import { compilePolicy, type CompiledPolicy } from './compile.js';
import { policyConfigSchema, type PolicyConfig } from './config.js';
import { policyRuleKeys, policyRulesSchema } from './rules-schema.js';

const maxPolicyBytes = 1024 * 1024;

/** Parses and validates a policy.yaml text; every error is POLICY_INVALID naming `source`, the line and the key. */
export function parsePolicy(text: string, source: string): CompiledPolicy {
  const { value, doc } = parseYaml(text, source);
  const result = policyRulesSchema.safeParse(value ?? {});
  if (!result.success) throw invalid(source, result.error, doc, text, []);
  return compilePolicy(result.data, source);
}

/** Reads and validates a policy file (at most 1 MiB). */
export function loadPolicyFile(file: string): CompiledPolicy {
  return parsePolicy(readPolicyText(file), file);
}

export interface ResolvePolicyOptions {
  /** The airlock.yaml the section came from; `policy.file` is relative to its directory. */
  readonly configFile?: string | undefined;
  readonly cwd?: string;
}

/** Turns the validated `policy:` config section into the policy to run: the inline rules or `policy.file`. */
export function resolvePolicy(section: PolicyConfig, options: ResolvePolicyOptions = {}): CompiledPolicy {
  const base = options.configFile
    ? dirname(resolve(options.cwd ?? '.', options.configFile))
    : (options.cwd ?? '.');
  if (section.file !== undefined) return loadPolicyFile(resolve(base, section.file));
  const { file: _file, ...rules } = section;
  return compilePolicy(rules, options.configFile ?? '(default)');
}

/**
 * Validates the policy of an airlock.yaml on its own (what `airlock policy check` runs), so policy
 * mistakes are POLICY_INVALID with the line in airlock.yaml, or in the policy file it references.
 */
export function loadPolicyFromConfigFile(configFile: string): CompiledPolicy {
  const text = readPolicyText(configFile);
  const { value, doc } = parseYaml(text, configFile);
  const raw =
    value !== null && typeof value === 'object' ? (value as Record<string, unknown>).policy : undefined;
  const result = policyConfigSchema.safeParse(raw ?? {});
  if (!result.success) throw invalid(configFile, result.error, doc, text, ['policy']);
  return resolvePolicy(result.data, { configFile });
}

function readPolicyText(file: string): string {
  try {
    const size = statSync(file).size;
    if (size > maxPolicyBytes) {
      throw new AirlockError('POLICY_INVALID', `${file}: the policy file is over ${maxPolicyBytes} bytes`);
    }
    return readFileSync(file, 'utf8');
  } catch (cause) {
    if (cause instanceof AirlockError) throw cause;
    throw new AirlockError(
      'POLICY_INVALID',
      `cannot read policy file ${file}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`,
      { cause },
    );
  }
}

function parseYaml(text: string, source: string): { value: unknown; doc: Document } {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const offset = first.pos[0];
    const line = first.linePos?.[0]?.line ?? text.slice(0, offset).split('\n').length;
    throw new AirlockError(
      'POLICY_INVALID',
      `${source}${line ? `:${line}` : ''}: invalid YAML: ${first.message.split('\n')[0]}`,
      { cause: first },
    );
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
    throw new AirlockError('POLICY_INVALID', `${source}: the policy must be a mapping of rule names`);
  }
  return { value, doc };
}

function invalid(
  source: string,
  error: z.ZodError,
  doc: Document,
  text: string,
  prefix: readonly string[],
): AirlockError {
  // An unknown key explains the other issues of its object (a misspelt key leaves its value missing).
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0];
  const path = (issue?.path ?? []).map((p) => (typeof p === 'number' ? p : String(p)));
  let keyPath = path;
  let message = issue?.message ?? 'invalid policy';
  if (issue?.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    keyPath = [...path, key];
    message =
      path.length === 0
        ? `unknown rule "${key}"; valid rules: ${(prefix.length ? ['file', ...policyRuleKeys] : policyRuleKeys).join(', ')}`
        : `unknown key "${key}"; valid keys: ${validKeysAt(path).join(', ')}`;
  }
  const fullPath = [...prefix, ...keyPath];
  const line = lineOf(doc, text, fullPath);
  const where = `${source}${line ? `:${line}` : ''}`;
  return new AirlockError('POLICY_INVALID', `${where}: ${fullPath.join('.') || '(top level)'}: ${message}`, {
    cause: error,
    details: { file: source, line, key: fullPath.join('.') },
  });
}

/** The keys of the object schema at `path` inside the policy schema (through arrays and shorthands). */
function validKeysAt(path: readonly (string | number)[]): string[] {
  let schema: z.ZodType = policyRulesSchema;
  for (const key of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject)
      schema = (schema.shape as Record<string, z.ZodType>)[String(key)] ?? schema;
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodOptional)
      current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) {
      current = (current.in instanceof z.ZodTransform ? current.out : current.in) as z.ZodType;
    } else return current;
  }
}
