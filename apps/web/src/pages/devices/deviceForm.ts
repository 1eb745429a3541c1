import {
  type CategoryAttribute,
  type CreateDeviceRequest,
  createDeviceRequestSchema,
  type Device,
  type DeviceInvoiceSettings,
  type DeviceStatus,
  type UpdateDeviceRequest,
  updateDeviceRequestSchema,
} from '@thestorage/contracts';
import type { z } from 'zod';

/** The device form as typed: every box holds text; empty means "not set". */
export interface DeviceFormValues {
  name: string;
  serial: string;
  categoryId: string;
  /** By attribute id. */
  attributes: Record<string, string>;
  status: DeviceStatus;
  barcode: string;
  price: string;
  currency: string;
  vendorId: string;
  invoiceNumber: string;
  invoiceDate: string;
  poExtension: string;
  warrantyEnd: string;
  tagIds: string[];
}

export type FieldErrors = Record<string, string>;

export function emptyDeviceForm(): DeviceFormValues {
  return {
    name: '',
    serial: '',
    categoryId: '',
    attributes: {},
    status: 'new',
    barcode: '',
    price: '',
    currency: '',
    vendorId: '',
    invoiceNumber: '',
    invoiceDate: '',
    poExtension: '',
    warrantyEnd: '',
    tagIds: [],
  };
}

/** The form filled with a device as the server has it now. */
export function deviceFormOf(device: Device): DeviceFormValues {
  const attributes: Record<string, string> = {};
  for (const [id, value] of Object.entries(device.attributes)) {
    if (value !== null) attributes[id] = String(value);
  }
  return {
    name: device.name,
    serial: device.serial ?? '',
    categoryId: device.category?.id ?? '',
    attributes,
    status: device.status,
    barcode: device.barcode ?? '',
    price: device.price ?? '',
    currency: device.currency ?? '',
    vendorId: device.vendor?.id ?? '',
    invoiceNumber: device.invoiceNumber ?? '',
    invoiceDate: device.invoiceDate ?? '',
    poExtension: device.poExtension ?? '',
    warrantyEnd: device.warrantyEnd ?? '',
    tagIds: device.tags.map((tag) => tag.id),
  };
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

/** An attribute value as its type wants it: a number stays text when it is no number, so it is refused. */
export function attributeValueOf(attribute: CategoryAttribute, text: string): string | number | null {
  const value = text.trim();
  if (value === '') return null;
  if (attribute.type === 'number' && Number.isFinite(Number(value))) return Number(value);
  return value;
}

/** Only the category's own attributes are sent; values of a former category stay behind. */
export function attributesOf(
  attributes: readonly CategoryAttribute[],
  values: Record<string, string>,
): Record<string, string | number | null> {
  const sent: Record<string, string | number | null> = {};
  for (const attribute of attributes) {
    const value = attributeValueOf(attribute, values[attribute.id] ?? '');
    if (value !== null) sent[attribute.id] = value;
  }
  return sent;
}

interface FormContext {
  attributes: readonly CategoryAttribute[];
  /** Barcodes are typed only in the Asset ID scheme (DEV-10). */
  barcodeTyped: boolean;
  /** DEV-1: invoice fields the tenant hides are not sent (the server keeps their hidden values). */
  invoice?: DeviceInvoiceSettings;
}

function fieldsOf(values: DeviceFormValues, context: FormContext) {
  return {
    name: values.name.trim(),
    serial: orNull(values.serial),
    categoryId: orNull(values.categoryId),
    attributes: attributesOf(context.attributes, values.attributes),
    status: values.status,
    ...(context.barcodeTyped ? { barcode: orNull(values.barcode) } : {}),
    price: orNull(values.price),
    currency: orNull(values.currency)?.toUpperCase() ?? null,
    ...(context.invoice?.management !== false
      ? {
          vendorId: orNull(values.vendorId),
          invoiceNumber: orNull(values.invoiceNumber),
          invoiceDate: orNull(values.invoiceDate),
        }
      : {}),
    ...(context.invoice?.customData !== false ? { poExtension: orNull(values.poExtension) } : {}),
    warrantyEnd: orNull(values.warrantyEnd),
    tagIds: values.tagIds,
  };
}

/** A new device: what was filled in; what was left empty the server decides (number, place, status). */
export function createRequestOf(values: DeviceFormValues, context: FormContext): CreateDeviceRequest {
  const fields = fieldsOf(values, context);
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    const empty = value === null || (Array.isArray(value) && value.length === 0);
    if (!empty && !(key === 'attributes' && Object.keys(value as object).length === 0)) body[key] = value;
  }
  return body as CreateDeviceRequest;
}

/** "Edit all": every field as the form has it, based on the version read (DEV-6). */
export function updateRequestOf(
  values: DeviceFormValues,
  context: FormContext,
  version: number,
): UpdateDeviceRequest {
  return { ...fieldsOf(values, context), version } as UpdateDeviceRequest;
}

function issuesOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) errors[issue.path.join('.')] ??= issue.message;
  return errors;
}

/**
 * The form's own check before sending, with the contract's schema (the same rules and words as the
 * server) and the category's required attributes.
 */
export function checkDeviceRequest(
  body: CreateDeviceRequest | UpdateDeviceRequest,
  attributes: readonly CategoryAttribute[],
): FieldErrors {
  const schema = 'version' in body ? updateDeviceRequestSchema : createDeviceRequestSchema;
  const parsed = schema.safeParse(body);
  const errors = parsed.success ? {} : issuesOf(parsed.error);
  for (const attribute of attributes) {
    const value = body.attributes?.[attribute.id];
    const path = `attributes.${attribute.id}`;
    if (attribute.required && (value === undefined || value === null)) {
      errors[path] ??= `${attribute.name} is required`;
    } else if (attribute.type === 'number' && typeof value === 'string') {
      errors[path] ??= `${attribute.name} is a number`;
    }
  }
  return errors;
}
