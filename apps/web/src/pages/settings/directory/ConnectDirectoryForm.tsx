import {
  Alert,
  Button,
  Card,
  FileButton,
  Group,
  PasswordInput,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconCircleCheck, IconUpload } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  type DirectoryConnection,
  type DirectoryKind,
  directoryConnectionSchema,
  type PutDirectoryConnectionRequest,
} from '@thestorage/contracts';
import { type FormEvent, useState } from 'react';
import { fieldErrorsOf } from '../../../api/client';
import {
  DIRECTORY_CONNECTION_PATH,
  directoryConnectionQuery,
  employeesSummaryQuery,
} from '../../../api/directory';
import { useApiWrite } from '../../../api/session';
import { DirectoryErrorAlert } from './DirectoryErrorAlert';
import { directoryKindLabel } from './directoryLabels';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface Fields {
  directoryTenantId: string;
  clientId: string;
  adminEmail: string;
  domain: string;
  credential: string;
}

type FieldErrors = Partial<Record<keyof Fields, string>>;

/** The non-secret settings of the current connection; the credential always starts empty. */
function initialFields(connection: DirectoryConnection | null): Fields {
  const settings = (connection?.settings ?? {}) as Partial<Record<keyof Fields, string>>;
  return {
    directoryTenantId: settings.directoryTenantId ?? '',
    clientId: settings.clientId ?? '',
    adminEmail: settings.adminEmail ?? '',
    domain: settings.domain ?? '',
    credential: '',
  };
}

function requestFrom(kind: DirectoryKind, fields: Fields, previous: DirectoryConnection | null) {
  // Base URLs set outside this form (the demo's local endpoints) are kept when the same kind is saved again.
  const kept = previous?.kind === kind ? (previous.settings as Record<string, string | undefined>) : {};
  if (kind === 'entra') {
    return {
      kind,
      settings: {
        directoryTenantId: fields.directoryTenantId.trim(),
        clientId: fields.clientId.trim(),
        ...(kept.authorityBaseUrl ? { authorityBaseUrl: kept.authorityBaseUrl } : {}),
        ...(kept.graphBaseUrl ? { graphBaseUrl: kept.graphBaseUrl } : {}),
      },
      credential: fields.credential,
    } satisfies PutDirectoryConnectionRequest;
  }
  const domain = fields.domain.trim();
  return {
    kind,
    settings: {
      adminEmail: fields.adminEmail.trim(),
      ...(domain ? { domain } : {}),
      ...(kept.tokenUrl ? { tokenUrl: kept.tokenUrl } : {}),
      ...(kept.directoryBaseUrl ? { directoryBaseUrl: kept.directoryBaseUrl } : {}),
    },
    credential: fields.credential.trim(),
  } satisfies PutDirectoryConnectionRequest;
}

function validate(kind: DirectoryKind, fields: Fields): FieldErrors {
  const errors: FieldErrors = {};
  if (kind === 'entra') {
    if (!fields.directoryTenantId.trim()) errors.directoryTenantId = 'Enter the directory (tenant) ID.';
    if (!fields.clientId.trim()) errors.clientId = 'Enter the application (client) ID.';
    if (!fields.credential) errors.credential = 'Enter the client secret.';
  } else {
    if (!EMAIL_PATTERN.test(fields.adminEmail.trim()))
      errors.adminEmail = 'Enter the e-mail address of a Workspace administrator.';
    if (!fields.credential.trim()) errors.credential = 'Paste or upload the service-account JSON key.';
  }
  return errors;
}

/** Server-side field errors (`settings.clientId`, `credential`) under the form's field names. */
function serverFieldErrors(error: unknown): FieldErrors {
  const errors: FieldErrors = {};
  for (const [path, message] of Object.entries(fieldErrorsOf(error))) {
    const field = path.replace(/^settings\./, '') as keyof Fields;
    if (field in initialFields(null)) errors[field] ??= message;
  }
  return errors;
}

export interface ConnectDirectoryFormProps {
  connection: DirectoryConnection | null;
}

