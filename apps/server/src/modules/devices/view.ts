import type { Assignee, CategoryAttribute, Device, DeviceStatus, Tag } from '@thestorage/contracts';
import type { DeviceRow } from '../../platform/db/schema';
import { resolvedEmployee } from '../directory/resolved-employee';
import type { DirectoryPerson } from '../directory/types';
import type { TenantConversion } from '../money/tenant-conversion';
import { type AttributeValues, displayNameOf } from './attributes';
import { type DeviceFileContext, imageView, invoiceFileView } from './file-views';
import type { Related } from './repo';

export const attributesOfCategory = (json: string): CategoryAttribute[] =>
  JSON.parse(json) as CategoryAttribute[];

/** DEV-1: green while valid, red once expired, none when unknown; compared by calendar day (UTC). */
export function warrantyStateOf(warrantyEnd: string | null, now: Date): Device['warrantyState'] {
  if (!warrantyEnd) return 'unknown';
  return warrantyEnd >= now.toISOString().slice(0, 10) ? 'valid' : 'expired';
}

function assigneeOf(row: DeviceRow, related: Related, people: Map<string, DirectoryPerson>): Assignee {
  if (row.assignee_kind === 'employee' && row.employee_ref) {
    return {
      kind: 'employee',
      reference: row.employee_ref,
      employee: resolvedEmployee(row.employee_ref, people.get(row.employee_ref)),
    };
  }
  if (row.assignee_kind === 'place' && row.place_id) {
    return { kind: 'place', placeId: row.place_id, placeName: related.places.get(row.place_id)?.name ?? '' };
  }
  return row.assignee_kind === 'store' ? { kind: 'store' } : { kind: 'it' };
}

/** A device as the API shows it: names of what it refers to, employees resolved at display time (SEC-5). */
export function deviceView(
  row: DeviceRow,
  related: Related,
  people: Map<string, DirectoryPerson>,
  now: Date,
  files: DeviceFileContext,
  /** The tenant's default currency and rates, read once per request; null when no row has a priced currency. */
  conversion: TenantConversion | null,
): Device {
  const invoice = files.invoice;
  const categoryRow = row.category_id ? related.categories.get(row.category_id) : undefined;
  const category = categoryRow
    ? {
        attributes: attributesOfCategory(categoryRow.attributes),
        appendToName: categoryRow.append_to_name === 1,
      }
    : null;
  const attributes = JSON.parse(row.attribute_values) as AttributeValues;
  const vendor = row.vendor_id ? related.vendors.get(row.vendor_id) : undefined;
  const tags = (related.tagIds.get(row.id) ?? [])
    .map((id) => related.tags.get(id))
    .filter((tag): tag is NonNullable<typeof tag> => tag !== undefined)
    .sort((a, b) => a.name_key.localeCompare(b.name_key))
    .map((tag) => ({ id: tag.id, name: tag.name, color: tag.color as Tag['color'] }));
  return {
    id: row.id,
    number: Number(row.number),
    name: row.name,
    displayName: displayNameOf(row.name, category, attributes),
    serial: row.serial,
    category: categoryRow ? { id: categoryRow.id, name: categoryRow.name } : null,
    attributes,
    status: row.status as DeviceStatus,
    assignee: assigneeOf(row, related, people),
    barcode: row.barcode,
    price: row.price,
    currency: row.currency,
    convertedPrice: conversion?.convert(row.price, row.currency) ?? null,
    // DEV-1: switched off (or not in the plan), invoice data is hidden, never deleted.
    vendor: vendor && invoice.management ? { id: vendor.id, name: vendor.name } : null,
    invoiceNumber: invoice.management ? row.invoice_number : null,
    invoiceDate: invoice.management ? row.invoice_date : null,
    poExtension: invoice.customData ? row.po_extension : null,
    warrantyEnd: row.warranty_end,
    warrantyState: warrantyStateOf(row.warranty_end, now),
    invoiceSettings: invoice,
    invoiceFile: invoice.uploads ? invoiceFileView(row, files.files, now) : null,
    image: imageView(row, files.files),
    tags,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
}
