import { fire, type Firing, type Rule } from './context.js';

/** Typosquat suspicion (metadata fact or finding), unpopular packages, deprecation, maintainer change. */
export const metadataRule: Rule = ({ facts, findings, policy }) => {
  const rules = policy.rules;
  const out: Firing[] = [];
  const typosquatFinding = findings.find((f) => f.analyzer === 'metadata' && f.rule === 'typosquat');
  if (facts.typosquatOf !== undefined || typosquatFinding) {
    const message =
      facts.typosquatOf !== undefined
        ? `the name looks like a typosquat of ${facts.typosquatOf}`
        : `possible typosquat: ${typosquatFinding?.message ?? ''}`;
    out.push(...fire('typosquat', rules.typosquat.action, message, rules.typosquat));
  }
  const downloads = facts.weeklyDownloads;
  if (downloads !== undefined && downloads < rules.unpopular.minWeeklyDownloads) {
    out.push(
      ...fire(
        'unpopular',
        rules.unpopular.action,
        `${downloads} downloads a week (fewer than ${rules.unpopular.minWeeklyDownloads})`,
        rules.unpopular,
      ),
    );
  }
  if (facts.deprecated !== undefined && facts.deprecated !== '') {
    out.push(
      ...fire(
        'deprecated',
        rules.deprecated.action,
        `deprecated: ${facts.deprecated.slice(0, 200)}`,
        rules.deprecated,
      ),
    );
  }
  if (facts.maintainerChanged === true) {
    out.push(
      ...fire(
        'maintainer-change',
        rules.maintainerChange.action,
        'the maintainers changed since the previous version',
        rules.maintainerChange,
      ),
    );
  }
  return out;
};
