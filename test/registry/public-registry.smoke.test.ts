import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, runClient } from '../support/clients.js';
import { startAirlock, type RunningAirlock } from '../support/airlock-server.js';

// The registry reached from here is a mirror whose `time` values are not real publish times, so the
// cooldown is off for this smoke test; everything else is the default policy.
let airlock: RunningAirlock;
beforeAll(async () => {
  airlock = await startAirlock('https://registry.npmjs.org/', { 'policy.minReleaseAge': 0 });
});
afterAll(() => airlock.close());

describe('smoke: the real public npm registry through Airlock', () => {
  it('installs two real small packages with npm', async () => {
    const dir = makeProject(`${airlock.url}/npm/`, { 'is-number': '7.0.0', ms: '^2.1.3' });
    const result = await runClient('npm', ['install'], dir, 180_000);
    expect(result.code, result.stderr).toBe(0);
    const version = (name: string) =>
      (
        JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version;
    expect(version('is-number')).toBe('7.0.0');
    expect(version('ms')).toMatch(/^2\./);
    const status = await airlock.app.gate.store.version({
      ecosystem: 'npm',
      name: 'is-number',
      version: '7.0.0',
    });
    expect(status?.state).toBe('approved');
    expect(status?.blobIntegrity).toMatch(/^sha512-/);
  });
});
