import { performance } from 'node:perf_hooks';

/** The value under which `p` (0..1) of the sorted samples fall. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** Runs `fn` once per input and returns the sorted durations in milliseconds. */
export async function timeEach<T>(inputs: readonly T[], fn: (input: T) => unknown): Promise<number[]> {
  const timings: number[] = [];
  for (const input of inputs) {
    const started = performance.now();
    await fn(input);
    timings.push(performance.now() - started);
  }
  return timings.sort((a, b) => a - b);
}

/** Rounds to three significant decimals for the report. */
export const round = (value: number, digits = 3) => Number(value.toFixed(digits));
