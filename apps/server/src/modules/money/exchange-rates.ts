import { XMLParser } from 'fast-xml-parser';
import { createHttpsFetch, type HttpsFetch } from '../../platform/auth/relying-party/https-fetch';
import type { Clock } from '../../platform/clock';
import type { DatabaseHandle } from '../../platform/db/connect';
import { withSystem } from '../../platform/db/tenant-scope';
import type { JobHandler } from '../../platform/jobs/worker';

export const EXCHANGE_RATES_JOB = 'exchange-rates.refresh';
export const ECB_DAILY_URL = 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml';
const SOURCE = 'ecb';

export interface ReferenceRates {
  /** The day the rates are for (YYYY-MM-DD). */
  date: string;
  /** Units of each currency per euro, as decimal strings (EUR itself is 1). */
  perEur: Map<string, string>;
}

export class RatesFormatError extends Error {
  override name = 'RatesFormatError';
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true });
const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * The ECB's daily reference-rate XML (gesmes:Envelope > Cube > Cube[time] > Cube[currency, rate]). Anything
 * else — no date, no rates, a rate that is not a positive decimal — is refused as a whole.
 */
export function parseEcbRates(xml: string): ReferenceRates {
  let document: unknown;
  try {
    document = parser.parse(xml, true);
  } catch (cause) {
    throw new RatesFormatError('The answer is not well-formed XML', { cause });
  }
  const envelope = (document as { Envelope?: { Cube?: { Cube?: unknown } } }).Envelope;
  const day = asArray(envelope?.Cube?.Cube as { time?: string; Cube?: unknown } | undefined)[0];
  if (!day?.time || !/^\d{4}-\d{2}-\d{2}$/.test(day.time)) {
    throw new RatesFormatError('The answer has no dated set of reference rates');
  }
  const perEur = new Map<string, string>([['EUR', '1']]);
  for (const rate of asArray(day.Cube as { currency?: string; rate?: string } | undefined)) {
    const currency = String(rate.currency ?? '');
    const value = String(rate.rate ?? '');
    if (!/^[A-Z]{3}$/.test(currency) || !/^\d{1,9}(\.\d{1,10})?$/.test(value) || Number(value) <= 0) {
      throw new RatesFormatError(
        `The rate ${currency || '(no currency)'} = ${value || '(none)'} is not valid`,
      );
    }
    perEur.set(currency, value);
  }
  if (perEur.size < 2) throw new RatesFormatError('The answer lists no rates');
  return { date: day.time, perEur };
}

export interface ExchangeRateDeps {
  handle: DatabaseHandle;
  clock: Clock;
  /** The daily reference-rate document (the ECB's by default). */
  url: string;
  /** Replaces the HTTPS client (tests point it at a local server with their own CA). */
  fetch?: HttpsFetch;
  logger?: { warn(obj: object, msg?: string): void };
}

/**
 * Fetches the reference rates and stores them; on any failure the last good rates stay and the error is
 * kept for the settings page. Idempotent: the same day's rates written twice are the same rows.
 */
export async function refreshExchangeRates(
  deps: ExchangeRateDeps,
  signal?: AbortSignal,
): Promise<{ date: string; currencies: number }> {
  const now = deps.clock.now().toISOString();
  const fetch = deps.fetch ?? createHttpsFetch({ maxResponseBytes: 1024 * 1024, timeoutMs: 15_000 });
  const record = (fields: { last_success_at?: string; rate_date?: string; last_error: string | null }) =>
    withSystem(deps.handle, (trx) =>
      trx
        .insertInto('exchange_rate_fetches')
        .values({
          source: SOURCE,
          url: deps.url,
          last_attempt_at: now,
          last_success_at: null,
          rate_date: null,
          ...fields,
        })
        .onConflict((oc) =>
          oc.column('source').doUpdateSet({ url: deps.url, last_attempt_at: now, ...fields }),
        )
        .execute(),
    );
  let rates: ReferenceRates;
  try {
    const response = await fetch(deps.url, { headers: { accept: 'application/xml, text/xml' }, signal });
    if (!response.ok) throw new RatesFormatError(`The rate source answered HTTP ${response.status}`);
    rates = parseEcbRates(await response.text());
  } catch (error) {
    const message =
      error instanceof RatesFormatError
        ? error.message
        : `The rate source could not be reached (${(error as Error).message})`;
    await record({ last_error: message.slice(0, 500) });
    throw error;
  }
  await withSystem(deps.handle, async (trx) => {
    for (const [currency, perEur] of rates.perEur) {
      await trx
        .insertInto('exchange_rates')
        .values({ currency, per_eur: perEur, rate_date: rates.date, updated_at: now })
        .onConflict((oc) =>
          oc.column('currency').doUpdateSet({ per_eur: perEur, rate_date: rates.date, updated_at: now }),
        )
        .execute();
    }
  });
  await record({ last_success_at: now, rate_date: rates.date, last_error: null });
  return { date: rates.date, currencies: rates.perEur.size };
}

export function exchangeRateJobHandlers(deps: ExchangeRateDeps): Record<string, JobHandler> {
  return {
    // An unreachable or odd source is expected (offline installs, maintenance): the failure is recorded for
    // the settings page and logged once, the last good rates stay, and tomorrow's run tries again.
    [EXCHANGE_RATES_JOB]: async (_job, ctx) => {
      try {
        return { refreshed: true, ...(await refreshExchangeRates(deps, ctx.signal)) };
      } catch (error) {
        const reason = (error as Error).message.slice(0, 200);
        deps.logger?.warn({ reason }, 'exchange rates not refreshed; the last good rates stay');
        return { refreshed: false, reason };
      }
    },
  };
}
