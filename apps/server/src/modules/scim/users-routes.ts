import type { FastifyInstance } from 'fastify';
import { isEmployeeReference } from '../directory/cache/directory-entry';
import type { DirectoryPerson } from '../directory/types';
import { pageOf } from './paging';
import { ScimError, scimNotFound } from './scim-errors';
import { listResponse, type ScimCaller, type ScimRouteDeps, scimCallerOf, sendScim } from './scim-http';
import { scimIdentity } from './scim-identity';
import {
  applyUserPatch,
  fieldsOf,
  parseEqFilter,
  personOf,
  type ScimUserFields,
  userFromResource,
  userResource,
} from './scim-user';

type ById = { Params: { id: string } };
type ListQuery = { Querystring: { filter?: string; startIndex?: string; count?: string } };

const sameUserName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Users (RFC 7644 §3) over the organization's directory cache; only the SEC-5 fields are kept. */
export function registerScimUserRoutes(scim: FastifyInstance, deps: ScimRouteDeps) {
  const location = (caller: ScimCaller, id: string) => `${caller.base}/Users/${id}`;
  const resource = (caller: ScimCaller, id: string, person: DirectoryPerson) =>
    userResource(id, person, { location: location(caller, id) });

  async function existing(caller: ScimCaller, id: string): Promise<DirectoryPerson> {
    const person = isEmployeeReference(id) ? await deps.store.getUser(caller.organizationId, id) : null;
    if (!person) throw scimNotFound('User');
    return person;
  }

  /** userName is unique among the organization's SCIM users (case-insensitive, as RFC 7643 says). */
  async function assertUniqueUserName(caller: ScimCaller, userName: string, self: string | null) {
    const users = await deps.store.listUsers(caller.organizationId);
    if (users.some((u) => u.reference !== self && sameUserName(u.person.userName, userName)))
      throw new ScimError(409, 'A user with this userName already exists', 'uniqueness');
  }

  async function save(caller: ScimCaller, id: string, fields: ScimUserFields) {
    const person = personOf(fields, id);
    await deps.store.putUser(caller.organizationId, { reference: id, person });
    return person;
  }

  scim.post('/Users', async (request, reply) => {
    const caller = scimCallerOf(request);
    const fields = userFromResource(request.body);
    const accepted = await deps.repos.system.transaction((r) => r.identity.acceptedBy(caller.organizationId));
    const identity = scimIdentity(fields, accepted.accepted);
    const [id] = await deps.repos
      .forTenant(caller.tenantId)
      .transaction((r) =>
        r.directoryConnections.employeeReferences(deps.linkKeys, caller.organizationId, [identity]),
      );
    if (await deps.store.getUser(caller.organizationId, id!))
      throw new ScimError(409, 'This user already exists', 'uniqueness');
    await assertUniqueUserName(caller, fields.userName, null);
    const person = await save(caller, id!, fields);
    reply.header('location', location(caller, id!));
    return sendScim(reply, 201, resource(caller, id!, person));
  });

  scim.get<ListQuery>('/Users', async (request, reply) => {
    const caller = scimCallerOf(request);
    let users = await deps.store.listUsers(caller.organizationId);
    if (request.query.filter !== undefined) {
      const { attribute, value } = parseEqFilter(request.query.filter, ['userName', 'externalId', 'id']);
      users = users.filter(({ reference, person }) => {
        if (attribute === 'userName') return sameUserName(person.userName, value);
        if (attribute === 'id') return reference === value;
        return fieldsOf(person, reference).externalId === value;
      });
    }
    const { startIndex, page } = pageOf(users, request.query);
    const resources = page.map((u) => resource(caller, u.reference, u.person));
    return sendScim(reply, 200, listResponse(resources, users.length, startIndex));
  });

  scim.get<ById>('/Users/:id', async (request, reply) => {
    const caller = scimCallerOf(request);
    const person = await existing(caller, request.params.id);
    return sendScim(reply, 200, resource(caller, request.params.id, person));
  });

  scim.put<ById>('/Users/:id', async (request, reply) => {
    const caller = scimCallerOf(request);
    const id = request.params.id;
    await existing(caller, id);
    const fields = userFromResource(request.body);
    await assertUniqueUserName(caller, fields.userName, id);
    return sendScim(reply, 200, resource(caller, id, await save(caller, id, fields)));
  });

  scim.patch<ById>('/Users/:id', async (request, reply) => {
    const caller = scimCallerOf(request);
    const id = request.params.id;
    const before = fieldsOf(await existing(caller, id), id);
    const after = applyUserPatch(before, request.body);
    if (!sameUserName(before.userName, after.userName))
      await assertUniqueUserName(caller, after.userName, id);
    return sendScim(reply, 200, resource(caller, id, await save(caller, id, after)));
  });

  scim.delete<ById>('/Users/:id', async (request, reply) => {
    const caller = scimCallerOf(request);
    await existing(caller, request.params.id);
    await deps.store.removeUser(caller.organizationId, request.params.id);
    return reply.status(204).send();
  });
}
