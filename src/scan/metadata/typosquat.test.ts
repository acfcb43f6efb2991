import { describe, expect, it } from 'vitest';
import { TyposquatIndex, editDistance } from './typosquat.js';
import { topPackages } from './top-packages.generated.js';

const index = new TyposquatIndex(topPackages);

describe('TyposquatIndex', () => {
  it('names the popular package a squat imitates, and how', () => {
    expect(index.check('expresss')).toEqual({ of: 'express', how: 'edit' });
    expect(index.check('lodahs')).toEqual({ of: 'lodash', how: 'transposition' });
    expect(index.check('lodash.js')).toEqual({ of: 'lodash', how: 'separator-or-suffix' });
    expect(index.check('l0dash')).toEqual({ of: 'lodash', how: 'homoglyph' });
    expect(index.check('@typse/node')).toEqual({ of: '@types/node', how: 'scope' });
  });

  it('leaves popular names and unrelated names alone', () => {
    expect(index.check('express')).toBeUndefined();
    expect(index.check('react-dom')).toBeUndefined();
    expect(index.check('@types/node')).toBeUndefined();
    expect(index.check('my-company-internal-widget')).toBeUndefined();
    expect(index.check('@acme/lodash')).toBeUndefined();
  });

  it('computes edit distance with transpositions', () => {
    expect(editDistance('abcd', 'abdc')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
