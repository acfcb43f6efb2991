/**
 * Vulnerability database figures: importing a synthetic OSV archive of 200,000 records (GHSA-shaped: aliases,
 * CVSS vectors, several affected entries and ranges, some PyPI, some withdrawn and MAL- records) into SQLite,
 * the peak memory of that import, loading the matcher's index, and matching a 2,000-component SBOM (p50/p95).
 * Run with `npm run bench:vulndb` (`-- --records N` for another size, `-- --zip path` to time a real all.zip).
 * The synthetic archive is cached under .cache/bench/.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';
import { openDatabase } from '../src/store/database.js';
import { migrate } from '../src/store/migrate.js';
import { allMigrations } from '../src/migrations.js';
import { AdvisoryStore, OsvVulnerabilityMatcher, importPath } from '../src/vulndb/index.js';
import type { PackageVersionRef } from '../src/core/package-ref.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const records = Number(option('records') ?? 200_000);
const packages = Math.round(records / 4);

/** Deterministic pseudo-random numbers so every run benchmarks the same archive. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const vectors = [
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L',
  'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
];
const labels = ['LOW', 'MODERATE', 'HIGH', 'CRITICAL'];

function syntheticRecord(i: number, random: () => number): Record<string, unknown> {
  const pypi = random() < 0.2;
  const pkg = Math.floor(random() * packages);
  const name = pypi ? `py_package.${pkg}` : `package-${pkg}`;
  const major = Math.floor(random() * 10);
  const ranges = [];
  const rangeCount = 1 + Math.floor(random() * 3);
  for (let r = 0; r < rangeCount; r++) {
    const m = major + r * 2;
    ranges.push({
      type: pypi ? 'ECOSYSTEM' : 'SEMVER',
      events: [
        { introduced: r === 0 && random() < 0.4 ? '0' : `${m}.0.0` },
        random() < 0.85
          ? { fixed: `${m}.${Math.floor(random() * 20)}.${Math.floor(random() * 30)}` }
          : { last_affected: `${m}.9.9` },
      ],
    });
  }
  if (random() < 0.1)
    ranges.push({
      type: 'GIT',
      repo: 'https://example.invalid/r',
      events: [{ introduced: '0' }, { fixed: 'abc123' }],
    });
  const id =
    random() < 0.01
      ? `MAL-2025-${i}`
      : pypi && random() < 0.5
        ? `PYSEC-2024-${i}`
        : `GHSA-${i.toString(36).padStart(4, '0')}-bnch-mark`;
  return {
    schema_version: '1.6.0',
    id,
    modified: '2025-06-01T00:00:00Z',
    published: '2024-01-01T00:00:00Z',
    ...(random() < 0.005 ? { withdrawn: '2025-01-01T00:00:00Z' } : {}),
    aliases: [`CVE-2024-${100000 + i}`],
    summary: `Synthetic advisory ${i} for ${name}: improper input validation leads to something bad`,
    details:
      'A longer description of the problem, its impact and the workaround, as advisories carry. '.repeat(6),
    severity:
      random() < 0.8
        ? [
            {
              type: random() < 0.8 ? 'CVSS_V3' : 'CVSS_V4',
              score: vectors[Math.floor(random() * vectors.length)],
            },
          ]
        : [],
    affected: [
      {
        package: { ecosystem: pypi ? 'PyPI' : 'npm', name, purl: `pkg:${pypi ? 'pypi' : 'npm'}/${name}` },
        ranges,
        ...(random() < 0.3 ? { versions: [`${major}.0.0`, `${major}.0.1`, `${major}.1.0`] } : {}),
        database_specific: { source: 'https://example.invalid/advisory.json' },
      },
    ],
    references: [
      { type: 'ADVISORY', url: `https://nvd.nist.gov/vuln/detail/CVE-2024-${100000 + i}` },
      { type: 'WEB', url: 'https://example.invalid/commit/abc' },
      { type: 'PACKAGE', url: `https://example.invalid/${name}` },
    ],
    database_specific: {
      cwe_ids: ['CWE-20'],
      severity: labels[Math.floor(random() * labels.length)],
      github_reviewed: true,
    },
  };
}

/**
 * Writes the archive with a minimal streaming zip writer (deflate, CRC-32, central directory): yazl queues one
 * asynchronous deflate per entry, which for 200,000 entries took many minutes on a shared machine.
 */
async function writeArchive(path: string): Promise<void> {
  const random = rng(42);
  const out = createWriteStream(path);
  const central: Buffer[] = [];
  let offset = 0;
  const write = async (chunk: Buffer) => {
    offset += chunk.length;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  for (let i = 0; i < records; i++) {
    const record = syntheticRecord(i, random);
    const name = Buffer.from(`${record.id as string}.json`);
    const data = Buffer.from(JSON.stringify(record));
    const packed = deflateRawSync(data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(packed.length, 20);
    header.writeUInt32LE(data.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    await write(Buffer.concat([local, name, packed]));
  }
  const directory = Buffer.concat(central);
  const directoryOffset = offset;
  await write(directory);
  // More than 65,535 entries need the ZIP64 end records (as OSV's own archives have).
  const zip64End = Buffer.alloc(56);
  zip64End.writeUInt32LE(0x06064b50, 0);
  zip64End.writeBigUInt64LE(44n, 4);
  zip64End.writeUInt16LE(45, 12);
  zip64End.writeUInt16LE(45, 14);
  zip64End.writeBigUInt64LE(BigInt(records), 24);
  zip64End.writeBigUInt64LE(BigInt(records), 32);
  zip64End.writeBigUInt64LE(BigInt(directory.length), 40);
  zip64End.writeBigUInt64LE(BigInt(directoryOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(offset), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(records, 0xffff), 8);
  end.writeUInt16LE(Math.min(records, 0xffff), 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(directoryOffset, 16);
  await write(Buffer.concat([zip64End, locator, end]));
  await new Promise<void>((ok, fail) => out.end((err?: Error | null) => (err ? fail(err) : ok())));
}

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
    await writeArchive(`${zipPath}.tmp`);
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
