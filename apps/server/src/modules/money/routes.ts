import { exchangeRatesSchema } from '@thestorage/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DatabaseHandle } from '../../platform/db/connect';
import { withSystem } from '../../platform/db/tenant-scope';
import { requirePermission } from '../../platform/http/access';

/** The reference rates every tenant converts prices with, and how their daily fetch went (DEV-1). */
export function registerExchangeRateRoutes(api: FastifyInstance, deps: { database: DatabaseHandle }) {
  api.withTypeProvider<ZodTypeProvider>().get(
    '/exchange-rates',
    {
      preHandler: requirePermission('inventory.read'),
      schema: {
        tags: ['money'],
        summary: 'The reference rates per euro and the state of the daily fetch (the last good rates stay)',
        response: { 200: exchangeRatesSchema },
      },
    },
    async () => {
      const [rates, fetches] = await withSystem(deps.database, (trx) =>
        Promise.all([
          trx.selectFrom('exchange_rates').selectAll().orderBy('currency').execute(),
          trx.selectFrom('exchange_rate_fetches').selectAll().execute(),
        ]),
      );
      const fetch = fetches[0];
      return {
        rates: rates.map((r) => ({ currency: r.currency, perEur: r.per_eur, date: r.rate_date })),
        source: fetch
          ? {
              url: fetch.url,
              lastAttemptAt: fetch.last_attempt_at,
              lastSuccessAt: fetch.last_success_at,
              rateDate: fetch.rate_date,
              lastError: fetch.last_error,
            }
          : null,
      };
    },
  );
}
