import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { refKey, type PackageVersionRef } from '../../src/core/package-ref.js';
import { SqlAuditLog } from '../../src/audit/audit-log-sql.js';
import { createTestDatabase, type TestDatabase } from '../../src/store/test-support/databases.js';
import { captureContext } from '../../src/cli/test-support/capture-context.js';
import { writeConfigFor } from '../../src/cli/test-support/config-file.js';
import { policyCommands } from '../../src/cli/commands/policy.js';
import {
  evaluate,
  parsePolicy,
  SqlWaiverStore,
  type CompiledPolicy,
  type PolicyDecision,
  type StoredVersion,
  type StoredVersionSource,
  type VersionChange,
} from '../../src/policy/index.js';

const hour = 3_600_000;

/** A stand-in for the gate's store: versions with their state and decision, and a due-time scheduler. */
class MemoryGate implements StoredVersionSource {
  readonly versions = new Map<string, StoredVersion & { decision?: PolicyDecision }>();
  constructor(
    private readonly clock: ManualClock,
    private readonly waivers: SqlWaiverStore,
  ) {}

  async decide(
    v: Omit<StoredVersion, 'state' | 'decision'>,
    policy: CompiledPolicy,
  ): Promise<PolicyDecision> {
    const decision = evaluate({
      ...v,
      policy,
      waivers: await this.waivers.activeFor(v.ref),
      now: this.clock.now(),
    });
    this.versions.set(refKey(v.ref), { ...v, state: stateOf(decision), decision });
    return decision;
  }

  /** What the scheduler does: re-run every decision whose reevaluateAt has come. */
  async runDue(policy: CompiledPolicy): Promise<string[]> {
    const ran: string[] = [];
    for (const v of this.versions.values()) {
      const at = v.decision?.reevaluateAt;
      if (at !== undefined && Date.parse(at) <= this.clock.now().getTime()) {
        await this.decide(v, policy);
        ran.push(refKey(v.ref));
      }
    }
    return ran;
  }

  state(ref: PackageVersionRef): string | undefined {
    return this.versions.get(refKey(ref))?.state;
  }

  list(): Iterable<StoredVersion> {
    return this.versions.values();
  }
  async get(ref: PackageVersionRef) {
    return this.versions.get(refKey(ref));
  }
  async apply(changes: readonly VersionChange[]): Promise<void> {
    for (const c of changes) {
      if (c.kind === 'would-block' || c.kind === 'kept-manual') continue;
      const v = this.versions.get(refKey(c.ref));
      if (v) this.versions.set(refKey(c.ref), { ...v, state: stateOf(c.decision), decision: c.decision });
    }
  }
}

function stateOf(d: PolicyDecision): string {
  return d.action === 'approve' ? 'approved' : d.action === 'reject' ? 'rejected' : 'review';
}

