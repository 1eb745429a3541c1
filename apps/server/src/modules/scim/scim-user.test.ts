import { describe, expect, it } from 'vitest';
import { scimIdentity } from './scim-identity';
import { applyUserPatch, parseEqFilter, type ScimUserFields, userFromResource } from './scim-user';

const grace: ScimUserFields = {
  userName: 'grace@contoso.example',
  externalId: 'OID-1',
  givenName: 'Grace',
  familyName: 'Hopper',
  displayName: 'Grace Hopper',
  title: 'Admiral',
  active: true,
};
const patch = (...Operations: unknown[]) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations,
});

describe('SCIM user attributes', () => {
  it('DIR-4: Entra PATCH quirks — string booleans, path-less objects with dotted and URN keys', () => {
    const off = applyUserPatch(grace, patch({ op: 'Replace', path: 'active', value: 'False' }));
    expect(off.active).toBe(false);
    const on = applyUserPatch(off, patch({ op: 'replace', value: { active: 'True' } }));
    expect(on.active).toBe(true);
    const renamed = applyUserPatch(
      grace,
      patch({
        op: 'Add',
        value: {
          'urn:ietf:params:scim:schemas:core:2.0:User:name.familyName': 'Murray',
          name: { givenName: 'G.' },
          title: 'Rear Admiral',
        },
      }),
    );
    expect(renamed).toMatchObject({ familyName: 'Murray', givenName: 'G.', title: 'Rear Admiral' });
    const removed = applyUserPatch(grace, patch({ op: 'Remove', path: 'displayName' }));
    expect(removed.displayName).toBeNull();
    expect(() => applyUserPatch(grace, patch({ op: 'Replace', path: 'active', value: 'maybe' }))).toThrow(
      /boolean/,
    );
    expect(() => applyUserPatch(grace, patch({ op: 'Move', path: 'title' }))).toThrow(/op must be/);
  });

  it('SEC-5: only the kept attributes survive a resource; everything else is dropped', () => {
    const fields = userFromResource({
      userName: 'x@contoso.example',
      phoneNumbers: [{ value: '+1 555' }],
      addresses: [{ locality: 'Lyon' }],
      name: { givenName: 'X', middleName: 'Secret' },
    });
    expect(fields).toEqual({
      userName: 'x@contoso.example',
      externalId: null,
      givenName: 'X',
      familyName: null,
      displayName: null,
      title: null,
      active: true,
    });
    expect(() => userFromResource({ displayName: 'No user name' })).toThrow(/userName is required/);
  });

  it('DIR-4: filters are `attribute eq "value"` on the allowed attributes only', () => {
    expect(parseEqFilter('userName eq "a@b.c"', ['userName'])).toEqual({
      attribute: 'userName',
      value: 'a@b.c',
    });
    expect(parseEqFilter('USERNAME Eq "q\\"uote"', ['userName'])).toEqual({
      attribute: 'userName',
      value: 'q"uote',
    });
    expect(() => parseEqFilter('userName sw "a"', ['userName'])).toThrow(/filters are supported/);
    expect(() => parseEqFilter('title eq "a"', ['userName'])).toThrow(/not supported/);
  });

  it('SEC-6: with one accepted Entra tenant the identity is tid:externalId, as sign-in and sync compute it', () => {
    const entra = [{ kind: 'entra' as const, tenantIds: ['A1B2-TENANT'] }];
    expect(scimIdentity({ externalId: 'OID-1', userName: 'g@c' }, entra)).toBe('a1b2-tenant:oid-1');
    expect(scimIdentity({ externalId: 'OID-1', userName: 'g@c' }, [{ kind: 'dev' }])).toBe('scim:OID-1');
    expect(scimIdentity({ externalId: null, userName: 'G@C' }, entra)).toBe('scim:userName:g@c');
  });
});
