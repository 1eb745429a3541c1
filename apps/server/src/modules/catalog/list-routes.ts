import { deleteWithVersionQuerySchema, ErrorCode, idParamsSchema } from '@thestorage/contracts';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { Clock } from '../../platform/clock';
import { isForeignKeyViolation, isUniqueViolation } from '../../platform/db/errors';
import { actorOf, requirePermission } from '../../platform/http/access';
import { AppError, notFound } from '../../platform/http/errors';
import type { Repos, TenantRepos } from '../../repos';
import { type AuditedFields, assertVersion, auditActor, fieldChanges, modifiedBySomeoneElse } from './edits';
import type { CatalogListRepo, CatalogTable, Listed, ListedCommon, OwnColumns } from './repo';

export interface CatalogDeps {
  repos: Repos;
  clock: Clock;
}

/**
 * What makes one tenant list (categories, places, tags, vendors) different from the others; the
 * routes, the name and version rules and the audit events are the same for all four.
 */
export interface CatalogListSpec<T extends CatalogTable, Input extends { name: string }, View, ListBody> {
  /** URL path and OpenAPI tag, e.g. 'places'. */
  plural: string;
  /** In messages: "Place not found". */
  noun: string;
  /** Audit target type and action prefix: 'place' → 'place.created'. */
  auditType: string;
  repo(r: TenantRepos): CatalogListRepo<T>;
  schemas: {
    input: z.ZodType<Input>;
    update: z.ZodType<Input & { version: number }>;
    item: z.ZodType<View>;
    list: z.ZodType<ListBody>;
  };
  /** The list's own columns from a request; `before` is the row being edited (undefined for a new one). */
  columns(input: Input, before: Listed<T> | undefined): OwnColumns<T>;
  /** Views of rows in their order (one read for what they share, such as the default place). */
  views(rows: Listed<T>[], r: TenantRepos): Promise<View[]>;
  /** The fields whose changes the audit log records. */
  audited(view: View): AuditedFields;
  /** The list response around the views. */
  listBody(views: View[], r: TenantRepos, now: Date): Promise<ListBody>;
  /** A check before adding an entry (the plan's category limit). */
  beforeCreate?(r: TenantRepos, now: Date): Promise<void>;
  /** When set, an entry that devices use cannot be deleted; the message says what to do first. */
  inUseMessage?(deviceCount: number): string;
  /** What deleting does to devices, for the OpenAPI summary. */
  deleteSummary: string;
}

/** The fields every list entry shows. */
export const entryView = (row: ListedCommon) => ({
  id: String(row.id),
  name: row.name,
  deviceCount: row.device_count,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  version: row.version,
});

const viewOf = async <T extends CatalogTable, View>(
  spec: { views(rows: Listed<T>[], r: TenantRepos): Promise<View[]> },
  row: Listed<T>,
  r: TenantRepos,
): Promise<View> => {
  const [view] = await spec.views([row], r);
  return view!;
};

/** Turns "this name is taken" into the 409 the form shows next to the name field. */
async function uniqueName<R>(noun: string, write: () => Promise<R>): Promise<R> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError(ErrorCode.Conflict, `A ${noun.toLowerCase()} with this name already exists`, {
        details: { field: 'name' },
        cause: err,
      });
    }
    throw err;
  }
}

/** GET/POST /<plural>, PATCH/DELETE /<plural>/:id — reads need inventory.read, writes inventory.write. */
export function registerCatalogListRoutes<
  T extends CatalogTable,
  Input extends { name: string },
  View,
  ListBody,
