import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { SqlAuditLog } from '../audit/audit-log-sql.js';
import { isAirlockError } from '../errors.js';
import { createTestDatabase, engines, type TestDatabase } from '../store/test-support/databases.js';
import { evaluate } from './evaluate.js';
import { parseWaiverTarget } from './waiver-input.js';
import { SqlWaiverStore } from './waiver-store.js';
import { cleanFacts, policyOf, ref, vuln } from './test-support/policies.js';

describe.each(engines)('SqlWaiverStore on %s', (engine) => {
  let t: TestDatabase;
  let clock: ManualClock;
  let audit: SqlAuditLog;
  let store: SqlWaiverStore;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    clock = new ManualClock('2027-01-01T00:00:00.000Z');
    audit = new SqlAuditLog(t.database, clock);
    store = new SqlWaiverStore(t.database, audit, clock);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('adds a waiver through the end of its day, audits it, and lists it', async () => {
    const w = await store.add(
      {
        name: 'lodash',
        range: '^4.17.0',
        rule: 'vulnerability',
        until: '2027-01-31',
        reason: 'no exploit path',
      },
      'alice',
    );
    expect(w).toMatchObject({
      ecosystem: 'npm',
      name: 'lodash',
      range: '^4.17.0',
      rule: 'vulnerability',
      until: '2027-02-01T00:00:00.000Z',
      reason: 'no exploit path',
      createdBy: 'alice',
      createdAt: '2027-01-01T00:00:00.000Z',
    });
    expect(await store.list()).toEqual([w]);
    const one = await store.add(
      {
        name: 'lodash',
        rule: 'vulnerability:GHSA-35jh-r3h4-6jhm',
        until: '2027-03-01',
        reason: 'one advisory',
      },
      'alice',
    );
    expect(one.rule).toBe('vulnerability:GHSA-35jh-r3h4-6jhm');
    await store.remove(one.id, 'alice');
    expect(await store.activeFor({ ecosystem: 'npm', name: 'lodash' })).toEqual([w]);
    expect(await store.activeFor({ ecosystem: 'npm', name: 'underscore' })).toEqual([]);
    const event = (await audit.list({ action: 'waiver.add' })).at(-1);
    expect(event).toMatchObject({
      actor: 'alice',
      action: 'waiver.add',
      subject: 'npm:lodash@^4.17.0',
      details: {
        id: w.id,
        rule: 'vulnerability',
        until: '2027-02-01T00:00:00.000Z',
        reason: 'no exploit path',
      },
    });
  });

  it('stops applying a waiver when the clock passes its end, without anyone acting', async () => {
    await store.add(
      { name: 'demo', rule: 'vulnerability', until: '2027-01-10', reason: 'patch pending' },
      'alice',
    );
    const policy = policyOf();
    const decideNow = async () =>
      evaluate({
        ref: ref('demo@1.0.0'),
        facts: { ...cleanFacts, publishedAt: '2026-01-01T00:00:00.000Z' },
        findings: [vuln('critical')],
        policy,
        waivers: await store.activeFor({ ecosystem: 'npm', name: 'demo' }),
        now: clock.now(),
      });
    const waived = await decideNow();
    expect(waived.action).toBe('approve');
    expect(waived.reevaluateAt).toBe('2027-01-11T00:00:00.000Z');
    clock.set('2027-01-10T23:59:59.999Z');
    expect((await decideNow()).action).toBe('approve');
    clock.set('2027-01-11T00:00:00.000Z');
    expect(await store.list()).toEqual([]);
    expect(await store.list({ includeExpired: true })).toHaveLength(1);
    expect((await decideNow()).action).toBe('reject');
  });

  it('removes a waiver, keeping the row and auditing the removal', async () => {
    const w = await store.add(
      { name: '@acme/ui', rule: 'install-scripts', until: '2027-06-01', reason: 'builds native' },
      'alice',
    );
    expect(await store.remove(w.id, 'bob', 'no longer needed')).toMatchObject({ id: w.id });
    expect(await store.list({ includeExpired: true })).toEqual([]);
    expect((await audit.list())[0]).toMatchObject({
      actor: 'bob',
      action: 'waiver.remove',
      subject: 'npm:@acme/ui@*',
      details: { id: w.id, rule: 'install-scripts', reason: 'no longer needed' },
    });
    const again = await store.remove(w.id, 'bob').catch((e: unknown) => e);
    expect(isAirlockError(again, 'NOT_FOUND')).toBe(true);
  });

  it('refuses bad names, ranges, rules, dates and missing reasons, storing nothing', async () => {
    const bad = async (input: Parameters<SqlWaiverStore['add']>[0]) => {
      const error = await store.add(input, 'alice').catch((e: unknown) => e);
      expect(isAirlockError(error)).toBe(true);
      return (error as Error).message;
    };
    const base = { name: 'demo', rule: 'malware', until: '2027-02-01', reason: 'false positive' };
    expect(await bad({ ...base, name: '../etc' })).toBe('"../etc" is not a valid npm package name');
    expect(await bad({ ...base, range: 'latest please' })).toMatch(/is not a version or semver range/);
    expect(await bad({ ...base, rule: 'override' })).toMatch(
      /^unknown rule "override"; waivable rules: min-release-age, vulnerability,/,
    );
    expect(await bad({ ...base, rule: 'vulnerability:<script>' })).toMatch(
      /after "vulnerability:" name an advisory id/,
    );
    expect(await bad({ ...base, until: '2026-12-31' })).toBe(
      '--until 2027-01-01T00:00:00.000Z is not in the future',
    );
    expect(await bad({ ...base, until: '2027-02-30' })).toBe(
      '--until "2027-02-30" is not a date such as 2027-01-31',
    );
    expect(await bad({ ...base, reason: '  ' })).toBe('a waiver needs a reason of 1–1000 characters');
    expect(await store.list({ includeExpired: true })).toEqual([]);
    expect(await audit.list()).toEqual([]);
  });
});

describe('parseWaiverTarget', () => {
  it('splits name and range, scoped names included', () => {
    expect(parseWaiverTarget('lodash@^4.17.0')).toEqual({ name: 'lodash', range: '^4.17.0' });
    expect(parseWaiverTarget('@acme/ui@1.2.3')).toEqual({ name: '@acme/ui', range: '1.2.3' });
    expect(parseWaiverTarget('@acme/ui')).toEqual({ name: '@acme/ui', range: '*' });
    expect(parseWaiverTarget('left-pad')).toEqual({ name: 'left-pad', range: '*' });
  });
});
