import type { CategoryAttribute } from '@thestorage/contracts';
import { type Device, type DeviceStatus, ErrorCode } from '@thestorage/contracts';
import type { Keyring } from '../../platform/crypto/keyring';
import { isUniqueViolation } from '../../platform/db/errors';
import { AppError, notFound } from '../../platform/http/errors';
import type { AttributeValues } from './attributes';
import { fieldsOf } from './repo';
import {
  type DeviceCall,
  type DeviceServiceDeps,
  staleVersion,
  statusAfterAssignment,
  viewsOf,
} from './service';
import { attributesOfCategory } from './view';

export interface MoveRequest {
  tenantId: string;
  keepBarcode: boolean;
  version: number;
}

/** Values of attributes the target category has too (same name and type); the others cannot follow. */
function carriedAttributes(
  from: readonly CategoryAttribute[],
  to: readonly CategoryAttribute[],
  values: AttributeValues,
): AttributeValues {
  const carried: AttributeValues = {};
  for (const source of from) {
    const target = to.find(
      (a) => a.name.toLowerCase() === source.name.toLowerCase() && a.type === source.type,
    );
    if (target && values[source.id] !== undefined) carried[target.id] = values[source.id]!;
  }
  return carried;
}

/**
 * DEV-7: an Administrator (of both tenants) moves a device to another tenant of the organization. An
 * employee assignment is kept (employees are per organization), a place falls back to IT; category, tags
 * and vendor follow by name where the target tenant has them; the barcode is kept only when asked, else
 * the target's scheme applies. Both tenants' histories record "Changed tenant".
 */
export async function moveDevice(
  deps: DeviceServiceDeps & { keyring: Keyring },
  call: DeviceCall,
  id: string,
  request: MoveRequest,
): Promise<Device> {
  const { actor } = call;
  const now = deps.clock.now();
  const target = request.tenantId.toLowerCase();
  if (target === actor.tenantId) {
    throw new AppError(ErrorCode.ValidationFailed, 'The device is already in this tenant', {
      details: [{ path: 'tenantId', message: 'Choose another tenant' }],
    });
  }
  try {
    const movedId = await deps.repos.system.transaction(async (s) => {
      const access = (await s.tenantsOfUser(actor.userId)).find((t) => t.id === target);
      // Another organization's tenant, or one where the caller is not an Administrator, is not there for them.
      if (!access || access.organizationId !== actor.organizationId || access.role !== 'administrator') {
        throw notFound('Tenant');
      }
      // Both tenants' settings rows first, in id order: two opposite moves lock them alike (no deadlock).
      await s.markDevicesChanged([actor.tenantId, target]);
      const source = s.devicesOf(actor.tenantId);
      const destination = s.devicesOf(target);
      const row = await source.get(id);
      if (!row) throw notFound('Device');
      if (Number(row.version) !== request.version) throw staleVersion();

      const related = await source.relatedTo([row]);
      const sourceCategory = row.category_id ? related.categories.get(row.category_id) : undefined;
      const [categoryMatch] = sourceCategory
        ? await destination.byNames('categories', [sourceCategory.name])
        : [];
      const targetCategory = categoryMatch ? await destination.category(categoryMatch.id) : undefined;
      const tagNames = (related.tagIds.get(row.id) ?? []).map((tagId) => related.tags.get(tagId)?.name ?? '');
      const tags = await destination.byNames('tags', tagNames.filter(Boolean));
      const vendor = row.vendor_id ? related.vendors.get(row.vendor_id) : undefined;
      const [vendorMatch] = vendor ? await destination.byNames('vendors', [vendor.name]) : [];

      const settings = await destination.settings(now);
      const newBarcode = !request.keepBarcode && settings.barcode_mode === 'company_id';
      const { number, barcodeNumber } = await destination.allocateNumbers(newBarcode);
      const barcode = request.keepBarcode
        ? row.barcode
        : newBarcode
          ? `${settings.barcode_prefix}${String(barcodeNumber).padStart(settings.barcode_digits, '0')}`
          : null;
      const atPlace = row.assignee_kind === 'place';
      const fields = {
        ...fieldsOf(row),
        category_id: targetCategory?.id ?? null,
        attribute_values: JSON.stringify(
          sourceCategory && targetCategory
            ? carriedAttributes(
                attributesOfCategory(sourceCategory.attributes),
                attributesOfCategory(targetCategory.attributes),
                JSON.parse(row.attribute_values) as AttributeValues,
              )
            : {},
        ),
        assignee_kind: atPlace ? ('it' as const) : row.assignee_kind,
        place_id: null,
        // Falling back to IT is a return to IT: the status follows the assignment rule (DEV-4).
        status: atPlace
          ? statusAfterAssignment('it', row.status as DeviceStatus, row.ever_assigned === 1)
          : row.status,
        barcode,
        vendor_id: vendorMatch?.id ?? null,
      };
      if (
        !(await source.transferTo(
          row,
          target,
          number,
          fields,
          tags.map((t) => t.id),
          now,
        ))
      )
        throw staleVersion();
      // The invoice (even a removed, still restorable one) and the image go along, sealed with the new tenant's key.
      for (const fileId of [row.invoice_file_id, row.image_file_id]) {
        if (fileId) await s.filesOf(actor.tenantId).transferTo(deps.keyring, fileId, target);
      }

      const tenants = await s.tenantsOfUser(actor.userId);
      const nameOf = (tenantId: string) => tenants.find((t) => t.id === tenantId)?.name ?? tenantId;
      const changes = [
        { field: 'tenant', before: nameOf(actor.tenantId), after: nameOf(target) },
        { field: 'number', before: Number(row.number), after: number },
        ...(atPlace
          ? [
              {
                field: 'assignee',
                before: `place:${related.places.get(row.place_id!)?.name ?? ''}`,
                after: 'it',
              },
            ]
          : []),
        ...(barcode !== row.barcode ? [{ field: 'barcode', before: row.barcode, after: barcode }] : []),
      ];
      for (const tenantId of [actor.tenantId, target]) {
        await s.audit.record({
          tenantId,
          occurredAt: now,
          actor: { id: actor.userId, email: actor.email, name: actor.name },
          action: 'device.changed_tenant',
          target: { type: 'device', id },
          changes,
          requestId: call.requestId,
        });
      }
      return row.id;
    });
    // Shown as the target tenant sees it now.
    return await deps.repos.forTenant(target).transaction(async (r) => {
      const moved = await r.devices.get(movedId);
      const [view] = await viewsOf(deps, r, { ...actor, tenantId: target }, [moved!]);
      return view!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError(
        ErrorCode.Conflict,
        'The target tenant already has a device with this barcode or serial number',
        {
          details: { field: 'barcode' },
          cause: err,
        },
      );
    }
    throw err;
  }
}
