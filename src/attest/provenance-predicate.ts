import { z } from 'zod';
import { fulcioOids } from './fulcio-extensions.js';
import { slsaProvenanceV02, slsaProvenanceV1 } from './statement.js';

/** What a SLSA provenance predicate says about where and how the package was built. */
export interface BuildProvenance {
  /** `https://github.com/owner/repo`. */
  readonly sourceRepo: string;
  readonly commit?: string;
  readonly ref: string;
  /** Workflow file inside the repository, e.g. `.github/workflows/release.yml`. */
  readonly workflowPath: string;
  readonly builderId: string;
  readonly buildType: string;
  /** The CI run that built it, e.g. `https://github.com/o/r/actions/runs/1/attempts/1`. */
  readonly invocationId?: string;
}

/** The certificate identity a genuine build of that provenance must have been signed with. */
export interface ExpectedIdentity {
  readonly issuer: string;
  readonly subjectAlternativeName: string;
}

const str = z.string().min(1).max(2000);

const v1Schema = z.object({
  buildDefinition: z.object({
    buildType: str,
    externalParameters: z.object({ workflow: z.object({ ref: str, repository: str, path: str }) }),
    resolvedDependencies: z
      .array(
        z.object({
          uri: str.optional(),
          digest: z.record(z.string().max(50), z.string().max(200)).optional(),
        }),
      )
      .max(100)
      .optional(),
  }),
  runDetails: z.object({
    builder: z.object({ id: str }),
    metadata: z.object({ invocationId: str.optional() }).optional(),
  }),
});

const v02Schema = z.object({
  buildType: str,
  builder: z.object({ id: str }),
  invocation: z.object({
    configSource: z.object({
      uri: str,
      digest: z.record(z.string().max(50), z.string().max(200)).optional(),
      entryPoint: str,
    }),
  }),
  metadata: z.object({ buildInvocationId: str.optional() }).optional(),
});

/** Reads the build facts out of a SLSA v1 or v0.2 predicate; throws an Error naming the missing field. */
export function parseBuildProvenance(predicateType: string, predicate: unknown): BuildProvenance {
  if (predicateType === slsaProvenanceV1) {
    const parsed = v1Schema.safeParse(predicate);
    if (!parsed.success) throw new Error(`SLSA v1 predicate is incomplete: ${issueOf(parsed.error)}`);
    const { buildDefinition: def, runDetails } = parsed.data;
    const workflow = def.externalParameters.workflow;
    const source = def.resolvedDependencies?.find((d) => d.digest?.gitCommit !== undefined);
    return {
      sourceRepo: workflow.repository,
      commit: source?.digest?.gitCommit,
      ref: workflow.ref,
      workflowPath: workflow.path,
      builderId: runDetails.builder.id,
      buildType: def.buildType,
      invocationId: runDetails.metadata?.invocationId,
    };
  }
  if (predicateType === slsaProvenanceV02) {
    const parsed = v02Schema.safeParse(predicate);
    if (!parsed.success) throw new Error(`SLSA v0.2 predicate is incomplete: ${issueOf(parsed.error)}`);
    const config = parsed.data.invocation.configSource;
    // `git+https://github.com/owner/repo@refs/heads/main`
    const match = /^git\+(https:\/\/[^@]+)@(refs\/.+)$/.exec(config.uri);
    if (!match?.[1] || !match[2])
      throw new Error(`SLSA v0.2 configSource.uri is not a git URL with a ref: ${config.uri}`);
    return {
      sourceRepo: match[1],
      commit: config.digest?.sha1,
      ref: match[2],
      workflowPath: config.entryPoint,
      builderId: parsed.data.builder.id,
      buildType: parsed.data.buildType,
      invocationId: parsed.data.metadata?.buildInvocationId,
    };
  }
  throw new Error(`unsupported provenance predicate type ${predicateType}`);
}

/** The Fulcio identity of the CI workflow the provenance names (GitHub Actions or GitLab CI). */
export function expectedIdentity(build: BuildProvenance): ExpectedIdentity {
  let url: URL;
  try {
    url = new URL(build.sourceRepo);
  } catch {
    throw new Error(`source repository is not a URL: ${build.sourceRepo}`);
  }
  if (url.protocol === 'https:' && url.hostname === 'github.com') {
    return {
      issuer: 'https://token.actions.githubusercontent.com',
      subjectAlternativeName: `${build.sourceRepo}/${build.workflowPath}@${build.ref}`,
    };
  }
  if (url.protocol === 'https:' && url.hostname === 'gitlab.com') {
    // GitLab's SAN puts a double slash before the CI config path.
    return {
      issuer: 'https://gitlab.com',
      subjectAlternativeName: `${build.sourceRepo}//${build.workflowPath}@${build.ref}`,
    };
  }
  throw new Error(`no known CI identity for source repository ${build.sourceRepo}`);
}

function issueOf(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`;
}

/**
 * Why a certificate signer is not the CI workflow the provenance names, or undefined when it is. The SAN must
 * be that workflow; with a reusable workflow the SAN is the reusable one, and then Fulcio's Build Config URI
 * (the calling workflow) must be the provenance's workflow and the SAN its Build Signer URI.
 */
export function signerIdentityProblem(
  signer: { readonly issuer?: string; readonly subjectAlternativeName?: string },
  build: BuildProvenance,
  extensions: ReadonlyMap<string, string> = new Map(),
): string | undefined {
  let expected: ExpectedIdentity;
  try {
    expected = expectedIdentity(build);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (signer.issuer !== expected.issuer) {
    return `certificate issuer ${signer.issuer ?? '(none)'} is not ${expected.issuer}`;
  }
  if (signer.subjectAlternativeName === expected.subjectAlternativeName) return undefined;
  const buildConfig = extensions.get(fulcioOids.buildConfigUri);
  const buildSigner = extensions.get(fulcioOids.buildSignerUri);
  if (
    buildConfig === expected.subjectAlternativeName &&
    buildSigner !== undefined &&
    buildSigner === signer.subjectAlternativeName
  ) {
    return undefined;
  }
  return `certificate identity ${signer.subjectAlternativeName ?? '(none)'} is not the workflow ${expected.subjectAlternativeName}`;
}
