import type { PackageVersionRef } from '../../core/package-ref.js';
import { AirlockError } from '../../errors.js';
import type { GateResult, GateStateSource } from './evaluate.js';

/** Anything that can POST JSON to the server's /api/v1 (the CLI's ApiClient). */
export interface ApiCaller {
  call<T>(method: 'POST', path: string, body: unknown): Promise<T>;
}

/** Components per request, so a 2,000-package lockfile does not become one huge body. */
const batchSize = 500;

/** Asks `POST /api/v1/gate/check` which versions the server would serve, in batches. */
export class ServerGateState implements GateStateSource {
  constructor(private readonly api: ApiCaller) {}

  async check(components: readonly PackageVersionRef[]): Promise<readonly GateResult[]> {
    const results: GateResult[] = [];
    for (let i = 0; i < components.length; i += batchSize) {
      const batch = components.slice(i, i + batchSize);
      const answer = await this.api.call<{ results?: unknown }>('POST', '/gate/check', {
        components: batch.map((c) => ({ ecosystem: c.ecosystem, name: c.name, version: c.version })),
      });
      if (!Array.isArray(answer?.results)) {
        throw new AirlockError('UPSTREAM_INVALID', 'the server answered /gate/check without a results array');
      }
      for (const r of answer.results as GateResult[]) {
        if (typeof r?.name === 'string' && typeof r.version === 'string' && typeof r.state === 'string') {
          results.push({ ...r, reasons: Array.isArray(r.reasons) ? r.reasons : [] });
        }
      }
    }
    return results;
  }
}
