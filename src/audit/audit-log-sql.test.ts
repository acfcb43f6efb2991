import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { ManualClock } from '../core/clock.js';
import { isAirlockError } from '../errors.js';
import { openDatabase } from '../store/database.js';
import { createTestDatabase, engines, type TestDatabase } from '../store/test-support/databases.js';
import { exited, spawnScript, waitForLine } from '../store/test-support/spawn-script.js';
import { SqlAuditLog } from './audit-log-sql.js';
import { genesisHash } from './audit-chain.js';

const appender = fileURLToPath(new URL('./test-support/append-events.ts', import.meta.url));

describe.each(engines)('SqlAuditLog on %s', (engine) => {
  let t: TestDatabase;
  let log: SqlAuditLog;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    log = new SqlAuditLog(t.database, new ManualClock('2026-02-01T00:00:00Z'));
  });
  afterEach(async () => {
    await t.dispose();
  });

  async function appendSome(n: number) {
    for (let i = 0; i < n; i += 1) {
      await log.append({
        actor: i % 2 ? 'alice' : 'policy',
        action: i % 3 ? 'version.approve' : 'token.create',
        subject: `npm:pkg-${i}@1.0.0`,
        details: { i, reason: 'because', nested: { b: 2, a: 1 } },
      });
    }
  }

  it('chains events from the genesis hash', async () => {
    const first = await log.append({ actor: 'admin', action: 'token.create', subject: 'token:ci' });
    const second = await log.append({
      actor: 'admin',
      action: 'version.approve',
      subject: 'npm:lodash@4.17.21',
      details: { note: 'reviewed' },
    });
    expect(first).toMatchObject({ at: '2026-02-01T00:00:00.000Z', details: {}, prevHash: genesisHash });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(second.prevHash).toBe(first.hash);
    expect(await log.verify()).toEqual({ intact: true, events: 2, lastHash: second.hash });
  });

  it('reports an empty log as intact', async () => {
    expect(await log.verify()).toEqual({ intact: true, events: 0, lastHash: genesisHash });
  });

  it('lists newest first with filters', async () => {
    await appendSome(8);
    const all = await log.list();
    expect(all.map((e) => e.subject)).toEqual([7, 6, 5, 4, 3, 2, 1, 0].map((i) => `npm:pkg-${i}@1.0.0`));
    expect((await log.list({ actor: 'alice' })).map((e) => e.details.i)).toEqual([7, 5, 3, 1]);
    expect((await log.list({ action: 'token.create' })).map((e) => e.details.i)).toEqual([6, 3, 0]);
    expect((await log.list({ subjectPrefix: 'npm:pkg-4' })).map((e) => e.details.i)).toEqual([4]);
    expect((await log.list({ subjectPrefix: 'npm:pkg-%' })).length).toBe(0);
    const page = await log.list({ limit: 3 });
    const next = await log.list({ limit: 3, beforeId: page[2]!.id });
    expect([...page, ...next].map((e) => e.details.i)).toEqual([7, 6, 5, 4, 3, 2]);
  });

  it('finds an edited event', async () => {
    await appendSome(5);
    const target = (await log.list()).find((e) => e.details.i === 2)!;
    await sql`update audit_events set actor = 'mallory' where id = ${target.id}`.execute(t.database.db);
    expect(await log.verify()).toMatchObject({ intact: false, events: 2, firstBadId: target.id });
    expect(await log.verify()).toMatchObject({ problem: expect.stringMatching(/was edited/) as unknown });
  });

  it('finds an edited event whose hash was recomputed, at the next link', async () => {
    await appendSome(4);
    const [e3, e2] = await log.list({ limit: 2 });
    await sql`update audit_events set details_json = '{}', hash = ${'f'.repeat(64)} where id = ${e2!.id}`.execute(
      t.database.db,
    );
    const result = await log.verify();
    expect(result).toMatchObject({ intact: false, firstBadId: e2!.id });
    // Fixing only the hash moves the break to the next event's link.
    const forged = await t.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('id', '=', e2!.id)
      .executeTakeFirstOrThrow();
    const { eventHash } = await import('./audit-chain.js');
    const rehashed = eventHash({ ...forged, details: {}, prevHash: forged.prev_hash });
    await sql`update audit_events set hash = ${rehashed} where id = ${e2!.id}`.execute(t.database.db);
    expect(await log.verify()).toMatchObject({
      intact: false,
      firstBadId: e3!.id,
      problem: expect.stringMatching(/does not follow/) as unknown,
    });
  });

  it('finds a deleted event, in the middle or at the start', async () => {
    await appendSome(5);
    const events = (await log.list()).reverse();
    await sql`delete from audit_events where id = ${events[2]!.id}`.execute(t.database.db);
    expect(await log.verify()).toMatchObject({ intact: false, firstBadId: events[3]!.id, events: 2 });
    await sql`delete from audit_events where id = ${events[0]!.id}`.execute(t.database.db);
    expect(await log.verify()).toMatchObject({
      intact: false,
      firstBadId: events[1]!.id,
      problem: expect.stringMatching(/first event/) as unknown,
    });
  });

  it('rejects oversized or empty fields and values that are not JSON', async () => {
    const bad = [
      { actor: '', action: 'a.b', subject: 's' },
      { actor: 'a', action: 'a.b', subject: 'x'.repeat(600) },
      { actor: 'a', action: 'a.b', subject: 's', details: { big: 'x'.repeat(70_000) } },
      { actor: 'a', action: 'a.b', subject: 's', details: { n: Number.NaN } },
    ];
    for (const event of bad) {
      expect(isAirlockError(await log.append(event).catch((e: unknown) => e), 'BAD_REQUEST')).toBe(true);
    }
    expect(await log.verify()).toMatchObject({ intact: true, events: 0 });
  });

  it('keeps the chain intact under concurrent appends from several connections', async () => {
    // PostgreSQL: two separate pools. SQLite: one handle (better-sqlite3 blocks the event loop while it
    // waits for a lock, so several handles belong in several processes — the next test does that).
    const other =
      engine === 'postgres' ? await openDatabase({ url: t.url, schema: t.schema, poolSize: 4 }) : undefined;
    try {
      const logs = other ? [log, new SqlAuditLog(other)] : [log];
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          logs[i % logs.length]!.append({ actor: `w${i % 4}`, action: 'test.append', subject: `n:${i}` }),
        ),
      );
    } finally {
      await other?.close();
    }
    expect(await log.verify()).toMatchObject({ intact: true, events: 40 });
  });

  it('keeps the chain intact when separate processes append at once', async () => {
    const children = ['p1', 'p2', 'p3'].map((actor) =>
      spawnScript(appender, [t.url, t.schema ?? '-', '20', actor]),
    );
    const done = children.map(exited);
    await Promise.all(children.map((child) => waitForLine(child, /^ready$/)));
    for (const child of children) child.stdin?.end('go\n');
    await Promise.all(done);
    const result = await log.verify();
    expect(result).toMatchObject({ intact: true, events: 60 });
    expect(new Set((await log.list({ limit: 100 })).map((e) => e.actor))).toEqual(
      new Set(['p1', 'p2', 'p3']),
    );
  });
});
