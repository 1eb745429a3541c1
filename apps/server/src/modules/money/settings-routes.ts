import {
  deleteWithVersionQuerySchema,
  ErrorCode,
  type ManualRate,
  type MoneySettings,
  manualRateParamsSchema,
  manualRateSchema,
  manualRatesSchema,
  manualRateUpdateSchema,
  moneySettingsSchema,
  moneySettingsUpdateSchema,
} from '@thestorage/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Clock } from '../../platform/clock';
import { isUniqueViolation } from '../../platform/db/errors';
import type { ManualExchangeRateRow } from '../../platform/db/schema';
import { actorOf, requirePermission } from '../../platform/http/access';
import { AppError, notFound } from '../../platform/http/errors';
import type { Repos } from '../../repos';
import { assertVersion, auditActor, fieldChanges, modifiedBySomeoneElse } from '../catalog/edits';
import { manualRateInUse, type RateTable } from './conversion';
import type { MoneySettingsFields } from './money-repo';
import { type EcbRateCache, loadTenantConversion } from './tenant-conversion';

export interface MoneySettingsDeps {
  repos: Repos;
  clock: Clock;
  ecbRates?: EcbRateCache;
}

const settingsView = (row: MoneySettingsFields): MoneySettings => ({
  defaultCurrency: row.default_currency,
  version: row.version,
});

const rateView = (row: ManualExchangeRateRow, rates: RateTable): ManualRate => ({
  currency: row.currency,
  perEur: row.per_eur,
  inUse: manualRateInUse(rates, row.currency),
  updatedAt: row.updated_at,
  version: row.version,
});

/** The rate as written: "1.10" stays "1.10", leading zeros go ("01.5" is "1.5"). */
const normalisedRate = (perEur: string) => perEur.replace(/^0+(?=\d)/, '');

/** DEV-1 money settings: the tenant's default currency and its manual exchange rates (per 1 euro). */
export function registerMoneySettingsRoutes(api: FastifyInstance, deps: MoneySettingsDeps) {
  const typed = api.withTypeProvider<ZodTypeProvider>();
  const tags = ['money'];

  typed.get(
    '/money-settings',
    {
      preHandler: requirePermission('inventory.read'),
      schema: {
        tags,
        summary: 'The default currency that prices are converted into and totals are shown in',
        response: { 200: moneySettingsSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      return settingsView(
        await deps.repos.forTenant(actor.tenantId).transaction((r) => r.money.settings(now)),
      );
    },
  );

  typed.put(
    '/money-settings',
    {
      preHandler: requirePermission('inventory.settings.write'),
      schema: {
        tags,
        summary: 'Change the default currency (refused when based on a stale version)',
        body: moneySettingsUpdateSchema,
        response: { 200: moneySettingsSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      const input = request.body;
      return deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
        const before = await r.money.settings(now);
        assertVersion(before.version, input.version);
        const after = await r.money.updateSettings(input.version, input.defaultCurrency, now);
        if (!after) throw modifiedBySomeoneElse();
        await r.audit.record({
          occurredAt: now,
          actor: auditActor(actor),
          action: 'money_settings.updated',
          target: { type: 'money_settings', id: actor.tenantId },
          changes: fieldChanges(
            { defaultCurrency: before.default_currency },
            { defaultCurrency: after.default_currency },
          ),
          requestId: request.id,
        });
        return settingsView(after);
      });
    },
  );

  typed.get(
    '/manual-exchange-rates',
    {
      preHandler: requirePermission('inventory.read'),
      schema: {
        tags,
        summary:
          'The tenant’s manual rates per euro; each is used only while the ECB publishes no rate for its currency',
        response: { 200: manualRatesSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
        const [rows, conversion] = await Promise.all([
          r.money.manualRates(),
          loadTenantConversion(r.money, deps.ecbRates),
        ]);
        return { rates: rows.map((row) => rateView(row, conversion.rates)) };
      });
    },
  );

  typed.put(
    '/manual-exchange-rates/:currency',
    {
      preHandler: requirePermission('inventory.settings.write'),
      schema: {
        tags,
        summary:
          'Add a manual rate (no version) or change one (the version read; 409 when stale): units of the currency per 1 euro',
        params: manualRateParamsSchema,
        body: manualRateUpdateSchema,
        response: { 200: manualRateSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      const { currency } = request.params;
      const perEur = normalisedRate(request.body.perEur);
      const { version } = request.body;
      try {
        return await deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
          const before = await r.money.manualRate(currency);
          let after: ManualExchangeRateRow | undefined;
          if (version === undefined) {
            if (before) throw rateExists(currency, before.version);
            after = await r.money.addManualRate(currency, perEur, now);
          } else {
            if (!before) throw notFound('Manual rate');
            assertVersion(before.version, version);
            after = await r.money.updateManualRate(currency, version, perEur, now);
            if (!after) throw modifiedBySomeoneElse();
          }
          await r.audit.record({
            occurredAt: now,
            actor: auditActor(actor),
            action: before ? 'manual_exchange_rate.updated' : 'manual_exchange_rate.created',
            target: { type: 'manual_exchange_rate', id: currency },
            changes: fieldChanges(before ? { perEur: before.per_eur } : null, { perEur: after.per_eur }),
            requestId: request.id,
          });
          const conversion = await loadTenantConversion(r.money, deps.ecbRates);
          return rateView(after, conversion.rates);
        });
      } catch (err) {
        // Two people added the same currency at once: the second is told, nothing is overwritten.
        if (isUniqueViolation(err)) throw rateExists(currency);
        throw err;
      }
    },
  );

  typed.delete(
    '/manual-exchange-rates/:currency',
    {
      preHandler: requirePermission('inventory.settings.write'),
      schema: {
        tags,
        summary: 'Remove a manual rate (the version read; 409 when stale)',
        params: manualRateParamsSchema,
        querystring: deleteWithVersionQuerySchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      const { currency } = request.params;
      await deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
        const before = await r.money.manualRate(currency);
        if (!before) throw notFound('Manual rate');
        assertVersion(before.version, request.query.version);
        if (!(await r.money.removeManualRate(currency, request.query.version))) throw modifiedBySomeoneElse();
        await r.audit.record({
          occurredAt: now,
          actor: auditActor(actor),
          action: 'manual_exchange_rate.deleted',
          target: { type: 'manual_exchange_rate', id: currency },
          changes: fieldChanges({ perEur: before.per_eur }, null),
          requestId: request.id,
        });
      });
      return reply.code(204).send(null);
    },
  );
}

function rateExists(currency: string, version?: number) {
  return new AppError(ErrorCode.Conflict, `There is already a manual rate for ${currency}: change that one`, {
    details: { field: 'currency', ...(version === undefined ? {} : { version }) },
  });
}
