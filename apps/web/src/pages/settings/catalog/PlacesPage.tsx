import { Badge, Group, Text } from '@mantine/core';
import { type Place, placeInputSchema, placeSchema, type placesSchema } from '@thestorage/contracts';
import type { z } from 'zod';
import { inventorySettingsQuery, placesQuery } from '../../../api/catalog';
import { CatalogListPage } from './CatalogListPage';
import type { CatalogKind } from './catalogKind';

const devices = (count: number) => `${count} ${count === 1 ? 'device is' : 'devices are'}`;

/** DEV-11 places; one of them may be where new devices go (DEV-4, Settings → Inventory). */
export const placesKind: CatalogKind<Place, { name: string }, z.infer<typeof placesSchema>> = {
  list: 'places',
  noun: 'place',
  title: 'Places',
  intro:
    'Offices, storerooms and other places that devices are assigned to when no employee has them. A place with devices cannot be deleted until they are reassigned.',
  empty: 'No places yet.',
  query: placesQuery,
  entriesOf: (data) => data.places,
  itemSchema: placeSchema,
  inputSchema: placeInputSchema,
  nameMaxLength: 60,
  blank: () => ({ name: '' }),
  fieldsOf: (place) => ({ name: place.name }),
  bodyOf: (fields) => ({ name: fields.name }),
  nameCell: (place) => (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm" fw={500}>
        {place.name}
      </Text>
      {place.isDefault && (
        <Badge variant="light" color="teal" size="sm" title="New devices are assigned to this place">
          Default place
        </Badge>
      )}
    </Group>
  ),
  deleteConsequence: (place) => {
    if (place.deviceCount > 0) return `${devices(place.deviceCount)} assigned to it: reassign them first.`;
    if (place.isDefault) return 'It is the default place: new devices will go to IT instead.';
    return 'No devices are assigned to it.';
  },
  // Deleting the default place clears the default.
  related: [inventorySettingsQuery.queryKey],
};

/** Settings → Places. */
export function PlacesPage() {
  return <CatalogListPage kind={placesKind} />;
}
