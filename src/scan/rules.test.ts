import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from './rules.js';

describe('rule catalogue', () => {
  it('documents every rule with its severity and weight in docs/scan-rules.md', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'scan-rules.md'), 'utf8');
    for (const [id, rule] of Object.entries(rules))
      expect(doc, id).toContain(`| \`${id}\` | ${rule.severity} | ${rule.weight} | ${rule.why} |`);
  });
});
