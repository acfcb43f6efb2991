import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { AttestationCheck, ProvenanceVerdict } from '../../attest/index.js';
import { loadConfig } from '../../config/load.js';
import { AirlockError, describeError, errorCatalogue } from '../../errors.js';
import { printResult, renderTable, type CliContext } from '../context.js';
import { configOption, formatOption, type LocalCommandOptions } from '../common-options.js';
import type { CommandRegistration } from './index.js';

const maxTarballBytes = 512 * 1024 * 1024;

interface VerifyOptions extends LocalCommandOptions {
  attestations: string;
  package?: string;
  trustedRoot?: string;
}

/** `airlock provenance verify|update-trust-root`: offline Sigstore verification of npm attestations. */
export const registerProvenanceCommands: CommandRegistration = (program: Command, ctx: CliContext) => {
  const provenance = program
    .command('provenance')
    .description('verify that a package was built from its source (npm attestations, Sigstore)');

  provenance
    .command('verify')
    .description('verify npm attestations against a tarball, offline; exit 0 only when valid')
    .argument('<tarball>', 'the package tarball (.tgz)')
    .requiredOption('--attestations <file>', 'JSON of GET /-/npm/v1/attestations/<name>@<version>')
    .option('--package <name@version>', 'the package the tarball must be (default: its package.json)')
    .option('--trusted-root <file>', 'a Sigstore TrustedRoot JSON to trust instead of the configured one')
    .addOption(configOption())
    .addOption(formatOption())
    .action(async (tarballPath: string, options: VerifyOptions) => {
      // Loaded on use: the Sigstore libraries would slow every other command's start-up.
      const { createAttest, readPackageIdentity } = await import('../../attest/index.js');
      const config = loadConfig({ file: options.config && resolve(ctx.cwd, options.config), env: ctx.env });
      const tarball = readBounded(resolve(ctx.cwd, tarballPath), 'tarball', maxTarballBytes);
      const document = parseJson(
        readBounded(
          resolve(ctx.cwd, options.attestations),
          'attestations file',
          config.attest.maxAttestationsBytes,
        ),
        options.attestations,
      );
      const pkg =
        options.package === undefined
          ? identityOf(readPackageIdentity, tarball, tarballPath)
          : parseSpec(options.package);
      const attestConfig =
        options.trustedRoot === undefined
          ? config.attest
          : { ...config.attest, trustedRootPath: options.trustedRoot };
      const attest = createAttest({ config: attestConfig, dataDir: config.dataDir, cwd: ctx.cwd });
      const verdict = attest.verifier.verify({
        ...pkg,
        tarball,
        document,
        attestationKeys: attest.attestationKeys,
      });
      const trustRoot = attest.trust.ok ? attest.trust.source : undefined;
      printResult(ctx, options.format, { ...verdict, trustRoot }, (v) => verdictReport(v, trustRoot));
      if (!verdict.valid) ctx.setExitCode(errorCatalogue.ATTESTATION_INVALID.exitCode);
    });

  provenance
    .command('update-trust-root')
    .description('refresh the Sigstore trust root and npm keys through TUF (needs network access)')
    .addOption(
      new Option('--mirror <url>', 'TUF repository to fetch from').default(
        'https://tuf-repo-cdn.sigstore.dev',
      ),
    )
    .addOption(configOption())
    .addOption(formatOption())
    .action(async (options: LocalCommandOptions & { mirror: string }) => {
      const { trustDirFor, updateTrustRoot } = await import('../../attest/index.js');
      const config = loadConfig({ file: options.config && resolve(ctx.cwd, options.config), env: ctx.env });
      const update = await updateTrustRoot(trustDirFor(config.dataDir, ctx.cwd), {
        mirrorUrl: options.mirror,
      });
      printResult(
        ctx,
        options.format,
        update,
        (u) =>
          `Trust root updated: ${u.trustedRootFile} (${u.transparencyLogs} transparency logs, ${u.certificateAuthorities} certificate authorities) and ${u.npmKeysFile}.`,
      );
    });
};

