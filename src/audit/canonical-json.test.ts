import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { isAirlockError } from '../errors.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('gives the same text for the same value built in a different order', () => {
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it('survives a round trip through JSON.parse', () => {
    const value = { unicode: 'é\u2028"\\', n: -0.5, big: 1e21, list: ['a', 1, false] };
    const text = canonicalJson(value);
    expect(canonicalJson(JSON.parse(text))).toBe(text);
  });

  it('keeps __proto__ as an ordinary key', () => {
    const parsed: unknown = JSON.parse('{"__proto__":{"polluted":true},"a":1}');
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('omits undefined properties like JSON does and writes dates as ISO text', () => {
    expect(canonicalJson({ a: undefined, b: new Date('2026-01-01T00:00:00Z') })).toBe(
      '{"b":"2026-01-01T00:00:00.000Z"}',
    );
  });

  it('refuses values JSON cannot carry faithfully', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [Number.NaN, Infinity, 10n, () => 1, cyclic]) {
      expect(
        isAirlockError(
          (() => {
            try {
              canonicalJson(bad);
            } catch (e) {
              return e;
            }
          })(),
          'BAD_REQUEST',
        ),
      ).toBe(true);
    }
  });
});
