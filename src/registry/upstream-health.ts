import type { Clock } from '../core/clock.js';

/** How the upstream registry has answered this process lately. */
export interface UpstreamHealth {
  /** `unknown` before any request; `down` when the latest attempts all failed; `degraded` on many errors. */
  readonly status: 'unknown' | 'ok' | 'degraded' | 'down';
  readonly lastSuccessAt: string | undefined;
  readonly lastFailureAt: string | undefined;
  readonly lastError: string | undefined;
  /** Attempts in the window the rates below come from. */
  readonly attempts: number;
  /** Failed share of the window's attempts, 0–1. */
  readonly errorRate: number;
  readonly latencyMs: { readonly p50: number; readonly p95: number } | undefined;
}

interface Outcome {
  readonly ok: boolean;
  readonly ms: number;
}

/**
 * A small in-memory record of upstream attempts (a ring of the latest ones): no network call of its
 * own, and per process, as a cache is: each node reports what it saw.
 */
export class UpstreamHealthTracker {
  readonly #clock: Clock;
  readonly #size: number;
  readonly #ring: Outcome[] = [];
  #next = 0;
  #lastSuccessAt: Date | undefined;
  #lastFailureAt: Date | undefined;
  #lastError: string | undefined;

  constructor(clock: Clock, size = 200) {
    this.#clock = clock;
    this.#size = size;
  }

  /** One attempt that got an answer (any status below 500 counts: upstream is up). */
  success(ms: number): void {
    this.#push({ ok: true, ms });
    this.#lastSuccessAt = this.#clock.now();
  }

  /** One attempt that failed: network error, timeout or 5xx. */
  failure(ms: number, error: string): void {
    this.#push({ ok: false, ms });
    this.#lastFailureAt = this.#clock.now();
    this.#lastError = error.slice(0, 300);
  }

  snapshot(): UpstreamHealth {
    const attempts = this.#ring.length;
    const failures = this.#ring.filter((o) => !o.ok).length;
    const latencies = this.#ring
      .filter((o) => o.ok)
      .map((o) => o.ms)
      .sort((a, b) => a - b);
    const errorRate = attempts === 0 ? 0 : failures / attempts;
    const recent = this.#latest(3);
    const status =
      attempts === 0
        ? 'unknown'
        : recent.length > 0 && recent.every((o) => !o.ok)
          ? 'down'
          : errorRate >= 0.2
            ? 'degraded'
            : 'ok';
    return {
      status,
      lastSuccessAt: this.#lastSuccessAt?.toISOString(),
      lastFailureAt: this.#lastFailureAt?.toISOString(),
      lastError: this.#lastError,
      attempts,
      errorRate: Math.round(errorRate * 1000) / 1000,
      latencyMs:
        latencies.length === 0
          ? undefined
          : { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95) },
    };
  }

  #push(outcome: Outcome): void {
    if (this.#ring.length < this.#size) this.#ring.push(outcome);
    else this.#ring[this.#next] = outcome;
    this.#next = (this.#next + 1) % this.#size;
  }

  /** The newest `n` outcomes (fewer when fewer were recorded). */
  #latest(n: number): Outcome[] {
    const out: Outcome[] = [];
    for (let i = 1; i <= Math.min(n, this.#ring.length); i++) {
      const outcome = this.#ring[(this.#next - i + this.#size) % this.#size];
      if (outcome) out.push(outcome);
    }
    return out;
  }
}

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return Math.round(sorted[index] ?? 0);
}
