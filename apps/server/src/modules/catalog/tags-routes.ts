import { type Tag, tagInputSchema, tagSchema, tagsSchema, tagUpdateSchema } from '@thestorage/contracts';
import type { FastifyInstance } from 'fastify';
import { type CatalogDeps, entryView, registerCatalogListRoutes } from './list-routes';

/** DEV-11 tags with a colour of the palette; deleting a tag takes it off every device. */
export function registerTagRoutes(api: FastifyInstance, deps: CatalogDeps) {
  registerCatalogListRoutes(api, deps, {
    plural: 'tags',
    noun: 'Tag',
    auditType: 'tag',
    repo: (r) => r.tags,
    schemas: { input: tagInputSchema, update: tagUpdateSchema, item: tagSchema, list: tagsSchema },
    columns: (input) => ({ color: input.color }),
    views: async (rows) => rows.map((row): Tag => ({ ...entryView(row), color: row.color as Tag['color'] })),
    audited: (tag) => ({ name: tag.name, color: tag.color }),
    listBody: async (tags) => ({ tags }),
    deleteSummary: 'the tag is taken off every device',
  });
}
