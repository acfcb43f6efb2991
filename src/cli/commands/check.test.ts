import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { captureContext } from '../test-support/capture-context.js';
import { checkCommand, type CheckSourceProvider } from './check.js';
import { fixtureMatcher } from '../../sbom/test-support/fake-matcher.js';
import { sarifErrors } from '../../sbom/test-support/schemas.js';
import { runCli } from '../main.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const fake: CheckSourceProvider = async (_ctx, _options, fn) => fn({ matcher: fixtureMatcher(), notes: [] });
const cwd = process.cwd();
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// The same edge runCli is (usage errors → 2), with the check command given a fake matcher.
async function airlockCheck(...args: string[]) {
  const ctx = captureContext(cwd);
  let code = 0;
  const program = new Command('airlock')
    .exitOverride()
    .configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr });
  checkCommand(fake)(program, { ...ctx, setExitCode: (c) => (code = c) });
  try {
    await program.parseAsync(['node', 'airlock', 'check', ...args]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode === 0 ? 0 : 2;
  }
  return { code, out: ctx.out(), err: ctx.err() };
}

describe('airlock check', () => {
  it('exits 1 with findings at the threshold and prints them grouped with fix and path', async () => {
    const r = await airlockCheck('test/fixtures/sbom/npm-v3');
    expect(r.code).toBe(1);
    expect(r.out).toContain('HIGH (2)');
    expect(r.out).toContain(
      '  debug@4.3.4  GHSA-9vvw-cc9w-f27h  debug: regular expression denial of service',
    );
    expect(r.out).toContain('    fixed in: 4.3.5');
    expect(r.out).toContain('    path: fixture-root@1.2.3 > semver@7.6.0 (dev)');
    expect(r.out).toContain('    at: test/fixtures/sbom/npm-v3/package-lock.json:68');
    expect(r.out).toMatch(/FAIL: 2 high, 1 moderate \(threshold high\)\.\n$/);
  });

  it('exits 0 when everything is below --fail-on', async () => {
    const r = await airlockCheck(
      'test/fixtures/sbom/pnpm-v9/pnpm-lock.yaml',
      '--fail-on',
      'critical',
      '--format',
      'json',
    );
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { failed: boolean; target: string; findings: { location: unknown }[] };
    expect(json.failed).toBe(false);
    expect(json.target).toBe('test/fixtures/sbom/pnpm-v9/pnpm-lock.yaml');
    expect(json.findings[0]?.location).toEqual({
      file: 'test/fixtures/sbom/pnpm-v9/pnpm-lock.yaml',
      line: 67,
    });
  });

  it('writes SARIF that validates, with VEX suppressions marked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-check-'));
    dirs.push(dir);
    const vex = join(dir, 'vex.json');
    writeFileSync(
      vex,
      JSON.stringify({
        '@context': 'https://openvex.dev/ns/v0.2.0',
        statements: [
          {
            vulnerability: 'GHSA-9vvw-cc9w-f27h',
            products: ['pkg:npm/debug@4.3.4'],
            status: 'not_affected',
            impact_statement: 'never called',
          },
        ],
      }),
    );
    const out = join(dir, 'out.sarif');
    const r = await airlockCheck('test/fixtures/sbom/yarn-v1', '--format', 'sarif', '--vex', vex, '-o', out);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(readFileSync(out, 'utf8')) as {
      runs: { results: { suppressions?: unknown[] }[] }[];
    };
    expect(sarifErrors(sarif)).toBeNull();
    expect(sarif.runs[0]?.results.filter((x) => x.suppressions)).toHaveLength(1);
  });

  it('exits 2 for a missing target, a broken lockfile or a bad option', async () => {
    const missing = await airlockCheck('no/such/dir');
    expect(missing).toMatchObject({ code: 2, err: 'airlock: no/such/dir: no such file or directory\n' });
    const dir = mkdtempSync(join(tmpdir(), 'airlock-check-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'package-lock.json'), '{\n  "lockfileVersion": 3,\n  "packages": {\n');
    const broken = await airlockCheck(dir);
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(/package-lock\.json:4: invalid JSON/);
    expect((await airlockCheck('.', '--fail-on', 'severe')).code).toBe(2);
  });

  it('--server asks POST /api/v1/gate/check with the token and fails on a rejected version', async () => {
    const seen: { auth?: string; count: number }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const { components } = JSON.parse(body) as {
          components: { ecosystem: string; name: string; version: string }[];
        };
        seen.push({ auth: req.headers.authorization, count: components.length });
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            results: components.map((c) => ({
              ...c,
              state: c.name === 'yallist' ? 'rejected' : 'approved',
              reasons: ['install script'],
            })),
          }),
        );
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const ctx = captureContext(cwd, { AIRLOCK_TOKEN: 'airlock_test' });
      let code = 0;
      const program = new Command('airlock').exitOverride();
      checkCommand(fake)(program, { ...ctx, setExitCode: (c) => (code = c) });
      await program.parseAsync([
        'node',
        'airlock',
        'check',
        'test/fixtures/sbom/pnpm-v5',
        '--server',
        url,
        '--fail-on',
        'critical',
      ]);
      expect(seen).toEqual([{ auth: 'Bearer airlock_test', count: 14 }]);
      expect(code).toBe(1);
      expect(ctx.out()).toContain(
        '  yallist@4.0.0  gate-rejected  yallist@4.0.0 is rejected on the Airlock server: install script',
      );
      expect(ctx.out()).toContain('Airlock server: 13 approved, 1 rejected.');
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });

  it('exits 2 when the server cannot be reached', async () => {
    const r = await airlockCheck('test/fixtures/sbom/npm-v3', '--server', 'http://127.0.0.1:9');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^airlock: cannot reach Airlock at http:\/\/127\.0\.0\.1:9/);
  });

  it('is registered in the real CLI and says when no vulnerability database is wired', async () => {
    const ctx = captureContext(cwd);
    const code = await runCli(
      ['node', 'airlock', 'check', 'test/fixtures/sbom/npm-v2', '--format', 'json'],
      ctx,
    );
    expect(code).toBe(0);
    expect(ctx.err()).toContain('known vulnerabilities were NOT checked');
  });
});
