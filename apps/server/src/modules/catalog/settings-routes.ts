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
import { invoiceManagementInPlan } from '../devices/invoice-settings';
import { assertVersion, auditActor, fieldChanges, modifiedBySomeoneElse } from './edits';
import type { CatalogDeps } from './list-routes';
import type { InventorySettingsFields } from './repo';

const view = (row: InventorySettingsFields, invoiceManagementInPlan: boolean): InventorySettings => ({
  defaultPlaceId: row.default_place_id,
  barcodeMode: row.barcode_mode,
  barcodePrefix: row.barcode_prefix,
  barcodeDigits: row.barcode_digits,
  invoiceManagement: row.invoice_management === 1,
  customInvoiceData: row.custom_invoice_data === 1,
  invoiceUploads: row.invoice_uploads === 1,
  invoiceManagementInPlan,
  version: row.version,
});

const audited = ({ version: _version, invoiceManagementInPlan: _inPlan, ...fields }: InventorySettings) =>
  fields;

/** A switch sent replaces the stored one; one left out stays as it is. */
const switchValue = (sent: boolean | undefined) => (sent === undefined ? undefined : sent ? 1 : 0);

/**
 * The tenant's inventory settings: default place for new devices (DEV-4), barcode scheme (DEV-10) and the
 * invoice switches (DEV-1).
 */
export function registerInventorySettingsRoutes(api: FastifyInstance, deps: CatalogDeps) {
  const typed = api.withTypeProvider<ZodTypeProvider>();
  const tags = ['inventory-settings'];

  typed.get(
    '/inventory-settings',
    {
      preHandler: requirePermission('inventory.read'),
      schema: {
        tags,
        summary: 'Default place for new devices, the barcode scheme and the invoice switches',
        response: { 200: inventorySettingsSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      return deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
        const row = await r.inventorySettings.get(now);
        return view(row, invoiceManagementInPlan(await r.tenant.get(), now));
      });
    },
  );

  typed.put(
    '/inventory-settings',
    {
      preHandler: requirePermission('inventory.settings.write'),
      schema: {
        tags,
        summary:
          'Change the default place, the barcode scheme and the invoice switches (refused when based on a stale version)',
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
          const inPlan = invoiceManagementInPlan(await r.tenant.get(), now);
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
              // DEV-1: switching off hides invoice data on devices; nothing is deleted.
              invoice_management: switchValue(input.invoiceManagement),
              custom_invoice_data: switchValue(input.customInvoiceData),
              invoice_uploads: switchValue(input.invoiceUploads),
            },
            now,
          );
          if (!after) throw modifiedBySomeoneElse();
          await r.audit.record({
            occurredAt: now,
            actor: auditActor(actor),
            action: 'inventory_settings.updated',
            target: { type: 'inventory_settings', id: actor.tenantId },
            changes: fieldChanges(audited(view(before, inPlan)), audited(view(after, inPlan))),
            requestId: request.id,
          });
          return view(after, inPlan);
        });
      } catch (err) {
        // The place was deleted between the check and the update (another writer, PostgreSQL).
        if (isForeignKeyViolation(err)) throw notFound('Place');
        throw err;
      }
    },
  );
}
