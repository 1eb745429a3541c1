import { MAX_RESULTS } from './scim-discovery';

const DEFAULT_COUNT = 100;

function integer(value: unknown): number | null {
  if (typeof value !== 'string' || !/^-?\d{1,9}$/.test(value.trim())) return null;
  return Number(value);
}

/** RFC 7644 §3.4.2.4: 1-based startIndex (below 1 means 1), count (negative means 0), capped. */
export function pageOf<T>(items: readonly T[], query: { startIndex?: unknown; count?: unknown }) {
  const startIndex = Math.max(1, integer(query.startIndex) ?? 1);
  const count = Math.min(MAX_RESULTS, Math.max(0, integer(query.count) ?? DEFAULT_COUNT));
  return { startIndex, page: items.slice(startIndex - 1, startIndex - 1 + count) };
}
