import { createHash } from 'node:crypto';
import type { Bundle } from '@sigstore/bundle';
import { Verifier, VerificationError, toSignedEntity, type TrustMaterial } from '@sigstore/verify';
import { z } from 'zod';
import { describeError } from '../errors.js';
import { defaultBundleLimits, parseBundle, type BundleLimits } from './bundle-input.js';
import { fulcioExtensionValues, fulcioOids } from './fulcio-extensions.js';
import { parseBuildProvenance, signerIdentityProblem, type BuildProvenance } from './provenance-predicate.js';
import { keyValidAt, type RegistryKeySet } from './registry-keys.js';
import {
  inTotoPayloadType,
  npmPublishV01,
  npmPurl,
  parseStatement,
  slsaProvenanceV02,
  slsaProvenanceV1,
  type InTotoStatement,
} from './statement.js';
import type { LoadedTrustRoot } from './trust-root.js';

export type AttestationKind = 'slsa-provenance' | 'npm-publish' | 'other';

/** The outcome for one attestation of the document. */
export interface AttestationCheck {
  readonly predicateType: string;
  readonly kind: AttestationKind;
  readonly valid: boolean;
  readonly reason?: string;
  readonly signer?:
    | { readonly type: 'certificate'; readonly issuer?: string; readonly subjectAlternativeName?: string }
    | { readonly type: 'public-key'; readonly keyid: string };
  readonly transparencyLog?: {
    readonly logIndex: string;
    readonly logId: string;
    readonly integratedTime: string;
  };
  /** When the signature was made, as the transparency log recorded it (ISO). */
  readonly signingTime?: string;
}

/** The verdict for one version's attestations document against its tarball. */
export interface ProvenanceVerdict {
  readonly valid: boolean;
  /** The first reason it is not valid. */
  readonly reason?: string;
  readonly package: {
    readonly name: string;
    readonly version: string;
    readonly purl: string;
    readonly sha512: string;
  };
  readonly attestations: readonly AttestationCheck[];
  /** Build facts from a verified SLSA provenance. */
  readonly provenance?: BuildProvenance;
}

export interface VerifyAttestationsInput {
  readonly name: string;
  readonly version: string;
  /** The tarball, or its sha512 (hex) when the caller has hashed it already. */
  readonly tarball: Uint8Array | { readonly sha512Hex: string };
  /** The JSON of `GET /-/npm/v1/attestations/<name>@<version>`; hostile. */
  readonly document: unknown;
  /** Keys for npm publish attestations; default: those shipped with the trust root. */
  readonly attestationKeys?: RegistryKeySet;
}

const documentSchema = z.object({
  attestations: z
    .array(z.object({ predicateType: z.string().min(1).max(1000), bundle: z.unknown() }))
    .min(1)
    .max(10),
});

/**
 * Verifies npm attestations offline: every bundle's signature and transparency-log inclusion, every subject
 * against the tarball, the signer identity against the provenance, and both required attestations present.
 */
export class AttestationsVerifier {
  readonly #trust: LoadedTrustRoot;
  readonly #limits: BundleLimits;

  constructor(trust: LoadedTrustRoot, limits: BundleLimits = defaultBundleLimits) {
    this.#trust = trust;
    this.#limits = limits;
  }

