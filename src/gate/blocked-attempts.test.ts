import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { createTestDatabase, engines, type TestDatabase } from '../store/test-support/databases.js';
import { BlockedAttemptRecorder } from './blocked-attempt-recorder.js';
import { BlockedAttemptStore, type BlockedAttemptBatchEntry } from './blocked-attempts.js';

const ref = { ecosystem: 'npm' as const, name: 'left-pad', version: '1.3.0' };
const entry = (over: Partial<BlockedAttemptBatchEntry> = {}): BlockedAttemptBatchEntry => ({
  ref,
  principal: 'ci',
  clientIp: '10.0.0.1',
  userAgent: 'npm/10',
  reason: 'held for review',
  attempts: 1,
  firstAt: '2026-01-01T00:00:00.000Z',
  lastAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe.each(engines)('BlockedAttemptStore on %s', (engine) => {
  let t: TestDatabase;
  let store: BlockedAttemptStore;
  beforeEach(async () => {
    t = await createTestDatabase(engine);
    store = new BlockedAttemptStore(t.database);
  });
  afterEach(() => t.dispose());

  it('aggregates per version and requester: a count, the first and the latest time', async () => {
    await store.add([entry(), entry({ principal: 'anonymous', clientIp: '10.0.0.2' })]);
    await store.add([
      entry({ attempts: 3, lastAt: '2026-01-01T01:00:00.000Z', userAgent: 'pnpm/9', reason: 'rejected' }),
    ]);
    const rows = await store.list({ limit: 10 });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      principal: 'ci',
      attempts: 4,
      firstAt: '2026-01-01T00:00:00.000Z',
      lastAt: '2026-01-01T01:00:00.000Z',
      userAgent: 'pnpm/9',
      reason: 'rejected',
      ref,
    });
    expect(rows[1]).toMatchObject({ principal: 'anonymous', attempts: 1 });
  });

  it('filters by time and name, newest first, and prunes the oldest beyond a bound', async () => {
    const batch = Array.from({ length: 12 }, (_, i) =>
      entry({
        ref: { ...ref, version: `1.0.${i}` },
        lastAt: new Date(Date.UTC(2026, 0, 1, i)).toISOString(),
      }),
    );
    await store.add(batch);
    await store.add([entry({ ref: { ...ref, name: 'other' }, lastAt: '2026-01-02T00:00:00.000Z' })]);
    expect((await store.list({ limit: 3 })).map((a) => a.ref.name + a.ref.version)).toEqual([
      'other1.3.0',
      'left-pad1.0.11',
      'left-pad1.0.10',
    ]);
    expect(
      await store.list({ limit: 100, since: '2026-01-01T10:00:00.000Z', name: 'left-pad' }),
    ).toHaveLength(2);
    expect(await store.prune(5)).toBe(8);
    const left = await store.list({ limit: 100 });
    expect(left).toHaveLength(5);
    expect(left.at(-1)?.ref.version).toBe('1.0.8');
    expect(await store.prune(5)).toBe(0);
  });
});

describe('BlockedAttemptRecorder', () => {
  const clock = new ManualClock('2026-03-01T00:00:00.000Z');
  const fakeStore = () => {
    const batches: BlockedAttemptBatchEntry[][] = [];
    return {
      batches,
      add: vi.fn(async (batch: readonly BlockedAttemptBatchEntry[]) => {
        batches.push([...batch]);
      }),
      prune: vi.fn(async () => 0),
    };
  };
  const attempt = (over: Record<string, unknown> = {}) => ({
    ref,
    principal: 'anonymous',
    clientIp: '192.0.2.7',
    userAgent: 'npm/10.9.0 node/v20',
    reason: 'held for review',
    ...over,
  });

  it('coalesces a flood into one row per requester and writes it in one batch', async () => {
    const store = fakeStore();
    const recorded = vi.fn();
    const recorder = new BlockedAttemptRecorder({ store, clock, onError: vi.fn(), onRecorded: recorded });
    for (let i = 0; i < 500; i++) recorder.record(attempt());
    recorder.record(attempt({ clientIp: '192.0.2.8' }));
    expect(store.add).not.toHaveBeenCalled();
    await recorder.flush();
    expect(store.add).toHaveBeenCalledTimes(1);
    expect(store.batches[0]?.map((b) => [b.clientIp, b.attempts])).toEqual([
      ['192.0.2.7', 500],
      ['192.0.2.8', 1],
    ]);
    expect(recorded).toHaveBeenCalledTimes(1);
    expect(store.prune).toHaveBeenCalledWith(10_000);
  });

  it('bounds hostile text and the number of distinct requesters held in memory', async () => {
    const store = fakeStore();
    const onError = vi.fn();
    const recorder = new BlockedAttemptRecorder({ store, clock, onError, maxPending: 3 });
    recorder.record(attempt({ userAgent: `evil\u0000\r\nX-Injected: 1${'a'.repeat(5000)}`, principal: '' }));
    for (let i = 0; i < 10; i++) recorder.record(attempt({ clientIp: `198.51.100.${i}` }));
    await recorder.flush();
    const batch = store.batches[0] ?? [];
    expect(batch).toHaveLength(3);
    expect(batch[0]?.userAgent).toHaveLength(200);
    expect([...(batch[0]?.userAgent ?? '')].some((c) => c.charCodeAt(0) < 32)).toBe(false);
    expect(batch[0]?.principal).toBe('anonymous');
    expect(onError).toHaveBeenCalledWith(expect.any(Error), expect.stringContaining('faster'));
  });

  it('never throws to the caller when the database fails; the error is reported', async () => {
    const onError = vi.fn();
    const recorder = new BlockedAttemptRecorder({
      store: { add: () => Promise.reject(new Error('database is gone')), prune: async () => 0 },
      clock,
      onError,
      flushMs: 5,
    });
    expect(() => recorder.record(attempt())).not.toThrow();
    await vi.waitFor(() => expect(onError).toHaveBeenCalled());
    expect(String(onError.mock.calls[0]?.[1])).toContain('could not store 1 blocked attempts');
    await recorder.close();
    recorder.record(attempt());
    await recorder.flush();
    expect(onError).toHaveBeenCalledTimes(1);
  });
});
