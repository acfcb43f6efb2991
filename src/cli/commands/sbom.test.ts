import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../main.js';
import { captureContext } from '../test-support/capture-context.js';
import { cycloneDxErrors, spdxErrors } from '../../sbom/test-support/schemas.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function airlock(...args: string[]) {
  const ctx = captureContext(process.cwd());
  const code = await runCli(['node', 'airlock', ...args], ctx);
  return { code, out: ctx.out(), err: ctx.err() };
}

describe('airlock sbom', () => {
  it('finds the lockfile in a directory and prints a valid CycloneDX 1.6 SBOM', async () => {
    const r = await airlock('sbom', 'test/fixtures/sbom/pnpm-v6');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { specVersion: string; components: unknown[] };
    expect(doc.specVersion).toBe('1.6');
    expect(doc.components).toHaveLength(19);
    expect(await cycloneDxErrors(doc)).toBeNull();
  });

  it('writes SPDX 2.3 to -o', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-sbom-'));
    dirs.push(dir);
    const out = join(dir, 'bom.spdx.json');
    const r = await airlock('sbom', 'test/fixtures/sbom/yarn-berry/yarn.lock', '--format', 'spdx', '-o', out);
    expect(r).toMatchObject({ code: 0, out: '' });
    expect(r.err).toBe(`Wrote spdx SBOM with 18 components to ${out}.\n`);
    expect(spdxErrors(JSON.parse(readFileSync(out, 'utf8')))).toBeNull();
  });

  it('fails with one line for a directory without a lockfile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-sbom-'));
    dirs.push(dir);
    const r = await airlock('sbom', dir);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^airlock: no lockfile in .* \(looked for npm-shrinkwrap\.json, package-lock\.json/,
    );
  });
});
