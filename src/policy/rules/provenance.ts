import { matchesAny } from '../name-pattern.js';
import { normalizeRepository } from '../compile.js';
import { fire, type Firing, type Rule } from './context.js';

/** Required provenance, provenance regressions, and the expected source repository. */
export const provenanceRule: Rule = ({ ref, facts, policy }) => {
  const rules = policy.rules.provenance;
  const out: Firing[] = [];
  if (matchesAny(policy.provenanceRequired, ref.name) && facts.hasProvenance !== true) {
    const unknown = facts.hasProvenance === undefined;
    out.push(
      ...fire(
        'provenance-required',
        rules.action,
        unknown
          ? 'provenance is required for this package and could not be checked'
          : 'provenance is required for this package and this version has none',
        { unknown },
      ),
    );
  }
  if (facts.provenanceRegression === true) {
    out.push(
      ...fire(
        'provenance-regression',
        rules.regression,
        'earlier versions had provenance; this one has none',
      ),
    );
  }
  const expected = policy.repositories.filter((r) => r.pattern.matches(ref.name));
  if (expected.length > 0) {
    const actual = facts.sourceRepo === undefined ? undefined : normalizeRepository(facts.sourceRepo);
    if (actual === undefined) {
      out.push(
        ...fire('provenance-repository', rules.repositoryMismatch, 'the source repository is unknown', {
          unknown: true,
        }),
      );
    } else if (!expected.some((r) => r.repository.test(actual))) {
      out.push(
        ...fire(
          'provenance-repository',
          rules.repositoryMismatch,
          `built from ${actual}, not the expected repository`,
        ),
      );
    }
  }
  if (facts.sourceRepoChanged === true) {
    out.push(
      ...fire(
        'provenance-repository-changed',
        rules.repositoryChanged,
        'the source repository differs from earlier versions',
      ),
    );
  }
  return out;
};
