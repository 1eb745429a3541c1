import { ConfigError, KEY_PROVIDER_VARIABLES, SECRET_VARIABLES } from '../../config';
import { type KeyProvider, KeyProviderError } from './key-provider';

type Environment = Record<string, string | undefined>;

export const SECRET_REFERENCE_PREFIX = 'secret:';

/**
 * Boot's pre-step before loadConfig (SEC-10): every secret-bearing variable written as `secret:NAME`
 * is replaced by the provider's secret NAME. Returns a new environment; throws ConfigError listing
 * every reference that could not be resolved. The key provider's own settings cannot be references.
 */
export async function resolveSecretReferences(
  env: Environment,
  provider: Pick<KeyProvider, 'kind' | 'getSecret'>,
): Promise<Environment> {
  const resolved: Environment = { ...env };
  const problems: string[] = [];
  const ownSettings: readonly string[] = KEY_PROVIDER_VARIABLES;
  for (const variable of SECRET_VARIABLES) {
    for (const name of [variable, `${variable}_FILE`]) {
      const value = env[name];
      if (!value?.startsWith(SECRET_REFERENCE_PREFIX)) continue;
      if (name !== variable) {
        problems.push(`${name} names a file, not a secret: give the reference as ${variable}=${value}`);
        continue;
      }
      if (ownSettings.includes(name)) {
        problems.push(
          `${name} cannot be a secret: reference: the key provider that resolves them is built from it; give it directly or as ${name}_FILE`,
        );
        continue;
      }
      const secretName = value.slice(SECRET_REFERENCE_PREFIX.length).trim();
      if (secretName === '') {
        problems.push(`${name}: the reference "secret:" names no secret`);
        continue;
      }
      try {
        resolved[name] = await provider.getSecret(secretName);
      } catch (err) {
        if (err instanceof KeyProviderError && err.code === 'unknown_secret') {
          problems.push(`${name}: secret "${secretName}" is not in the ${provider.kind} key provider`);
        } else {
          const reason = err instanceof Error ? err.message : 'unknown error';
          problems.push(
            `${name}: cannot read secret "${secretName}" from the ${provider.kind} key provider (${reason})`,
          );
        }
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return resolved;
}
