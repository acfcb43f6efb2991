import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type AirlockApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';

let app: AirlockApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  let value = await probe();
  for (let i = 0; i < 100 && !ok(value); i++) {
    await sleep(50);
    value = await probe();
  }
  return value;
}

describe('policy reload', () => {
  it('keeps the last good policy when the file turns bad, reports it on /readyz, and takes the next good one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-policy-reload-'));
    const configFile = join(dir, 'airlock.yaml');
    writeFileSync(
      configFile,
      `dataDir: ${join(dir, 'data')}\nserver:\n  port: 0\n  host: 127.0.0.1\npolicy:\n  file: policy.yaml\n`,
    );
    writeFileSync(join(dir, 'policy.yaml'), 'minReleaseAge: 3d\n');
    app = await createApp(loadConfig({ file: configFile }), {
      configFile,
      cwd: dir,
      policyWatchIntervalMs: 20,
      logger: pino({ level: 'silent' }),
    });
    const url = (await app.listen()).replace('localhost', '127.0.0.1');
    const ready = async () => {
      const r = await request(`${url}/readyz`);
      return { status: r.statusCode, body: (await r.body.json()) as { checks: Record<string, string> } };
    };
    expect((await ready()).status).toBe(200);
    const first = app.gate.policy.digest;

    writeFileSync(join(dir, 'policy.yaml'), 'minReleaseAge: banana\n');
    const broken = await until(ready, (r) => r.status === 503);
    expect(broken.status).toBe(503);
    expect(broken.body.checks.policy).toMatch(/policy\.yaml:1/);
    expect(app.gate.policy.digest).toBe(first);

    writeFileSync(join(dir, 'policy.yaml'), 'minReleaseAge: 5d\n');
    const healed = await until(ready, (r) => r.status === 200);
    expect(healed.status).toBe(200);
    expect(app.gate.policy.digest).not.toBe(first);
  });
});
