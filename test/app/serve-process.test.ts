import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { request } from 'undici';
import { waitForLine } from '../../src/store/test-support/spawn-script.js';

const entry = join(import.meta.dirname, '../../src/cli/run.ts');
// Resolved here because the children run in temp directories where `tsx` is not resolvable.
const tsx = import.meta.resolve('tsx');

function airlock(args: string[], cwd: string) {
  const child = spawn(process.execPath, ['--import', tsx, entry, ...args], {
    cwd,
    env: { ...process.env, AIRLOCK_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exit, stderr: () => stderr };
}

describe('the airlock serve process', () => {
  it('prints where it listens and where its data lives, and shuts down on SIGTERM', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'airlock-serve-'));
    const run = airlock(['serve', '--port', '0', '--host', '127.0.0.1'], cwd);
    const line = await waitForLine(run.child, /Airlock listening on http:\/\/127\.0\.0\.1:\d+/);
    const url = /http:\/\/\S+/.exec(line)![0];
    const health = await request(`${url}/healthz`);
    expect(await health.body.json()).toEqual({ status: 'ok' });
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.stderr()).toContain('SIGTERM received, shutting down');
  });

  it('stops at start-up on a mistyped config key with one line naming it', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'airlock-serve-'));
    writeFileSync(join(cwd, 'airlock.yaml'), 'databse:\n  url: sqlite:x.db\n');
    const run = airlock(['serve', '--config', 'airlock.yaml'], cwd);
    expect(await run.exit).toBe(78);
    const lines = run.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^airlock: airlock\.yaml:1: unknown key "databse"; valid keys: .*database/);
  });

  it('airlock init writes a config that serve accepts', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'airlock-serve-'));
    const init = airlock(['init'], cwd);
    expect(await init.exit).toBe(0);
    const again = airlock(['init'], cwd);
    expect(await again.exit).toBe(2);
    expect(again.stderr()).toMatch(/already exists; pass --force/);
    const run = airlock(['serve', '--config', 'airlock.yaml', '--port', '0', '--host', '127.0.0.1'], cwd);
    await waitForLine(run.child, /Airlock listening on/);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });
});
