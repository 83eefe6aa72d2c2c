/**
 * Exact non-negative rationals for scores: integers over integers (bigint), always reduced, so a
 * sum of weighted shares never drifts the way floating point does. Rounded once, for display.
 * Pure.
 */
export interface Fraction {
  readonly num: bigint;
  readonly den: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
};

/** num/den reduced; a zero denominator is a programming error. */
export function fraction(num: bigint | number, den: bigint | number = 1n): Fraction {
  const n = BigInt(num);
  const d = BigInt(den);
  if (d === 0n) throw new RangeError('fraction with a zero denominator');
  const sign = d < 0n ? -1n : 1n;
  const g = gcd(n, d) || 1n;
  return { num: (sign * n) / g, den: (sign * d) / g };
}

export const ZERO: Fraction = { num: 0n, den: 1n };

export const add = (a: Fraction, b: Fraction): Fraction => fraction(a.num * b.den + b.num * a.den, a.den * b.den);

export const times = (a: Fraction, b: Fraction): Fraction => fraction(a.num * b.num, a.den * b.den);

/** Negative when a < b, zero when equal, positive when a > b. */
export const compare = (a: Fraction, b: Fraction): number => {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};

/** The exact value written `num/den` (or `num` for an integer): what an auditor recomputes. */
export const exact = (f: Fraction): string => (f.den === 1n ? String(f.num) : `${f.num}/${f.den}`);

/**
 * The one rounding of a score: to 2 decimals, half away from zero (87.125 → "87.13"), written
 * with a dot and exactly two decimals.
 */
export function display(f: Fraction): string {
  const negative = f.num < 0n;
  const n = negative ? -f.num : f.num;
  const hundredths = (n * 200n + f.den) / (2n * f.den);
  const whole = hundredths / 100n;
  const cents = String(hundredths % 100n).padStart(2, '0');
  return `${negative && hundredths !== 0n ? '-' : ''}${whole}.${cents}`;
}
