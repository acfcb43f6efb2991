import type { Clock } from '../core/clock.js';
import type { PackageVersionRef } from '../core/package-ref.js';
import {
  blockedAttemptLimits,
  type BlockedAttemptBatchEntry,
  type BlockedAttemptStore,
} from './blocked-attempts.js';

/** What the registry knows when it refuses a tarball. */
export interface BlockedAttemptInput {
  readonly ref: PackageVersionRef;
  readonly principal: string;
  readonly clientIp: string | undefined;
  readonly userAgent: string | undefined;
  readonly reason: string;
}

export interface BlockedAttemptRecorderOptions {
  readonly store: Pick<BlockedAttemptStore, 'add' | 'prune'>;
  readonly clock: Clock;
  readonly onError: (error: unknown, message: string) => void;
  /** Called after a flush stored something (live updates). */
  readonly onRecorded?: () => void;
  /** How long attempts gather in memory before one write. */
  readonly flushMs?: number;
  /** Distinct (version, requester) pairs held between flushes; more are counted as dropped. */
  readonly maxPending?: number;
  /** Rows the table keeps; older ones are pruned. */
  readonly maxRows?: number;
  /** At most one prune per this many ms. */
  readonly pruneEveryMs?: number;
}

/**
 * Records refused installs without ever slowing or failing the 403: `record` only touches memory;
 * a timer writes what gathered in one transaction. Attackers control the volume and the text, so
 * attempts coalesce per requester in memory, strings are bounded and the table is pruned.
 */
export class BlockedAttemptRecorder {
  readonly #o: BlockedAttemptRecorderOptions;
  #pending = new Map<string, BlockedAttemptBatchEntry>();
  #dropped = 0;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #lastPrune = 0;
  #closed = false;

  constructor(options: BlockedAttemptRecorderOptions) {
    this.#o = options;
  }

  /** Notes one refused request; never throws, never waits. */
  record(input: BlockedAttemptInput): void {
    if (this.#closed) return;
    try {
      const principal = clean(input.principal, blockedAttemptLimits.principal) || 'anonymous';
      const clientIp = clean(input.clientIp ?? '', blockedAttemptLimits.clientIp) || 'unknown';
      const userAgent = clean(input.userAgent ?? '', blockedAttemptLimits.userAgent);
      const reason = clean(input.reason, blockedAttemptLimits.reason);
      const at = this.#o.clock.now().toISOString();
      const key = JSON.stringify([
        input.ref.ecosystem,
        input.ref.name,
        input.ref.version,
        principal,
        clientIp,
      ]);
      const known = this.#pending.get(key);
      if (known) {
        this.#pending.set(key, { ...known, attempts: known.attempts + 1, lastAt: at, userAgent, reason });
      } else if (this.#pending.size >= (this.#o.maxPending ?? 1_000)) {
        this.#dropped += 1;
      } else {
        this.#pending.set(key, {
          ref: { ecosystem: input.ref.ecosystem, name: input.ref.name, version: input.ref.version },
          principal,
          clientIp,
          userAgent,
          reason,
          attempts: 1,
          firstAt: at,
          lastAt: at,
        });
      }
      this.#timer ??= setTimeout(() => void this.flush(), this.#o.flushMs ?? 1_000).unref();
    } catch (error) {
      this.#o.onError(error, 'could not note a blocked attempt');
    }
  }

  /** Writes what gathered so far; errors are reported, not thrown. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = [...this.#pending.values()];
    const dropped = this.#dropped;
    this.#pending = new Map();
    this.#dropped = 0;
    // One write at a time, in order, so a slow database does not pile up transactions.
    this.#writing = this.#writing.then(async () => {
      if (dropped > 0) {
        this.#o.onError(
          new Error(`${dropped} blocked attempts from new requesters were not recorded`),
          'blocked attempts arrive faster than they are stored',
        );
      }
      if (batch.length === 0) return;
      try {
        await this.#o.store.add(batch);
        this.#o.onRecorded?.();
        const now = this.#o.clock.now().getTime();
        if (now - this.#lastPrune >= (this.#o.pruneEveryMs ?? 30_000)) {
          this.#lastPrune = now;
          await this.#o.store.prune(this.#o.maxRows ?? 10_000);
        }
      } catch (error) {
        this.#o.onError(error, `could not store ${batch.length} blocked attempts`);
      }
    });
    return this.#writing;
  }

  /** Writes the rest and stops taking attempts (shutdown). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
  }
}

/** Printable text only, bounded: user agents and names arrive from the network. */
function clean(text: string, max: number): string {
  let out = '';
  // Cut first: a hostile header may be kilobytes long.
  for (const char of text.slice(0, max * 2)) {
    const code = char.charCodeAt(0);
    out += code < 0x20 || (code >= 0x7f && code <= 0x9f) ? ' ' : char;
  }
  return out.trim().slice(0, max);
}
