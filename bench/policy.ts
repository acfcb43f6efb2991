/**
 * Policy engine figures: decisions per second for a mix of versions under a realistic policy
 * (1,000 overrides, 200 waivers, a licence allow list), policy load time, and a diff over 20,000
 * stored versions. Run with `npm run bench:policy`; figures are for comparing changes, not limits.
 */
import type { VersionFacts } from '../src/core/facts.js';
import type { Finding } from '../src/core/finding.js';
import { diffPolicy, evaluate, parsePolicy, type StoredVersion, type Waiver } from '../src/policy/index.js';

const overrides = Array.from(
  { length: 1000 },
  (_, i) =>
    `  - { package: "pkg-${i}", version: "^${i % 7}.0.0", action: ${i % 3 ? 'approve' : 'reject'}, reason: r }`,
).join('\n');
const text = `minReleaseAge: { age: 3d, exempt: ["@acme/*"] }
licenses: { allow: [MIT, ISC, Apache-2.0, BSD-2-Clause, BSD-3-Clause], unknown: review }
provenance: { require: ["@acme/*"], repositories: [{ package: "@acme/*", repository: "github.com/acme/*" }] }
overrides:
${overrides}
`;

const now = new Date('2027-01-01T00:00:00Z');
const loadStart = performance.now();
const policy = parsePolicy(text, 'bench.yaml');
const loadMs = performance.now() - loadStart;

const waivers: Waiver[] = Array.from({ length: 200 }, (_, i) => ({
  id: i,
  ecosystem: 'npm',
  name: `lib-${i % 50}`,
  range: '*',
  rule: i % 2 ? 'vulnerability' : 'install-scripts',
  until: '2027-06-01T00:00:00Z',
  reason: 'bench',
  createdBy: 'bench',
  createdAt: '2026-01-01T00:00:00Z',
}));

function inputs(i: number): { name: string; facts: VersionFacts; findings: Finding[] } {
  const facts: VersionFacts = {
    publishedAt: new Date(now.getTime() - (i % 10) * 86_400_000).toISOString(),
    hasInstallScripts: i % 9 === 0,
    license: i % 5 === 0 ? '(MIT OR GPL-3.0-only)' : 'MIT',
  };
  const findings: Finding[] =
    i % 4 === 0
      ? [
          {
            analyzer: 'vulnerability',
            rule: 'k',
            severity: i % 8 ? 'high' : 'critical',
            message: 'x',
            advisory: { id: `GHSA-${i}`, fixedIn: ['9.9.9'] },
          },
        ]
      : [];
  return { name: i % 3 === 0 ? `pkg-${i % 1000}` : `lib-${i % 500}`, facts, findings };
}

const count = 50_000;
const cases = Array.from({ length: 1000 }, (_, i) => inputs(i));
const tally: Record<string, number> = { approve: 0, review: 0, reject: 0 };
const start = performance.now();
for (let i = 0; i < count; i++) {
  const c = cases[i % cases.length]!;
  const d = evaluate({
    ref: { ecosystem: 'npm', name: c.name, version: `${i % 7}.1.0` },
    facts: c.facts,
    findings: c.findings,
    policy,
    waivers: waivers.filter((w) => w.name === c.name),
    now,
  });
  tally[d.action] = (tally[d.action] ?? 0) + 1;
}
const seconds = (performance.now() - start) / 1000;

const stored: StoredVersion[] = Array.from({ length: 20_000 }, (_, i) => {
  const c = cases[i % cases.length]!;
  return {
    ref: { ecosystem: 'npm', name: c.name, version: `${i % 7}.1.${i}` },
    state: 'approved',
    facts: c.facts,
    findings: c.findings,
  };
});
const next = parsePolicy(`${text}vulnerabilities: [{ severity: high, action: reject }]\n`, 'next.yaml');
const diffStart = performance.now();
const diff = diffPolicy({ versions: stored, policy: next, previous: policy, waivers, now });
const diffSeconds = (performance.now() - diffStart) / 1000;

console.log(`policy load (1,000 overrides): ${loadMs.toFixed(1)} ms`);
console.log(
  `evaluate: ${Math.round(count / seconds)} decisions/s (${count} decisions; approve ${tally.approve}, review ${tally.review}, reject ${tally.reject})`,
);
console.log(
  `diff over ${stored.length} stored versions: ${diffSeconds.toFixed(2)} s, ${diff.changes.length} changes`,
);
