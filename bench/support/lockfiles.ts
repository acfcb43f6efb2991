/**
 * The real lockfiles the benchmarks read: explicitly named popular packages, resolved once by the real npm
 * (`npm install --package-lock-only`) into .cache/sbom-bench/<case>/ and reused.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
export const lockfileCache = join(root, '.cache/sbom-bench');

// Explicitly named popular packages; `npm install --package-lock-only` with the real npm resolves them.
export const lockfileCases = [
  { name: 'small', packages: ['express@4'] },
  {
    name: 'medium',
    packages: [
      'jest@29',
      'eslint@8',
      'webpack@5',
      'webpack-cli@5',
      'webpack-dev-server@5',
      '@babel/core@7',
      '@babel/preset-env@7',
      'typescript@5',
      'mocha@10',
      'vite@5',
      'nodemon@3',
      'express@4',
      'sass@1',
      'postcss@8',
    ],
  },
  {
    name: 'large',
    packages: [
      'react-scripts@5',
      '@storybook/react@7',
      'next@14',
      '@angular/cli@17',
      '@nestjs/cli@10',
      'firebase-tools@13',
    ],
  },
];

/** The project directory holding the case's package-lock.json, resolving it first when missing. */
export function ensureLockfile(name: string, packages: readonly string[]): string {
  const dir = join(lockfileCache, name);
  const lock = join(dir, 'package-lock.json');
  if (existsSync(lock)) return dir;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `bench-${name}`, version: '1.0.0', private: true }),
  );
  const r = spawnSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund', ...packages], {
    cwd: dir,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`npm could not resolve ${packages.join(' ')}`);
  return dir;
}
