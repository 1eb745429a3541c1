import {
  deviceFileVersionQuerySchema,
  deviceSchema,
  restoreInvoiceRequestSchema,
} from '@thestorage/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requirePermission } from '../../platform/http/access';
import { acceptRawBodies, declaredLengthOf, uploadBody } from '../../platform/http/raw-upload';
import {
  assertMayUpload,
  attachDeviceFile,
  type DeviceFileDeps,
  type DeviceFileKind,
  readDeviceFile,
  readUpload,
  removeDeviceFile,
  restoreDeviceInvoice,
} from './device-files';
import type { DeviceCall } from './service';

const params = z.object({ id: z.uuid() });
const imageQuery = z.object({
  /** The image's id from the device view: a new image is a new address (see `image.url`). */
  v: z.string().max(64).optional(),
});
const tags = ['devices'];
/** The raw file is the body; the OpenAPI document names its types. */
const rawFile = (types: string[]) =>
  z.unknown().meta({ description: `The file itself (${types.join(', ')}), not JSON or a form` });

const callOf = (request: FastifyRequest): DeviceCall => ({ actor: actorOf(request), requestId: request.id });

/** DEV-1: a device's invoice PDF and image: upload, download, remove, and (invoice) restore. */
export function registerDeviceFileRoutes(api: FastifyInstance, deps: DeviceFileDeps) {
  // Uploads are the raw file. These parsers exist only in this plugin's routes: they hand the stream on
  // unread, so the permission check runs first and the handler reads it within the file's limit.
  api.register(async (scoped) => {
    acceptRawBodies(scoped, ['application/pdf', /^image\/[\w.+-]+$/i]);
    const typed = scoped.withTypeProvider<ZodTypeProvider>();

    const upload = (kind: DeviceFileKind, types: string[], summary: string) =>
      typed.put(
        `/devices/:id/${kind}`,
        {
          preHandler: requirePermission('inventory.write'),
          schema: {
            tags,
            summary,
            params,
            querystring: deviceFileVersionQuerySchema,
            consumes: types,
            body: rawFile(types),
            response: { 200: deviceSchema },
          },
        },
        async (request) => {
          const call = callOf(request);
          const { id } = request.params;
          const { version } = request.query;
          await assertMayUpload(deps, call, id, kind, version);
          const file = await readUpload(
            kind,
            request.headers['content-type'] ?? '',
            uploadBody(request),
            declaredLengthOf(request),
          );
          return attachDeviceFile(deps, call, id, kind, version, file);
        },
      );

    upload(
      'invoice',
      ['application/pdf'],
      'Upload the invoice PDF (≤ 2 MB, the raw file as the body) based on the device version read; replaces the current one',
    );
    upload(
      'image',
      ['image/png', 'image/jpeg', 'image/webp'],
      'Upload the device image (PNG, JPEG or WebP, ≤ 5 MB, ≤ 10,000 px a side, the raw file as the body)',
    );
  });

  const typed = api.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/devices/:id/invoice',
    {
      preHandler: requirePermission('inventory.read'),
      schema: { tags, summary: 'Download the invoice PDF', params },
    },
    async (request, reply) => {
      const file = await readDeviceFile(deps, actorOf(request), request.params.id, 'invoice');
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="invoice-${file.deviceNumber}.pdf"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(file.bytes);
    },
  );

  typed.get(
    '/devices/:id/image',
    {
      preHandler: requirePermission('inventory.read'),
      schema: {
        tags,
        summary: 'The device image (cacheable by its address and ETag)',
        params,
        querystring: imageQuery,
      },
    },
    async (request, reply) => {
      const held = /^"([0-9a-f-]{36})"$/i.exec(request.headers['if-none-match'] ?? '')?.[1];
      const file = await readDeviceFile(deps, actorOf(request), request.params.id, 'image', held);
      reply
        .header('etag', `"${file.fileId}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, max-age=86400');
      if (!file.bytes) return reply.code(304).send();
      return reply
        .type(file.contentType)
        .header('content-disposition', `inline; filename="device-${file.deviceNumber}-image"`)
        .send(file.bytes);
    },
  );

  const remove = (kind: DeviceFileKind, summary: string) =>
    typed.delete(
      `/devices/:id/${kind}`,
      {
        preHandler: requirePermission('inventory.write'),
        schema: {
          tags,
          summary,
          params,
          querystring: deviceFileVersionQuerySchema,
          response: { 200: deviceSchema },
        },
      },
      async (request) =>
        removeDeviceFile(deps, callOf(request), request.params.id, kind, request.query.version),
    );
  remove('invoice', 'Remove the invoice PDF: restorable by an Administrator for 14 days, then purged');
  remove('image', 'Remove the device image');

  typed.post(
    '/devices/:id/invoice/restore',
    {
      preHandler: requirePermission('devices.invoice.restore'),
      schema: {
        tags,
        summary: 'Restore a removed invoice PDF within its 14 days (Administrators)',
        params,
        body: restoreInvoiceRequestSchema,
        response: { 200: deviceSchema },
      },
    },
    async (request) => restoreDeviceInvoice(deps, callOf(request), request.params.id, request.body.version),
  );
}
