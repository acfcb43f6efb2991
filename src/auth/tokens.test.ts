import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { isAirlockError } from '../errors.js';
import { SqlAuditLog } from '../audit/audit-log-sql.js';
import { createTestDatabase, engines, type TestDatabase } from '../store/test-support/databases.js';
import type { AuditLog } from '../store/ports.js';
import { TokenStore, hashToken } from './tokens.js';

describe.each(engines)('TokenStore on %s', (engine) => {
  let t: TestDatabase;
  let clock: ManualClock;
  let audit: SqlAuditLog;
  let tokens: TokenStore;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    clock = new ManualClock('2026-04-01T08:00:00Z');
    audit = new SqlAuditLog(t.database, clock);
    tokens = new TokenStore(t.database, audit, clock);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('creates a token, stores only its hash, and authenticates it', async () => {
    const { token, record } = await tokens.create({ name: 'ci', role: 'publisher', createdBy: 'admin' });
    expect(token).toMatch(/^airlock_[A-Za-z0-9_-]{43}$/);
    expect(record).toMatchObject({ name: 'ci', role: 'publisher', createdBy: 'admin', revokedAt: null });
    expect(token.startsWith(record.prefix)).toBe(true);
    const stored = await t.database.db.selectFrom('tokens').selectAll().executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token.slice(record.prefix.length));
    expect(await tokens.authenticate(token)).toEqual({ name: 'ci', role: 'publisher', tokenId: record.id });
  });

  it('turns away unknown, malformed and revoked tokens', async () => {
    const { token } = await tokens.create({ name: 'ci', role: 'reader', createdBy: 'admin' });
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const bad of [
      flipped,
      '',
      'Bearer x',
      token + 'x',
      token.toUpperCase(),
      'airlock_' + 'x'.repeat(5000),
    ]) {
      expect(await tokens.authenticate(bad)).toBeUndefined();
    }
    await tokens.revoke('ci', 'admin');
    expect(await tokens.authenticate(token)).toBeUndefined();
  });

  it('records last use at most once a minute', async () => {
    const { token, record } = await tokens.create({ name: 'ci', role: 'reader', createdBy: 'admin' });
    const lastUsed = async () => (await tokens.list()).find((r) => r.id === record.id)?.lastUsedAt;
    await tokens.authenticate(token);
    expect(await lastUsed()).toBe('2026-04-01T08:00:00.000Z');
    clock.advance(30_000);
    await tokens.authenticate(token);
    expect(await lastUsed()).toBe('2026-04-01T08:00:00.000Z');
    clock.advance(31_000);
    await tokens.authenticate(token);
    expect(await lastUsed()).toBe('2026-04-01T08:01:01.000Z');
  });

  it('lists tokens without secrets, revoked ones included', async () => {
    await tokens.create({ name: 'ci', role: 'reader', createdBy: 'admin' });
    const { record } = await tokens.create({ name: 'alice', role: 'reviewer', createdBy: 'admin' });
    await tokens.revoke(String(record.id), 'admin');
    const list = await tokens.list();
    expect(list.map((r) => [r.name, r.role, r.revokedAt])).toEqual([
      ['alice', 'reviewer', '2026-04-01T08:00:00.000Z'],
      ['ci', 'reader', null],
    ]);
    expect(JSON.stringify(list)).not.toMatch(/hash/);
  });

  it('keeps active names unique and allows reuse after revoke', async () => {
    await tokens.create({ name: 'ci', role: 'reader', createdBy: 'admin' });
    const error = await tokens
      .create({ name: 'ci', role: 'admin', createdBy: 'admin' })
      .catch((e: unknown) => e);
    expect(isAirlockError(error, 'CONFLICT')).toBe(true);
    await tokens.revoke('ci');
    await expect(tokens.create({ name: 'ci', role: 'admin', createdBy: 'admin' })).resolves.toBeDefined();
  });

  it('rejects bad names and roles, and unknown tokens on revoke', async () => {
    for (const name of ['', '12', 'has space', '../x', 'x'.repeat(65)]) {
      const error = await tokens.create({ name, role: 'reader', createdBy: 'a' }).catch((e: unknown) => e);
      expect(isAirlockError(error, 'BAD_REQUEST')).toBe(true);
    }
    const badRole = await tokens
      .create({ name: 'x', role: 'root' as 'admin', createdBy: 'a' })
      .catch((e: unknown) => e);
    expect(isAirlockError(badRole, 'BAD_REQUEST')).toBe(true);
    expect(isAirlockError(await tokens.revoke('nobody').catch((e: unknown) => e), 'NOT_FOUND')).toBe(true);
    expect(isAirlockError(await tokens.revoke(999).catch((e: unknown) => e), 'NOT_FOUND')).toBe(true);
  });

  it('writes every create and revoke to the audit log', async () => {
    const { record } = await tokens.create({ name: 'ci', role: 'publisher', createdBy: 'alice' });
    await tokens.revoke('ci', 'bob');
    const events = await audit.list();
    expect(events.map((e) => [e.actor, e.action, e.subject, e.details])).toEqual([
      ['bob', 'token.revoke', 'token:ci', { id: record.id, role: 'publisher', prefix: record.prefix }],
      ['alice', 'token.create', 'token:ci', { id: record.id, role: 'publisher', prefix: record.prefix }],
    ]);
    expect(await audit.verify()).toMatchObject({ intact: true, events: 2 });
  });

  it('does not keep a token whose audit event could not be written', async () => {
    const failing: AuditLog = {
      append: () => Promise.reject(new Error('audit log unavailable')),
      list: () => Promise.resolve([]),
      verify: () => Promise.resolve({ intact: true, events: 0, lastHash: '' }),
    };
    const store = new TokenStore(t.database, failing, clock);
    await expect(store.create({ name: 'ci', role: 'reader', createdBy: 'a' })).rejects.toThrow(/unavailable/);
    expect(await tokens.list()).toEqual([]);
  });
});
