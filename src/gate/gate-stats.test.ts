import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import type { Finding } from '../core/finding.js';
import { SqlJobQueue } from '../store/job-queue-sql.js';
import { createTestDatabase, engines, type TestDatabase } from '../store/test-support/databases.js';
import { GateStats } from './gate-stats.js';
import { GateStore } from './gate-store.js';

const finding = (severity: Finding['severity']): Finding => ({
  analyzer: 'malware',
  rule: 'r',
  severity,
  message: 'm',
});

describe.each(engines)('GateStats on %s', (engine) => {
  let t: TestDatabase;
  const clock = new ManualClock('2026-05-10T12:00:00.000Z');
  beforeEach(async () => {
    t = await createTestDatabase(engine);
  });
  afterEach(() => t.dispose());

  async function decide(
    store: GateStore,
    version: string,
    at: string,
    findings: Finding[],
    action = 'review',
  ) {
    clock.set(at);
    const ref = { ecosystem: 'npm' as const, name: 'p', version };
    await store.ensurePending(ref, { integrity: 'sha512-x', publishedAt: undefined });
    await store.recordDecision(ref, {
      decision: { action: action as 'review', reasons: [], policyDigest: 'd', decidedBy: 'policy', at },
      findings,
      facts: {},
    });
  }

  it('counts findings by severity per day over the window, every day present', async () => {
    const store = new GateStore(t.database, clock);
    await decide(store, '1.0.0', '2026-05-10T08:00:00.000Z', [
      finding('high'),
      finding('high'),
      finding('info'),
    ]);
    await decide(store, '1.0.1', '2026-05-09T23:59:00.000Z', [finding('critical')], 'reject');
    await decide(store, '0.9.0', '2026-04-01T00:00:00.000Z', [finding('low')], 'approve');
    await decide(store, '0.9.1', '2026-05-10T09:00:00.000Z', [], 'approve');
    const stats = new GateStats(t.database);
    const days = await stats.findingsBySeverity(new Date('2026-05-10T12:00:00.000Z'), 3);
    expect(days).toEqual([
      { day: '2026-05-08', info: 0, low: 0, moderate: 0, high: 0, critical: 0 },
      { day: '2026-05-09', info: 0, low: 0, moderate: 0, high: 0, critical: 1 },
      { day: '2026-05-10', info: 1, low: 0, moderate: 0, high: 2, critical: 0 },
    ]);
    expect(await stats.versionsByState()).toEqual({
      pending: 0,
      scanning: 0,
      approved: 2,
      review: 1,
      rejected: 1,
    });
  });

  it('moves its change marks when the review queue or any version changes', async () => {
    const store = new GateStore(t.database, clock);
    const stats = new GateStats(t.database);
    const empty = await stats.changeMarks();
    await decide(store, '1.0.0', '2026-05-10T08:00:00.000Z', [], 'approve');
    const approved = await stats.changeMarks();
    expect(approved.queue).toBe(empty.queue);
    expect(approved.versions).not.toBe(empty.versions);
    await decide(store, '1.0.1', '2026-05-10T08:01:00.000Z', []);
    expect((await stats.changeMarks()).queue).not.toBe(approved.queue);
  });

  it('reports finished scan jobs per hour', async () => {
    const jobs = new SqlJobQueue(t.database, { clock });
    clock.set('2026-05-10T10:15:00.000Z');
    for (let i = 0; i < 3; i++) {
      await jobs.enqueue('gate.scan', { i });
    }
    await jobs.enqueue('other', {});
    const claimed = await jobs.claim(['gate.scan', 'other'], 'w', { limit: 10, leaseMs: 60_000 });
    for (const job of claimed.slice(0, 2)) await jobs.complete(job.id, 'w');
    clock.set('2026-05-10T11:05:00.000Z');
    for (const job of claimed.slice(2)) await jobs.complete(job.id, 'w');
    expect(await jobs.finishedPerHour('gate.scan', new Date('2026-05-10T00:00:00.000Z'))).toEqual([
      { hour: '2026-05-10T10', count: 2 },
      { hour: '2026-05-10T11', count: 1 },
    ]);
    expect(await jobs.finishedPerHour('gate.scan', new Date('2026-05-10T11:00:00.000Z'))).toEqual([
      { hour: '2026-05-10T11', count: 1 },
    ]);
  });
});
