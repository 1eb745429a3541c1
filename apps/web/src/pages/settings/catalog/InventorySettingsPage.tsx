import { Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { InventorySettings, Place } from '@thestorage/contracts';
import { inventorySettingsQuery, placesQuery } from '../../../api/catalog';
import { mayChangeInventory } from '../../../auth/access';
import { useSignedIn } from '../../../auth/signedIn';
import { QueryState } from '../../../components/QueryState';
import { InventorySettingsForm } from './InventorySettingsForm';
import { invoiceSummaryRows } from './InvoiceSwitches';
import {
  barcodeModeLabel,
  barcodeModes,
  companyDeviceIdExample,
  NO_DEFAULT_PLACE,
} from './inventorySettingsLabels';

/** What Operators and Viewers see: the settings as text, nothing to change. */
function InventorySettingsSummary({
  settings,
  places,
}: {
  settings: InventorySettings;
  places: readonly Place[];
}) {
  const place = places.find((p) => p.id === settings.defaultPlaceId);
  const mode = barcodeModes.find((m) => m.value === settings.barcodeMode);
  const rows: [string, string][] = [
    ['Default place for new devices', place?.name ?? NO_DEFAULT_PLACE],
    ['Barcodes', `${barcodeModeLabel[settings.barcodeMode]}: ${mode?.description ?? ''}`],
  ];
  if (settings.barcodeMode === 'company_id') {
    rows.push(
      ['Prefix', settings.barcodePrefix || 'None'],
      ['Digits', String(settings.barcodeDigits)],
      ['Example', companyDeviceIdExample(settings.barcodePrefix, settings.barcodeDigits)],
    );
  }
  rows.push(...invoiceSummaryRows(settings));
  return (
    <Stack gap="sm">
      <Table withRowBorders={false} verticalSpacing={6} aria-label="Inventory settings" maw={760}>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={260} fw={500}>
                {label}
              </Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" c="dimmed">
        Only Administrators change the inventory settings.
      </Text>
    </Stack>
  );
}

/** Settings → Inventory: where new devices go (DEV-4), the barcode scheme (DEV-10) and invoices (DEV-1). */
export function InventorySettingsPage() {
  const me = useSignedIn();
  const settings = useQuery(inventorySettingsQuery);
  const places = useQuery({ ...placesQuery, select: (data) => data.places });
  const canEdit = mayChangeInventory(me, 'inventory.settings.write');

  return (
    <Stack gap="lg" maw={900}>
      <Text size="sm" c="dimmed" maw={640}>
        New devices are assigned to the default place when one is set, otherwise to IT. The barcode scheme
        decides what goes on each device’s label; the invoice switches, which invoice data devices show.
      </Text>
      <QueryState query={settings} label="the inventory settings">
        {(current) => (
          <QueryState query={places} label="the places">
            {(placeList) =>
              canEdit ? (
                <InventorySettingsForm
                  settings={current}
                  places={placeList}
                  reload={async () => {
                    const [fresh] = await Promise.all([settings.refetch(), places.refetch()]);
                    if (fresh.isError || !fresh.data) throw fresh.error;
                    return fresh.data;
                  }}
                />
              ) : (
                <InventorySettingsSummary settings={current} places={placeList} />
              )
            }
          </QueryState>
        )}
      </QueryState>
    </Stack>
  );
}
