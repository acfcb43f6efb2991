import { describeError, AirlockError } from '../errors.js';
import type { CompiledPolicy } from './compile.js';

/**
 * The running policy. A reload that fails keeps the last good policy and remembers the error, so the
 * server can report it on /readyz and in logs instead of running with no policy or a half-read one.
 */
export class PolicySource {
  readonly #load: () => CompiledPolicy;
  #current: CompiledPolicy;
  #lastError: AirlockError | undefined;

  /** Loads the policy once; a bad policy at start-up throws (POLICY_INVALID), so the server does not start. */
  constructor(load: () => CompiledPolicy) {
    this.#load = load;
    this.#current = load();
  }

  current(): CompiledPolicy {
    return this.#current;
  }

  /** The error of the last failed reload, cleared by a successful one. */
  lastError(): AirlockError | undefined {
    return this.#lastError;
  }

  /** Loads again; on failure keeps the running policy and returns the error. */
  reload(): { ok: true; policy: CompiledPolicy; changed: boolean } | { ok: false; error: AirlockError } {
    try {
      const next = this.#load();
      const changed = next.digest !== this.#current.digest;
      this.#current = next;
      this.#lastError = undefined;
      return { ok: true, policy: next, changed };
    } catch (cause) {
      const error =
        cause instanceof AirlockError
          ? cause
          : new AirlockError('POLICY_INVALID', `cannot load the policy: ${describeError(cause)}`, { cause });
      this.#lastError = error;
      return { ok: false, error };
    }
  }
}
