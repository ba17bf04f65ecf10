/**
 * apache-arrow's `createIsValidFunction` (`apache-arrow/builder/valid.mjs`) without eval: the
 * original builds each Builder's null test with `new Function`, which the app's CSP (no
 * `'unsafe-eval'`) refuses, so every `vectorFromArray`/`tableFromJSON` in the browser (the
 * JavaScript step, the chart step, Parquet export) would fail. The build swaps this module in
 * for the original (`scripts/arrow-no-eval-plugin.ts`); Node keeps the original.
 *
 * Same meaning: a value is invalid (null) when it is `===` one of `nullValues`, or NaN when
 * `nullValues` holds NaN. `arrow-valid.test.ts` checks it against the original.
 */

/** A Builder's test of whether `value` is a value (true) or a null (false). */
export function createIsValidFunction<T = unknown>(
  nullValues?: readonly unknown[],
): (value: T | null | undefined) => boolean {
  if (!nullValues || nullValues.length <= 0) return () => true;
  // NaN equals nothing, itself included: tested apart, as the original does.
  const nulls = nullValues.filter((x) => x === x);
  const nan = nulls.length !== nullValues.length;
  if (nulls.length === 1 && !nan) {
    const only = nulls[0];
    return (value) => value !== only;
  }
  // `includes` is SameValueZero: like `===` here, since no NaN is left in `nulls`.
  return (value) => !((nan && value !== value) || nulls.includes(value));
}
