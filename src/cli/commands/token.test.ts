import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { runCli } from '../main.js';
import { captureContext } from '../test-support/capture-context.js';
import { writeConfigFor } from '../test-support/config-file.js';
import { createTestDatabase, engines, type TestDatabase } from '../../store/test-support/databases.js';
import { TokenStore } from '../../auth/tokens.js';
import { SqlAuditLog } from '../../audit/audit-log-sql.js';

describe.each(engines)('airlock token on %s', (engine) => {
  let t: TestDatabase;
  let config: { dir: string; file: string };
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    config = writeConfigFor(t);
  });
  afterEach(async () => {
    await t.dispose();
    rmSync(config.dir, { recursive: true, force: true });
  });

  async function airlock(...args: string[]) {
    const ctx = captureContext(config.dir, { USER: 'ops' });
    const code = await runCli(['node', 'airlock', ...args, '--config', config.file], ctx);
    return { code, out: ctx.out(), err: ctx.err() };
  }

  it('creates a token that works, prints it once, lists and revokes it', async () => {
    const created = await airlock('token', 'create', '--role', 'publisher', '--name', 'ci');
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/not shown again/);
    const secret = /(airlock_[A-Za-z0-9_-]{43})/.exec(created.out)?.[1] ?? '';
    const tokens = new TokenStore(t.database, new SqlAuditLog(t.database));
    expect(await tokens.authenticate(secret)).toMatchObject({ name: 'ci', role: 'publisher' });

    const listed = await airlock('token', 'list', '--format', 'json');
    expect(listed.code).toBe(0);
    expect(listed.out).not.toContain(secret);
    expect(JSON.parse(listed.out)).toMatchObject([{ name: 'ci', role: 'publisher', createdBy: 'cli:ops' }]);
    expect((await airlock('token', 'list')).out).toMatch(/ci\s+publisher/);

    expect((await airlock('token', 'revoke', 'ci')).out).toMatch(/Revoked token "ci"/);
    expect(await tokens.authenticate(secret)).toBeUndefined();
  });

  it('prints the token and record as JSON', async () => {
    const created = await airlock('token', 'create', '--role', 'reader', '--name', 'bot', '--format', 'json');
    expect(JSON.parse(created.out)).toMatchObject({
      token: expect.stringMatching(/^airlock_/) as unknown,
      record: { name: 'bot' },
    });
  });

  it('fails with one line for a bad role, a missing name or an unknown token', async () => {
    const badRole = await airlock('token', 'create', '--role', 'root', '--name', 'x');
    expect(badRole.code).toBe(2);
    expect(badRole.err).toMatch(/reader, publisher, reviewer, admin/);
    expect((await airlock('token', 'create', '--role', 'reader')).code).toBe(2);
    const unknown = await airlock('token', 'revoke', 'ghost');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toBe('airlock: no active token named ghost; see `airlock token list`\n');
  });
});
