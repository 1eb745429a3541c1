import { readFileSync } from 'node:fs';
import type { KeyProviderSettings } from '../../config';
import type { Clock } from '../clock';
import { createAzureKeyVaultKeyProvider } from './azure-keyvault-key-provider';
import { type KeyProvider, KeyProviderError } from './key-provider';
import { createLocalKeyProvider } from './local-key-provider';
import { createPkcs11KeyProvider } from './pkcs11-key-provider';

/**
 * Builds the configured key provider (SEC-10) from `loadKeyProviderSettings(process.env)` — before
 * `resolveSecretReferences` and loadConfig, because it is what resolves `secret:` references.
 */
export function createKeyProvider(settings: KeyProviderSettings, deps: { clock: Clock }): KeyProvider {
  switch (settings.kind) {
    case 'local':
      return createLocalKeyProvider({ file: settings.file, clock: deps.clock });
    case 'pkcs11':
      return createPkcs11KeyProvider({
        modulePath: settings.modulePath,
        tokenLabel: settings.tokenLabel,
        pin: settings.pin,
      });
    case 'azure-keyvault': {
      let ca: string | undefined;
      if (settings.caFile) {
        try {
          ca = readFileSync(settings.caFile, 'utf8');
        } catch (cause) {
          const code = (cause as NodeJS.ErrnoException).code ?? 'error';
          throw new KeyProviderError(
            'provider_unavailable',
            `AZURE_KEYVAULT_CA_FILE: cannot read ${settings.caFile} (${code})`,
            {
              cause,
            },
          );
        }
      }
      return createAzureKeyVaultKeyProvider({
        vaultUrl: settings.vaultUrl,
        // AZURE_KEYVAULT_KEY_NAME names the KEKs: `<it>-tenant-<uuid>`.
        keyNamePrefix: settings.keyName,
        auth: settings.auth,
        ca,
        clock: deps.clock,
      });
    }
  }
}
