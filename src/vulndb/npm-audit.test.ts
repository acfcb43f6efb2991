import { describe, expect, it } from 'vitest';
import type { Advisory } from './advisory.js';
import { numericAdvisoryId, npmRange } from './npm-audit.js';
import { parseOsvRecord } from './osv/parse-record.js';
import * as records from './fixtures/osv-records.js';

function advisory(record: unknown): Advisory {
  const result = parseOsvRecord(record);
  if (!result.ok) throw new Error(result.reason);
  return result.advisory;
}

describe('npm audit ranges', () => {
  it('turns OSV events into the npm range npm re-tests installed versions against', () => {
    expect(
      npmRange([advisory(records.minimistPrototypePollution)], 'minimist', ['1.2.0'], ['1.2.0', '1.2.3']),
    ).toBe('<0.2.1 || >=1.0.0 <1.2.3');
    expect(
      npmRange([advisory(records.lastAffectedAndLimit)], 'example-events', ['1.4.2'], ['1.4.2', '1.4.3']),
    ).toBe('>=1.0.0 <=1.4.2 || >=2.0.0-rc.1 || <0.5.0');
    expect(
      npmRange([advisory(records.openEndedWithKnownBound)], 'example-open', ['2.3.0'], ['2.3.0', '2.3.1']),
    ).toBe('<=2.3.0');
    expect(npmRange([advisory(records.maliciousPackage)], 'example-stealer', ['1.0.0'], ['1.0.0'])).toBe(
      '1.0.0 || *',
    );
  });

  it('falls back to the exact affected versions when node-semver would read the range differently', () => {
    // node-semver cannot parse four-part versions, so it could not tell that 1.2.3.4 is affected.
    expect(npmRange([advisory(records.nextServerActionsSsrf)], 'next', ['13.5.0.1'], ['13.5.0.1'])).toBe(
      '13.5.0.1',
    );
  });

  it('gives stable positive 31-bit numeric ids', () => {
    const id = numericAdvisoryId('GHSA-p6mc-m468-83gw');
    expect(id).toBe(numericAdvisoryId('GHSA-p6mc-m468-83gw'));
    expect(id).toBeGreaterThan(0);
    expect(id).toBeLessThanOrEqual(2 ** 31);
    expect(numericAdvisoryId('GHSA-35jh-r3h4-6jhm')).not.toBe(id);
  });
});
