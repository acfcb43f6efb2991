import type { Analyzer } from '../core/analyzer.js';
import type { VersionFacts } from '../core/facts.js';
import type { Finding } from '../core/finding.js';

const installHooks = ['preinstall', 'install', 'postinstall'] as const;

function installScriptsOf(manifest: Readonly<Record<string, unknown>>): Record<string, string> {
  const scripts = manifest.scripts;
  const found: Record<string, string> = {};
  if (typeof scripts !== 'object' || scripts === null) return found;
  for (const hook of installHooks) {
    const value = (scripts as Record<string, unknown>)[hook];
    if (typeof value === 'string') found[hook] = value;
  }
  return found;
}

/**
 * The gate's own metadata checks, from the packument alone: install scripts (and whether they are new
 * in this package's history), deprecation, licence and repository facts. The scan domain's analyzers
 * look inside the tarball.
 */
export const manifestAnalyzer: Analyzer = {
  name: 'install-scripts',
  analyze(input) {
    const scripts = installScriptsOf(input.manifest);
    const findings: Finding[] = Object.entries(scripts).map(([hook, command]) => ({
      analyzer: 'install-scripts',
      rule: 'install-script',
      severity: 'moderate',
      message: `runs a ${hook} script at install time`,
      file: 'package.json',
      evidence: `"${hook}": ${JSON.stringify(command.slice(0, 200))}`,
    }));
    const hasInstallScripts = findings.length > 0 || input.manifest.hasInstallScript === true;
    const facts: VersionFacts = { hasInstallScripts };
    const versions = input.packument?.versions;
    if (hasInstallScripts && typeof versions === 'object' && versions !== null) {
      const earlier = Object.entries(versions as Record<string, Record<string, unknown>>).filter(
        ([v]) => v !== input.ref.version,
      );
      facts.installScriptsFirstSeen =
        earlier.length > 0 && earlier.every(([, m]) => Object.keys(installScriptsOf(m)).length === 0);
    }
    if (typeof input.manifest.deprecated === 'string') facts.deprecated = input.manifest.deprecated;
    if (typeof input.manifest.license === 'string') facts.license = input.manifest.license;
    facts.hasRepository = input.manifest.repository !== undefined;
    return Promise.resolve({ findings, facts });
  },
};
