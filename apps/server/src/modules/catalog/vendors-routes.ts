import {
  type Vendor,
  vendorInputSchema,
  vendorSchema,
  vendorsSchema,
  vendorUpdateSchema,
} from '@thestorage/contracts';
import type { FastifyInstance } from 'fastify';
import { type CatalogDeps, entryView, registerCatalogListRoutes } from './list-routes';

/** DEV-11 vendors with an optional http(s) website; deleting one leaves its devices without a vendor. */
export function registerVendorRoutes(api: FastifyInstance, deps: CatalogDeps) {
  registerCatalogListRoutes(api, deps, {
    plural: 'vendors',
    noun: 'Vendor',
    auditType: 'vendor',
    repo: (r) => r.vendors,
    schemas: {
      input: vendorInputSchema,
      update: vendorUpdateSchema,
      item: vendorSchema,
      list: vendorsSchema,
    },
    columns: (input) => ({ website: input.website }),
    views: async (rows) => rows.map((row): Vendor => ({ ...entryView(row), website: row.website })),
    audited: (vendor) => ({ name: vendor.name, website: vendor.website }),
    listBody: async (vendors) => ({ vendors }),
    deleteSummary: 'its devices keep no vendor',
  });
}
