import type { Severity } from '../core/finding.js';

/** One documented rule: its analyzer, severity, score weight and the sentence that says why it matters. */
export interface RuleDefinition {
  readonly analyzer: 'malware' | 'install-scripts' | 'metadata' | 'diff';
  readonly severity: Severity;
  /** Points added to the package score (once per rule per package, see verdict.ts). */
  readonly weight: number;
  readonly why: string;
}

const rule = (analyzer: RuleDefinition['analyzer'], severity: Severity, weight: number, why: string) => ({
  analyzer,
  severity,
  weight,
  why,
});

/** The rule catalogue; docs/scan-rules.md describes each with an example and a test keeps both in step. */
export const rules = {
  // Code behaviour (AST)
  'child-process': rule('malware', 'low', 5, 'runs other programs through child_process'),
  'shell-download-exec': rule(
    'malware',
    'critical',
    80,
    'downloads something and runs it (curl|sh, wget+chmod, iwr|iex)',
  ),
  network: rule('malware', 'low', 5, 'opens network connections'),
  'load-time-network': rule('malware', 'moderate', 5, 'talks to the network as soon as the module is loaded'),
  'env-harvest': rule(
    'malware',
    'moderate',
    15,
    'reads the whole environment (all secrets of a CI job) rather than named variables',
  ),
  'token-read': rule('malware', 'low', 5, 'reads a registry or cloud token from the environment'),
  'credential-access': rule(
    'malware',
    'high',
    20,
    'touches credential stores: ~/.npmrc, ~/.ssh, cloud credentials, browser profiles or wallets',
  ),
  'exfil-endpoint': rule(
    'malware',
    'high',
    40,
    'names a place stolen data is usually sent to (webhook, paste site, Discord/Telegram bot, raw IP)',
  ),
  'dns-exfil': rule('malware', 'high', 40, 'builds DNS names from data, a way to leak it past firewalls'),
  'dynamic-eval': rule('malware', 'moderate', 10, 'evaluates code computed at run time (eval, Function, vm)'),
  'decode-and-execute': rule(
    'malware',
    'critical',
    80,
    'decodes hidden data (base64/hex/char codes/decryption) and executes or requires it',
  ),
  'module-compile': rule(
    'malware',
    'high',
    30,
    'compiles source into a module by hand (module._compile), a way to run hidden payloads',
  ),
  'obfuscated-code': rule(
    'malware',
    'moderate',
    30,
    'obfuscator signatures: _0x identifiers, rotated string arrays',
  ),
  'high-entropy-blob': rule(
    'malware',
    'low',
    5,
    'carries a long high-entropy string (packed or encrypted payload)',
  ),
  'download-execute': rule('malware', 'high', 25, 'downloads a file, makes it executable or runs it'),
  'self-propagation': rule(
    'malware',
    'critical',
    80,
    'publishes packages with the victim’s npm token (worm behaviour)',
  ),
  'github-exfil': rule(
    'malware',
    'high',
    40,
    'uses a stolen GitHub token to create repositories or workflows',
  ),
  'ai-cli-abuse': rule('malware', 'high', 40, 'drives AI coding CLIs with their safety checks switched off'),
  'shell-profile-tamper': rule('malware', 'high', 40, 'writes to shell start-up files (~/.bashrc, ~/.zshrc)'),
  'wallet-hook': rule(
    'malware',
    'high',
    40,
    'hooks browser crypto wallets (window.ethereum) to rewrite transactions',
  ),
  'network-hook': rule('malware', 'moderate', 20, 'replaces fetch/XMLHttpRequest to read or rewrite traffic'),
  'crypto-addresses': rule(
    'malware',
    'high',
    40,
    'carries lists of crypto-wallet addresses (address swapping)',
  ),
  'destructive-fs': rule('malware', 'high', 40, 'walks directories overwriting or deleting files'),
  'geo-targeting': rule('malware', 'high', 30, 'checks the victim’s country or time zone (protestware)'),
  'parse-error': rule(
    'malware',
    'info',
    0,
    'a JavaScript file could not be parsed; its behaviour is unknown',
  ),
  'scan-incomplete': rule(
    'malware',
    'moderate',
    10,
    'analysis stopped at a time or size budget; the result is partial',
  ),
  'tarball-problem': rule(
    'malware',
    'high',
    40,
    'the archive is hostile or broken (traversal, links, bombs, corruption)',
  ),
  'tarball-oddity': rule('malware', 'low', 5, 'the archive has harmless irregularities (duplicate entries)'),
  // Chains across rules
  'install-time-exfiltration': rule(
    'malware',
    'critical',
    60,
    'install-time code reads secrets and sends them out',
  ),
  'install-time-execution-chain': rule(
    'malware',
    'high',
    30,
    'install-time code hides, fetches or runs further code',
  ),
  'exfiltration-chain': rule(
    'malware',
    'critical',
    40,
    'one file reads secrets and talks to an exfiltration endpoint',
  ),
  'protestware-chain': rule('malware', 'critical', 40, 'geo-targeted destructive code'),
  'clipper-chain': rule(
    'malware',
    'critical',
    40,
    'wallet hooks combined with address lists or traffic hooks',
  ),
  // Install-time execution (manifest)
  'install-script': rule(
    'install-scripts',
    'info',
    3,
    'runs code on `npm install` (preinstall/install/postinstall)',
  ),
  'prepare-script': rule(
    'install-scripts',
    'info',
    0,
    'runs on git and local installs only (not from the registry)',
  ),
  'native-build': rule(
    'install-scripts',
    'info',
    0,
    'builds a native addon with node-gyp / prebuild tooling',
  ),
  'install-inline-code': rule('install-scripts', 'moderate', 15, 'install script runs inline code (node -e)'),
  'install-download-exec': rule(
    'install-scripts',
    'critical',
    80,
    'install script downloads and runs something',
  ),
  'install-runs-binary': rule(
    'install-scripts',
    'moderate',
    10,
    'install script runs a shipped binary or shell script',
  ),
  'install-script-obfuscated': rule(
    'install-scripts',
    'high',
    40,
    'install script hides what it runs (base64, eval, hex)',
  ),
  'gyp-without-sources': rule(
    'install-scripts',
    'high',
    30,
    'binding.gyp with no native sources: an implicit install hook',
  ),
  'gyp-command': rule(
    'install-scripts',
    'high',
    40,
    'binding.gyp runs shell commands that fetch or hide code',
  ),
  // Metadata
  typosquat: rule('metadata', 'high', 40, 'name imitates a popular package'),
  'young-package': rule(
    'metadata',
    'moderate',
    15,
    'days-old package without repository (slopsquatting target)',
  ),
  'url-dependency': rule(
    'metadata',
    'moderate',
    15,
    'depends on a URL or git source instead of a registry version',
  ),
  'bundled-binary': rule('metadata', 'low', 5, 'ships executable binaries'),
  'metadata-empty': rule('metadata', 'low', 5, 'no description, repository or licence'),
  'manifest-mismatch': rule(
    'metadata',
    'high',
    40,
    'the tarball package.json differs from the registry manifest (manifest confusion)',
  ),
  deprecated: rule('metadata', 'info', 0, 'the version is deprecated'),
  // Difference from the previous version
  'install-script-added': rule(
    'diff',
    'high',
    30,
    'install scripts appear for the first time in this version',
  ),
  'dependency-added': rule('diff', 'low', 3, 'new dependencies since the previous version'),
  'size-jump': rule('diff', 'moderate', 10, 'the package grew sharply since the previous version'),
  'new-minified-file': rule('diff', 'moderate', 10, 'new minified or binary file since the previous version'),
  'publisher-changed': rule(
    'diff',
    'moderate',
    10,
    'published by someone who never published this package before',
  ),
  'provenance-dropped': rule('diff', 'high', 30, 'the previous version had provenance, this one has none'),
  'entry-point-changed': rule('diff', 'low', 5, 'main entry point changed to a different file'),
} as const satisfies Record<string, RuleDefinition>;

export type RuleId = keyof typeof rules;
