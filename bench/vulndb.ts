/**
 * Vulnerability database figures: importing a synthetic OSV archive of 200,000 records (GHSA-shaped: aliases,
 * CVSS vectors, several affected entries and ranges, some PyPI, some withdrawn and MAL- records) into SQLite,
 * the peak memory of that import, loading the matcher's index, and matching a 2,000-component SBOM (p50/p95).
 * Run with `npm run bench:vulndb` (`-- --records N` for another size, `-- --zip path` to time a real all.zip).
 * The synthetic archive is cached under .cache/bench/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/store/database.js';
import { migrate } from '../src/store/migrate.js';
import { allMigrations } from '../src/migrations.js';
import { AdvisoryStore, OsvVulnerabilityMatcher, importPath } from '../src/vulndb/index.js';
import type { PackageVersionRef } from '../src/core/package-ref.js';
import { rng, syntheticPackageCount, writeSyntheticArchive } from './support/synthetic-osv.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const records = Number(option('records') ?? 200_000);
const packages = syntheticPackageCount(records);

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs in a child process so the import's peak memory is not the generator's. */
async function importPhase(zipPath: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-bench-vulndb-'));
  try {
    const database = await openDatabase({ url: `sqlite:${join(dir, 'airlock.db')}` });
    await migrate(database, allMigrations);
    const store = new AdvisoryStore(database);
    let start = performance.now();
    const summary = await importPath(store, zipPath, { source: 'bench' });
    const importSeconds = (performance.now() - start) / 1000;
    const stored = Object.values(summary.ecosystems).reduce((n, t) => n + t.added + t.withdrawn, 0);
    console.log(
      `import: ${summary.read} records read, ${stored} stored, ${summary.skipped} skipped in ${importSeconds.toFixed(1)} s (${Math.round(summary.read / importSeconds)}/s)`,
    );
    console.log(`import peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);

    const matcher = new OsvVulnerabilityMatcher(store);
    start = performance.now();
    const size = await matcher.refresh();
    console.log(
      `index load: ${size} active advisories in ${((performance.now() - start) / 1000).toFixed(1)} s; RSS ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MiB`,
    );

    const random = rng(7);
    const sbom: PackageVersionRef[] = Array.from({ length: 2000 }, () => {
      const pypi = random() < 0.2;
      const pkg = Math.floor(random() * packages * 2); // about half the components have advisories
      const version = `${Math.floor(random() * 12)}.${Math.floor(random() * 20)}.${Math.floor(random() * 30)}`;
      return pypi
        ? { ecosystem: 'pypi', name: `Py-Package-${pkg}`, version }
        : { ecosystem: 'npm', name: `package-${pkg}`, version };
    });
    for (let i = 0; i < 5; i++) await matcher.matchMany(sbom);
    const times: number[] = [];
    let findings = 0;
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      const result = await matcher.matchMany(sbom);
      times.push(performance.now() - t0);
      findings = [...result.values()].reduce((n, f) => n + f.length, 0);
    }
    times.sort((a, b) => a - b);
    console.log(
      `match 2,000 components (${findings} findings): p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`,
    );
    await database.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const phase = option('phase');
  const given = option('zip');
  if (phase === 'import') return importPhase(resolve(given!));
  let zipPath = given ? resolve(given) : resolve(`.cache/bench/vulndb-${records}.zip`);
  if (!given && !existsSync(zipPath)) {
    mkdirSync(resolve('.cache/bench'), { recursive: true });
    const start = performance.now();
    await writeSyntheticArchive(`${zipPath}.tmp`, { records });
    rmSync(zipPath, { force: true });
    spawnSync('mv', [`${zipPath}.tmp`, zipPath]);
    console.log(
      `generated ${records} synthetic records in ${((performance.now() - start) / 1000).toFixed(1)} s → ${zipPath}`,
    );
  }
  zipPath = resolve(zipPath);
  const child = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      '--phase',
      'import',
      '--zip',
      zipPath,
      '--records',
      String(records),
    ],
    {
      stdio: 'inherit',
    },
  );
  process.exitCode = child.status ?? 1;
}

await main();
