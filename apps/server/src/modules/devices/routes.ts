import { PassThrough } from 'node:stream';
import {
  assignDeviceRequestSchema,
  commentRequestSchema,
  createDeviceRequestSchema,
  deleteWithVersionQuerySchema,
  deviceCommentsSchema,
  deviceExportQuerySchema,
  deviceHistorySchema,
  deviceListQuerySchema,
  devicePageSchema,
  deviceSchema,
  labelsRequestSchema,
  moveDeviceRequestSchema,
  updateDeviceRequestSchema,
} from '@thestorage/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditStore } from '../../platform/audit-store/store';
import type { Keyring } from '../../platform/crypto/keyring';
import { actorOf, requirePermission } from '../../platform/http/access';
import { notFound } from '../../platform/http/errors';
import type { Repos } from '../../repos';
import { writeDeviceExport } from './export';
import { registerDeviceFileRoutes } from './files-routes';
import { deviceHistory } from './history';
import { labelsPdf } from './labels';
import { moveDevice } from './move';
import {
  addComment,
  assignDevice,
  createDevice,
  type DeviceCall,
  type DeviceServiceDeps,
  deleteDevice,
  devicesPage,
  updateDevice,
  viewsOf,
} from './service';

export interface DeviceRouteDeps extends DeviceServiceDeps {
  auditStore: AuditStore;
  /** Invoice PDFs and images are sealed with the tenant's data key (SEC-9). */
  keyring: Keyring;
  /** Exports read through these: the bulk reader's (see `Stores.bulkReader`), or `repos` without one. */
  exportRepos: Repos;
}

