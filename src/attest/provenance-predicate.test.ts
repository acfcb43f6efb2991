import { describe, expect, it } from 'vitest';
import {
  expectedIdentity,
  parseBuildProvenance,
  signerIdentityProblem,
  type BuildProvenance,
} from './provenance-predicate.js';
import { slsaProvenanceV02 } from './statement.js';

const build: BuildProvenance = {
  sourceRepo: 'https://github.com/sigstore/sigstore-js',
  commit: '46e7056ff9912ebfee5298d94024895a9fea76c0',
  ref: 'refs/heads/main',
  workflowPath: '.github/workflows/release.yml',
  builderId: 'https://github.com/actions/runner/github-hosted',
  buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
};
const realSigner = {
  issuer: 'https://token.actions.githubusercontent.com',
  subjectAlternativeName:
    'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main',
};

describe('signer identity against the provenance', () => {
  it('accepts the workflow the provenance names', () => {
    expect(signerIdentityProblem(realSigner, build)).toBeUndefined();
  });

  it('rejects a certificate from another workflow, ref or repository', () => {
    expect(signerIdentityProblem(realSigner, { ...build, workflowPath: '.github/workflows/other.yml' })).toBe(
      `certificate identity ${realSigner.subjectAlternativeName} is not the workflow https://github.com/sigstore/sigstore-js/.github/workflows/other.yml@refs/heads/main`,
    );
    expect(signerIdentityProblem(realSigner, { ...build, ref: 'refs/tags/v1' })).toMatch(
      /^certificate identity/,
    );
    expect(
      signerIdentityProblem(realSigner, { ...build, sourceRepo: 'https://github.com/evil/sigstore-js' }),
    ).toMatch(/^certificate identity/);
  });

  it('accepts a reusable workflow only when Fulcio certifies the calling workflow', () => {
    const reusable = {
      ...realSigner,
      subjectAlternativeName: 'https://github.com/org/shared/.github/workflows/publish.yml@refs/heads/main',
    };
    const extensions = new Map([
      ['1.3.6.1.4.1.57264.1.18', realSigner.subjectAlternativeName],
      ['1.3.6.1.4.1.57264.1.9', reusable.subjectAlternativeName],
    ]);
    expect(signerIdentityProblem(reusable, build, extensions)).toBeUndefined();
    expect(signerIdentityProblem(reusable, build)).toMatch(/^certificate identity/);
    const otherCaller = new Map([
      ...extensions,
      ['1.3.6.1.4.1.57264.1.18', 'https://github.com/evil/x/.github/workflows/a.yml@refs/heads/main'],
    ]);
    expect(signerIdentityProblem(reusable, build, otherCaller)).toMatch(/^certificate identity/);
  });

  it('rejects another issuer', () => {
    expect(signerIdentityProblem({ ...realSigner, issuer: 'https://github.com/login/oauth' }, build)).toBe(
      'certificate issuer https://github.com/login/oauth is not https://token.actions.githubusercontent.com',
    );
  });

  it('knows GitLab CI identities and refuses unknown platforms', () => {
    expect(
      expectedIdentity({
        ...build,
        sourceRepo: 'https://gitlab.com/group/proj',
        workflowPath: '.gitlab-ci.yml',
      }),
    ).toEqual({
      issuer: 'https://gitlab.com',
      subjectAlternativeName: 'https://gitlab.com/group/proj//.gitlab-ci.yml@refs/heads/main',
    });
    expect(signerIdentityProblem(realSigner, { ...build, sourceRepo: 'https://example.com/x' })).toBe(
      'no known CI identity for source repository https://example.com/x',
    );
  });
});

describe('parseBuildProvenance', () => {
  it('reads SLSA v0.2 provenance as npm published it in 2023', () => {
    expect(
      parseBuildProvenance(slsaProvenanceV02, {
        buildType: 'https://github.com/npm/cli/gha/v2',
        builder: { id: 'https://github.com/actions/runner' },
        invocation: {
          configSource: {
            uri: 'git+https://github.com/owner/repo@refs/heads/main',
            digest: { sha1: 'abc123' },
            entryPoint: '.github/workflows/publish.yml',
          },
        },
        metadata: { buildInvocationId: 'https://github.com/owner/repo/actions/runs/1/attempts/1' },
      }),
    ).toEqual({
      sourceRepo: 'https://github.com/owner/repo',
      commit: 'abc123',
      ref: 'refs/heads/main',
      workflowPath: '.github/workflows/publish.yml',
      builderId: 'https://github.com/actions/runner',
      buildType: 'https://github.com/npm/cli/gha/v2',
      invocationId: 'https://github.com/owner/repo/actions/runs/1/attempts/1',
    });
  });

  it('names the missing field of an incomplete predicate', () => {
    expect(() => parseBuildProvenance('https://slsa.dev/provenance/v1', { buildDefinition: {} })).toThrow(
      /^SLSA v1 predicate is incomplete: buildDefinition.buildType/,
    );
    expect(() => parseBuildProvenance('https://example.com/x', {})).toThrow(
      'unsupported provenance predicate type',
    );
  });
});
