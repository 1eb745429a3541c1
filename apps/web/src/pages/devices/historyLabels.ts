import {
  type Icon,
  IconAlertTriangle,
  IconArrowsExchange,
  IconBuildingStore,
  IconFileImport,
  IconHeartHandshake,
  IconMapPin,
  IconMessage,
  IconPencil,
  IconPlus,
  IconShieldCheck,
  IconTag,
  IconTool,
  IconTrash,
  IconTrashX,
  IconUser,
  IconUserCheck,
} from '@tabler/icons-react';
import { DEVICE_STATUS_STYLE, type DeviceEventType, type DeviceStatus } from '@thestorage/contracts';

/** DEV-5: how each kind of history event reads, with its icon and colour. */
export const EVENT_STYLE: Record<DeviceEventType, { label: string; color: string; icon: Icon }> = {
  imported: { label: 'Imported', color: 'cyan', icon: IconFileImport },
  created: { label: 'Created', color: 'green', icon: IconPlus },
  modified: { label: 'Modified', color: 'blue', icon: IconPencil },
  assigned_to_it: { label: 'Assigned to IT', color: 'orange', icon: IconTool },
  assigned_to_employee: { label: 'Assigned to employee', color: 'blue', icon: IconUser },
  assigned_to_place: { label: 'Assigned to place', color: 'indigo', icon: IconMapPin },
  set_as_charity: { label: 'Set as charity', color: 'grape', icon: IconHeartHandshake },
  set_to_discarded: { label: 'Set to discarded', color: 'gray', icon: IconTrash },
  marked_as_missing: { label: 'Marked as missing', color: 'red', icon: IconAlertTriangle },
  tag_applied: { label: 'Tag applied', color: 'lime', icon: IconTag },
  verified_by_administrator: { label: 'Verified by administrator', color: 'teal', icon: IconShieldCheck },
  verified_by_employee: { label: 'Verified by employee', color: 'teal', icon: IconUserCheck },
  added_to_store: { label: 'Added to store', color: 'yellow', icon: IconBuildingStore },
  changed_tenant: { label: 'Changed tenant', color: 'violet', icon: IconArrowsExchange },
  comment_added: { label: 'Comment added', color: 'gray', icon: IconMessage },
  deleted: { label: 'Deleted', color: 'red', icon: IconTrashX },
};

const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  serial: 'Serial number',
  category: 'Category',
  attributes: 'Attributes',
  status: 'Status',
  assignee: 'Assigned to',
  barcode: 'Barcode',
  price: 'Price',
  currency: 'Currency',
  vendor: 'Vendor',
  invoiceNumber: 'Invoice number',
  invoiceDate: 'Invoice date',
  poExtension: 'PO extension',
  invoiceFile: 'Invoice PDF',
  image: 'Image',
  warrantyEnd: 'Warranty end',
  tags: 'Tags',
  comment: 'Comment',
  tenant: 'Tenant',
  number: 'Number',
};

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field;
}

function attributesText(json: string, attributeNames: ReadonlyMap<string, string>): string {
  try {
    const values = JSON.parse(json) as Record<string, unknown>;
    return Object.entries(values)
      .map(([id, value]) => `${attributeNames.get(id) ?? 'Attribute'}: ${String(value)}`)
      .join(', ');
  } catch {
    return json;
  }
}

/** A before or after value as people read it: status labels, attribute names, "—" for nothing. */
export function changeValueText(
  field: string,
  value: unknown,
  attributeNames: ReadonlyMap<string, string> = new Map(),
): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'status' && typeof value === 'string' && value in DEVICE_STATUS_STYLE) {
    return DEVICE_STATUS_STYLE[value as DeviceStatus].label;
  }
  if (field === 'number' && typeof value === 'number') return `#${value}`;
  if (field === 'attributes' && typeof value === 'string') return attributesText(value, attributeNames);
  return typeof value === 'string' ? value : JSON.stringify(value);
}
