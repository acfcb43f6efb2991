import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureContext } from '../../src/cli/test-support/capture-context.js';

describe('airlock scan name@version (smoke, npm registry)', () => {
  it('smoke: fetches a version with its previous one and scans it clean', async () => {
    const ctx = captureContext(process.cwd(), {
      AIRLOCK_REGISTRY_UPSTREAM_URL: 'https://registry.npmjs.org/',
    });
    const code = await runCli(['node', 'airlock', 'scan', 'is-number@7.0.0', '--format', 'json'], ctx);
    expect(code).toBe(0);
    const result = JSON.parse(ctx.out()) as { package: string; version: string; verdict: string };
    expect(result).toMatchObject({ package: 'is-number', version: '7.0.0', verdict: 'clean' });
  });
});