/** The human report: verdict, build facts, then one row per attestation. */
export function verdictReport(verdict: ProvenanceVerdict, trustRoot: string | undefined): string {
  const p = verdict.provenance;
  const slsa = verdict.attestations.find((a) => a.kind === 'slsa-provenance');
  // The log entry and signing time are facts only once the provenance verified.
  const log = slsa?.valid ? slsa.transparencyLog : undefined;
  const head = verdict.valid
    ? `VALID: ${verdict.package.name}@${verdict.package.version} was built from its source and published by the registry`
    : `INVALID: ${verdict.reason ?? 'attestations do not verify'}`;
  const facts: [string, string | undefined][] = [
    ['package', verdict.package.purl],
    ['tarball sha512', verdict.package.sha512],
    ['source repository', p?.sourceRepo],
    ['commit', p?.commit],
    ['ref', p?.ref],
    ['workflow', p?.workflowPath],
    ['builder', p?.builderId],
    ['build invocation', p?.invocationId],
    [
      'transparency log',
      log ? `log index ${log.logIndex} (https://search.sigstore.dev/?logIndex=${log.logIndex})` : undefined,
    ],
    ['signed at', slsa?.valid ? slsa.signingTime : undefined],
    ['trust root', trustRoot],
  ];
  const lines = [
    head,
    '',
    ...facts.filter(([, v]) => v !== undefined).map(([k, v]) => `  ${k.padEnd(18)} ${v}`),
  ];
  if (verdict.attestations.length > 0) {
    lines.push(
      '',
      renderTable(
        ['ATTESTATION', 'RESULT', 'LOG INDEX', 'SIGNED AT', 'SIGNER'],
        verdict.attestations.map((a) => [
          a.kind,
          a.valid ? 'valid' : `INVALID: ${a.reason ?? ''}`,
          a.transparencyLog?.logIndex ?? '-',
          a.signingTime ?? '-',
          signerText(a),
        ]),
      ),
    );
  }
  return lines.join('\n');
}

function signerText(check: AttestationCheck): string {
  if (!check.signer) return '-';
  if (check.signer.type === 'public-key') return `registry key ${check.signer.keyid}`;
  return `${check.signer.subjectAlternativeName ?? '?'} (${check.signer.issuer ?? '?'})`;
}

function readBounded(path: string, what: string, limit: number): Buffer {
  try {
    const size = statSync(path).size;
    if (size > limit)
      throw new AirlockError(
        'PAYLOAD_TOO_LARGE',
        `${what} ${path} is ${size} bytes, over the ${limit}-byte limit`,
      );
    return readFileSync(path);
  } catch (error) {
    if (error instanceof AirlockError) throw error;
    throw new AirlockError(
      'USAGE',
      `cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? describeError(error)}`,
      {
        cause: error,
      },
    );
  }
}

function parseJson(bytes: Buffer, path: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (cause) {
    throw new AirlockError('ATTESTATION_INVALID', `${path} is not JSON: ${describeError(cause)}`, { cause });
  }
}

function identityOf(
  read: (tgz: Uint8Array) => { name: string; version: string },
  tarball: Uint8Array,
  path: string,
): { name: string; version: string } {
  try {
    return read(tarball);
  } catch (cause) {
    throw new AirlockError(
      'TARBALL_INVALID',
      `${path}: ${describeError(cause)}; name the package with --package name@version`,
      {
        cause,
      },
    );
  }
}

function parseSpec(spec: string): { name: string; version: string } {
  const at = spec.lastIndexOf('@');
  if (at <= 0 || at === spec.length - 1) {
    throw new AirlockError('USAGE', `--package must be name@version (e.g. @scope/pkg@1.2.3), not "${spec}"`);
  }
  return { name: spec.slice(0, at), version: spec.slice(at + 1) };
}
