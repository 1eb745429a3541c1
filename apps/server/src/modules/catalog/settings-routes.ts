import {
  type InventorySettings,
  inventorySettingsSchema,
  inventorySettingsUpdateSchema,
} from '@thestorage/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { isForeignKeyViolation } from '../../platform/db/errors';
import { actorOf, requirePermission } from '../../platform/http/access';
import { notFound } from '../../platform/http/errors';
import { assertVersion, auditActor, fieldChanges, modifiedBySomeoneElse } from './edits';
import type { CatalogDeps } from './list-routes';
import type { InventorySettingsFields } from './repo';

const view = (row: InventorySettingsFields): InventorySettings => ({
  defaultPlaceId: row.default_place_id,
  barcodeMode: row.barcode_mode,
  barcodePrefix: row.barcode_prefix,
  barcodeDigits: row.barcode_digits,
  version: row.version,
});

const audited = ({ version: _version, ...fields }: InventorySettings) => fields;

/** The tenant's inventory settings: default place for new devices (DEV-4) and barcode scheme (DEV-10). */
export function registerInventorySettingsRoutes(api: FastifyInstance, deps: CatalogDeps) {
  const typed = api.withTypeProvider<ZodTypeProvider>();
  const tags = ['inventory-settings'];

  typed.get(
    '/inventory-settings',
    {
      preHandler: requirePermission('inventory.read'),
      schema: {
        tags,
        summary: 'Default place for new devices and the barcode scheme',
        response: { 200: inventorySettingsSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      const row = await deps.repos.forTenant(actor.tenantId).transaction((r) => r.inventorySettings.get(now));
      return view(row);
    },
  );

  typed.put(
    '/inventory-settings',
    {
      preHandler: requirePermission('inventory.settings.write'),
      schema: {
        tags,
        summary: 'Change the default place and the barcode scheme (refused when based on a stale version)',
        body: inventorySettingsUpdateSchema,
        response: { 200: inventorySettingsSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      const input = request.body;
      try {
        return await deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
          const before = await r.inventorySettings.get(now);
          assertVersion(before.version, input.version);
          if (input.defaultPlaceId !== null && !(await r.places.get(input.defaultPlaceId))) {
            throw notFound('Place');
          }
          const after = await r.inventorySettings.update(
            input.version,
            {
              default_place_id: input.defaultPlaceId,
              barcode_mode: input.barcodeMode,
              barcode_prefix: input.barcodePrefix,
              barcode_digits: input.barcodeDigits,
            },
            now,
          );
          if (!after) throw modifiedBySomeoneElse();
          await r.audit.record({
            occurredAt: now,
            actor: auditActor(actor),
            action: 'inventory_settings.updated',
            target: { type: 'inventory_settings', id: actor.tenantId },
            changes: fieldChanges(audited(view(before)), audited(view(after))),
            requestId: request.id,
          });
          return view(after);
        });
      } catch (err) {
        // The place was deleted between the check and the update (another writer, PostgreSQL).
        if (isForeignKeyViolation(err)) throw notFound('Place');
        throw err;
      }
    },
  );
}
