/**
 * Exact decimal arithmetic for money (DEV-1): amounts and rates are decimal strings, turned into
 * fractions of BigInts, so no binary floating point ever touches an amount that is shown or added up.
 * Only non-negative values occur (prices, sums, rates).
 */
export interface Fraction {
  n: bigint;
  d: bigint;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** "1299.90" → 129990/100. Throws on anything that is not a plain non-negative decimal. */
export function parseDecimal(text: string): Fraction {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new RangeError(`Not a decimal amount: ${text}`);
  const decimals = match[2] ?? '';
  return { n: BigInt(match[1]! + decimals), d: 10n ** BigInt(decimals.length) };
}

export const multiply = (a: Fraction, b: Fraction): Fraction => ({ n: a.n * b.n, d: a.d * b.d });

/** a / b; b must not be zero. */
export function divide(a: Fraction, b: Fraction): Fraction {
  if (b.n === 0n) throw new RangeError('Division by zero');
  return { n: a.n * b.d, d: a.d * b.n };
}

/** The value rounded half-up (away from zero: all values here are ≥ 0) to `scale` decimals, as text. */
export function toFixed(value: Fraction, scale: number): string {
  const factor = 10n ** BigInt(scale);
  const units = (value.n * factor * 2n + value.d) / (value.d * 2n);
  if (scale === 0) return units.toString();
  const digits = units.toString().padStart(scale + 1, '0');
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/**
 * The value with `digits` significant digits (half-up) and trailing zeros dropped, at most `maxScale`
 * decimals: 1/162.53 with 6 digits is "0.00615271", 1.05230 is "1.0523".
 */
export function toSignificant(value: Fraction, digits: number, maxScale = 12): string {
  if (value.n === 0n) return '0';
  // The number of digits before the decimal point, or minus the zeros right after it.
  const whole = value.n / value.d;
  let magnitude: number;
  if (whole > 0n) {
    magnitude = whole.toString().length;
  } else {
    magnitude = 0;
    let scaled = value.n * 10n;
    while (scaled < value.d) {
      magnitude -= 1;
      scaled *= 10n;
    }
  }
  const scale = Math.min(maxScale, Math.max(0, digits - magnitude));
  const fixed = toFixed(value, scale);
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

/** Adds decimal strings exactly, keeping the larger number of decimals of the two. */
export function addDecimals(a: string, b: string): string {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const scale = Math.max(decimalsOf(a), decimalsOf(b));
  return toFixed({ n: x.n * y.d + y.n * x.d, d: x.d * y.d }, scale);
}

const decimalsOf = (text: string) => text.trim().split('.')[1]?.length ?? 0;
