import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildTestApp } from '../../../../../test/support/app';
import type { DatabaseTarget, TestDatabase } from '../../../../../test/support/databases';
import type { FieldChange } from '../../platform/audit-store/event';
import { ManualClock } from '../../platform/clock';
import { newId } from '../../platform/db/ids';
import { withTenant } from '../../platform/db/tenant-scope';
import type { Role } from '../../platform/http/permissions';
import { createRepos } from '../../repos';
import { createOrganizationWithTenant } from '../tenants/tenant-service';

export const START = '2026-03-01T09:00:00.000Z';

export interface AuditRow {
  action: string;
  targetType: string;
  targetId: string;
  actorEmail: string;
  changes: FieldChange[];
}

export interface CatalogHarness {
  t: TestDatabase;
  app: FastifyInstance;
  clock: ManualClock;
  /** Tenant A (the caller's, unless a test switches) and tenant B of another organization. */
  tenantA: string;
  tenantB: string;
  /** Signs in as this role of this tenant (default A). */
  signIn(role: Role, tenantId?: string): void;
  call(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
  ): Promise<LightMyRequestResponse>;
  /** A new organization with one tenant in its 30-day trial, stored plan Free. */
  addTenant(slug: string): Promise<string>;
  /** Audit events of a tenant in the order they were written, with their field changes. */
  auditEvents(tenantId: string): Promise<AuditRow[]>;
  /** A device row written straight to SQL (the devices module is not needed for these rules). */
  insertDevice(
    tenantId: string,
    links: { categoryId?: string; placeId?: string; vendorId?: string; tagIds?: string[] },
  ): Promise<string>;
  close(): Promise<void>;
}

/** The whole app (buildApp, as production wires it) on one test database, with two tenants. */
export async function startCatalogHarness(target: DatabaseTarget): Promise<CatalogHarness> {
  const t = await target.create();
  const clock = new ManualClock(START);
  const repos = createRepos(t.handle);
  const { app, setActor } = await buildTestApp(t.handle, { clock });
  let deviceNumber = 0;
  const organizationOf = new Map<string, string>();

  const addTenant = async (slug: string) => {
    const created = await createOrganizationWithTenant({ name: slug, slug, clock }, repos);
    organizationOf.set(String(created.tenant.id), String(created.organization.id));
    return String(created.tenant.id);
  };
  const tenantA = await addTenant('catalog-a');
  const tenantB = await addTenant('catalog-b');

  return {
    t,
    app,
    clock,
    tenantA,
    tenantB,
    addTenant,
    signIn(role, tenantId = tenantA) {
      setActor({
        userId: '0190a1b2-1111-7000-8000-000000000001',
        email: 'olga@example.com',
        name: 'Olga Operator',
        tenantId,
        organizationId: organizationOf.get(tenantId)!,
        role,
        isPlatformAdmin: false,
      });
    },
    call: (method, url, payload) => app.inject({ method, url: `/api/v1${url}`, payload }),
    async auditEvents(tenantId) {
      const rows = await withTenant(t.handle, tenantId, (trx) =>
        trx.selectFrom('audit_outbox').selectAll().where('tenant_id', '=', tenantId).execute(),
      );
      return rows
        .sort((x, y) => String(x.id).localeCompare(String(y.id)))
        .map((row) => ({
          action: row.action,
          targetType: row.target_type,
          targetId: String(row.target_id),
          actorEmail: row.actor_email,
          changes: JSON.parse(row.changes),
        }));
    },
    async insertDevice(tenantId, links) {
      const id = newId();
      deviceNumber += 1;
      const number = deviceNumber;
      const at = clock.now().toISOString();
      await withTenant(t.handle, tenantId, async (trx) => {
        await trx
          .insertInto('devices')
          .values({
            id,
            tenant_id: tenantId,
            number,
            name: `Laptop ${number}`,
            name_key: `laptop ${number}`,
            serial: null,
            serial_key: null,
            category_id: links.categoryId ?? null,
            attribute_values: '{}',
            status: links.placeId ? 'in_use' : 'new',
            ever_assigned: links.placeId ? 1 : 0,
            assignee_kind: links.placeId ? 'place' : 'it',
            employee_ref: null,
            place_id: links.placeId ?? null,
            barcode: null,
            barcode_key: null,
            price: null,
            currency: null,
            vendor_id: links.vendorId ?? null,
            invoice_number: null,
            invoice_date: null,
            po_extension: null,
            warranty_end: null,
            search_text: `#${number} laptop ${number}`,
            created_at: at,
            updated_at: at,
            version: 1,
          })
          .execute();
        for (const tagId of links.tagIds ?? []) {
          await trx
            .insertInto('device_tags')
            .values({ tenant_id: tenantId, device_id: id, tag_id: tagId })
            .execute();
        }
      });
      return id;
    },
    async close() {
      await app.close();
      await t.close();
    },
  };
}

/** A device's row as SQL holds it now (or undefined once deleted), seen from its own tenant. */
export function deviceRow(h: CatalogHarness, tenantId: string, id: string) {
  return withTenant(h.t.handle, tenantId, (trx) =>
    trx.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst(),
  );
}

/** The tags applied to a device. */
export function deviceTagIds(h: CatalogHarness, tenantId: string, id: string) {
  return withTenant(h.t.handle, tenantId, (trx) =>
    trx.selectFrom('device_tags').select('tag_id').where('device_id', '=', id).execute(),
  ).then((rows) => rows.map((r) => String(r.tag_id)));
}
