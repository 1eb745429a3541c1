import { MultiSelect, NativeSelect, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import {
  type Category,
  DEVICE_STATUS_STYLE,
  DEVICE_STATUSES,
  type DeviceInvoiceSettings,
  type DeviceStatus,
  type InventorySettings,
  type Tag,
  type Vendor,
} from '@thestorage/contracts';
import type { ReactNode } from 'react';
import { type AssigneeChoice, AssigneePicker } from './AssigneePicker';
import { AttributeInput } from './AttributeInput';
import type { DeviceFormValues, FieldErrors } from './deviceForm';

type BarcodeMode = InventorySettings['barcodeMode'];

export interface DeviceFormLists {
  categories: readonly Category[];
  vendors: readonly Vendor[];
  tags: readonly Tag[];
  barcodeMode: BarcodeMode;
  /** DEV-1: which invoice fields the tenant shows (its switches and plan). */
  invoice: DeviceInvoiceSettings;
}

export interface DeviceFormFieldsProps {
  values: DeviceFormValues;
  onChange(patch: Partial<DeviceFormValues>): void;
  errors: FieldErrors;
  lists: DeviceFormLists;
  /** Only a new device is assigned in the form; an existing one has its Assignment panel. */
  assignment?: { value: AssigneeChoice | null; onChange(choice: AssigneeChoice | null): void };
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="sm" component="fieldset" style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
      <Title order={3} fz="sm" fw={600} component="legend" mb={4}>
        {title}
      </Title>
      {children}
    </Stack>
  );
}

const BARCODE_HINT: Record<BarcodeMode, string> = {
  disabled: 'Barcodes are turned off for this tenant.',
  asset_id: '',
  company_id: 'Generated when the device is saved (Company Device ID).',
};

/** DEV-1: every field of a device, grouped; category attributes follow the chosen category (DEV-2). */
export function DeviceFormFields({ values, onChange, errors, lists, assignment }: DeviceFormFieldsProps) {
  const category = lists.categories.find((c) => c.id === values.categoryId);
  const text = (field: keyof DeviceFormValues) => ({
    value: values[field] as string,
    error: errors[field],
    onChange: (event: { currentTarget: { value: string } }) =>
      onChange({ [field]: event.currentTarget.value }),
  });

  return (
    <Stack gap="lg">
      <Section title="Device">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label="Name" withAsterisk required maxLength={100} data-autofocus {...text('name')} />
          <TextInput label="Serial number" maxLength={30} {...text('serial')} />
          <NativeSelect
            label="Category"
            data={[
              { value: '', label: 'No category' },
              ...lists.categories.map((c) => ({ value: c.id, label: c.name })),
            ]}
            {...text('categoryId')}
            // A new category starts with its own attributes empty.
            onChange={(event) => onChange({ categoryId: event.currentTarget.value, attributes: {} })}
          />
          <NativeSelect
            label="Status"
            data={DEVICE_STATUSES.map((s) => ({ value: s, label: DEVICE_STATUS_STYLE[s].label }))}
            value={values.status}
            error={errors.status}
            onChange={(event) => onChange({ status: event.currentTarget.value as DeviceStatus })}
          />
          {category?.attributes.map((attribute) => (
            <AttributeInput
              key={attribute.id}
              attribute={attribute}
              value={values.attributes[attribute.id] ?? ''}
              error={errors[`attributes.${attribute.id}`]}
              onChange={(value) => onChange({ attributes: { ...values.attributes, [attribute.id]: value } })}
            />
          ))}
        </SimpleGrid>
      </Section>

      {assignment && (
        <Section title="Assignment">
          <AssigneePicker
            label="Assign to"
            description="Employees after 3 characters (name, e-mail or user name), places by name, or IT. Left empty, the device goes to the default place, else to IT."
            value={assignment.value}
            onChange={assignment.onChange}
            error={errors.assignee}
          />
        </Section>
      )}

      <Section title="Purchase and warranty">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {lists.barcodeMode === 'asset_id' ? (
            <TextInput label="Barcode" maxLength={40} {...text('barcode')} />
          ) : (
            <TextInput
              label="Barcode"
              readOnly
              disabled
              value={values.barcode}
              placeholder={BARCODE_HINT[lists.barcodeMode]}
              description={values.barcode ? BARCODE_HINT[lists.barcodeMode] : undefined}
            />
          )}
          {lists.invoice.management && (
            <NativeSelect
              label="Vendor"
              data={[
                { value: '', label: 'No vendor' },
                ...lists.vendors.map((v) => ({ value: v.id, label: v.name })),
              ]}
              {...text('vendorId')}
            />
          )}
          <TextInput
            label="Price"
            inputMode="decimal"
            placeholder="1299.90"
            maxLength={15}
            {...text('price')}
          />
          <TextInput
            label="Currency"
            placeholder="EUR"
            maxLength={3}
            {...text('currency')}
            onChange={(event) => onChange({ currency: event.currentTarget.value.toUpperCase() })}
          />
          {lists.invoice.management && (
            <>
              <TextInput label="Invoice number" maxLength={60} {...text('invoiceNumber')} />
              <TextInput label="Invoice date" type="date" {...text('invoiceDate')} />
            </>
          )}
          {lists.invoice.customData && (
            <TextInput label="PO extension" maxLength={60} {...text('poExtension')} />
          )}
          <TextInput label="Warranty end" type="date" {...text('warrantyEnd')} />
        </SimpleGrid>
      </Section>

      <Section title="Tags">
        {lists.tags.length === 0 ? (
          <Text size="sm" c="dimmed">
            This tenant has no tags yet (Settings → Tags).
          </Text>
        ) : (
          <MultiSelect
            label="Tags"
            placeholder="Choose tags"
            searchable
            data={lists.tags.map((t) => ({ value: t.id, label: t.name }))}
            value={values.tagIds}
            error={errors.tagIds}
            onChange={(tagIds) => onChange({ tagIds })}
          />
        )}
      </Section>
    </Stack>
  );
}
