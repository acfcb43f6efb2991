import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestDatabase } from '../../store/test-support/databases.js';

/** Writes an airlock.yaml in a fresh temp directory pointing at a test database; returns its path. */
export function writeConfigFor(test: Pick<TestDatabase, 'url' | 'schema'>): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-cli-'));
  const lines = ['dataDir: ./data', 'database:', `  url: ${JSON.stringify(test.url)}`];
  if (test.schema) lines.push(`  schema: ${test.schema}`);
  const file = join(dir, 'airlock.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { dir, file };
}
