import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, type TestDatabase } from '../support/databases';

/** Names a password or its hash would carry. */
const PASSWORD_LIKE = /pass(word|wd|phrase)?|pwd|secret_?hash|bcrypt|scrypt|argon|salted|credential/i;
/**
 * Hash columns that exist, and why none of them is a password: each digests a random token or a
 * record, never something a person types.
 */
const KNOWN_DIGESTS = new Set([
  'sign_in_states.state_hash',
  'sessions.id_hash',
  // SHA-256 of the SCIM bearer token the server generates (256 random bits), shown once (DIR-4).
  'scim_tokens.token_hash',
  // SHA-256 of an uploaded import file's bytes: recognises the same file uploaded again (DEV-12).
  'device_imports.content_hash',
]);

async function columnsOf(t: TestDatabase): Promise<string[]> {
  if (t.name === 'postgres') {
    const { rows } = await sql<{ name: string }>`
      select table_schema || '.' || table_name || '.' || column_name as name from information_schema.columns
       where table_schema in ('public', 'audit')`.execute(t.ownerHandle.db);
    return rows.map((r) => r.name.replace(/^public\./, ''));
  }
  const { rows: tables } = await sql<{
    name: string;
  }>`select name from sqlite_master where type = 'table'`.execute(t.handle.db);
  const names: string[] = [];
  for (const { name } of tables) {
    const { rows } = await sql<{ name: string }>`select name from pragma_table_info(${name})`.execute(
      t.handle.db,
    );
    names.push(...rows.map((r) => `${name}.${r.name}`));
  }
  return names;
}

describe.each(databaseTargets())('no credentials in the schema on $name', (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await target.create();
  });
  afterAll(() => t?.close());

  it('SEC-3: no column is named or shaped like a password or a password hash', async () => {
    const columns = await columnsOf(t);
    expect(columns).toContain('users.subject');
    const suspicious = columns.filter((c) => PASSWORD_LIKE.test(c.split('.').at(-1)!));
    expect(suspicious).toEqual([]);
    const hashes = columns.filter((c) => /hash/i.test(c.split('.').at(-1)!) && !c.startsWith('audit'));
    expect(hashes.filter((c) => !KNOWN_DIGESTS.has(c))).toEqual([]);
  });

  it('SEC-3: the checker itself notices a password column', () => {
    expect(PASSWORD_LIKE.test('password_hash')).toBe(true);
    expect(PASSWORD_LIKE.test('pwd')).toBe(true);
    expect(PASSWORD_LIKE.test('subject')).toBe(false);
  });
});
