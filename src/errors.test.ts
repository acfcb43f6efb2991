import { describe, expect, it } from 'vitest';
import { AirlockError, errorCatalogue, isAirlockError } from './errors.js';

describe('AirlockError', () => {
  it('maps every code to an HTTP status and a non-zero exit code', () => {
    for (const [code, entry] of Object.entries(errorCatalogue)) {
      expect(entry.status, code).toBeGreaterThanOrEqual(400);
      expect(entry.exitCode, code).toBeGreaterThan(0);
    }
  });

  it('keeps the cause and code', () => {
    const cause = new Error('inner');
    const error = new AirlockError('NOT_FOUND', 'no such package', { cause });
    expect(error.cause).toBe(cause);
    expect(error.status).toBe(404);
    expect(isAirlockError(error, 'NOT_FOUND')).toBe(true);
    expect(isAirlockError(error, 'CONFLICT')).toBe(false);
  });

  it('documents every code in docs/errors.md', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
    for (const code of Object.keys(errorCatalogue)) expect(doc, code).toContain(`\`${code}\``);
  });
});
