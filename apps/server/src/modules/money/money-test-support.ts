import type { DatabaseHandle } from '../../platform/db/connect';
import { withSystem } from '../../platform/db/tenant-scope';

/** Writes a day's ECB reference rates as the daily job would (EUR is 1), without a rate source. */
export async function publishEcbRates(
  handle: DatabaseHandle,
  date: string,
  rates: Record<string, string>,
): Promise<void> {
  const at = `${date}T16:00:00.000Z`;
  await withSystem(handle, async (trx) => {
    for (const [currency, perEur] of Object.entries({ EUR: '1', ...rates })) {
      await trx
        .insertInto('exchange_rates')
        .values({ currency, per_eur: perEur, rate_date: date, updated_at: at })
        .onConflict((oc) =>
          oc.column('currency').doUpdateSet({ per_eur: perEur, rate_date: date, updated_at: at }),
        )
        .execute();
    }
  });
}
