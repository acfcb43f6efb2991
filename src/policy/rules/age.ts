import { matchesAny } from '../name-pattern.js';
import { fire, humanDuration, type Rule } from './context.js';

/** Cooldown: a version younger than `minReleaseAge` is held until it comes of age (no person needed). */
export const minReleaseAgeRule: Rule = ({ ref, facts, policy, now }) => {
  const { age } = policy.rules.minReleaseAge;
  if (age <= 0 || matchesAny(policy.minReleaseAgeExempt, ref.name)) return [];
  const published = facts.publishedAt === undefined ? NaN : Date.parse(facts.publishedAt);
  if (!Number.isFinite(published)) {
    // Without a publish time the age cannot be known; holding it for a person is the safe side.
    return fire('min-release-age', 'review', 'publish time unknown, so its age cannot be checked', {
      unknown: true,
    });
  }
  const ready = published + age;
  if (now.getTime() >= ready) return [];
  const until = new Date(ready).toISOString();
  return fire(
    'min-release-age',
    'review',
    `published ${humanDuration(now.getTime() - published)} ago; versions are held until ${humanDuration(age)} old (${until})`,
    { until },
  );
};

/** A package first published less than `newPackage.minAge` ago. Unknown creation time: not fired. */
export const newPackageRule: Rule = ({ facts, policy, now }) => {
  const { action, minAge, revoke } = policy.rules.newPackage;
  const created = facts.packageCreatedAt === undefined ? NaN : Date.parse(facts.packageCreatedAt);
  if (!Number.isFinite(created) || now.getTime() >= created + minAge) return [];
  const until = new Date(created + minAge).toISOString();
  return fire(
    'new-package',
    action,
    `the package was first published ${humanDuration(now.getTime() - created)} ago (brand-new packages wait ${humanDuration(minAge)})`,
    { revoke, until },
  );
};
