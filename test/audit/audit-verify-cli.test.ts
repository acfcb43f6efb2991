import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import { runCli } from '../../src/cli/main.js';
import { captureContext } from '../../src/cli/test-support/capture-context.js';
import { writeConfigFor } from '../../src/cli/test-support/config-file.js';
import { createTestDatabase, engines, type TestDatabase } from '../../src/store/test-support/databases.js';
import { SqlAuditLog } from '../../src/audit/audit-log-sql.js';
import type { AuditEvent } from '../../src/store/ports.js';

describe.each(engines)('airlock audit verify on %s', (engine) => {
  let t: TestDatabase;
  let config: { dir: string; file: string };
  let events: AuditEvent[];
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    config = writeConfigFor(t);
    const log = new SqlAuditLog(t.database);
    events = [];
    for (const [action, subject] of [
      ['token.create', 'token:ci'],
      ['version.approve', 'npm:lodash@4.17.21'],
      ['version.reject', 'npm:evil@1.0.0'],
      ['policy.apply', 'policy:default'],
    ] as const) {
      events.push(await log.append({ actor: 'alice', action, subject, details: { reason: 'test' } }));
    }
  });
  afterEach(async () => {
    await t.dispose();
    rmSync(config.dir, { recursive: true, force: true });
  });

  async function verify(format = 'table') {
    const ctx = captureContext(config.dir);
    const code = await runCli(
      ['node', 'airlock', 'audit', 'verify', '--config', config.file, '--format', format],
      ctx,
    );
    return { code, out: ctx.out(), err: ctx.err() };
  }

  it('reports an intact chain with its event count', async () => {
    const result = await verify();
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain(`Audit log intact: 4 events, last hash ${events[3]!.hash}.`);
  });

  it('catches an audit row edited with SQL', async () => {
    const approved = events[1]!;
    await sql`update audit_events set subject = 'npm:lodash@4.17.20' where id = ${approved.id}`.execute(
      t.database.db,
    );
    const result = await verify();
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toBe(
      `airlock: audit log is broken at event ${approved.id}: event ${approved.id} was edited: its content no longer matches its hash (1 event before it intact)\n`,
    );
  });

  it('catches a deleted audit row', async () => {
    await sql`delete from audit_events where id = ${events[2]!.id}`.execute(t.database.db);
    const result = await verify();
    expect(result.code).toBe(1);
    expect(result.err).toContain(`broken at event ${events[3]!.id}`);
    expect(result.err).toContain('deleted');
  });

  it('reports a broken chain as JSON with exit code 1', async () => {
    await sql`update audit_events set details_json = '{"reason":"other"}' where id = ${events[0]!.id}`.execute(
      t.database.db,
    );
    const result = await verify('json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out)).toMatchObject({ intact: false, firstBadId: events[0]!.id, events: 0 });
  });
});
