import { matchesAny } from '../name-pattern.js';
import { fire, type Firing, type Rule } from './context.js';

/**
 * Install scripts are reviewed unless the package is allow-listed. Scripts appearing for the first
 * time in a package's history are their own, stronger rule, and apply to allow-listed packages too:
 * that is exactly what a hijacked trusted package looks like.
 */
export const installScriptsRule: Rule = ({ ref, facts, findings, policy }) => {
  const rule = policy.rules.installScripts;
  const out: Firing[] = [];
  const fromFindings = findings.some((f) => f.analyzer === 'install-scripts');
  const has = facts.hasInstallScripts ?? (fromFindings ? true : undefined);
  if (facts.installScriptsFirstSeen === true) {
    out.push(
      ...fire(
        'install-scripts-first-seen',
        rule.firstSeen,
        'install scripts appear in this version for the first time in the package’s history',
        { revoke: rule.revoke },
      ),
    );
  }
  if (matchesAny(policy.installScriptsAllow, ref.name)) return out;
  if (has === undefined) {
    out.push(
      ...fire('install-scripts', rule.action, 'unknown whether this version runs install scripts', {
        unknown: true,
      }),
    );
  } else if (has) {
    out.push(
      ...fire(
        'install-scripts',
        rule.action,
        'runs install scripts (preinstall/install/postinstall) and is not on the allow list',
        { revoke: rule.revoke },
      ),
    );
  }
  return out;
};