  /** Never throws: every problem becomes an invalid verdict with its reason. */
  verify(input: VerifyAttestationsInput): ProvenanceVerdict {
    const pkg = {
      name: input.name,
      version: input.version,
      purl: npmPurl(input.name, input.version),
      sha512:
        input.tarball instanceof Uint8Array
          ? createHash('sha512').update(input.tarball).digest('hex')
          : input.tarball.sha512Hex.toLowerCase(),
    };
    const invalid = (reason: string, attestations: readonly AttestationCheck[] = []): ProvenanceVerdict => ({
      valid: false,
      reason,
      package: pkg,
      attestations,
    });
    if (!this.#trust.ok) return invalid(this.#trust.problem);
    const size = jsonSize(input.document);
    if (size === undefined || size > this.#limits.maxDocumentBytes) {
      return invalid(
        size === undefined
          ? 'the attestations document is not plain JSON'
          : `the attestations document is ${size} bytes, over the ${this.#limits.maxDocumentBytes}-byte limit`,
      );
    }
    const parsed = documentSchema.safeParse(input.document);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return invalid(
        `not an npm attestations document (${issue?.path.join('.') || 'document'}: ${issue?.message})`,
      );
    }
    const keys = input.attestationKeys ?? this.#trust.attestationKeys;
    const material: TrustMaterial = { ...this.#trust.material, publicKey: keyFinder(keys) };
    const verifier = new Verifier(material);
    const checks: AttestationCheck[] = [];
    let provenance: BuildProvenance | undefined;
    for (const attestation of parsed.data.attestations) {
      const { check, build } = this.#verifyGuarded(
        verifier,
        attestation.predicateType,
        attestation.bundle,
        pkg,
      );
      checks.push(check);
      if (build && !provenance) provenance = build;
      if (build && provenance && build.sourceRepo !== provenance.sourceRepo) {
        return invalid(`two provenance attestations name different repositories`, checks);
      }
    }
    const failed = checks.find((c) => !c.valid);
    if (failed) return invalid(`${failed.kind} attestation: ${failed.reason ?? 'invalid'}`, checks);
    if (!checks.some((c) => c.kind === 'slsa-provenance'))
      return invalid('no SLSA provenance attestation', checks);
    if (!checks.some((c) => c.kind === 'npm-publish')) return invalid('no npm publish attestation', checks);
    return { valid: true, package: pkg, attestations: checks, provenance };
  }

  /** A library bug or an input nobody foresaw is an invalid attestation, never a crash. */
  #verifyGuarded(
    verifier: Verifier,
    predicateType: string,
    bundleJson: unknown,
    pkg: ProvenanceVerdict['package'],
  ): { check: AttestationCheck; build?: BuildProvenance } {
    try {
      return this.#verifyOne(verifier, predicateType, bundleJson, pkg);
    } catch (error) {
      const reason = `verification failed unexpectedly: ${describeError(error)}`;
      return { check: { predicateType, kind: kindOf(predicateType), valid: false, reason } };
    }
  }

  #verifyOne(
    verifier: Verifier,
    predicateType: string,
    bundleJson: unknown,
    pkg: ProvenanceVerdict['package'],
  ): { check: AttestationCheck; build?: BuildProvenance } {
    const kind = kindOf(predicateType);
    const fail = (reason: string, extra: Partial<AttestationCheck> = {}) => ({
      check: { predicateType, kind, valid: false, reason, ...extra },
    });
    let bundle: Bundle;
    try {
      bundle = parseBundle(bundleJson, this.#limits);
    } catch (error) {
      return fail(describeError(error));
    }
    const log = logEntryOf(bundle);
    const base = { transparencyLog: log, signingTime: log?.integratedTime };
    if (bundle.content.$case !== 'dsseEnvelope') return fail('the bundle signs no DSSE envelope', base);
    const envelope = bundle.content.dsseEnvelope;
    if (envelope.payloadType !== inTotoPayloadType) {
      return fail(`unexpected DSSE payload type "${envelope.payloadType}"`, base);
    }
    let signer;
    try {
      signer = verifier.verify(toSignedEntity(bundle));
    } catch (error) {
      const code = error instanceof VerificationError ? ` [${error.code}]` : '';
      return fail(`signature does not verify${code}: ${describeError(error)}`, base);
    }
    const material = bundle.verificationMaterial.content;
    const signerInfo: AttestationCheck['signer'] =
      material.$case === 'publicKey'
        ? { type: 'public-key', keyid: material.publicKey.hint }
        : {
            type: 'certificate',
            issuer: signer.identity?.extensions?.issuer,
            subjectAlternativeName: signer.identity?.subjectAlternativeName,
          };
    const withSigner = { ...base, signer: signerInfo };
    let statement: InTotoStatement;
    try {
      statement = parseStatement(envelope.payload);
    } catch (error) {
      return fail(describeError(error), withSigner);
    }
    if (statement.predicateType !== predicateType) {
      return fail(
        `signed predicate type ${statement.predicateType} differs from the listed ${predicateType}`,
        withSigner,
      );
    }
    const subjectProblem = checkSubjects(statement, pkg);
    if (subjectProblem) return fail(subjectProblem, withSigner);

    if (kind === 'npm-publish') {
      if (signerInfo.type !== 'public-key')
        return fail('publish attestation is not signed by a registry key', withSigner);
      const problem = checkPublishPredicate(statement.predicate, pkg);
      if (problem) return fail(problem, withSigner);
      return { check: { predicateType, kind, valid: true, ...withSigner } };
    }
    if (kind === 'slsa-provenance') {
      if (signerInfo.type !== 'certificate')
        return fail('provenance is not signed by a CI certificate', withSigner);
      let build: BuildProvenance;
      try {
        build = parseBuildProvenance(predicateType, statement.predicate);
      } catch (error) {
        return fail(describeError(error), withSigner);
      }
      const extensions = fulcioExtensionValues(signer.identity?.oids);
      const identityProblem = signerIdentityProblem(signerInfo, build, extensions);
      if (identityProblem) return fail(identityProblem, withSigner);
      const extensionProblem = checkCertificateExtensions(extensions, build);
      if (extensionProblem) return fail(extensionProblem, withSigner);
      return { check: { predicateType, kind, valid: true, ...withSigner }, build };
    }
    return { check: { predicateType, kind, valid: true, ...withSigner } };
  }
}