const params = z.object({ id: z.uuid() });
const historyQuery = z.object({
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
const tags = ['devices'];

const callOf = (request: FastifyRequest): DeviceCall => ({ actor: actorOf(request), requestId: request.id });

/** Devices (DEV-1, DEV-4…DEV-9): HTTP only; the rules live in service.ts and move.ts. */
export function registerDeviceRoutes(api: FastifyInstance, deps: DeviceRouteDeps) {
  const typed = api.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/devices',
    {
      preHandler: requirePermission('inventory.read'),
      schema: {
        tags,
        summary:
          'Devices: filter by text, category, status, tag and assignee; sort; cursor pages with a total',
        querystring: deviceListQuerySchema,
        response: { 200: devicePageSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return deps.repos
        .forTenant(actor.tenantId)
        .transaction((r) => devicesPage(deps, r, actor, request.query));
    },
  );

  typed.post(
    '/devices',
    {
      preHandler: requirePermission('inventory.write'),
      schema: {
        tags,
        summary: 'Add a device: the next number, the default place (else IT), status New',
        body: createDeviceRequestSchema,
        response: { 200: deviceSchema },
      },
    },
    async (request) => createDevice(deps, callOf(request), request.body),
  );

  typed.get(
    '/devices/export',
    {
      preHandler: requirePermission('inventory.read'),
      schema: {
        tags,
        summary: 'The filtered device list as CSV or XLSX, streamed (formula-like cells written as text)',
        querystring: deviceExportQuerySchema,
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { format, ...filters } = request.query;
      const out = new PassThrough();
      const reading = { ...deps, repos: deps.exportRepos };
      writeDeviceExport(reading, actor, { ...filters, limit: 1_000 }, format, out).catch((err) => {
        request.log.error({ err }, 'device export failed');
        out.destroy(err instanceof Error ? err : new Error('device export failed'));
      });
      const day = deps.clock.now().toISOString().slice(0, 10);
      return reply
        .type(
          format === 'csv'
            ? 'text/csv; charset=utf-8'
            : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        )
        .header('content-disposition', `attachment; filename="devices-${day}.${format}"`)
        .header('cache-control', 'no-store')
        .send(out);
    },
  );

  typed.post(
    '/devices/labels',
    {
      preHandler: requirePermission('inventory.read'),
      schema: {
        tags,
        summary: 'Printable labels (PDF, QR code or Code 128, 24 per A4 page) for the devices chosen',
        body: labelsRequestSchema,
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const ids = [...new Set(request.body.deviceIds)];
      const rows = await deps.repos.forTenant(actor.tenantId).transaction((r) => r.devices.getMany(ids));
      // Another tenant's id is not found here, like everywhere else.
      if (rows.length !== ids.length) throw notFound('Device');
      const order = new Map(ids.map((id, index) => [id, index]));
      rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
      const pdf = await labelsPdf(
        rows.map((row) => ({ number: Number(row.number), name: row.name, barcode: row.barcode })),
        request.body.format,
      );
      return reply
        .type('application/pdf')
        .header('content-disposition', 'attachment; filename="device-labels.pdf"')
        .header('cache-control', 'no-store')
        .send(Buffer.from(pdf));
    },
  );

  typed.get(
    '/devices/:id',
    {
      preHandler: requirePermission('inventory.read'),
      schema: { tags, summary: 'One device', params, response: { 200: deviceSchema } },
    },
    async (request) => {
      const actor = actorOf(request);
      return deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
        const row = await r.devices.get(request.params.id);
        if (!row) throw notFound('Device');
        const [view] = await viewsOf(deps, r, actor, [row]);
        return view!;
      });
    },
  );

  typed.patch(
    '/devices/:id',
    {
      preHandler: requirePermission('inventory.write'),
      schema: {
        tags,
        summary: 'Edit the fields sent, based on the version read (409 modified_by_someone_else when stale)',
        params,
        body: updateDeviceRequestSchema,
        response: { 200: deviceSchema },
      },
    },
    async (request) => updateDevice(deps, callOf(request), request.params.id, request.body),
  );

  typed.post(
    '/devices/:id/assign',
    {
      preHandler: requirePermission('inventory.write'),
      schema: {
        tags,
        summary: 'Assign to an employee, a place or IT; the status follows (In-use, Used or New)',
        params,
        body: assignDeviceRequestSchema,
        response: { 200: deviceSchema },
      },
    },
    async (request) =>
      assignDevice(deps, callOf(request), request.params.id, request.body.assignee, request.body.version),
  );

  typed.post(
    '/devices/:id/move',
    {
      preHandler: requirePermission('devices.move'),
      schema: {
        tags,
        summary: 'Move to another tenant of the organization (Administrators of both)',
        params,
        body: moveDeviceRequestSchema,
        response: { 200: deviceSchema },
      },
    },
    async (request) => moveDevice(deps, callOf(request), request.params.id, request.body),
  );

  typed.delete(
    '/devices/:id',
    {
      preHandler: requirePermission('devices.delete'),
      schema: {
        tags,
        summary: 'Delete for good (the tenant audit log keeps a Deleted event)',
        params,
        querystring: deleteWithVersionQuerySchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await deleteDevice(deps, callOf(request), request.params.id, request.query.version);
      return reply.code(204).send(null);
    },
  );

  typed.post(
    '/devices/:id/comments',
    {
      preHandler: requirePermission('inventory.write'),
      schema: {
        tags,
        summary: 'Add a comment; it shows in the history',
        params,
        body: commentRequestSchema,
        response: { 200: z.object({ id: z.string() }) },
      },
    },
    async (request) => ({
      id: await addComment(deps, callOf(request), request.params.id, request.body.body),
    }),
  );

  typed.get(
    '/devices/:id/comments',
    {
      preHandler: requirePermission('inventory.read'),
      schema: {
        tags,
        summary: 'The comments on a device, newest first',
        params,
        response: { 200: deviceCommentsSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
        if (!(await r.devices.get(request.params.id))) throw notFound('Device');
        const rows = await r.devices.comments(request.params.id);
        return {
          comments: rows.map((c) => ({
            id: c.id,
            body: c.body,
            authorEmail: c.author_email,
            createdAt: c.created_at,
          })),
        };
      });
    },
  );

  registerDeviceFileRoutes(api, deps);

  typed.get(
    '/devices/:id/history',
    {
      preHandler: requirePermission('inventory.read'),
      schema: {
        tags,
        summary: 'The device history, newest first, with employee names resolved now',
        params,
        querystring: historyQuery,
        response: { 200: deviceHistorySchema },
      },
    },
    async (request) => deviceHistory(deps, actorOf(request), request.params.id, request.query),
  );
}
