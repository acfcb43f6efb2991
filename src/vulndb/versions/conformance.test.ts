import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareVersionText } from './ecosystem-order.js';
import type { Ecosystem } from '../../core/package-ref.js';

const dir = resolve(import.meta.dirname, '../../../../shared/conformance/versions');

interface Vector {
  readonly line: number;
  readonly a: string;
  readonly op: '<' | '=' | '>';
  readonly b: string;
}

/** One comparison a line, `a < b`, `a = b` or `a > b`; `#` and `//` lines are comments. */
function readVectors(file: string): Vector[] {
  const vectors: Vector[] = [];
  readFileSync(resolve(dir, file), 'utf8')
    .split('\n')
    .forEach((text, index) => {
      const trimmed = text.trim();
      if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('//')) return;
      const match = /^(\S+) ([<=>]) (\S+)$/.exec(trimmed);
      if (!match) throw new Error(`${file}:${index + 1}: unreadable vector "${trimmed}"`);
      vectors.push({ line: index + 1, a: match[1]!, op: match[2] as Vector['op'], b: match[3]! });
    });
  return vectors;
}

function failures(ecosystem: Ecosystem, vectors: readonly Vector[]): string[] {
  const expected = { '<': -1, '=': 0, '>': 1 } as const;
  const bad: string[] = [];
  for (const v of vectors) {
    const forward = Math.sign(compareVersionText(ecosystem, v.a, v.b));
    const backward = Math.sign(compareVersionText(ecosystem, v.b, v.a));
    if (forward !== expected[v.op] || backward !== -expected[v.op])
      bad.push(`line ${v.line}: ${v.a} ${v.op} ${v.b} (got ${forward}/${backward})`);
  }
  return bad;
}

describe('version ordering conformance (../shared/conformance/versions)', () => {
  it('semver-versions.txt: every SemVer 2.0 precedence vector holds both ways', () => {
    const vectors = readVectors('semver-versions.txt');
    expect(vectors.length).toBeGreaterThan(80);
    expect(failures('npm', vectors)).toEqual([]);
  });

  it('pypi-versions.txt: every hand-written PEP 440 vector holds both ways', () => {
    const vectors = readVectors('pypi-versions.txt');
    expect(vectors.length).toBeGreaterThan(30);
    expect(failures('pypi', vectors)).toEqual([]);
  });

  it('pypi-versions-generated.txt: all ~12k comparisons from packaging hold both ways', () => {
    const vectors = readVectors('pypi-versions-generated.txt');
    expect(vectors.length).toBeGreaterThan(12_000);
    expect(failures('pypi', vectors)).toEqual([]);
  });
});
