import { Option, type Command } from 'commander';
import { createScanAnalyzers, scanPackage, type PackageScanResult } from '../../scan/index.js';
import { loadScanTarget } from '../../scan/sources/index.js';
import { printResult, type CliContext } from '../context.js';
import { formatOption } from '../common-options.js';
import type { CommandRegistration } from './index.js';

interface ScanOptions {
  format: 'table' | 'json';
  registry?: string;
  failOn: 'suspicious' | 'malicious' | 'never';
}

/** `airlock scan <tarball|dir|name@version>`: every scan analyzer, locally, no server. */
export const registerScan: CommandRegistration = (program: Command, ctx: CliContext) => {
  program
    .command('scan')
    .description(
      'scan a package tarball, directory or name@version for malicious behaviour (offline for files)',
    )
    .argument(
      '<target>',
      'a .tgz file, an unpacked package directory, or name@version fetched from the upstream registry',
    )
    .addOption(formatOption())
    .option(
      '--registry <url>',
      'upstream registry for name@version (default $AIRLOCK_REGISTRY_UPSTREAM_URL or registry.npmjs.org)',
    )
    .addOption(
      new Option('--fail-on <verdict>', 'exit 1 at this verdict or worse')
        .choices(['suspicious', 'malicious', 'never'])
        .default('malicious'),
    )
    .action(async (target: string, options: ScanOptions) => {
      const registryUrl =
        options.registry ?? ctx.env.AIRLOCK_REGISTRY_UPSTREAM_URL ?? 'https://registry.npmjs.org/';
      const input = await loadScanTarget(target, ctx.cwd, { registryUrl });
      const scan = createScanAnalyzers();
      let result: PackageScanResult;
      try {
        result = await scanPackage(scan.scanner, input);
      } finally {
        await scan.close();
      }
      printResult(ctx, options.format, result, renderScan);
      const failing =
        options.failOn === 'suspicious'
          ? ['suspicious', 'malicious']
          : options.failOn === 'malicious'
            ? ['malicious']
            : [];
      if (failing.includes(result.verdict)) ctx.setExitCode(1);
    });
};

/** People-readable findings: worst first, each with where, why and the code that triggered it. */
export function renderScan(result: PackageScanResult): string {
  const lines = [
    `${result.package}@${result.version}: ${result.verdict.toUpperCase()} (score ${result.score})`,
  ];
  if (result.findings.length === 0) lines.push('  no findings');
  for (const f of result.findings) {
    const where = f.file !== undefined ? ` ${f.file}${f.line !== undefined ? `:${f.line}` : ''}` : '';
    lines.push(`  ${f.severity.padEnd(8)} ${f.analyzer}/${f.rule}${where}`, `           ${f.message}`);
    if (f.evidence !== undefined) lines.push(`           > ${f.evidence}`);
  }
  return lines.join('\n');
}
