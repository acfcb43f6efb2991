// `npm run bench:sbom`: Airlock's SBOM against @cyclonedx/cyclonedx-npm and @cyclonedx/cdxgen on three real
// npm lockfiles, side by side in one run; checks that all three see the same component set.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseLockfile, toCycloneDx } from '../src/sbom/index.js';
import { timeColdRuns } from './support/cold-runs.js';
import { ensureLockfile, lockfileCache, lockfileCases as cases } from './support/lockfiles.js';

const root = resolve(import.meta.dirname, '..');
const cache = lockfileCache;
const runs = Number(process.env.BENCH_RUNS ?? 3);

/** Median of `runs` cold processes; `ok` false (with the failing output) when a run fails. */
function timeCommand(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): { ms: number; ok: boolean; err: string } {
  const r = timeColdRuns(cmd, args, { cwd, env, runs });
  return { ms: r.median, ok: r.failure === undefined, err: r.failure ?? '' };
}

/** name@version of every library component, however the tool nests them. */
function componentSet(file: string): Set<string> {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { components?: unknown[] };
  const out = new Set<string>();
  const walk = (list: unknown) => {
    for (const c of Array.isArray(list) ? list : []) {
      const x = c as { group?: string; name?: string; version?: string; components?: unknown; purl?: string };
      if (x.purl?.startsWith('pkg:npm/'))
        out.add(`${x.group ? `${x.group}/` : ''}${x.name ?? ''}@${x.version ?? ''}`);
      walk(x.components);
    }
  };
  walk(doc.components);
  return out;
}

function diff(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter((x) => !b.has(x)).sort();
}

if (!existsSync(join(root, 'dist/cli/run.js'))) {
  spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
const out = join(cache, 'out');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const rows: string[][] = [];
const notes: string[] = [];
for (const c of cases) {
  const dir = ensureLockfile(c.name, c.packages);
  const lock = join(dir, 'package-lock.json');
  const packages =
    Object.keys((JSON.parse(readFileSync(lock, 'utf8')) as { packages: object }).packages).length - 1;

  // In-process: parse + CycloneDX, best of several warm runs.
  let inProcess = Infinity;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    toCycloneDx(parseLockfile(lock));
    inProcess = Math.min(inProcess, performance.now() - start);
  }
  const airlockOut = join(out, `${c.name}-airlock.json`);
  const airlock = timeCommand('node', [join(root, 'bin/airlock.js'), 'sbom', lock, '-o', airlockOut], dir);
  // The same work in a process that loads only the sbom domain: what `airlock sbom` costs once the CLI
  // stops importing every command's dependencies (server, databases) up front.
  const domainOnly = timeCommand(
    'node',
    [
      '--input-type=module',
      '-e',
      `import { writeFileSync } from 'node:fs'; import { parseLockfile, toCycloneDx } from ${JSON.stringify(join(root, 'dist/sbom/index.js'))}; writeFileSync(${JSON.stringify(join(out, 'domain.json'))}, JSON.stringify(toCycloneDx(parseLockfile(${JSON.stringify(lock)}))));`,
    ],
    dir,
  );
  const npmOut = join(out, `${c.name}-cyclonedx-npm.json`);
  const cdxNpm = timeCommand(
    'node',
    [
      join(root, 'node_modules/@cyclonedx/cyclonedx-npm/bin/cyclonedx-npm-cli.js'),
      '--package-lock-only',
      '--flatten-components',
      '--no-validate',
      '--sv',
      '1.6',
      '-o',
      npmOut,
    ],
    dir,
  );
  const cdxgenOut = join(out, `${c.name}-cdxgen.json`);
  const cdxgen = timeCommand(
    'node',
    [
      cdxgenBin(),
      '-t',
      'js',
      '--no-recurse',
      '--no-install-deps',
      '--no-validate',
      '--spec-version',
      '1.6',
      '-o',
      cdxgenOut,
      dir,
    ],
    dir,
    { FETCH_LICENSE: 'false', CDXGEN_TELEMETRY: 'false', DO_NOT_TRACK: '1' },
  );
  const faster = Math.min(cdxNpm.ok ? cdxNpm.ms : Infinity, cdxgen.ok ? cdxgen.ms : Infinity);
  rows.push([
    c.name,
    String(packages),
    inProcess.toFixed(1),
    airlock.ms.toFixed(0),
    domainOnly.ms.toFixed(0),
    cdxNpm.ok ? cdxNpm.ms.toFixed(0) : 'failed',
    cdxgen.ok ? cdxgen.ms.toFixed(0) : 'failed',
    Number.isFinite(faster) ? `${(faster / airlock.ms).toFixed(1)}x` : '-',
    Number.isFinite(faster) ? `${(faster / domainOnly.ms).toFixed(1)}x` : '-',
  ]);
  if (!cdxNpm.ok) notes.push(`${c.name}: cyclonedx-npm failed: ${cdxNpm.err}`);
  if (!cdxgen.ok) notes.push(`${c.name}: cdxgen failed: ${cdxgen.err}`);
  const ours = componentSet(airlockOut);
  for (const [tool, file, ok] of [
    ['cyclonedx-npm', npmOut, cdxNpm.ok],
    ['cdxgen', cdxgenOut, cdxgen.ok],
  ] as const) {
    if (!ok || !existsSync(file)) continue;
    const theirs = componentSet(file);
    const onlyOurs = diff(ours, theirs);
    const onlyTheirs = diff(theirs, ours);
    notes.push(
      `${c.name}: airlock ${ours.size} components, ${tool} ${theirs.size}` +
        (onlyOurs.length + onlyTheirs.length === 0
          ? ' — same set'
          : `; only airlock: ${onlyOurs.length} [${onlyOurs.slice(0, 6).join(', ')}]; only ${tool}: ${onlyTheirs.length} [${onlyTheirs.slice(0, 6).join(', ')}]`),
    );
  }
}
const header = [
  'lockfile',
  'packages',
  'airlock in-process ms',
  'airlock CLI ms',
  'airlock sbom-only process ms',
  'cyclonedx-npm ms',
  'cdxgen ms',
  'CLI speed-up',
  'sbom-only speed-up',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: string[]) => cells.map((x, i) => x.padStart(widths[i] ?? 0)).join('  ');
console.log(
  `median of ${runs} cold-process runs each (node startup included); speed-up is against the faster of cyclonedx-npm and cdxgen; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '?'}\n`,
);
console.log(line(header));
for (const r of rows) console.log(line(r));
console.log('');
for (const n of notes) console.log(n);

/**
 * cdxgen is installed for the benchmark into .cache/bench-tools, not as a dev dependency: its
 * platform-specific optional packages are not all on the registry reached here, which breaks `npm ci`.
 */
function cdxgenBin(): string {
  const prefix = join(root, '.cache', 'bench-tools');
  const bin = join(prefix, 'node_modules', '@cyclonedx', 'cdxgen', 'bin', 'cdxgen.js');
  if (!existsSync(bin)) {
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '@cyclonedx/cdxgen@12.8.4',
      ],
      {
        stdio: 'inherit',
      },
    );
  }
  return bin;
}
