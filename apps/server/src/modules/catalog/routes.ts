import type { FastifyInstance } from 'fastify';
import { registerCategoryRoutes } from './categories-routes';
import type { CatalogDeps } from './list-routes';
import { registerPlaceRoutes } from './places-routes';
import { registerInventorySettingsRoutes } from './settings-routes';
import { registerTagRoutes } from './tags-routes';
import { registerVendorRoutes } from './vendors-routes';

/** The tenant's inventory lists and settings: categories (DEV-2), places, tags, vendors (DEV-11), DEV-4/10. */
export function registerCatalogRoutes(api: FastifyInstance, deps: CatalogDeps) {
  registerCategoryRoutes(api, deps);
  registerPlaceRoutes(api, deps);
  registerTagRoutes(api, deps);
  registerVendorRoutes(api, deps);
  registerInventorySettingsRoutes(api, deps);
}
