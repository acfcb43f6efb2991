import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli } from '../../src/cli/main.js';
import { captureContext } from '../../src/cli/test-support/capture-context.js';
import { makeTar } from '../../src/scan/tarball/write-tar.js';
import { tarballFromDirectory } from '../../src/scan/test-support/make-tarball.js';

const corpus = join(import.meta.dirname, '..', 'fixtures', 'scan');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'airlock-scan-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ScanJson {
  package: string;
  version: string;
  verdict: string;
  score: number;
  findings: {
    analyzer: string;
    rule: string;
    severity: string;
    message: string;
    file?: string;
    line?: number;
  }[];
}

async function scan(target: string, ...extra: string[]) {
  const ctx = captureContext(dir);
  let exit = 0;
  const code = await runCli(['node', 'airlock', 'scan', target, ...extra], {
    ...ctx,
    setExitCode: (c) => (exit = c),
  });
  return { code: code || exit, out: ctx.out(), err: ctx.err() };
}

async function scanJson(tarball: Uint8Array, name: string): Promise<ScanJson> {
  const file = join(dir, `${name}.tgz`);
  writeFileSync(file, tarball);
  const { out } = await scan(file, '--format', 'json', '--fail-on', 'never');
  return JSON.parse(out) as ScanJson;
}

/** The rules each reconstruction must trip, beyond its verdict. */
const expected: Record<string, string[]> = {
  'event-stream': ['decode-and-execute', 'module-compile'],
  'ua-parser-js': ['shell-download-exec', 'install-time-execution-chain'],
  coa: ['obfuscated-code', 'shell-download-exec', 'install-time-execution-chain'],
  'node-ipc': ['geo-targeting', 'destructive-fs', 'protestware-chain'],
  'chalk-debug-clipper': ['wallet-hook', 'network-hook', 'crypto-addresses', 'clipper-chain'],
  'shai-hulud': ['self-propagation', 'exfil-endpoint', 'install-time-exfiltration', 'github-exfil'],
  'nx-s1ngularity': ['ai-cli-abuse', 'shell-profile-tamper', 'github-exfil', 'install-time-exfiltration'],
};

describe('airlock scan on the incident corpus', () => {
  it('has a reconstruction for every incident it names', () => {
    expect(readdirSync(join(corpus, 'malicious')).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.keys(expected))(
    'flags the %s reconstruction malicious with its behaviours',
    async (sample) => {
      const result = await scanJson(tarballFromDirectory(join(corpus, 'malicious', sample)), sample);
      expect(result.verdict).toBe('malicious');
      expect(result.score).toBe(100);
      const rules = result.findings.map((f) => f.rule);
      for (const rule of expected[sample] ?? []) expect(rules).toContain(rule);
    },
  );

  it.each(readdirSync(join(corpus, 'benign')).sort())(
    'leaves the benign look-alike %s clean',
    async (sample) => {
      const result = await scanJson(tarballFromDirectory(join(corpus, 'benign', sample)), sample);
      expect(result.verdict).toBe('clean');
      expect(result.score).toBeLessThan(25);
    },
  );

  it('prints findings with file, line, excerpt and reason, and exits 1 on a malicious verdict', async () => {
    const result = await scan(join(corpus, 'malicious', 'event-stream'));
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^flatmap-stream@0\.1\.1: MALICIOUS \(score 100\)/);
    expect(result.out).toMatch(/critical +malware\/decode-and-execute index\.min\.js:3/);
    expect(result.out).toMatch(/> .*module\.constructor/);
    const clean = await scan(join(corpus, 'benign', 'node-gyp-addon'));
    expect(clean.code).toBe(0);
    expect(clean.out).toMatch(/^fast-crc-addon@2\.1\.0: CLEAN \(score 0\)/);
  });

  it('reports hostile archives as findings without extracting anything', async () => {
    const hostile = gzipSync(
      makeTar([
        { name: 'package/package.json', content: '{"name":"evil","version":"1.0.0"}' },
        { name: 'package/../../../etc/cron.d/x', content: 'x' },
        { name: '/abs/path', content: 'x' },
        { name: 'package/link', type: '2', linkName: '/etc/passwd' },
      ]),
    );
    const result = await scanJson(hostile, 'hostile');
    expect(
      result.findings.filter((f) => f.rule === 'tarball-problem').map((f) => f.message.split(':')[0]),
    ).toEqual(['path-traversal', 'absolute-path', 'symlink']);
    expect(result.verdict).toBe('suspicious');
  });

  it('fails with one line naming the problem for a missing target', async () => {
    const result = await scan('not a name!');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/"not a name!" is not a package name, name@version, file or directory/);
  });
});
