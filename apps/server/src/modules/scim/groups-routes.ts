import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { pageOf } from './paging';
import { ScimError, scimNotFound } from './scim-errors';
import { applyGroupPatch, groupFromResource, groupResource } from './scim-group';
import { listResponse, type ScimRouteDeps, scimCallerOf, sendScim } from './scim-http';
import type { ScimGroup } from './scim-store';
import { parseEqFilter } from './scim-user';

type ById = { Params: { id: string }; Querystring: { excludedAttributes?: string } };
type ListQuery = {
  Querystring: { filter?: string; startIndex?: string; count?: string; excludedAttributes?: string };
};

const withoutMembers = (excluded: string | undefined) =>
  (excluded ?? '').split(',').some((a) => a.trim().toLowerCase() === 'members');
const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Groups (RFC 7644 §3), kept only in the cache beside the people and with their lifetime: a group's
 * name and its members' references, nothing that names a person.
 */
export function registerScimGroupRoutes(scim: FastifyInstance, deps: ScimRouteDeps) {
  const find = (list: ScimGroup[], id: string) => {
    const group = list.find((g) => g.id === id);
    if (!group) throw scimNotFound('Group');
    return group;
  };
  const assertUnique = (list: ScimGroup[], group: ScimGroup) => {
    if (list.some((g) => g.id !== group.id && sameName(g.displayName, group.displayName)))
      throw new ScimError(409, 'A group with this displayName already exists', 'uniqueness');
  };

  scim.post('/Groups', async (request, reply) => {
    const caller = scimCallerOf(request);
    const group = groupFromResource(request.body, randomUUID());
    await deps.store.updateGroups(caller.organizationId, (list) => {
      assertUnique(list, group);
      return { groups: [...list, group], result: group };
    });
    reply.header('location', `${caller.base}/Groups/${group.id}`);
    return sendScim(reply, 201, groupResource(group, caller.base));
  });

  scim.get<ListQuery>('/Groups', async (request, reply) => {
    const caller = scimCallerOf(request);
    let list = await deps.store.groups(caller.organizationId);
    if (request.query.filter !== undefined) {
      const { attribute, value } = parseEqFilter(request.query.filter, ['displayName', 'externalId', 'id']);
      list = list.filter((g) =>
        attribute === 'displayName'
          ? sameName(g.displayName, value)
          : attribute === 'id'
            ? g.id === value
            : g.externalId === value,
      );
    }
    const { startIndex, page } = pageOf(list, request.query);
    const exclude = withoutMembers(request.query.excludedAttributes);
    const resources = page.map((g) => groupResource(g, caller.base, exclude));
    return sendScim(reply, 200, listResponse(resources, list.length, startIndex));
  });

  scim.get<ById>('/Groups/:id', async (request, reply) => {
    const caller = scimCallerOf(request);
    const group = find(await deps.store.groups(caller.organizationId), request.params.id);
    return sendScim(
      reply,
      200,
      groupResource(group, caller.base, withoutMembers(request.query.excludedAttributes)),
    );
  });

  scim.put<ById>('/Groups/:id', async (request, reply) => {
    const caller = scimCallerOf(request);
    const replacement = groupFromResource(request.body, request.params.id);
    const group = await deps.store.updateGroups(caller.organizationId, (list) => {
      find(list, request.params.id);
      assertUnique(list, replacement);
      return { groups: list.map((g) => (g.id === replacement.id ? replacement : g)), result: replacement };
    });
    return sendScim(reply, 200, groupResource(group, caller.base));
  });

  scim.patch<ById>('/Groups/:id', async (request, reply) => {
    const caller = scimCallerOf(request);
    const group = await deps.store.updateGroups(caller.organizationId, (list) => {
      const next = applyGroupPatch(find(list, request.params.id), request.body);
      assertUnique(list, next);
      return { groups: list.map((g) => (g.id === next.id ? next : g)), result: next };
    });
    return sendScim(reply, 200, groupResource(group, caller.base));
  });

  scim.delete<ById>('/Groups/:id', async (request, reply) => {
    const caller = scimCallerOf(request);
    await deps.store.updateGroups(caller.organizationId, (list) => {
      find(list, request.params.id);
      return { groups: list.filter((g) => g.id !== request.params.id), result: null };
    });
    return reply.status(204).send();
  });
}