function kindOf(predicateType: string): AttestationKind {
  if (predicateType === slsaProvenanceV1 || predicateType === slsaProvenanceV02) return 'slsa-provenance';
  if (predicateType === npmPublishV01) return 'npm-publish';
  return 'other';
}

/** Every subject must be this package with this tarball's digest (npm's own check reads only the first). */
function checkSubjects(statement: InTotoStatement, pkg: ProvenanceVerdict['package']): string | undefined {
  for (const subject of statement.subjects) {
    if (subject.name !== pkg.purl) return `subject ${subject.name} is not ${pkg.purl}`;
    const digest = subject.digest.get('sha512');
    if (digest === undefined) return `subject ${subject.name} carries no sha512 digest`;
    if (digest.toLowerCase() !== pkg.sha512)
      return `subject sha512 ${digest.slice(0, 16)}… is not the tarball's ${pkg.sha512.slice(0, 16)}…`;
  }
  return undefined;
}

function checkPublishPredicate(predicate: unknown, pkg: ProvenanceVerdict['package']): string | undefined {
  const parsed = z.object({ name: z.string(), version: z.string() }).safeParse(predicate);
  if (!parsed.success) return 'publish predicate has no name and version';
  if (parsed.data.name !== pkg.name || parsed.data.version !== pkg.version) {
    return `publish predicate names ${parsed.data.name}@${parsed.data.version}, not ${pkg.name}@${pkg.version}`;
  }
  return undefined;
}

/** Where Fulcio recorded the repository, commit and ref, they must be those the predicate claims. */
function checkCertificateExtensions(
  values: ReadonlyMap<string, string>,
  build: BuildProvenance,
): string | undefined {
  const pairs: [string, string, string | undefined][] = [
    ['source repository', fulcioOids.sourceRepositoryUri, build.sourceRepo],
    ['commit', fulcioOids.sourceRepositoryDigest, build.commit],
    ['ref', fulcioOids.sourceRepositoryRef, build.ref],
    ['run', fulcioOids.runInvocationUri, build.invocationId],
  ];
  for (const [what, oid, claimed] of pairs) {
    const certified = values.get(oid);
    if (certified !== undefined && claimed !== undefined && certified !== claimed) {
      return `certificate ${what} ${certified} differs from the provenance's ${claimed}`;
    }
  }
  return undefined;
}

function logEntryOf(bundle: Bundle): AttestationCheck['transparencyLog'] {
  const entry = bundle.verificationMaterial.tlogEntries[0];
  if (!entry) return undefined;
  const seconds = Number(entry.integratedTime);
  return {
    logIndex: entry.logIndex,
    logId: Buffer.from(entry.logId.keyId).toString('base64'),
    integratedTime: Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : entry.integratedTime,
  };
}

function keyFinder(keys: RegistryKeySet): TrustMaterial['publicKey'] {
  return (hint: string) => {
    const key = keys.get(hint);
    if (!key)
      throw new VerificationError({ code: 'PUBLIC_KEY_ERROR', message: `no trusted registry key ${hint}` });
    return { publicKey: key.publicKey, validFor: (date: Date) => keyValidAt(key, date) };
  };
}

function jsonSize(value: unknown): number | undefined {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? 0 : Buffer.byteLength(text);
  } catch {
    return undefined;
  }
}
