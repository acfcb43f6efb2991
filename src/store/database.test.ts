import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, redact } from './database.js';
import { migrate } from './migrate.js';
import { allMigrations } from '../migrations.js';
import {
  createTestDatabase,
  dropSchema,
  engines,
  testPostgresUrl,
  type TestDatabase,
} from './test-support/databases.js';
import { isAirlockError } from '../errors.js';

describe.each(engines)('database on %s', (engine) => {
  let handle: TestDatabase | undefined;
  afterEach(async () => {
    await handle?.dispose();
    handle = undefined;
  });

  it('runs the migrations and answers queries', async () => {
    handle = await createTestDatabase(engine);
    await handle.database.ping();
    const rows = await handle.database.db.selectFrom('tokens').selectAll().execute();
    expect(rows).toEqual([]);
  });

  it('is idempotent when migrations run again', async () => {
    handle = await createTestDatabase(engine);
    expect(await migrate(handle.database, allMigrations)).toEqual([]);
  });
});

describe('PostgreSQL migrations', () => {
  it('are safe when several processes start at once', async () => {
    const schema = `t_race_${Date.now().toString(36)}`;
    const opened = await Promise.all(
      [0, 1, 2, 3].map(() => openDatabase({ url: testPostgresUrl, schema, poolSize: 2 })),
    );
    try {
      const applied = await Promise.all(opened.map((d) => migrate(d, allMigrations)));
      // Exactly one process applied each migration; the others found nothing to do.
      expect(applied.flat().sort()).toEqual(
        Object.keys(allMigrations.reduce((a, s) => ({ ...a, ...s }), {})).sort(),
      );
      const count = await sql<{ n: number }>`select count(*) as n from tokens`.execute(opened[0]!.db);
      expect(count.rows[0]?.n).toBe(0);
    } finally {
      await Promise.all(opened.map((d) => d.close()));
      await dropSchema(schema);
    }
  });
});

describe('PostgreSQL migrations beside other schemas', () => {
  // CI once failed because the migrator introspected every schema while another test dropped its own.
  it('are unaffected by schemas being dropped at the same time', async () => {
    const churn = `t_churn_${Date.now().toString(36)}`;
    let stop = false;
    const churnSchemas = async (lane: number) => {
      for (let i = 0; !stop; i++) {
        const name = `${churn}_${lane}_${i}`;
        const churnDb = await openDatabase({ url: testPostgresUrl, schema: name, poolSize: 1 });
        for (let t = 0; t < 20; t++)
          await sql.raw(`create table filler_${t} (id integer)`).execute(churnDb.db);
        await churnDb.close();
        await dropSchema(name);
      }
    };
    const dropper = Promise.all([0, 1, 2].map(churnSchemas));
    try {
      for (let i = 0; i < 20; i++) {
        const handle = await createTestDatabase('postgres');
        await handle.dispose();
      }
    } finally {
      stop = true;
      await dropper;
    }
  });
});

describe('openDatabase errors', () => {
  it('names the database and the fix when PostgreSQL does not answer', async () => {
    const error = await openDatabase({ url: 'postgres://nobody:secret@127.0.0.1:1/none' }).catch(
      (e: unknown) => e,
    );
    expect(isAirlockError(error, 'DATABASE_UNREACHABLE')).toBe(true);
    expect((error as Error).message).toMatch(
      /cannot connect to postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none/,
    );
    expect((error as Error).message).not.toContain('secret');
  });

  it('rejects unsupported URLs', async () => {
    const error = await openDatabase({ url: 'mysql://x' }).catch((e: unknown) => e);
    expect(isAirlockError(error, 'CONFIG_INVALID')).toBe(true);
  });

  it('redacts passwords', () => {
    expect(redact('postgres://u:p@h/db')).toBe('postgres://u:***@h/db');
  });
});
