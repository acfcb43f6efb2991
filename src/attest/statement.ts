import { z } from 'zod';

export const inTotoPayloadType = 'application/vnd.in-toto+json';
export const slsaProvenanceV1 = 'https://slsa.dev/provenance/v1';
export const slsaProvenanceV02 = 'https://slsa.dev/provenance/v0.2';
export const npmPublishV01 = 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1';

/** An in-toto statement as the DSSE payload carries it; digests are kept in a Map (hostile keys). */
export interface InTotoStatement {
  readonly type: string;
  readonly subjects: readonly { readonly name: string; readonly digest: ReadonlyMap<string, string> }[];
  readonly predicateType: string;
  readonly predicate: unknown;
}

const statementSchema = z.object({
  _type: z.enum(['https://in-toto.io/Statement/v0.1', 'https://in-toto.io/Statement/v1']),
  subject: z
    .array(
      z.object({
        name: z.string().max(1000),
        digest: z.record(z.string().max(50), z.string().max(1000)),
      }),
    )
    .min(1)
    .max(100),
  predicateType: z.string().min(1).max(1000),
  predicate: z.unknown(),
});

/** Parses a DSSE payload as an in-toto statement; throws an Error naming what is wrong. */
export function parseStatement(payload: Buffer): InTotoStatement {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new Error('the signed payload is not JSON');
  }
  const parsed = statementSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `the signed payload is not an in-toto statement (${issue?.path.join('.')}: ${issue?.message})`,
    );
  }
  return {
    type: parsed.data._type,
    subjects: parsed.data.subject.map((s) => ({ name: s.name, digest: new Map(Object.entries(s.digest)) })),
    predicateType: parsed.data.predicateType,
    predicate: parsed.data.predicate,
  };
}

/** The package URL npm puts in attestation subjects: `pkg:npm/%40scope/name@1.0.0`. */
export function npmPurl(name: string, version: string): string {
  const encoded = name.startsWith('@') ? `%40${name.slice(1)}` : name;
  return `pkg:npm/${encoded}@${version}`;
}
