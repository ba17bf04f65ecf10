/**
 * The eval-free null test agrees with apache-arrow's own (which builds a function from source)
 * for the null lists Arrow uses and a few odd ones, on values of every JavaScript kind.
 */
import { createIsValidFunction as original } from 'apache-arrow/builder/valid';
import { describe, expect, it } from 'vitest';
import { createIsValidFunction } from './arrow-valid';

const VALUES: unknown[] = [
  null,
  undefined,
  0,
  -0,
  1,
  NaN,
  '',
  'N/A',
  'null',
  5n,
  0n,
  true,
  false,
  {},
  [],
];

describe('createIsValidFunction', () => {
  it.each([
    [undefined],
    [[]],
    [[null]],
    [[null, undefined]],
    [[undefined]],
    [[null, NaN]],
    [[NaN]],
    [[null, 'N/A', NaN]],
    [[0, -1, 7]],
    [[5n, 'x']],
  ])('with nullValues #%# agrees with apache-arrow', (nullValues) => {
    const mine = createIsValidFunction(nullValues);
    const theirs = original(nullValues as never);
    for (const v of VALUES) expect(mine(v), String(v)).toBe(theirs(v as never));
  });
});
