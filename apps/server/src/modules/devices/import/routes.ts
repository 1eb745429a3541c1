import { Readable } from 'node:stream';
import {
  deviceImportListSchema,
  deviceImportSchema,
  IMPORT_CONTENT_TYPES,
  idParamsSchema,
  importTemplateQuerySchema,
  importVersionSchema,
  updateImportMappingSchema,
  uploadImportQuerySchema,
} from '@thestorage/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { checkDeclaredLength } from '../../../platform/files/file-rules';
import { actorOf, requirePermission } from '../../../platform/http/access';
import { acceptRawBodies, declaredLengthOf, uploadBody } from '../../../platform/http/raw-upload';
import {
  checkImport,
  getImport,
  type ImportCall,
  type ImportDeps,
  listImports,
  runImport,
  setMapping,
  uploadImport,
} from './service';
import { importTemplate, templateHeaders } from './template';

const tags = ['device imports'];
const callOf = (request: FastifyRequest): ImportCall => ({ actor: actorOf(request), requestId: request.id });

/** DEV-12: upload, map, check (dry run), run in the background, follow; plus the template. */
export function registerDeviceImportRoutes(api: FastifyInstance, deps: ImportDeps) {
  api.register(async (scoped) => {
    // The file arrives as the raw body; the service reads it within the 50 MB limit.
    acceptRawBodies(scoped, [IMPORT_CONTENT_TYPES.csv, IMPORT_CONTENT_TYPES.xlsx]);
    const typed = scoped.withTypeProvider<ZodTypeProvider>();

    typed.get(
      '/device-imports/template',
      {
        preHandler: requirePermission('inventory.write'),
        schema: {
          tags,
          summary: 'An empty import file with the header row (and the tenant’s attribute columns)',
          querystring: importTemplateQuerySchema,
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const { categories } = await deps.repos
          .forTenant(actor.tenantId)
          .transaction((r) => r.deviceImports.catalog());
        const { format } = request.query;
        const file = await importTemplate(format, templateHeaders(categories));
        return reply
          .type(format === 'csv' ? 'text/csv; charset=utf-8' : IMPORT_CONTENT_TYPES.xlsx)
          .header('content-disposition', `attachment; filename="device-import-template.${format}"`)
          .header('cache-control', 'no-store')
          .send(file);
      },
    );

    typed.post(
      '/device-imports',
      {
        preHandler: requirePermission('inventory.write'),
        schema: {
          tags,
          summary: 'Uploads a CSV or XLSX file (raw body, ≤ 50 MB) and proposes a column mapping',
          querystring: uploadImportQuerySchema,
          response: { 200: deviceImportSchema },
        },
      },
      async (request) => {
        checkDeclaredLength('device_import', declaredLengthOf(request));
        return uploadImport(deps, callOf(request), {
          fileName: request.query.fileName,
          contentType: request.headers['content-type'] ?? '',
          // Read by the service within the limit; a refusal stops reading without dropping the connection.
          body: uploadBody(request) ?? Readable.from([]),
        });
      },
    );

    typed.get(
      '/device-imports',
      {
        preHandler: requirePermission('inventory.write'),
        schema: {
          tags,
          summary: 'The tenant’s recent imports, newest first',
          response: { 200: deviceImportListSchema },
        },
      },
      async (request) => ({ imports: await listImports(deps, actorOf(request)) }),
    );

    typed.get(
      '/device-imports/:id',
      {
        preHandler: requirePermission('inventory.write'),
        schema: {
          tags,
          summary: 'One import: mapping, problems, summary',
          params: idParamsSchema,
          response: { 200: deviceImportSchema },
        },
      },
      async (request) => getImport(deps, actorOf(request), request.params.id),
    );

    typed.put(
      '/device-imports/:id/mapping',
      {
        preHandler: requirePermission('inventory.write'),
        schema: {
          tags,
          summary: 'Sets the field of each column (the check must run again)',
          params: idParamsSchema,
          body: updateImportMappingSchema,
          response: { 200: deviceImportSchema },
        },
      },
      async (request) => setMapping(deps, callOf(request), request.params.id, request.body),
    );

    typed.post(
      '/device-imports/:id/check',
      {
        preHandler: requirePermission('inventory.write'),
        schema: {
          tags,
          summary: 'The dry run: every problem with its row and column, and what the run would do',
          params: idParamsSchema,
          body: importVersionSchema,
          response: { 200: deviceImportSchema },
        },
      },
      async (request) => checkImport(deps, callOf(request), request.params.id, request.body.version),
    );

    typed.post(
      '/device-imports/:id/run',
      {
        preHandler: requirePermission('inventory.write'),
        schema: {
          tags,
          summary: 'Runs a checked import in the background, all or nothing (asking twice runs it once)',
          params: idParamsSchema,
          body: importVersionSchema,
          response: { 200: deviceImportSchema },
        },
      },
      async (request) => runImport(deps, callOf(request), request.params.id, request.body.version),
    );
  });
}
