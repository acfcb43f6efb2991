import { evaluateLicense } from '../spdx.js';
import { fire, type Rule } from './context.js';

/** SPDX expression against the allow/deny lists; missing or non-SPDX licences follow `licenses.unknown`. */
export const licenseRule: Rule = ({ facts, policy }) => {
  const { action, unknown } = policy.rules.licenses;
  const verdict = evaluateLicense(facts.license, { allow: policy.licenseAllow, deny: policy.licenseDeny });
  if (verdict.verdict === 'denied') return fire('license', action, verdict.message);
  if (verdict.verdict === 'unknown')
    return fire('license-unknown', unknown, verdict.message, { unknown: true });
  return [];
};
