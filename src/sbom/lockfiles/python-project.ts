import { parse } from 'smol-toml';
import type { ComponentInput } from '../graph-builder.js';
import { normalizePypiName } from '../purl.js';
import { asRecord, asString, type LockfileInput } from './input.js';

/** The project's own name and version from pyproject.toml (PEP 621 `[project]` or `[tool.poetry]`). */
export function pythonRoot(input: LockfileInput): ComponentInput {
  const project = pyproject(input);
  const p = asRecord(project?.project);
  const poetry = asRecord(asRecord(project?.tool)?.poetry);
  const name = asString(p?.name) ?? asString(poetry?.name) ?? 'project';
  return {
    ecosystem: 'pypi',
    name: normalizePypiName(name),
    version: asString(p?.version) ?? asString(poetry?.version) ?? '',
  };
}

/** pyproject.toml parsed, when the loader found one beside the lockfile; a broken one is ignored. */
export function pyproject(input: LockfileInput): Record<string, unknown> | undefined {
  const text = input.manifest?.pyprojectText;
  if (typeof text !== 'string') return undefined;
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}
