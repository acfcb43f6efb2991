import { basename } from 'node:path';
import type { DependencyGraph } from '../graph.js';
import { parseSbom } from '../formats/sbom-input.js';
import { lockfileError, type LockfileInput } from './input.js';
import { parseNpmLock } from './npm-lock.js';
import { parsePnpmLock } from './pnpm-lock.js';
import { parseBunLock } from './bun-lock.js';
import { parsePipfileLock, parseRequirements } from './python-flat.js';
import { parsePoetryLock, parseUvLock } from './python-toml.js';
import { parseYarnBerry } from './yarn-berry.js';
import { parseYarnV1 } from './yarn-v1.js';

export type LockfileParser = (input: LockfileInput) => DependencyGraph;

/** Lockfile names Airlock looks for in a directory, in the order it prefers them. */
export const lockfileNames = [
  'npm-shrinkwrap.json',
  'package-lock.json',
  'pnpm-lock.yaml',
  'yarn.lock',
] as const;

const byName: Readonly<Record<string, LockfileParser>> = {
  'package-lock.json': parseNpmLock,
  'npm-shrinkwrap.json': parseNpmLock,
  'pnpm-lock.yaml': parsePnpmLock,
  'bun.lock': parseBunLock,
  'poetry.lock': parsePoetryLock,
  'uv.lock': parseUvLock,
  'Pipfile.lock': parsePipfileLock,
};

/** Picks the parser from the file name, falling back to the content for renamed files. */
export function detectParser(input: LockfileInput): LockfileParser {
  const name = basename(input.file);
  const head = input.text.slice(0, 4000);
  const named = Object.hasOwn(byName, name) ? byName[name] : undefined;
  if (named) return named;
  if (name === 'yarn.lock') return head.includes('__metadata:') ? parseYarnBerry : parseYarnV1;
  if (/^requirements.*\.txt$|\.requirements\.txt$/.test(name)) return parseRequirements;
  if (/^\s*\{/.test(head)) {
    if (/"bomFormat"\s*:\s*"CycloneDX"|"spdxVersion"\s*:/.test(input.text.slice(0, 100_000)))
      return parseSbom;
    if (/"_meta"\s*:/.test(head)) return parsePipfileLock;
    if (/"workspaces"\s*:\s*\{/.test(head) && /"lockfileVersion"\s*:\s*[01]\s*,/.test(head))
      return parseBunLock;
    if (/"lockfileVersion"\s*:/.test(head)) return parseNpmLock;
  }
  if (/^lockfileVersion:/m.test(head)) return parsePnpmLock;
  if (head.includes('__metadata:')) return parseYarnBerry;
  if (head.includes('# yarn lockfile v1')) return parseYarnV1;
  throw lockfileError(
    input.file,
    `not a lockfile or SBOM Airlock knows (${lockfileNames.join(', ')}, CycloneDX or SPDX JSON)`,
  );
}
