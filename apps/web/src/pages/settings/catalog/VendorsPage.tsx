import { Anchor, Text, TextInput } from '@mantine/core';
import { type Vendor, vendorInputSchema, vendorSchema, type vendorsSchema } from '@thestorage/contracts';
import type { z } from 'zod';
import { vendorsQuery } from '../../../api/catalog';
import { CatalogListPage } from './CatalogListPage';
import type { CatalogKind, ExtraFieldsProps } from './catalogKind';

type VendorFields = { name: string; website: string };

function VendorWebsiteField({ fields, errors, set }: ExtraFieldsProps<VendorFields>) {
  return (
    <TextInput
      label="Website"
      description="Optional, e.g. https://www.example.com"
      type="url"
      autoComplete="off"
      maxLength={2000}
      value={fields.website}
      error={errors.website}
      onChange={(event) => set('website', event.currentTarget.value)}
    />
  );
}

function VendorWebsite({ website }: { website: string | null }) {
  if (!website) {
    return (
      <Text size="sm" c="dimmed">
        None
      </Text>
    );
  }
  // Only http(s) addresses become links, whatever was stored.
  if (!/^https?:\/\//i.test(website)) return <Text size="sm">{website}</Text>;
  return (
    <Anchor href={website} target="_blank" rel="noopener noreferrer" size="sm">
      {website.replace(/^https?:\/\//i, '')}
    </Anchor>
  );
}

const devices = (count: number) => `${count} ${count === 1 ? 'device keeps' : 'devices keep'}`;

/** DEV-11 vendors: a name and an optional http(s) website. */
export const vendorsKind: CatalogKind<Vendor, VendorFields, z.infer<typeof vendorsSchema>> = {
  list: 'vendors',
  noun: 'vendor',
  title: 'Vendors',
  intro: 'The shops and suppliers devices are bought from, named on each device’s invoice details.',
  empty: 'No vendors yet.',
  query: vendorsQuery,
  entriesOf: (data) => data.vendors,
  itemSchema: vendorSchema,
  inputSchema: vendorInputSchema,
  nameMaxLength: 60,
  blank: () => ({ name: '', website: '' }),
  fieldsOf: (vendor) => ({ name: vendor.name, website: vendor.website ?? '' }),
  // An empty website means none.
  bodyOf: (fields) => ({ name: fields.name, website: fields.website.trim() || null }),
  ExtraFields: VendorWebsiteField,
  columns: [{ header: 'Website', cell: (vendor) => <VendorWebsite website={vendor.website} /> }],
  deleteConsequence: (vendor) =>
    vendor.deviceCount > 0 ? `Its ${devices(vendor.deviceCount)} no vendor.` : 'No device names it.',
};

/** Settings → Vendors. */
export function VendorsPage() {
  return <CatalogListPage kind={vendorsKind} />;
}
