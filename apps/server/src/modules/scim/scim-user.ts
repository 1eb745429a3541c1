import type { DirectoryPerson } from '../directory/types';
import { scimInvalid } from './scim-errors';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** The SEC-5 fields of a SCIM user, and nothing else: every other attribute is dropped on arrival. */
export interface ScimUserFields {
  userName: string;
  externalId: string | null;
  givenName: string | null;
  familyName: string | null;
  displayName: string | null;
  title: string | null;
  active: boolean;
}

const MAX_TEXT = 1024;
type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function text(value: unknown, attribute: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' || value.length > MAX_TEXT)
    throw scimInvalid(`${attribute} must be a string of at most ${MAX_TEXT} characters`);
  return value.trim() === '' ? null : value;
}

/** Entra sends `"False"` / `"True"` strings for `active` in PATCH; the standard says a JSON boolean. */
function boolean(value: unknown, attribute: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
    return value.trim().toLowerCase() === 'true';
  throw scimInvalid(`${attribute} must be a boolean`);
}

function userName(value: unknown): string {
  const name = text(value, 'userName');
  if (!name) throw scimInvalid('userName is required');
  return name;
}

/** A POST or PUT body: the resource as the provider wants it; absent attributes are cleared. */
export function userFromResource(body: unknown): ScimUserFields {
  if (!isObject(body)) throw scimInvalid('The body must be a SCIM User resource', 'invalidSyntax');
  const name = isObject(body.name) ? body.name : {};
  return {
    userName: userName(body.userName),
    externalId: text(body.externalId, 'externalId'),
    givenName: text(name.givenName, 'name.givenName'),
    familyName: text(name.familyName, 'name.familyName'),
    displayName: text(body.displayName, 'displayName'),
    title: text(body.title, 'title'),
    active: body.active === undefined ? true : boolean(body.active, 'active'),
  };
}

/** Attribute paths we keep, lower-cased, with the URN prefix removed; anything else is ignored. */
function setAttribute(user: ScimUserFields, rawPath: string, value: unknown, remove: boolean): void {
  const path = rawPath
    .trim()
    .replace(/^urn:ietf:params:scim:schemas:core:2\.0:user:/i, '')
    .toLowerCase();
  switch (path) {
    case 'username':
      if (remove) throw scimInvalid('userName cannot be removed', 'mutability');
      user.userName = userName(value);
      return;
    case 'externalid':
      user.externalId = remove ? null : text(value, 'externalId');
      return;
    case 'displayname':
      user.displayName = remove ? null : text(value, 'displayName');
      return;
    case 'title':
      user.title = remove ? null : text(value, 'title');
      return;
    case 'active':
      user.active = remove ? false : boolean(value, 'active');
      return;
    case 'name.givenname':
      user.givenName = remove ? null : text(value, 'name.givenName');
      return;
    case 'name.familyname':
      user.familyName = remove ? null : text(value, 'name.familyName');
      return;
    case 'name':
      if (remove) {
        user.givenName = null;
        user.familyName = null;
      } else if (isObject(value)) {
        for (const [key, inner] of Object.entries(value)) setAttribute(user, `name.${key}`, inner, false);
      }
      return;
    default:
      // Attributes outside SEC-5 (emails, phoneNumbers, addresses, extensions...) are never kept.
      return;
  }
}

/**
 * Applies a PatchOp request (RFC 7644 §3.5.2) to the kept fields, with Entra's quirks: capitalised
 * op names, string booleans, and path-less operations whose value is an object of attributes (keys
 * may be dotted, such as `name.givenName`, or URN-prefixed).
 */
export function applyUserPatch(current: ScimUserFields, body: unknown): ScimUserFields {
  if (!isObject(body) || !Array.isArray(body.Operations))
    throw scimInvalid('The body must be a PatchOp with Operations', 'invalidSyntax');
  const user = { ...current };
  for (const operation of body.Operations) {
    if (!isObject(operation) || typeof operation.op !== 'string')
      throw scimInvalid('Every operation needs an op', 'invalidSyntax');
    const op = operation.op.toLowerCase();
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      throw scimInvalid('op must be add, replace or remove', 'invalidSyntax');
    const path = typeof operation.path === 'string' ? operation.path : null;
    if (op === 'remove') {
      if (!path) throw scimInvalid('A remove operation needs a path', 'noTarget');
      setAttribute(user, path, undefined, true);
    } else if (path) {
      setAttribute(user, path, operation.value, false);
    } else {
      if (!isObject(operation.value))
        throw scimInvalid('An operation without a path needs an object value', 'invalidSyntax');
      for (const [key, value] of Object.entries(operation.value)) setAttribute(user, key, value, false);
    }
  }
  return user;
}

/** The cached person for these fields (SEC-5: only these). */
export function personOf(fields: ScimUserFields, id: string): DirectoryPerson {
  return {
    directoryId: fields.externalId ?? id,
    userName: fields.userName,
    givenName: fields.givenName,
    surname: fields.familyName,
    displayName: fields.displayName,
    jobTitle: fields.title,
    active: fields.active,
  };
}

/** The kept fields of a cached person; `externalId` is what the provider sent, when it sent one. */
export function fieldsOf(person: DirectoryPerson, id: string): ScimUserFields {
  return {
    userName: person.userName,
    externalId: person.directoryId === id ? null : person.directoryId,
    givenName: person.givenName,
    familyName: person.surname,
    displayName: person.displayName,
    title: person.jobTitle,
    active: person.active,
  };
}

/** A User resource as SCIM clients expect it. */
export function userResource(id: string, person: DirectoryPerson, meta: { location: string }) {
  const fields = fieldsOf(person, id);
  const name = {
    ...(fields.givenName !== null ? { givenName: fields.givenName } : {}),
    ...(fields.familyName !== null ? { familyName: fields.familyName } : {}),
  };
  return {
    schemas: [USER_SCHEMA],
    id,
    ...(fields.externalId !== null ? { externalId: fields.externalId } : {}),
    userName: fields.userName,
    ...(Object.keys(name).length > 0 ? { name } : {}),
    ...(fields.displayName !== null ? { displayName: fields.displayName } : {}),
    ...(fields.title !== null ? { title: fields.title } : {}),
    active: fields.active,
    meta: { resourceType: 'User', location: meta.location },
  };
}

/** `attribute eq "value"` — the filter Entra and Okta send (userName, externalId, id; displayName for groups). */
export function parseEqFilter(
  filter: string,
  allowed: readonly string[],
): { attribute: string; value: string } {
  const match = /^\s*([A-Za-z.:0-9]+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(filter);
  if (!match) throw scimInvalid('Only `attribute eq "value"` filters are supported', 'invalidFilter');
  const attribute = match[1]!.replace(/^urn:ietf:params:scim:schemas:core:2\.0:(user|group):/i, '');
  const known = allowed.find((a) => a.toLowerCase() === attribute.toLowerCase());
  if (!known) throw scimInvalid(`Filtering on ${attribute} is not supported`, 'invalidFilter');
  return { attribute: known, value: match[2]!.replace(/\\(.)/g, '$1') };
}