describe('policy lifecycle: cooldown, waiver expiry, policy change', () => {
  let t: TestDatabase;
  let dir: string;
  let configFile: string;
  let clock: ManualClock;
  let audit: SqlAuditLog;
  let waivers: SqlWaiverStore;
  let gate: MemoryGate;
  const policy = parsePolicy('minReleaseAge: 2d\n', 'policy.yaml');
  const young = { ecosystem: 'npm', name: 'fresh', version: '1.0.0' } as const;
  const vulnerable = { ecosystem: 'npm', name: 'leaky', version: '2.0.0' } as const;

  beforeEach(async () => {
    t = await createTestDatabase('sqlite');
    ({ dir, file: configFile } = writeConfigFor(t));
    clock = new ManualClock('2027-01-01T00:00:00.000Z');
    audit = new SqlAuditLog(t.database, clock);
    waivers = new SqlWaiverStore(t.database, audit, clock);
    gate = new MemoryGate(clock, waivers);
  });
  afterEach(async () => {
    await t.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds a young version, and the scheduler releases it when it comes of age', async () => {
    const facts = {
      publishedAt: new Date(clock.now().getTime() - 6 * hour).toISOString(),
      hasInstallScripts: false,
    };
    const first = await gate.decide({ ref: young, facts, findings: [] }, policy);
    expect(first).toMatchObject({ action: 'review', reevaluateAt: '2027-01-02T18:00:00.000Z' });
    clock.set('2027-01-02T17:59:59.999Z');
    expect(await gate.runDue(policy)).toEqual([]);
    expect(gate.state(young)).toBe('review');
    clock.set('2027-01-02T18:00:00.000Z');
    expect(await gate.runDue(policy)).toEqual(['npm:fresh@1.0.0']);
    expect(gate.state(young)).toBe('approved');
    expect(gate.versions.get('npm:fresh@1.0.0')?.decision?.reasons).toEqual([
      { rule: 'policy', message: 'no rule fired' },
    ]);
  });

  it('a waiver lets a version through until it expires, then the scheduler blocks it again', async () => {
    const facts = { publishedAt: '2026-01-01T00:00:00.000Z', hasInstallScripts: false };
    const findings = [
      {
        analyzer: 'vulnerability',
        rule: 'known',
        severity: 'critical' as const,
        message: 'rce',
        advisory: { id: 'GHSA-x' },
      },
    ];
    expect((await gate.decide({ ref: vulnerable, facts, findings }, policy)).action).toBe('reject');
    await waivers.add(
      { name: 'leaky', range: '2.x', rule: 'vulnerability', until: '2027-01-05', reason: 'not reachable' },
      'alice',
    );
    const waived = await gate.decide({ ref: vulnerable, facts, findings }, policy);
    expect(waived).toMatchObject({ action: 'approve', reevaluateAt: '2027-01-06T00:00:00.000Z' });
    clock.set('2027-01-06T00:00:00.000Z');
    expect(await gate.runDue(policy)).toEqual(['npm:leaky@2.0.0']);
    expect(gate.state(vulnerable)).toBe('rejected');
  });

  it('previews a policy change, then applies it with one policy.apply audit event', async () => {
    const old = { publishedAt: '2026-01-01T00:00:00.000Z' };
    await gate.decide(
      {
        ref: { ecosystem: 'npm', name: 'native', version: '1.0.0' },
        facts: { ...old, hasInstallScripts: true },
        findings: [],
      },
      policy,
    );
    await gate.decide(
      {
        ref: { ecosystem: 'npm', name: 'leaky', version: '2.0.0' },
        facts: { ...old, hasInstallScripts: false },
        findings: [
          {
            analyzer: 'vulnerability',
            rule: 'k',
            severity: 'high',
            message: 'x',
            advisory: { id: 'GHSA-y' },
          },
        ],
      },
      policy,
    );
    expect(gate.state({ ecosystem: 'npm', name: 'leaky', version: '2.0.0' })).toBe('review');
    await gate.decide(
      {
        ref: { ecosystem: 'npm', name: 'ok', version: '1.0.0' },
        facts: { ...old, hasInstallScripts: false },
        findings: [
          {
            analyzer: 'vulnerability',
            rule: 'k',
            severity: 'moderate',
            message: 'x',
            advisory: { id: 'GHSA-z' },
          },
        ],
      },
      policy,
    );
    writeFileSync(
      join(dir, 'new.yaml'),
      'installScripts:\n  allow: [native]\nvulnerabilities:\n  - { severity: moderate, action: reject }\n',
    );

    const run = async (...args: string[]) => {
      const ctx = captureContext(dir, { USER: 'sec' });
      const program = new Command('airlock').exitOverride();
      policyCommands({ storedVersions: () => gate, clock })(program, ctx);
      await program.parseAsync([
        'node',
        'airlock',
        'policy',
        'diff',
        'new.yaml',
        '--config',
        configFile,
        ...args,
      ]);
      return ctx.out();
    };
    const preview = await run();
    expect(preview).toMatch(/release\s+npm:native@1\.0\.0\s+review\s+approve/);
    expect(preview).toMatch(/reclassify\s+npm:leaky@2\.0\.0\s+review\s+reject/);
    expect(preview).toMatch(/would-block\s+npm:ok@1\.0\.0\s+approved\s+reject/);
    expect(gate.state({ ecosystem: 'npm', name: 'native', version: '1.0.0' })).toBe('review');
    expect(await audit.list({ action: 'policy.apply' })).toEqual([]);

    await run('--apply');
    expect(gate.state({ ecosystem: 'npm', name: 'native', version: '1.0.0' })).toBe('approved');
    expect(gate.state({ ecosystem: 'npm', name: 'leaky', version: '2.0.0' })).toBe('rejected');
    expect(gate.state({ ecosystem: 'npm', name: 'ok', version: '1.0.0' })).toBe('approved');
    const ctx = captureContext(dir, {});
    const program = new Command('airlock').exitOverride();
    policyCommands({ storedVersions: () => gate, clock })(program, ctx);
    await program.parseAsync(['node', 'airlock', 'explain', 'leaky@2.0.0', '--config', configFile]);
    expect(ctx.out()).toMatch(
      /^leaky@2\.0\.0: rejected\n {2}decided reject by policy at 2027-01-01T00:00:00\.000Z under sha256:[0-9a-f]{64}, an earlier policy \(running: sha256:[0-9a-f]{64}\)\n {2}vulnerability: high vulnerability GHSA-y/,
    );
    expect(ctx.out()).toMatch(/vulnerability\s+k\s+high\s+GHSA-y\s+x/);
    const events = await audit.list({ action: 'policy.apply' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: 'cli:sec',
      subject: `policy:${parsePolicy('installScripts:\n  allow: [native]\nvulnerabilities:\n  - { severity: moderate, action: reject }\n', 'x').digest}`,
      details: {
        counts: {
          release: 1,
          reclassify: 1,
          'would-block': 1,
          revoke: 0,
          'kept-manual': 0,
          unchanged: 0,
          skipped: 0,
        },
        versions: {
          release: ['npm:native@1.0.0'],
          reclassify: ['npm:leaky@2.0.0'],
          'would-block': ['npm:ok@1.0.0'],
        },
      },
    });
  });
});
