import {
  type Place,
  placeInputSchema,
  placeSchema,
  placesSchema,
  placeUpdateSchema,
} from '@thestorage/contracts';
import type { FastifyInstance } from 'fastify';
import { devicesPhrase } from './edits';
import { type CatalogDeps, entryView, registerCatalogListRoutes } from './list-routes';

/** DEV-11 places: devices are assigned to them; one may be the tenant's default place (DEV-4). */
export function registerPlaceRoutes(api: FastifyInstance, deps: CatalogDeps) {
  registerCatalogListRoutes(api, deps, {
    plural: 'places',
    noun: 'Place',
    auditType: 'place',
    repo: (r) => r.places,
    schemas: { input: placeInputSchema, update: placeUpdateSchema, item: placeSchema, list: placesSchema },
    columns: () => ({}),
    async views(rows, r) {
      const defaultPlaceId = await r.inventorySettings.defaultPlaceId();
      return rows.map((row): Place => ({ ...entryView(row), isDefault: row.id === defaultPlaceId }));
    },
    audited: (place) => ({ name: place.name, isDefault: place.isDefault }),
    listBody: async (places) => ({ places }),
    // Deleting the default place clears the default (the foreign key sets it to null).
    inUseMessage: (count) => `Reassign its ${devicesPhrase(count)} before deleting this place`,
    deleteSummary: 'refused while devices are assigned to the place',
  });
}
