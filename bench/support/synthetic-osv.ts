/**
 * A deterministic synthetic OSV archive for benchmarks: GHSA-shaped records (aliases, CVSS vectors, several affected
 * entries and ranges, some PyPI, some withdrawn and MAL- records), written as a ZIP64 archive like OSV's all.zip.
 * `realNames` puts a share of the npm records on names a real lockfile uses, so matching finds something.
 */
import { createWriteStream } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';

export interface SyntheticArchiveOptions {
  readonly records: number;
  /** npm names that get about one record in 20, so a real lockfile's components have advisories. */
  readonly realNames?: readonly string[];
}

/** Deterministic pseudo-random numbers so every run benchmarks the same archive. */
export function rng(seed: number): () => number {
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

function syntheticRecord(
  i: number,
  random: () => number,
  packages: number,
  realNames: readonly string[],
): Record<string, unknown> {
  const pypi = random() < 0.2;
  const pkg = Math.floor(random() * packages);
  const real = !pypi && realNames.length > 0 && random() < 0.05;
  const name = real
    ? realNames[Math.floor(random() * realNames.length)]!
    : pypi
      ? `py_package.${pkg}`
      : `package-${pkg}`;
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
export async function writeSyntheticArchive(path: string, options: SyntheticArchiveOptions): Promise<void> {
  const { records } = options;
  const packages = syntheticPackageCount(records);
  const realNames = options.realNames ?? [];
  const random = rng(42);
  const out = createWriteStream(path);
  const central: Buffer[] = [];
  let offset = 0;
  const write = async (chunk: Buffer) => {
    offset += chunk.length;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  };
  for (let i = 0; i < records; i++) {
    const record = syntheticRecord(i, random, packages, realNames);
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

/** How many distinct synthetic package names an archive of `records` spreads its records over. */
export function syntheticPackageCount(records: number): number {
  return Math.round(records / 4);
}
