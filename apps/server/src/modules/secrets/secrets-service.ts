import { ErrorCode } from '@thestorage/contracts';
import type { Clock } from '../../platform/clock';
import type { Keyring } from '../../platform/crypto/keyring';
import { isUniqueViolation } from '../../platform/db/errors';
import { AppError, validationFailed } from '../../platform/http/errors';
import type { Repos } from '../../repos';
import type { SecretInfo } from './secrets-repo';

/** e.g. 'oidc.clientSecret', 'directory.entra', 'smtp.password'. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
export const MAX_SECRET_LENGTH = 64 * 1024;

export interface SecretsDeps {
  repos: Pick<Repos, 'forTenant'>;
  keyring: Keyring;
  clock: Clock;
  /** Told which secret changed, never its value. */
  logger?: { info(obj: object, msg?: string): void };
}

function validName(name: string): string {
  if (!NAME.test(name)) {
    throw validationFailed('A secret name is 1 to 100 letters, digits, dots, colons, dashes or underscores', {
      field: 'name',
    });
  }
  return name;
}

/** Stores (or replaces) a tenant secret, sealed with the tenant's data key (SEC-9). */
export async function putSecret(
  deps: SecretsDeps,
  tenantId: string,
  name: string,
  value: string,
): Promise<SecretInfo> {
  validName(name);
  if (value.length === 0 || value.length > MAX_SECRET_LENGTH) {
    throw validationFailed(`A secret value is 1 to ${MAX_SECRET_LENGTH} characters long`, { field: 'value' });
  }
  try {
    const info = await deps.repos
      .forTenant(tenantId)
      .transaction((r) => r.secrets.put(deps.keyring, name, value, deps.clock.now()));
    deps.logger?.info({ tenantId, secretName: name, version: info.version }, 'tenant secret stored');
    return info;
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError(ErrorCode.Conflict, 'This secret was just stored by someone else; try again', {
        details: { field: 'name' },
        cause: err,
      });
    }
    throw err;
  }
}

/** The secret in clear for the code that needs it (a connector, the mailer); undefined when not set. */
export async function getSecret(
  deps: SecretsDeps,
  tenantId: string,
  name: string,
): Promise<string | undefined> {
  validName(name);
  return deps.repos.forTenant(tenantId).transaction((r) => r.secrets.reveal(deps.keyring, name));
}

export async function deleteSecret(deps: SecretsDeps, tenantId: string, name: string): Promise<boolean> {
  validName(name);
  const deleted = await deps.repos.forTenant(tenantId).transaction((r) => r.secrets.remove(name));
  if (deleted) deps.logger?.info({ tenantId, secretName: name }, 'tenant secret deleted');
  return deleted;
}

export async function listSecrets(deps: SecretsDeps, tenantId: string): Promise<SecretInfo[]> {
  return deps.repos.forTenant(tenantId).transaction((r) => r.secrets.list());
}