>(api: FastifyInstance, deps: CatalogDeps, spec: CatalogListSpec<T, Input, View, ListBody>) {
  // The zod schemas validate and serialise as on every route; the generic types are stated here
  // because the type provider cannot infer them through a spec's type parameters.
  const path = `/${spec.plural}`;
  const tags = [spec.plural];
  const noun = spec.noun.toLowerCase();

  api.get(
    path,
    {
      preHandler: requirePermission('inventory.read'),
      schema: {
        tags,
        summary: `The tenant's ${spec.plural} with how many devices use each`,
        response: { 200: spec.schemas.list },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      return deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
        const views = await spec.views(await spec.repo(r).list(), r);
        return spec.listBody(views, r, now);
      });
    },
  );

  api.post<{ Body: Input }>(
    path,
    {
      preHandler: requirePermission('inventory.write'),
      schema: {
        tags,
        summary: `Add a ${noun}; its name is unique in the tenant, whatever the case`,
        body: spec.schemas.input,
        response: { 200: spec.schemas.item },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      const input = request.body as Input;
      return uniqueName(spec.noun, () =>
        deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
          await spec.beforeCreate?.(r, now);
          const row = await spec.repo(r).create(input.name, spec.columns(input, undefined), now);
          const view = await viewOf(spec, row, r);
          await r.audit.record({
            occurredAt: now,
            actor: auditActor(actor),
            action: `${spec.auditType}.created`,
            target: { type: spec.auditType, id: String(row.id) },
            changes: fieldChanges(null, spec.audited(view)),
            requestId: request.id,
          });
          return view;
        }),
      );
    },
  );

  api.patch<{ Params: { id: string }; Body: Input & { version: number } }>(
    `${path}/:id`,
    {
      preHandler: requirePermission('inventory.write'),
      schema: {
        tags,
        summary: `Edit a ${noun} (refused when based on a stale version)`,
        params: idParamsSchema,
        body: spec.schemas.update,
        response: { 200: spec.schemas.item },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      const input = request.body as Input & { version: number };
      return uniqueName(spec.noun, () =>
        deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
          const repo = spec.repo(r);
          const before = await repo.get(request.params.id);
          if (!before) throw notFound(spec.noun);
          assertVersion(before.version, input.version);
          const after = await repo.update(
            before.id,
            input.version,
            input.name,
            spec.columns(input, before),
            now,
          );
          if (!after) throw modifiedBySomeoneElse();
          const [beforeView, afterView] = await spec.views([before, after], r);
          await r.audit.record({
            occurredAt: now,
            actor: auditActor(actor),
            action: `${spec.auditType}.updated`,
            target: { type: spec.auditType, id: String(before.id) },
            changes: fieldChanges(spec.audited(beforeView!), spec.audited(afterView!)),
            requestId: request.id,
          });
          return afterView!;
        }),
      );
    },
  );

  api.delete<{ Params: { id: string }; Querystring: { version: number } }>(
    `${path}/:id`,
    {
      preHandler: requirePermission('inventory.write'),
      schema: {
        tags,
        summary: `Delete a ${noun} (refused when based on a stale version); ${spec.deleteSummary}`,
        params: idParamsSchema,
        querystring: deleteWithVersionQuerySchema,
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const now = deps.clock.now();
      const { version } = request.query;
      try {
        await deps.repos.forTenant(actor.tenantId).transaction(async (r) => {
          const repo = spec.repo(r);
          const before = await repo.get(request.params.id);
          if (!before) throw notFound(spec.noun);
          assertVersion(before.version, version);
          if (spec.inUseMessage && before.device_count > 0) {
            throw new AppError(ErrorCode.Conflict, spec.inUseMessage(before.device_count), {
              details: { deviceCount: before.device_count },
            });
          }
          const view = await viewOf(spec, before, r);
          if (!(await repo.remove(before.id, version))) throw modifiedBySomeoneElse();
          await r.audit.record({
            occurredAt: now,
            actor: auditActor(actor),
            action: `${spec.auditType}.deleted`,
            target: { type: spec.auditType, id: String(before.id) },
            changes: fieldChanges(spec.audited(view), null),
            requestId: request.id,
          });
        });
      } catch (err) {
        // A device was given this entry after it was counted (another writer, PostgreSQL).
        if (isForeignKeyViolation(err) && spec.inUseMessage) {
          throw new AppError(ErrorCode.Conflict, `Devices now use this ${noun}: reload and try again`, {
            cause: err,
          });
        }
        throw err;
      }
      return reply.status(204).send();
    },
  );
}
