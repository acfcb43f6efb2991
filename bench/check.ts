/**
 * `npm run bench:check`: `airlock check` as CI runs it — a cold process per run — on the ~2,000-package real
 * lockfile of bench:sbom against a 200,000-advisory database (the "full vulnerability database"; OSV's npm
 * and PyPI ecosystems together are that size). One record in 20 of the npm records names a package the lockfile
 * really uses, so matching does real work and the report has findings. Target: under 2 s wall time.
 *
 * Side by side in the same run: the same command against an empty database (what start-up, parsing and the
 * report cost alone). `npm audit` is not a fair second: it fetches the packument of every vulnerable package
 * to work out fixes, so against 200k synthetic advisories it measures the registry, not the matching.
 * The archive and the imported database are cached under .cache/bench/; `-- --records N` for another size.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { timeColdRuns, type ColdRuns } from './support/cold-runs.js';
import { ensureLockfile, lockfileCases } from './support/lockfiles.js';
import { writeSyntheticArchive } from './support/synthetic-osv.js';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const records = Number(option('records') ?? 200_000);
const runs = Number(process.env.BENCH_RUNS ?? 7);
const cli = join(root, 'bin', 'airlock.js');
const cache = join(root, '.cache', 'bench');

if (!existsSync(join(root, 'dist/cli/run.js'))) {
  spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}

const large = lockfileCases.find((c) => c.name === 'large')!;
const project = ensureLockfile(large.name, large.packages);
const lockfile = join(project, 'package-lock.json');
const lock = JSON.parse(readFileSync(lockfile, 'utf8')) as { packages: Record<string, { name?: string }> };
const names = [
  ...new Set(
    Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .map(([path, entry]) => entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 13)),
  ),
].sort();

/** A data directory and its config file; the database is filled by `airlock vulndb import` once and reused. */
function database(name: string, zip?: string): string {
  const dir = join(cache, name);
  const config = join(dir, 'airlock.yaml');
  const done = join(dir, 'imported');
  if (existsSync(done)) return config;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(config, `dataDir: ${JSON.stringify(join(dir, 'data'))}\n`);
  if (zip) {
    const start = performance.now();
    const r = spawnSync(process.execPath, [cli, 'vulndb', 'import', zip, '--config', config], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (r.status !== 0) throw new Error('vulndb import failed');
    console.log(`imported ${zip} in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  }
  writeFileSync(done, '');
  return config;
}

const zip = join(cache, `vulndb-check-${records}-${names.length}.zip`);
if (!existsSync(zip)) {
  mkdirSync(cache, { recursive: true });
  const start = performance.now();
  await writeSyntheticArchive(`${zip}.tmp`, { records, realNames: names });
  rmSync(zip, { force: true });
  spawnSync('mv', [`${zip}.tmp`, zip]);
  console.log(
    `generated ${records} records in ${((performance.now() - start) / 1000).toFixed(1)} s → ${zip}`,
  );
}
const full = database(`check-db-${records}-${names.length}`, zip);
const empty = database('check-db-empty');

function time(command: string, commandArgs: string[], cwd: string, okStatus: number[]): ColdRuns {
  const r = timeColdRuns(command, commandArgs, { cwd, runs, okStatus });
  if (r.failure !== undefined) throw new Error(`${command} ${commandArgs.join(' ')}: ${r.failure}`);
  return r;
}

const checkArgs = (config: string) => [cli, 'check', lockfile, '--format', 'json', '--config', config];
const report = (t: ColdRuns) =>
  JSON.parse(t.output) as { components: number; findings: unknown[]; warnings: string[] };

// One unmeasured run each so the page cache holds the database and the code, as on a CI runner's second job.
time(process.execPath, checkArgs(full), root, [0, 1]);
const withAdvisories = time(process.execPath, checkArgs(full), root, [0, 1]);
const withoutAdvisories = time(process.execPath, checkArgs(empty), root, [0, 1]);

const r = report(withAdvisories);
const line = (label: string, t: ColdRuns) =>
  console.log(
    `${label.padEnd(46)} median ${t.median.toFixed(0).padStart(5)} ms  p95 ${t.p95.toFixed(0).padStart(5)} ms  min ${t.min.toFixed(0).padStart(5)} ms`,
  );
console.log(
  `\nlockfile: ${lockfile} (${Object.keys(lock.packages).length - 1} entries, ${r.components} components); database: ${records} advisories; ${runs} cold runs each`,
);
line('airlock check, full database', withAdvisories);
line('airlock check, empty database', withoutAdvisories);
console.log(
  `findings: ${r.findings.length}; target < 2000 ms: ${withAdvisories.median < 2000 ? 'met' : 'NOT met'}`,
);