/** Connect Entra ID or Google Workspace; the credential is sent once and never shown again. */
export function ConnectDirectoryForm({ connection }: ConnectDirectoryFormProps) {
  const api = useApiWrite();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<DirectoryKind>(connection?.kind ?? 'entra');
  const [fields, setFields] = useState<Fields>(() => initialFields(connection));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [keyFileName, setKeyFileName] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: (body: PutDirectoryConnectionRequest) =>
      api.put(DIRECTORY_CONNECTION_PATH, body, directoryConnectionSchema),
    onSuccess: async (saved) => {
      // The secret leaves the page's memory as soon as the server has it.
      setFields(initialFields(saved));
      setKeyFileName(null);
      queryClient.setQueryData(directoryConnectionQuery.queryKey, saved);
      await queryClient.invalidateQueries({ queryKey: employeesSummaryQuery.queryKey });
    },
    onError: (error) => setErrors(serverFieldErrors(error)),
  });

  const set = (field: keyof Fields) => (value: string) => {
    setFields((current) => ({ ...current, [field]: value }));
    save.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate(kind, fields);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    save.mutate(requestFrom(kind, fields, connection));
  };

  const readKeyFile = async (file: File | null) => {
    if (!file) return;
    set('credential')(await file.text());
    setKeyFileName(file.name);
  };

  const credentialNote = connection
    ? 'A credential is stored. It is never shown again: enter it anew to save changes.'
    : 'Stored encrypted and never shown again after saving.';

  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby="connect-title">
      <form onSubmit={submit} noValidate aria-labelledby="connect-title">
        <Stack gap="md">
          <Title order={2} fz="lg" id="connect-title">
            {connection ? 'Change the connection' : 'Connect a directory'}
          </Title>
          <SegmentedControl
            aria-label="Directory"
            value={kind}
            onChange={(value) => {
              setKind(value as DirectoryKind);
              setErrors({});
              set('credential')('');
              setKeyFileName(null);
            }}
            data={(['entra', 'google'] as const).map((value) => ({
              value,
              label: directoryKindLabel[value],
            }))}
          />
          {save.isSuccess && (
            <Alert
              color="teal"
              variant="light"
              role="status"
              icon={<IconCircleCheck size={18} aria-hidden />}
            >
              Connection saved. The credential is stored encrypted and will not be shown again. Use “Sync
              users” to read the directory now.
            </Alert>
          )}
          {save.isError && Object.keys(errors).length === 0 && <DirectoryErrorAlert error={save.error} />}
          {kind === 'entra' ? (
            <>
              <Text size="sm" c="dimmed">
                Register an application in Microsoft Entra ID with the Microsoft Graph application permission
                User.Read.All (admin consent granted) and create a client secret for it.
              </Text>
              <TextInput
                label="Directory (tenant) ID"
                required
                autoComplete="off"
                value={fields.directoryTenantId}
                error={errors.directoryTenantId}
                onChange={(event) => set('directoryTenantId')(event.currentTarget.value)}
              />
              <TextInput
                label="Application (client) ID"
                required
                autoComplete="off"
                value={fields.clientId}
                error={errors.clientId}
                onChange={(event) => set('clientId')(event.currentTarget.value)}
              />
              <PasswordInput
                label="Client secret"
                required
                autoComplete="new-password"
                description={credentialNote}
                value={fields.credential}
                error={errors.credential}
                onChange={(event) => set('credential')(event.currentTarget.value)}
              />
            </>
          ) : (
            <>
              <Text size="sm" c="dimmed">
                Create a service account with domain-wide delegation for the scope
                admin.directory.user.readonly; it reads the directory as the administrator below.
              </Text>
              <TextInput
                label="Administrator e-mail"
                type="email"
                required
                autoComplete="off"
                value={fields.adminEmail}
                error={errors.adminEmail}
                onChange={(event) => set('adminEmail')(event.currentTarget.value)}
              />
              <TextInput
                label="Domain"
                description="Optional: only people of this domain are read."
                autoComplete="off"
                value={fields.domain}
                error={errors.domain}
                onChange={(event) => set('domain')(event.currentTarget.value)}
              />
              <Textarea
                label="Service-account JSON key"
                required
                description={credentialNote}
                rows={5}
                spellCheck={false}
                autoComplete="off"
                ff="monospace"
                value={fields.credential}
                error={errors.credential}
                onChange={(event) => {
                  set('credential')(event.currentTarget.value);
                  setKeyFileName(null);
                }}
              />
              <Group gap="sm">
                <FileButton onChange={(file) => void readKeyFile(file)} accept="application/json,.json">
                  {(props) => (
                    <Button {...props} variant="default" leftSection={<IconUpload size={16} aria-hidden />}>
                      Upload JSON key file
                    </Button>
                  )}
                </FileButton>
                {keyFileName && (
                  <Text size="sm" c="dimmed">
                    Read from {keyFileName}
                  </Text>
                )}
              </Group>
            </>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending}>
              {connection ? 'Save connection' : 'Connect'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
