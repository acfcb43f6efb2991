import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { MultiHasher, formatSha512, matchesIntegrity, parseIntegrity, sha512Of } from './integrity.js';
import { isAirlockError } from '../errors.js';

const sri = (text: string, algorithm = 'sha512') =>
  `${algorithm}-${createHash(algorithm).update(text).digest('base64')}`;

function digestsOf(text: string) {
  const hasher = new MultiHasher(['sha1']);
  hasher.update(Buffer.from(text));
  return hasher.digests();
}

describe('integrity', () => {
  it('parses npm SRI strings, several hashes and options included', () => {
    const value = `${sri('a', 'sha1')} ${sri('a')}?foo`;
    expect(parseIntegrity(value).map((h) => h.algorithm)).toEqual(['sha1', 'sha512']);
    expect(formatSha512(sha512Of(sri('a')))).toBe(sri('a'));
  });

  it('rejects junk, wrong digest lengths and strings without sha512 where sha512 is needed', () => {
    for (const bad of ['', 'md5-abc', 'sha512-AAAA', 'sha512-../../etc', 'x'.repeat(3000)]) {
      expect(
        isAirlockError(
          catching(() => parseIntegrity(bad)),
          'BAD_REQUEST',
        ),
      ).toBe(true);
    }
    expect(
      isAirlockError(
        catching(() => sha512Of(sri('a', 'sha1'))),
        'BAD_REQUEST',
      ),
    ).toBe(true);
  });

  it('judges by the strongest algorithm given, as SRI does', () => {
    const computed = digestsOf('content');
    expect(matchesIntegrity(parseIntegrity(sri('content')), computed)).toBe(true);
    expect(matchesIntegrity(parseIntegrity(sri('content', 'sha1')), computed)).toBe(true);
    // A matching sha1 does not rescue a wrong sha512.
    expect(matchesIntegrity(parseIntegrity(`${sri('content', 'sha1')} ${sri('other')}`), computed)).toBe(
      false,
    );
    // sha256 was not computed, so it cannot match.
    expect(matchesIntegrity(parseIntegrity(sri('content', 'sha256')), computed)).toBe(false);
  });
});

function catching(fn: () => unknown): unknown {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error;
  }
}
