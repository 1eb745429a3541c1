import { isEmployeeReference } from '../directory/cache/directory-entry';
import { GROUP_SCHEMA } from './scim-discovery';
import { scimInvalid } from './scim-errors';
import type { ScimGroup } from './scim-store';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const MAX_TEXT = 1024;

function displayName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TEXT)
    throw scimInvalid('displayName is required');
  return value;
}

/** Member values that are user ids (employee references); `display` and other attributes are dropped. */
function memberValues(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((m) => {
    const id = isObject(m) ? m.value : m;
    return typeof id === 'string' && isEmployeeReference(id) ? [id] : [];
  });
}

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];

/** A POST or PUT body. */
export function groupFromResource(body: unknown, id: string): ScimGroup {
  if (!isObject(body)) throw scimInvalid('The body must be a SCIM Group resource', 'invalidSyntax');
  const externalId = typeof body.externalId === 'string' && body.externalId !== '' ? body.externalId : null;
  return {
    id,
    displayName: displayName(body.displayName),
    externalId,
    members: union([], memberValues(body.members)),
  };
}

/** PatchOp on a group: members added/removed/replaced (with `members[value eq "…"]` paths), displayName. */
export function applyGroupPatch(group: ScimGroup, body: unknown): ScimGroup {
  if (!isObject(body) || !Array.isArray(body.Operations))
    throw scimInvalid('The body must be a PatchOp with Operations', 'invalidSyntax');
  const next = { ...group, members: [...group.members] };
  for (const operation of body.Operations) {
    if (!isObject(operation) || typeof operation.op !== 'string')
      throw scimInvalid('Every operation needs an op', 'invalidSyntax');
    const op = operation.op.toLowerCase();
    const path = typeof operation.path === 'string' ? operation.path.trim() : null;
    const filtered = path ? /^members\[\s*value\s+eq\s+"([^"]*)"\s*\]$/i.exec(path) : null;
    if (op === 'remove') {
      if (filtered) next.members = next.members.filter((m) => m !== filtered[1]);
      else if (path?.toLowerCase() === 'members') {
        const gone = operation.value === undefined ? next.members : memberValues(operation.value);
        next.members = next.members.filter((m) => !gone.includes(m));
      } else throw scimInvalid('Only members can be removed from a group', 'noTarget');
    } else if (op === 'add' || op === 'replace') {
      const attributes: Json = path
        ? { [path]: operation.value }
        : isObject(operation.value)
          ? operation.value
          : {};
      for (const [key, value] of Object.entries(attributes)) {
        const name = key.toLowerCase();
        if (name === 'members')
          next.members =
            op === 'add' ? union(next.members, memberValues(value)) : union([], memberValues(value));
        else if (name === 'displayname') next.displayName = displayName(value);
        else if (name === 'externalid')
          next.externalId = typeof value === 'string' && value !== '' ? value : null;
      }
    } else throw scimInvalid('op must be add, replace or remove', 'invalidSyntax');
  }
  return next;
}

export function groupResource(group: ScimGroup, base: string, excludeMembers = false) {
  return {
    schemas: [GROUP_SCHEMA],
    id: group.id,
    ...(group.externalId !== null ? { externalId: group.externalId } : {}),
    displayName: group.displayName,
    ...(excludeMembers
      ? {}
      : { members: group.members.map((value) => ({ value, $ref: `${base}/Users/${value}` })) }),
    meta: { resourceType: 'Group', location: `${base}/Groups/${group.id}` },
  };
}
