import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { AirlockError } from '../errors.js';
import type { DependencyGraph } from './graph.js';
import { detectParser, lockfileNames } from './lockfiles/detect.js';
import { asRecord, lockfileError, type LockfileInput } from './lockfiles/input.js';

/** Lockfiles and SBOMs larger than this are refused rather than read into memory. */
export const maxLockfileBytes = 256 * 1024 * 1024;

export interface ParseOptions {
  /** The name shown in messages and SARIF (defaults to the path). */
  readonly displayName?: string;
  /** Refuse inputs larger than this (default `maxLockfileBytes`). */
  readonly maxBytes?: number;
}

/**
 * Reads a lockfile or SBOM into a DependencyGraph, detecting its format. Give a path, or `{ file, text }`
 * for contents already in memory (then no package.json is read beside it unless `manifest` is given).
 */
export function parseLockfile(
  source: string | Pick<LockfileInput, 'file' | 'text' | 'manifest'>,
  options: ParseOptions = {},
): DependencyGraph {
  const limit = options.maxBytes ?? maxLockfileBytes;
  const input = typeof source === 'string' ? readLockfileInput(source, options, limit) : source;
  if (input.text.length > limit)
    throw lockfileError(input.file, `larger than ${limit} bytes; refusing to read it`);
  return detectParser(input)(input);
}

/** Finds the lockfile a project directory uses (the first of `lockfileNames` present). */
export function findLockfile(dir: string): string {
  for (const name of lockfileNames) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  throw new AirlockError('USAGE', `no lockfile in ${dir} (looked for ${lockfileNames.join(', ')})`);
}

/** A directory → its lockfile; a file → itself. */
export function resolveTarget(target: string, cwd: string): string {
  const path = resolve(cwd, target);
  let stat;
  try {
    stat = statSync(path);
  } catch (cause) {
    throw new AirlockError('USAGE', `${target}: no such file or directory`, { cause });
  }
  return stat.isDirectory() ? findLockfile(path) : path;
}

function readLockfileInput(path: string, options: ParseOptions, limit: number): LockfileInput {
  const file = options.displayName ?? path;
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > limit) throw lockfileError(file, `larger than ${limit} bytes; refusing to read it`);
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    if (cause instanceof AirlockError) throw cause;
    throw new AirlockError('USAGE', `cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  const dir = dirname(resolve(path));
  const inside = (rel: string): string | undefined => {
    const full = resolve(dir, rel);
    // Workspace paths come from the lockfile: never read outside the project directory.
    return full === dir || full.startsWith(dir + sep) ? full : undefined;
  };
  const readJson = (full: string | undefined) => {
    if (!full) return undefined;
    try {
      return asRecord(JSON.parse(readFileSync(full, 'utf8')));
    } catch {
      return undefined;
    }
  };
  const manifest = readJson(join(dir, 'package.json')) ?? readPyproject(dir);
  return {
    file,
    text,
    ...(manifest ? { manifest } : {}),
    readSibling: (rel) => {
      const full = inside(rel);
      if (!full) return undefined;
      try {
        return statSync(full).size > limit ? undefined : readFileSync(full, 'utf8');
      } catch {
        return undefined;
      }
    },
    readMember: (rel) => {
      const full = inside(rel);
      return full ? readJson(join(full, 'package.json')) : undefined;
    },
    listDir: (rel) => {
      const full = inside(rel);
      if (!full) return [];
      try {
        return readdirSync(full, { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => d.name)
          .sort();
      } catch {
        return [];
      }
    },
  };
}

// Python projects name themselves in pyproject.toml; the Python parsers read it through `manifest.pyproject`.
function readPyproject(dir: string): Record<string, unknown> | undefined {
  const path = join(dir, 'pyproject.toml');
  if (!existsSync(path)) return undefined;
  return { pyprojectText: readFileSync(path, 'utf8') };
}

/** `path` relative to `cwd` with forward slashes, for SARIF artifact URIs. */
export function relativeUri(path: string, cwd: string): string {
  return relative(cwd, path).split(sep).join('/');
}
