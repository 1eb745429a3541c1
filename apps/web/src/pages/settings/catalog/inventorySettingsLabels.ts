import type { InventorySettings } from '@thestorage/contracts';

export type BarcodeMode = InventorySettings['barcodeMode'];

/** DEV-10: each barcode mode in one line, the same in the form and the read-only view. */
export const barcodeModes: readonly { value: BarcodeMode; label: string; description: string }[] = [
  { value: 'disabled', label: 'Disabled', description: 'Devices have no barcode.' },
  {
    value: 'asset_id',
    label: 'Asset ID',
    description: 'Typed per device, e.g. from an existing label; unique in the tenant.',
  },
  {
    value: 'company_id',
    label: 'Company Device ID',
    description: 'Generated for each new device: the prefix and a zero-padded number, e.g. ACME-000042.',
  },
];

export const barcodeModeLabel = Object.fromEntries(barcodeModes.map((m) => [m.value, m.label])) as Record<
  BarcodeMode,
  string
>;

export const BARCODE_DIGITS = [3, 4, 5, 6, 7, 8, 9, 10] as const;

/** A Company Device ID as it will be printed: `ACME-` and 42 with 6 digits give `ACME-000042`. */
export function companyDeviceIdExample(prefix: string, digits: number, number = 42): string {
  return `${prefix.trim()}${String(number).padStart(digits, '0')}`;
}

/** DEV-4: without a default place new devices are assigned to IT. */
export const NO_DEFAULT_PLACE = 'None: new devices go to IT';
